"""What changes between two versions of the package, row by row, each row
identified by its resource's primary key."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from datapackage.diff.schema_diff import SchemaChange, schema_changes
from datapackage.diff.snapshot import Origin, Records, Row, Table, load_snapshot, open_origin
from datapackage.diff.withheld import Withheld

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True, order=True)
class Key:
    values: tuple[str, ...]
    occurrence: int = 1  # 2 for the second row using the same key, and so on


NO_KEY = Key(())  # the key of a withheld row, which is not shown


@dataclass(frozen=True)
class KeyedRow:
    key: Key
    line: int  # in HEAD for an added row, in BASE for a removed one
    cells: dict[str, str]
    withheld: bool = False  # then its key and cells are empty: see `conceal`
    rekeyed: Key | None = None  # an added row: the removed row whose other cells it holds


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
    withheld: bool = False  # then its key and values are empty: see `conceal`


@dataclass
class ResourceDiff:
    name: str
    occurrence: int  # 2 for the second resource of the descriptor with this name, and so on
    status: str  # ADDED, REMOVED or CHANGED
    path: str  # in HEAD; in BASE for a removed resource
    base_path: str | None  # None for an added resource
    base_name: str | None  # likewise; another name than `name` when the resource was renamed
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


def compare(base: str, head: str | None = None, reveal: bool = False) -> PackageDiff:
    """Raises SnapshotError when either side cannot be read. `reveal`: show
    withheld rows whole, for a maintainer's own terminal."""
    old, new = load_snapshot(open_origin(base)), load_snapshot(open_origin(head))
    names = list(new.tables) + [name for name in old.tables if name not in new.tables]
    withheld = None if reveal else (Withheld(old), Withheld(new))
    pairs = renamed([(old.tables.get(name), new.tables.get(name)) for name in names])
    diffs = (diff_resource(base, head, withheld) for base, head in pairs)
    return PackageDiff(old.origin, new.origin, [d for d in diffs if d is not None])


def renamed(pairs: list[tuple[Table | None, Table | None]]) -> list[tuple[Table | None, Table | None]]:
    """A resource only in HEAD and one only in BASE that have the same file
    are one resource renamed: its rows are compared, not all shown as
    removed and then added."""
    gone = {base.path: i for i, (base, head) in enumerate(pairs) if head is None}
    out, taken = [], set()
    for base, head in pairs:
        if base is None and gone.get(head.path, -1) >= 0 and gone[head.path] not in taken:
            taken.add(gone[head.path])
            base = pairs[gone[head.path]][0]
        out.append((base, head))
    return [pair for i, pair in enumerate(out) if i not in taken]


def diff_resource(base: Table | None, head: Table | None,
                  withheld: tuple[Withheld, Withheld] | None) -> ResourceDiff | None:
    """None when nothing differs. `withheld`: the withheld rows of the two
    versions, whose rows the diff shows without their cells (None: shown)."""
    key = primary_key(head or base)
    schema = schema_changes(base.schema, head.schema) if base and head else []
    old_data, new_data = base.read() if base else None, head.read() if head else None
    if old_data is not None and old_data == new_data and base.reads_as(head):
        added, removed, changed = [], [], []  # the same bytes read alike: not parsed at all
    else:
        old = base.records(old_data) if base else None
        new = head.records(new_data) if head else None
        del old_data, new_data  # the text is in the rows now
        added, removed, changed = row_changes(old, new, key or (new or old).header)
        if (added or removed or changed) and withheld:
            hidden = [side.lines(table.identity, rows) if table else set()
                      for side, table, rows in zip(withheld, (base, head), (old, new))]
            added, removed, changed = conceal(added, removed, changed, *hidden)
        if added and removed:
            added = rekeyed(added, removed, key)
        del old, new
    status = ADDED if base is None else REMOVED if head is None else CHANGED
    moved = base and head and (base.path, base.name) != (head.path, head.name)
    if status == CHANGED and not (added or removed or changed or schema or moved):
        return None
    either = head or base
    return ResourceDiff(either.name, either.occurrence, status, either.path, base.path if base else None,
                        base.name if base else None, key, schema, added, removed, changed)


def conceal(added: list[KeyedRow], removed: list[KeyedRow], changed: list[ChangedRow],
            base: set[int], head: set[int]) -> tuple[list[KeyedRow], list[KeyedRow], list[ChangedRow]]:
    """The changes with every row withheld on its side emptied of its key and
    cells, here where they are made, so that no report can print them. A
    changed row withheld on either side keeps only the names of its fields:
    what it was withheld for may be in either version."""
    return ([KeyedRow(NO_KEY, row.line, {}, True) if row.line in head else row for row in added],
            [KeyedRow(NO_KEY, row.line, {}, True) if row.line in base else row for row in removed],
            [ChangedRow(NO_KEY, row.base_line, row.line, [CellChange(c.field, "", "") for c in row.cells], True)
             if row.base_line in base or row.line in head else row for row in changed])


def rekeyed(added: list[KeyedRow], removed: list[KeyedRow], key: list[str]) -> list[KeyedRow]:
    """Added rows that hold the same cells as a removed row but for the key:
    a row renumbered, which ids must never be. Said, so that a reviewer
    does not have to match the two lists by eye."""
    def others(row: KeyedRow) -> tuple:
        return tuple((column, value) for column, value in row.cells.items() if column not in key)

    if not key:  # without a key, a row's cells are its identity
        return added
    was = {}
    for row in removed:
        if not row.withheld:
            was.setdefault(others(row), row.key)
    return [replace(row, rekeyed=was.get(others(row))) if not row.withheld else row for row in added]


def primary_key(table: Table) -> list[str]:
    key = table.schema.get("primaryKey")
    if isinstance(key, str):
        return [key]
    return [str(field) for field in key] if isinstance(key, list) else []


def row_changes(base: Records | None, head: Records | None,
                identity: list[str]) -> tuple[list[KeyedRow], list[KeyedRow], list[ChangedRow]]:
    """Rows added, removed and changed, each in the order of their keys.
    `identity` is the primary key, or without one every column (the whole
    row is then its identity)."""
    old, new = keyed(base, identity), keyed(head, identity)
    added = [KeyedRow(Key(*k), new[k].line, new[k].cells) for k in sorted(new.keys() - old.keys())]
    removed = [KeyedRow(Key(*k), old[k].line, old[k].cells) for k in sorted(old.keys() - new.keys())]
    # Most rows of a large table are the same on both sides: those are told
    # apart as lists, and only the others are compared cell by cell and sorted.
    differ = sorted(k for k in old.keys() & new.keys() if not same_row(old[k], new[k]))
    changed = [c for c in (changed_row(Key(*k), old[k], new[k]) for k in differ) if c]
    return added, removed, changed


def keyed(table: Records | None, key: list[str]) -> dict[tuple[tuple[str, ...], int], Row]:
    """Rows by (key values, occurrence); a repeated key gets the next
    occurrence number, so that a duplicate row shows up as a row of its own."""
    if table is None:
        return {}
    where = {}
    for i, column in enumerate(table.header):
        where.setdefault(column, i)  # a name the header repeats: its first column
    places = [where.get(field) for field in key]
    rows, seen = {}, Counter()
    for row in table.rows:
        record = row.record
        values = tuple("" if i is None or i >= len(record) else record[i] for i in places)
        seen[values] += 1
        rows[(values, seen[values])] = row
    return rows


def same_row(old: Row, new: Row) -> bool:
    return old.record == new.record and old.columns == new.columns


def changed_row(key: Key, old: Row, new: Row) -> ChangedRow | None:
    """None when the rows hold the same cells (e.g. one has a trailing empty
    cell). Every cell is compared: `cells` names each position apart."""
    before, after = old.cells, new.cells
    columns = list(after) + [column for column in before if column not in after]
    cells = [CellChange(column, before.get(column, ""), after.get(column, ""))
             for column in columns if before.get(column, "") != after.get(column, "")]
    return ChangedRow(key, old.line, new.line, cells) if cells else None
