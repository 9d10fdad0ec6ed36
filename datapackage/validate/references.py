"""Which rows a foreign key's cells point at, read one way by every reader:
the foreign-key rule, `notBefore`, and the walk that withholds every row
referring to a withheld one. Were they to read a key differently, a row the rule links to
a withheld row could be published as if it referred to nothing.

A key's values are compared as text of their typed values (the two fields
are of one type: `schema_check`). A datetime written with its time zone is
no datetime written without one (whose zone is not stated), as in
Frictionless. A key of one field that is empty points nowhere; a key of
several fields points nowhere only when all of them are empty, and a key
partly empty is looked for with its empty cells, as in Frictionless.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from datapackage.read.convert import zone_free, zoned
from datapackage.read.table import Table


@dataclass
class KeySides:
    local: list[str]  # the referring fields
    mine: pl.DataFrame  # the referring rows' keys, with their row as `__row`
    theirs: pl.DataFrame  # the target's keys, named as the referring fields
    on: list[str]  # the columns that must be equal: the key's, and a zone flag per datetime
    zones: list[tuple[str, str]]  # (local, remote) fields compared with their zones too

    def keyed(self, frame: pl.DataFrame | None = None) -> pl.DataFrame:
        """The rows (of `frame`, by default the referring ones) whose key is
        not empty: a referring row whose key points at a row."""
        frame = self.mine if frame is None else frame
        if len(self.local) == 1:
            return frame.drop_nulls(self.local)
        return frame.filter(~pl.all_horizontal(pl.col(self.local).is_null()))

    def join(self, mine: pl.DataFrame, theirs: pl.DataFrame, how: str, **options) -> pl.DataFrame:
        """`mine` joined to `theirs` by key: empty cells of a partly empty key match empty cells."""
        return mine.join(theirs, on=self.on, how=how, nulls_equal=True, **options)


def key_sides(table: Table, target: Table, local: list[str], remote: list[str]) -> KeySides:
    """The keys of `table`'s fields `local` and of `target`'s `remote`, each
    as the text of its typed value, ready to be joined."""
    zones = [(l, r) for l, r in zip(local, remote)
             if zone_free(table.resource.field(l) or {}) and zone_free(target.resource.field(r) or {})]
    mine = table.frame.select(pl.col(local).cast(pl.String)).with_columns(
        zoned(table.text_of(l)).alias(f"__zone_{l}") for l, _ in zones).with_row_index("__row")
    theirs = target.frame.select(pl.col(r).cast(pl.String).alias(l) for l, r in zip(local, remote)).with_columns(
        zoned(target.text_of(r)).alias(f"__zone_{l}") for l, r in zones)
    return KeySides(list(local), mine, theirs, local + [f"__zone_{l}" for l, _ in zones], zones)
