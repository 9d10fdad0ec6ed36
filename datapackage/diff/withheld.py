"""Which rows of one version are withheld, found in the rows as text.

The data diff goes to a pull request's summary, which is as public as the
repository: a withheld row (and every row that refers to one, as publishing
drops them: `datapackage/privacy.py`) is reported without its cells. The
mark is compared leniently (case and spaces at the ends ignored): a row its
author meant to withhold, with a mark that validation will refuse, is still
kept out of the report.
"""

from __future__ import annotations

from collections import defaultdict

from datapackage.diff.snapshot import Records, Snapshot, SnapshotError, Table

TableId = tuple[str, int]  # a resource's name and occurrence, as a snapshot holds it


class Withheld:
    """The withheld rows of one version, found for a resource when its rows
    are compared: reading only the resources its foreign keys lead to (a
    change to `sources` reads no other file), and taking the rows of the
    resource itself as the diff has read them."""

    def __init__(self, snapshot: Snapshot):
        self.tables = snapshot.tables
        self.marks = {tid: mark for tid, table in self.tables.items() if (mark := _mark(table.schema))}
        # Foreign keys name a resource; a repeated name stands for its first resource.
        by_name = {tid[0]: tid for tid in reversed(list(self.tables))}
        self.keys = [(tid, fields, by_name[target], theirs)
                     for tid, table in self.tables.items()
                     for fields, target, theirs in _foreign_keys(table.schema, tid[0]) if target in by_name]
        self.reach = _reach(set(self.marks), self.keys)

    def lines(self, tid: TableId, rows: Records | None) -> set[int]:
        """The lines (where each row starts) of the withheld rows of `tid`, whose rows are `rows`."""
        if tid not in self.reach or rows is None:
            return set()
        needed = _upstream(tid, self.keys) & self.reach
        records = {other: rows if other == tid else _records(self.tables[other]) for other in needed}
        keys = [key for key in self.keys if key[0] in needed and key[2] in needed]
        schemas = {other: self.tables[other].schema for other in needed}
        return _walk(records, schemas, {t: m for t, m in self.marks.items() if t in needed}, keys)[tid]


# Table Schema's default texts of a boolean field's two values.
TRUE_VALUES, FALSE_VALUES = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]


def _mark(schema: dict) -> tuple[str, set[str]] | None:
    """(field, the texts that mark a row withheld) of the schema's mark, or None."""
    for spec in _listed(schema, "fields"):
        if isinstance(spec, dict) and isinstance(spec.get("withholdsRow"), dict) and "name" in spec:
            value = spec["withholdsRow"].get("value", "withheld")
            if isinstance(value, bool):  # a boolean field: each text that reads as that value
                texts = spec.get("trueValues", TRUE_VALUES) if value else spec.get("falseValues", FALSE_VALUES)
                return str(spec["name"]), {_loose(text) for text in texts} if isinstance(texts, list) else set()
            return str(spec["name"]), {_loose(value)}
    return None


def _listed(schema: dict, key: str) -> list:
    """The schema's list under `key`; a value of another kind (which
    validation refuses) holds no field or key to follow."""
    value = schema.get(key)
    return value if isinstance(value, list) else []


def _loose(value) -> str:
    return str(value).strip().casefold()


def _foreign_keys(schema: dict, own: str) -> list[tuple[list[str], str, list[str]]]:
    """(fields, target resource, target fields) of each readable foreign key."""
    found = []
    for key in _listed(schema, "foreignKeys"):
        reference = key.get("reference") if isinstance(key, dict) else None
        if not isinstance(reference, dict):
            continue
        fields, theirs = _names(key.get("fields")), _names(reference.get("fields"))
        if fields and len(fields) == len(theirs):
            found.append((fields, str(reference.get("resource") or own), theirs))
    return found


def _names(value) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, list) else []


def _upstream(tid: TableId, keys: list) -> set[TableId]:
    """`tid` and every resource its foreign keys lead to, however far."""
    found = {tid}
    while grown := {target for source, _, target, _ in keys if source in found} - found:
        found |= grown
    return found


def _reach(marked: set[TableId], keys: list) -> set[TableId]:
    """The resources that can hold a withheld row: marked, or referring to one that can."""
    reach = set(marked)
    while grown := {tid for tid, _, target, _ in keys if target in reach} - reach:
        reach |= grown
    return reach


def _records(table: Table) -> Records | None:
    """None when the rows cannot be read; the diff says why if it needs them."""
    try:
        return table.records(table.read())
    except SnapshotError:
        return None


def _walk(records: dict[TableId, Records | None], schemas: dict[TableId, dict], marks: dict,
          keys: list) -> dict[TableId, set[int]]:
    """One walk from the marked rows along the foreign keys, to every row
    that refers to a withheld row, however long the chain."""
    hidden: dict[TableId, set[int]] = defaultdict(set)
    queue = []
    for tid, (field, value) in marks.items():  # value: the texts of the mark
        rows = records.get(tid)
        if rows is not None and field in rows.header:
            at = rows.header.index(field)
            queue += [(tid, i) for i, row in enumerate(rows.rows) if at < len(row.record)
                      and _loose(row.record[at]) in value]
    referring = [(target, _keys(records[target], theirs, schemas[target]),
                  _index(_keys(records[tid], fields, schemas[tid])), tid)
                 for tid, fields, target, theirs in keys if records[tid] and records[target]]
    seen = set(queue)
    while queue:
        tid, i = queue.pop()
        hidden[tid].add(records[tid].rows[i].line)
        for target, their_keys, index, source in referring:
            if target == tid and their_keys is not None:
                for j in index.get(their_keys[i], ()):
                    if (source, j) not in seen:
                        seen.add((source, j))
                        queue.append((source, j))
    return hidden


def _keys(records: Records, fields: list[str], schema: dict) -> list[tuple[str, ...]] | None:
    """Each row's key as the foreign-key rule compares it: the text of its
    typed value (`01` and `1` of an integer are one key, as validation and
    publishing read them), or the text as written where it is no value of
    its type. None when a field is not in the header."""
    header = records.header
    if not all(f in header for f in fields):
        return None
    columns = []
    for field in fields:
        at = header.index(field)
        written = [row.record[at] if at < len(row.record) else "" for row in records.rows]
        columns.append(_typed_texts(schema, field, written))
    return list(zip(*columns)) if columns else None


def _typed_texts(schema: dict, field: str, written: list[str]) -> list[str]:
    spec = next((f for f in _listed(schema, "fields") if isinstance(f, dict) and f.get("name") == field), None)
    if spec is None or spec.get("type", "string") in ("string", "any"):
        return written
    # Loaded only here: the data diff reads text, and types only the keys that lead to a withheld row.
    import polars as pl

    from datapackage.read.convert import convert, missing_values
    try:
        typed = convert(spec, pl.Series(written, dtype=pl.String), missing_values(schema, spec))[0].values
        texts = typed.cast(pl.String).to_list()
    except Exception:  # noqa: BLE001 - a schema validation refuses (any version may be diffed) can fail
        return written  # anywhere in typing; its keys are then compared as written, as text is
    return [text if text is not None else raw for text, raw in zip(texts, written)]


def _index(keys: list[tuple[str, ...]] | None) -> dict[tuple[str, ...], list[int]]:
    """Rows by their keys."""
    index = defaultdict(list)
    for i, key in enumerate(keys or ()):
        index[key].append(i)
    return index
