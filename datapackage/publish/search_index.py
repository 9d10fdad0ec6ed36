"""The full-text index of a resource table and the queries run against it.

Which fields are searched, and how, is declared in each Table Schema:
`"search": {"name": [...], "text": [...]}`. Every searched field is indexed as
written; besides, the words of name fields are stored folded in `name_keys`,
and the words of text fields that hold a capital letter (the names a text
mentions) in `text_keys`. A query is folded the same way, so that Gafarov,
Qafarov and Гафаров find each other in every table. Folding every word of
running text would double the index for nothing: a common word is found as
written, and its folded form ("the" becomes "tga") only matches unrelated
words folded alike.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import polars as pl

from datapackage.folding import search_keys
from datapackage.names import search_key
from datapackage.package import Resource

if TYPE_CHECKING:
    import pyarrow as pa

KEYS = ("name_keys", "text_keys")
NEAR = 3  # words a name may have between its parts (a patronymic is two)
HASH_BYTES = 256 << 20
# What a contentless index without column sizes stores (see `copy_search_index`).
SHADOWS = ("data", "idx", "config")


def search_columns(resource: Resource) -> tuple[list[str], list[str]]:
    """The declared name fields and text fields of a resource; both empty
    means the resource has no full-text index."""
    declared = resource.schema.get("search", {})
    return list(declared.get("name", [])), list(declared.get("text", []))


def create_search_index(conn: sqlite3.Connection, resource: Resource) -> bool:
    """Creates the resource's empty full-text index; False when it has none.

    The index is contentless: every reader asks it for rowids only and reads
    the row from the resource table, so a second copy of the text would only
    double the file and the build."""
    if not any(search_columns(resource)):
        return False
    _create(conn, resource)
    # Words are gathered in memory up to this many bytes before they are
    # written out as a segment: fewer, larger segments to merge (a third
    # less time at 200,000 rows than the default of 1 MB; at 2 million rows
    # 256 MB takes a quarter less time than 64 MB and makes a smaller index).
    conn.execute(f"INSERT INTO [{resource.name}_fts] ([{resource.name}_fts], rank) VALUES ('hashsize', {HASH_BYTES})")
    return True


def search_parts(resource: Resource, parts) -> pa.RecordBatchReader:
    """What the index of `create_search_index` takes: per row its rowid, the
    searched fields as text and their folded words, made slice by slice as
    the writer reads them. `parts` are (columns, rowids) of a table's rows a
    slice at a time (at least one): the resource's columns, typed or all
    strings, null where a cell is empty, and the rowids of those rows in the
    resource table."""
    from datapackage.publish.bulk import from_parts

    names, texts = search_columns(resource)
    known: tuple[dict, dict] = ({}, {})

    def part(piece: tuple[pl.DataFrame, pl.Series]) -> pa.Table:
        table, rowids = piece
        cells = table.select(_text(table[c]) for c in names + texts).insert_column(0, rowids.alias("rowid"))
        cells = cells.with_columns(search_keys(cells, names, known[0]).alias(KEYS[0]),
                                   search_keys(cells, texts, known[1], capitals_only=True).alias(KEYS[1]))
        # The oldest Arrow layout: plain (large) strings, which the writer takes.
        return cells.to_arrow(compat_level=pl.CompatLevel.oldest())
    return from_parts(parts, part)


def copy_search_index(conn: sqlite3.Connection, resource: Resource, schema: str) -> None:
    """Moves the resource's index from the attached database `schema` (built
    there beside the tables, on another core) into the main one: an index of
    the same definition, its stored rows copied as they are, the way SQLite's
    own `.dump` carries a full-text table."""
    if not any(search_columns(resource)):
        return
    _create(conn, resource)
    for shadow in SHADOWS:
        table = f"{resource.name}_fts_{shadow}"
        conn.execute(f"DELETE FROM main.[{table}]")
        conn.execute(f"INSERT INTO main.[{table}] SELECT * FROM [{schema}].[{table}]")


def _create(conn: sqlite3.Connection, resource: Resource) -> None:
    conn.execute(f"CREATE VIRTUAL TABLE [{resource.name}_fts] USING fts5({_quoted(resource)}, content='', "
                 "columnsize=0, tokenize='unicode61 remove_diacritics 2')")


def _quoted(resource: Resource) -> str:
    names, texts = search_columns(resource)
    return ", ".join(f"[{c}]" for c in names + texts + list(KEYS))


def _text(column: pl.Series) -> pl.Series:
    """A column as text whatever its type (categorical, list, integer)."""
    if isinstance(column.dtype, pl.List):
        return column.list.join(" ")
    return column.cast(pl.String)


def _folded(query: str, near: bool = True) -> str:
    """An FTS5 expression for the folded words of a query: all of them, close
    together (so a patronymic may sit between a first name and a surname)."""
    words = [f'"{w}"' for w in search_key(query).split()]
    if len(words) > 1 and near:
        return f"NEAR({' '.join(words)}, {NEAR})"
    return " ".join(words)


def match_expression(query: str) -> str:
    """What a reader's query matches in any index: the words as typed, or
    their folded spellings. Empty when the query has no word at all."""
    exact = _exact(query)
    folded = _folded(query)
    if not folded:
        return exact or '""'  # an empty phrase: matches nothing, unlike an empty query
    spelled = f"{{{' '.join(KEYS)}}} : {folded}"
    return f"({exact}) OR ({spelled})" if exact else spelled


def name_expression(names: list[str]) -> str:
    """Matches any of the given names (in any spelling) among the name fields
    and the text of an index."""
    parts = dict.fromkeys(_folded(n) for n in names)
    return " OR ".join(f"({{{' '.join(KEYS)}}} : {p})" for p in parts if p)


def person_expression(query: str) -> str:
    """Matches a name typed in any spelling among the name fields only."""
    folded = _folded(query)
    return f"name_keys : {folded}" if folded else '""'


def add_search_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the site's searches call (see `plugins/site_hooks`):
    `escape_fts` (Datasette's name, so that a table's ?_search= also matches
    other spellings) and `search_match` give `match_expression`,
    `person_match` gives `person_expression`."""
    conn.create_function("escape_fts", 1, _on_any_value(match_expression), deterministic=True)
    conn.create_function("search_match", 1, _on_any_value(match_expression), deterministic=True)
    conn.create_function("person_match", 1, _on_any_value(person_expression), deterministic=True)


def _on_any_value(expression):
    """The function as a visitor's SQL may call it, with any value: a number
    is searched as written, a blob or NULL matches nothing. An error would
    answer the same 400, but Datasette logs the traceback of every failing
    function."""
    def function(query):
        if isinstance(query, (int, float)):
            query = str(query)
        return expression(query if isinstance(query, str) else "")
    return function


def _exact(query: str) -> str:
    """The query's words, each quoted, as Datasette escapes a search."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)
