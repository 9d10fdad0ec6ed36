"""Withheld rows: kept in the curated CSVs, never in a published byte.

A schema declares which field marks a row as withheld, on that field:

    {"name": "visibility", "withholdsRow": {"value": "withheld", "reason": "withheld_reason"}, ...}

A row whose mark has that value is withheld, and so is every row that
refers to a withheld row through a foreign key (the death, the trials of a
withheld person), transitively. A source list is not followed: a published
row that cites a withheld row is a validation error instead (`rules`). Publishing drops them all before anything is
written: CSV, Parquet, SQLite, its search index, citations, the chart and the
zip are built from what remains.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from datapackage.package import Package, Resource
from datapackage.read.table import Table
from datapackage.validate.pandera_schemas import typed_values
from datapackage.validate.references import key_sides

if TYPE_CHECKING:  # publishing's module, which validation does not load
    from datapackage.read.stored import StoredTable


def mark_field(resource: Resource) -> dict | None:
    """The field that marks rows as withheld, or None."""
    return next((spec for spec in resource.fields if isinstance(spec.get("withholdsRow"), dict)), None)


def marked(table: Table, loose: bool = False) -> pl.Series:
    """Rows the curated data marks as withheld themselves; `loose`: also
    those whose mark differs from the value only in case or spaces at its
    ends (a mark validation refuses, though its author meant it)."""
    spec = mark_field(table.resource)
    if spec is None or spec["name"] not in table.frame.columns:
        return pl.repeat(False, len(table), eager=True)
    # The mark's value as the typed column holds it: "true" is True in a boolean column.
    value = typed_values(spec, [spec["withholdsRow"].get("value", "withheld")])
    if not value:  # a value the field's type cannot hold marks no row
        return pl.repeat(False, len(table), eager=True)
    column = table.frame[spec["name"]]
    if loose and column.dtype == pl.String:
        return (column.str.strip_chars().str.to_lowercase() == value[0].strip().lower()).fill_null(False)
    return (column == value[0]).fill_null(False)


def withheld(package: Package, tables: dict[str, Table], loose: bool = False) -> dict[str, pl.Series]:
    """Every withheld row per resource: marked (`loose`: see `marked`), or
    referring to a withheld row."""
    hidden = {name: marked(table, loose) for name, table in tables.items()}
    if not any(mask.any() for mask in hidden.values()):
        return hidden
    # One graph of every row, edges from a row to the rows that refer to it,
    # walked once from the marked rows: a chain of self-references (a note
    # on a note on a withheld person's note) costs its length, not a pass
    # over the table per link.
    names = list(tables)
    offsets = dict(zip(names, np.cumsum([0] + [len(tables[n]) for n in names]).tolist()))
    edges = [(refers + offsets[target], rows + offsets[name])
             for name, key, target in _keys_into(tables, hidden)
             for rows, refers in [_referring_pairs(tables[name], key, tables[target])]]
    mask = np.concatenate([hidden[n].to_numpy() for n in names])
    if edges:
        _spread(np.concatenate([e[0] for e in edges]), np.concatenate([e[1] for e in edges]), mask)
    return {n: pl.Series(n, mask[offsets[n]:offsets[n] + len(tables[n])]) for n in names}


def withheld_lines(package: Package, tables: dict[str, Table]) -> dict[str, set[int]]:
    """The physical lines of the rows to keep out of what a pull request
    shows, by resource path: withheld, marked loosely. A file that could
    not be read has none: its findings are about bytes, never cells."""
    hidden = withheld(package, tables, loose=True)
    return {tables[name].resource.path: set(tables[name].lines[mask.to_numpy()].tolist())
            for name, mask in hidden.items() if mask.any()}


def _keys_into(tables: dict[str, Table], hidden: dict[str, pl.Series]) -> list[tuple[str, dict, str]]:
    """(table, foreign key, target) for the keys whose target can hold a
    withheld row: marked itself, or referring to one that can."""
    keys = [(name, key, key["reference"]["resource"]) for name, table in tables.items()
            for key in table.resource.foreign_keys if key["reference"]["resource"] in tables]
    reach = {name for name, mask in hidden.items() if mask.any()}
    while True:
        grown = reach | {name for name, _, target in keys if target in reach}
        if grown == reach:
            return [k for k in keys if k[2] in reach]
        reach = grown


def _referring_pairs(table: Table, key: dict, target: Table) -> tuple[np.ndarray, np.ndarray]:
    """Each row of `table` with the row of `target` its key points at."""
    local, remote = key["fields"], key["reference"]["fields"]
    if any(f not in table.frame.columns for f in local) or any(f not in target.frame.columns for f in remote):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    sides = key_sides(table, target, local, remote)
    pairs = sides.join(sides.keyed(), sides.theirs.with_row_index("__target"), "inner")
    return pairs["__row"].to_numpy().astype(np.int64), pairs["__target"].to_numpy().astype(np.int64)


def _spread(source: np.ndarray, to: np.ndarray, mask: np.ndarray) -> None:
    """Marks in `mask` every row reachable from a marked row along the
    edges `source[i] -> to[i]`."""
    order = np.argsort(source, kind="stable")
    to = to[order]
    starts = np.searchsorted(source[order], np.arange(len(mask) + 1))
    frontier = np.flatnonzero(mask)
    while frontier.size:
        counts = starts[frontier + 1] - starts[frontier]
        # Each frontier row's edges, gathered in one step: the runs of `to`
        # from each row's start, laid end to end.
        firsts = np.repeat(starts[frontier] - np.cumsum(counts) + counts, counts)
        reached = to[firsts + np.arange(counts.sum())]
        frontier = np.unique(reached[~mask[reached]])
        mask[frontier] = True


def references_withheld(table: Table, key: dict, tables: dict[str, Table], hidden: dict[str, pl.Series]) -> pl.Series:
    """Rows of `table` whose foreign key points at a withheld row."""
    target = tables.get(key["reference"]["resource"])
    local, remote = key["fields"], key["reference"]["fields"]
    if target is None or not hidden[target.resource.name].any() \
            or any(f not in table.frame.columns for f in local) or any(f not in target.frame.columns for f in remote):
        return pl.repeat(False, len(table), eager=True)
    sides = key_sides(table, target, local, remote)
    rows = sides.join(sides.keyed(), sides.theirs.filter(hidden[target.resource.name]).unique(), "inner")["__row"]
    return pl.int_range(len(table), eager=True).is_in(rows.implode())


def public_stored(package: Package, tables: dict[str, Table], stored: dict[str, StoredTable]
                  ) -> dict[str, StoredTable]:
    """The stored tables, each told which of its rows are published; `tables`
    are the tables validation kept (the columns the rules read, among them
    every mark and every foreign key)."""
    hidden = withheld(package, tables)
    published = {}
    for name, table in tables.items():
        public = table.filtered(~hidden[name]) if hidden[name].any() else table
        naive = frozenset(spec["name"] for spec in table.resource.fields
                          if spec["name"] in public.frame.columns and public.published_naive(spec))
        keep = (~hidden[name]).to_numpy() if hidden[name].any() else None
        published[name] = replace(stored[name], keep=keep, naive=naive)
    return published
