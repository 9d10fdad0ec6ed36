"""What changes between two versions of the package, row by row, each row
identified by its resource's primary key."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from datapackage.schema_diff import SchemaChange, schema_changes
from datapackage.snapshot import Origin, Row, Table, load_snapshot, open_origin

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True, order=True)
class Key:
    values: tuple[str, ...]
    occurrence: int = 1  # 2 for the second row using the same key, and so on


@dataclass(frozen=True)
class KeyedRow:
    key: Key
    line: int  # in HEAD for an added row, in BASE for a removed one
    cells: dict[str, str]


@dataclass(frozen=True)
class CellChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangedRow:
    key: Key
    base_line: int
    line: int
    cells: list[CellChange]


@dataclass
class ResourceDiff:
    name: str
    status: str  # ADDED, REMOVED or CHANGED
    path: str  # in HEAD; in BASE for a removed resource
    base_path: str | None  # None for an added resource
    key: list[str]  # the primary key; empty when the schema has none
    schema: list[SchemaChange]
    added: list[KeyedRow]
    removed: list[KeyedRow]
    changed: list[ChangedRow]


@dataclass
class PackageDiff:
    base: Origin
    head: Origin
    resources: list[ResourceDiff]  # only those that differ, in descriptor order


def compare(base: str, head: str | None = None) -> PackageDiff:
    """Raises SnapshotError when either side cannot be read."""
    old, new = load_snapshot(open_origin(base)), load_snapshot(open_origin(head))
    names = list(new.tables) + [name for name in old.tables if name not in new.tables]
    diffs = (diff_resource(name, old.tables.get(name), new.tables.get(name)) for name in names)
    return PackageDiff(old.origin, new.origin, [d for d in diffs if d is not None])


def diff_resource(name: str, base: Table | None, head: Table | None) -> ResourceDiff | None:
    """None when nothing differs."""
    key = primary_key(head or base)
    identity = key or (head or base).header  # without a key, the whole row is its identity
    old, new = keyed(base, identity), keyed(head, identity)
    added = [KeyedRow(k, new[k].line, new[k].cells) for k in sorted(new.keys() - old.keys())]
    removed = [KeyedRow(k, old[k].line, old[k].cells) for k in sorted(old.keys() - new.keys())]
    changed = [c for c in (changed_row(k, old[k], new[k]) for k in sorted(old.keys() & new.keys())) if c]
    schema = schema_changes(base.schema, head.schema) if base and head else []
    status = ADDED if base is None else REMOVED if head is None else CHANGED
    moved = base and head and base.path != head.path
    if status == CHANGED and not (added or removed or changed or schema or moved):
        return None
    return ResourceDiff(name, status, (head or base).path, base.path if base else None, key,
                        schema, added, removed, changed)


def primary_key(table: Table) -> list[str]:
    key = table.schema.get("primaryKey")
    if isinstance(key, str):
        return [key]
    return [str(field) for field in key] if isinstance(key, list) else []


def keyed(table: Table | None, key: list[str]) -> dict[Key, Row]:
    """Rows by key; a repeated key gets the next occurrence number, so that
    a duplicate row shows up as a row of its own."""
    rows, seen = {}, Counter()
    for row in table.rows if table else []:
        values = tuple(row.cells.get(field, "") for field in key)
        seen[values] += 1
        rows[Key(values, seen[values])] = row
    return rows


def changed_row(key: Key, old: Row, new: Row) -> ChangedRow | None:
    columns = list(new.cells) + [column for column in old.cells if column not in new.cells]
    cells = [CellChange(column, old.cells.get(column, ""), new.cells.get(column, ""))
             for column in columns if old.cells.get(column, "") != new.cells.get(column, "")]
    return ChangedRow(key, old.line, new.line, cells) if cells else None
