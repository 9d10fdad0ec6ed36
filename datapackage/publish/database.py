"""The SQLite database behind the Datasette site, built with sqlite-utils.

Tables and column types come from the Table Schemas; rows come in bulk from
the typed columns (an empty cell is NULL, a partial date gains its
`_from`/`_to` days as ISO text). Besides the resources it holds `citations`
(every row -> each source it cites), `vocabularies` (every allowed value
with its meaning), a full-text index per table, and the derived tables of
`derived.sql` (`contested_figures`, `deaths_timeline`).
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pyarrow as pa
import sqlite_utils

from datapackage.publish.arrow import plain
from datapackage.package import Package, Resource
from datapackage.publish.bulk import append, from_parts, in_batches
from datapackage.publish.search_index import (add_search_functions, copy_search_index, create_search_index, search_columns,
                                      search_parts)
from datapackage.read.stored import StoredTable
from datapackage.publish.derived import DERIVED, derived_statements
from datapackage.publish.dictionary import value_text
from datapackage.site.metadata import facet_columns, sort_column
from datapackage.read.table import BOUNDS, Table

SQL_TYPES = {"integer": int, "year": int, "number": float, "boolean": int}


def build_database(package: Package, tables: dict[str, StoredTable], path: Path, scratch: Path) -> None:
    """Writes the database to `path`. The full-text indexes, half the work,
    are built at the same time in a file of their own at `scratch` (removed
    afterwards) and copied in at the end."""
    try:
        with ThreadPoolExecutor(1) as pool:
            searching = pool.submit(_search_indexes, package, tables, scratch)
            db = _open(path)
            try:
                _tables(db, path, package, tables)
            finally:
                searching.result()  # the index's error, if any, is raised here
        db.conn.execute("ATTACH DATABASE ? AS search", [str(scratch)])
        for resource in package.resources:
            copy_search_index(db.conn, resource, "search")
        db.conn.commit()
        db.conn.execute("DETACH DATABASE search")
        db.conn.execute("PRAGMA journal_mode = DELETE")
        db.conn.close()
    finally:
        scratch.unlink(missing_ok=True)


def empty_schema(package: Package) -> sqlite3.Connection:
    """The tables `build_database` makes of this package, empty, in memory:
    what the site lists (derived tables, canned queries) is checked against
    it before the database itself is written. A derived table whose SQL does
    not compile here (a package without the tables it reads) is absent."""
    db = sqlite_utils.Database(memory=True)
    add_search_functions(db.conn)
    _create_all(db, package)
    for resource in package.resources:
        create_search_index(db.conn, resource)
    _create_citations(db, package)
    _vocabularies(db, package)
    _derived(db)
    return db.conn


def _open(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    # A fresh file that is thrown away if the build fails: no journal needed.
    db.conn.executescript("PRAGMA foreign_keys = OFF; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
    return db


def _tables(db: sqlite_utils.Database, path: Path, package: Package, tables: dict[str, StoredTable]) -> None:
    _create_all(db, package)
    db.conn.commit()  # the tables exist for the writer's own connection
    for resource in package.resources:
        append(path, resource.name, _rows(tables[resource.name]))
        _index_foreign_keys(db, resource)
        _index_for_pages(db, resource)
    _citations(db, path, package, tables)
    _vocabularies(db, package)
    _derived(db)
    db.conn.commit()


def _search_indexes(package: Package, tables: dict[str, StoredTable], scratch: Path) -> None:
    db = _open(scratch)
    indexed = [resource for resource in package.resources if create_search_index(db.conn, resource)]
    db.conn.commit()
    db.conn.close()
    for resource in indexed:
        names, texts = search_columns(resource)
        keys = set(resource.primary_key[:1])
        pieces = tables[resource.name].pieces(fields=set(names) | set(texts) | keys)
        append(scratch, f"{resource.name}_fts", search_parts(resource, _with_rowids(resource, pieces)))


def _with_rowids(resource: Resource, pieces):
    """Each piece's columns and the rowids SQLite gives its rows in the
    table `_create` makes: the key itself where it is one integer column
    (it becomes the rowid), else 1, 2, ... in the order rows are inserted."""
    keys = resource.primary_key
    by_key = len(keys) == 1 and _columns(resource)[keys[0]] is int
    first = 1
    for piece in pieces:
        rows = len(piece.lines)
        yield piece.frame, piece.frame[keys[0]] if by_key else pl.int_range(first, first + rows, eager=True)
        first += rows


def _derived(db: sqlite_utils.Database) -> None:
    """The derived tables of this dataset, for the packages that have the
    tables they read. Tables, not views: the database is never written after
    publishing, and a view would join and sort a million rows again for every
    visitor (seconds, past the site's SQL time limit)."""
    for name, statement in derived_statements():
        try:
            db.conn.execute(statement)
        except sqlite3.OperationalError as error:
            if "no such" not in str(error):
                raise
            continue
        for column in DERIVED.get(name, {}).get("facets", []):
            db[name].create_index([column], if_not_exists=True)


def _columns(resource: Resource) -> dict[str, type]:
    columns = {}
    for spec in resource.fields:
        columns[spec["name"]] = SQL_TYPES.get(spec.get("type"), str)
        if spec.get("partialDate"):
            columns.update({spec["name"] + suffix: str for suffix in BOUNDS})
    return columns


def _create_all(db: sqlite_utils.Database, package: Package) -> None:
    """Every resource's table, each after the tables its foreign keys refer
    to (sqlite-utils looks for the columns a key names): a package may list
    a table before the one it refers to. A key in a loop of references is
    added once every table of the loop is there."""
    created, looped = set(), []
    for resource in _referred_first(package.resources):
        created.add(resource.name)
        looped += _create(db, resource, created)
    if looped:
        db.add_foreign_keys(looped)


def _referred_first(resources: list[Resource]) -> list[Resource]:
    by_name, ordered, seen = {r.name: r for r in resources}, [], set()

    def visit(resource: Resource) -> None:
        if resource.name in seen:
            return
        seen.add(resource.name)
        for key in resource.foreign_keys:
            target = by_name.get(key["reference"]["resource"])
            if target is not None:
                visit(target)
        ordered.append(resource)

    for resource in resources:
        visit(resource)
    return ordered


def _create(db: sqlite_utils.Database, resource: Resource, created: set[str]) -> list[tuple]:
    """The resource's table, with the foreign keys of one field to tables in
    `created`; the others, to add later, as (table, column, other table,
    other column)."""
    keys = resource.primary_key
    foreign = [(resource.name, k["fields"][0], k["reference"]["resource"], k["reference"]["fields"][0])
               for k in resource.foreign_keys if len(k["fields"]) == 1]
    db[resource.name].create(_columns(resource), pk=keys[0] if len(keys) == 1 else tuple(keys) or None,
                             foreign_keys=[k[1:] for k in foreign if k[2] in created], not_null=set(keys))
    return [k for k in foreign if k[2] not in created]


def _rows(table: StoredTable) -> pa.RecordBatchReader:
    """The columns of the SQL table, typed as SQLite stores them, made slice
    by slice as the writer reads them."""
    names = list(_columns(table.resource))

    def values(piece: Table) -> pa.Table:
        # A point as written: SQLite has no pair of numbers (Parquet has them).
        published = [piece.text_of(spec["name"]).replace("", None) if spec.get("type") == "geopoint"
                     else piece.as_published(spec) for spec in piece.resource.fields if spec["name"] in names]
        return _sql_values(piece.frame.select(names).with_columns(published))
    return from_parts(table.pieces(), values)


def _sql_values(frame: pl.DataFrame) -> pa.Table:
    """A slice of the typed columns as SQLite stores them (dates and times as
    ISO 8601 text, with Z when they are instants in UTC; booleans as 0 and 1)."""
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if values.dtype == pl.Date:
            values = values.dt.to_string("%Y-%m-%d")
        elif isinstance(values.dtype, pl.Datetime):
            values = values.dt.to_string("%Y-%m-%dT%H:%M:%S%.f" + ("Z" if values.dtype.time_zone else ""))
        elif values.dtype == pl.Time:
            values = values.dt.to_string("%H:%M:%S%.f")
        elif values.dtype == pl.Boolean:
            values = values.cast(pl.Int64)
        elif values.dtype not in (pl.String, pl.Int64, pl.Float64):
            values = values.cast(pl.String)
        columns[name] = plain(values)
    return pa.table(columns)


def _index_foreign_keys(db: sqlite_utils.Database, resource: Resource) -> None:
    for key in resource.foreign_keys:
        # A key that leads the primary key (deaths.victim_id) has its index already.
        if key["fields"] != resource.primary_key[:len(key["fields"])]:
            db[resource.name].create_index(key["fields"], if_not_exists=True)


def _index_for_pages(db: sqlite_utils.Database, resource: Resource) -> None:
    """An index per facet and on the default order: a table page then counts
    and orders a million rows from an index instead of scanning the table."""
    keys = resource.primary_key
    wanted = [[column] for column in facet_columns(resource)]
    if sort_column(resource) and [sort_column(resource)] != keys[:1]:
        wanted.append([sort_column(resource)])
    for columns in wanted:
        db[resource.name].create_index(columns, if_not_exists=True)


def _create_citations(db: sqlite_utils.Database, package: Package) -> bool:
    """Creates the empty `citations` table; False when nothing cites a source."""
    references = [spec["sourceList"] for r in package.resources for spec in r.fields if spec.get("sourceList")]
    if not references:
        return False
    first = references[0]
    # Without rowid: the key is the row, so the table is one B-tree, not a
    # table plus an index holding the same three columns again.
    db.conn.execute(f"CREATE TABLE [citations] ([resource] TEXT NOT NULL, [row_id] TEXT NOT NULL, "
                    f"[source_id] TEXT NOT NULL REFERENCES [{first['resource']}]([{first['field']}]), "
                    "PRIMARY KEY ([resource], [row_id], [source_id])) WITHOUT ROWID")
    return True


def _citations(db: sqlite_utils.Database, path: Path, package: Package, tables: dict[str, StoredTable]) -> None:
    if not _create_citations(db, package):
        return
    db.conn.commit()  # the table exists for the writer's own connection
    # Resource after resource, in key order (resource, row, source): the
    # B-tree is appended to, never split, and one resource's pairs are
    # held at a time (8.4 million pairs at 1M victims).
    for resource in sorted(package.resources, key=lambda r: r.name):
        lists = {spec["name"] for spec in resource.fields if spec.get("sourceList")}
        cited = _cited(resource, tables[resource.name].whole(lists | set(resource.primary_key[:1]))) if lists else None
        if cited is not None:
            append(path, "citations", in_batches(cited, lambda part: part.to_arrow(
                compat_level=pl.CompatLevel.oldest())))
        del cited
    db["citations"].create_index(["source_id"])


def _cited(resource: Resource, table: Table) -> pl.DataFrame | None:
    """(resource, row key, source) for each source a row cites, once however
    often its source lists name it, sorted by key and source. Made distinct
    within each row's list before the rows are spread out, and sorted per
    resource: the key is unique, so no pass over all the pairs is needed
    (at 1M victims 1.4 s instead of 10 s for 8.4 million pairs)."""
    sources = [entries for name, entries in table.lists.items() if (resource.field(name) or {}).get("sourceList")]
    if len(resource.primary_key) != 1 or not sources:
        return None
    keys = table.frame[resource.primary_key[0]].cast(pl.String)
    pairs = (pl.concat([pl.DataFrame({"row_id": keys, "source_id": entries.list.unique()}) for entries in sources])
             .explode("source_id")
             .filter(pl.col("source_id").is_not_null() & (pl.col("source_id") != "")))
    if len(sources) > 1:  # two lists of one row may name the same source
        pairs = pairs.unique()
    return pairs.sort("row_id", "source_id").select(pl.lit(resource.name).alias("resource"), "row_id", "source_id")


def _vocabularies(db: sqlite_utils.Database, package: Package) -> None:
    rows = []
    for resource in package.resources:
        for spec in resource.fields:
            for position, category in enumerate(spec.get("categories", []), start=1):
                rows.append({"resource": resource.name, "field": spec["name"], "value": value_text(category["value"]),
                             "position": position, **{k: v for k, v in category.items() if k != "value"}})
    columns = {"resource": str, "field": str, "value": str, "position": int, "label": str}
    for row in rows:
        columns.update({k: str for k in row if k not in columns})
    db["vocabularies"].create(columns, pk=("resource", "field", "value"))
    db["vocabularies"].insert_all(rows)
