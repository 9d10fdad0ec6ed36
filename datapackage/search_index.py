"""The full-text index of a resource table: its searched text columns plus
the common English and Russian spellings of the names in them."""

from __future__ import annotations

import sqlite3

import pyarrow as pa

from datapackage.names import spellings
from datapackage.package import Resource

NAME_FIELDS = ("name_variants", "defendant", "speaker")
TEXT_FIELDS = ("title", "summary", "what_happened", "notes", "organisation", "reported_cause", "charge")


def search_columns(resource: Resource) -> tuple[list[str], list[str]]:
    """The name columns (indexed with their other spellings) and the text
    columns of a resource's full-text index; both empty means no index."""
    names = [s["name"] for s in resource.fields if s.get("personName") or s["name"] in NAME_FIELDS]
    texts = [s["name"] for s in resource.fields if s["name"] in TEXT_FIELDS]
    return names, texts


def build_search_index(conn: sqlite3.Connection, resource: Resource, table: pa.Table) -> None:
    """A full-text table over the text columns a reader searches, plus the
    spellings of the names in them; rowids match the resource table.
    `table` holds the resource's columns, null where a cell is empty."""
    names, texts = search_columns(resource)
    if not names and not texts:
        return
    columns = names + texts + (["spellings"] if names else [])
    conn.execute(f"CREATE VIRTUAL TABLE [{resource.name}_fts] USING fts5("
                 f"{', '.join(f'[{c}]' for c in columns)}, tokenize='unicode61 remove_diacritics 2')")
    rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM [{resource.name}] ORDER BY rowid")]
    rows = []
    for rowid, row in zip(rowids, table.select(names + texts).to_pylist()):
        values = [row[c] for c in names + texts]
        if names:
            values.append(" ".join(spellings(" ".join(row[c] or "" for c in names))))
        rows.append([rowid, *values])
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    conn.executemany(f"INSERT INTO [{resource.name}_fts] (rowid, {', '.join(f'[{c}]' for c in columns)}) "
                 f"VALUES ({marks})", rows)
