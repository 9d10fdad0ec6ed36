"""The SQLite database behind the Datasette site, built with sqlite-utils.

Tables and column types come from the Table Schemas; an empty CSV cell is
NULL. Besides the resources it holds `citations` (every row -> each source
it cites), `vocabularies` (every allowed value with its meaning), a full-text
index per table over names and summaries that also holds the common English
and Russian spellings of each name, and the views `contested_figures` and
`deaths_timeline`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import sqlite_utils

from datapackage.arrow import BOUNDS
from datapackage.dates import bounds
from datapackage.search_index import build_search_index
from datapackage.package import Package, Resource

VIEWS = Path(__file__).with_name("views.sql")


def build_database(package: Package, frames: dict[str, pd.DataFrame], path: Path) -> None:
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA foreign_keys = OFF")
    for resource in package.resources:
        _create(db, resource)
    for resource in package.resources:
        _insert(db, resource, _rows(resource, frames[resource.name]))
        _index_foreign_keys(db, resource)
    _citations(db, package, frames)
    _vocabularies(db, package)
    for resource in package.resources:
        frame = frames[resource.name]
        build_search_index(db.conn, resource, pa.Table.from_pandas(frame.where(frame != "", None), preserve_index=False))
    db.conn.executescript(VIEWS.read_text(encoding="utf-8"))
    db.conn.commit()
    db.vacuum()
    db.conn.close()


def _columns(resource: Resource) -> dict[str, type]:
    columns = {}
    for spec in resource.fields:
        columns[spec["name"]] = int if spec.get("type") == "integer" else str
        if spec.get("partialDate"):
            columns.update({spec["name"] + suffix: str for suffix, _ in BOUNDS})
    return columns


def _create(db: sqlite_utils.Database, resource: Resource) -> None:
    keys = resource.schema.get("primaryKey", [])
    foreign = [(k["fields"][0], k["reference"]["resource"], k["reference"]["fields"][0])
               for k in resource.foreign_keys]
    db[resource.name].create(_columns(resource), pk=keys[0] if len(keys) == 1 else tuple(keys),
                             foreign_keys=foreign, not_null=set(keys))


def _rows(resource: Resource, frame: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(index=frame.index)
    for spec in resource.fields:
        name = spec["name"]
        text = frame[name]
        if spec.get("type") == "integer":
            table[name] = pd.to_numeric(text.where(text != "", None)).astype("Int64")
        else:
            table[name] = text.where(text != "", None)
        if spec.get("partialDate"):
            for (suffix, _), day in zip(BOUNDS, bounds(text)[:2]):
                table[name + suffix] = pd.Series(day, index=frame.index).dt.strftime("%Y-%m-%d")
    return table.astype(object).where(table.notna(), None)


def _insert(db: sqlite_utils.Database, resource: Resource, rows: pd.DataFrame) -> None:
    names = list(rows.columns)
    sql = (f"INSERT INTO [{resource.name}] ({', '.join(f'[{n}]' for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    db.conn.executemany(sql, rows.itertuples(index=False, name=None))


def _index_foreign_keys(db: sqlite_utils.Database, resource: Resource) -> None:
    for key in resource.foreign_keys:
        db[resource.name].create_index(key["fields"])


def _citations(db: sqlite_utils.Database, package: Package, frames) -> None:
    db["citations"].create({"resource": str, "row_id": str, "source_id": str},
                           pk=("resource", "row_id", "source_id"),
                           foreign_keys=[("source_id", "sources", "source_id")])
    for resource in package.resources:
        for spec in resource.fields:
            if not spec.get("sourceList"):
                continue
            frame = frames[resource.name]
            key = resource.schema["primaryKey"][0]
            cited = frame[[key, spec["name"]]].assign(
                source_id=frame[spec["name"]].str.split(spec["sourceList"].get("separator", ";"), regex=False)
            ).explode("source_id")
            rows = [(resource.name, row_id, source) for row_id, _, source in cited.itertuples(index=False) if source]
            db.conn.executemany("INSERT OR IGNORE INTO citations VALUES (?, ?, ?)", rows)
    db["citations"].create_index(["source_id"])


def _vocabularies(db: sqlite_utils.Database, package: Package) -> None:
    rows = []
    for resource in package.resources:
        for spec in resource.fields:
            for position, category in enumerate(spec.get("categories", []), start=1):
                rows.append({"resource": resource.name, "field": spec["name"], "value": category["value"],
                             "position": position, **{k: v for k, v in category.items() if k != "value"}})
    columns = {"resource": str, "field": str, "value": str, "position": int, "label": str}
    for row in rows:
        columns.update({k: str for k in row if k not in columns})
    db["vocabularies"].create(columns, pk=("resource", "field", "value"))
    db["vocabularies"].insert_all(rows)
