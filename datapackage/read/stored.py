"""Typed tables kept on disk from validation to the end of publishing.

Publishing needs every column of every table, which at a million rows is
about 5 GB held at once. Instead, each table (or each piece of a large one)
is written here as soon as it is read and typed, in Arrow's own layout
(uncompressed: read back without converting anything), while validation
holds only the columns its rules read. The writers then read the typed
columns back a slice at a time, so each holds one slice, never a table.
Nothing is parsed or typed again: the files are the typed columns.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc

from datapackage.publish import bulk
from datapackage.package import Resource
from datapackage.read.table import BOUNDS, Table, joined


# Rows per stored file: a table's rows read back at once.
PART_ROWS = 100_000


class Store:
    """A folder of stored tables, written to from the reading threads. It
    holds every row, withheld ones too: only its owner may open it."""

    def __init__(self, folder: Path):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
        self.folder = folder
        self.parts: dict[str, list[Path]] = {}
        self.layouts: dict[str, Layout] = {}
        self.numbers: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, table: Table, whole: bool = False) -> None:
        """Stores `table`, the next rows of its resource (all of them when
        `whole`: a file whose pieces were stored may turn out to need reading
        whole), in parts of PART_ROWS rows, each what a writer reads at once."""
        name = table.resource.name
        with self._lock:
            if whole:
                for path in self.parts.pop(name, []):
                    path.unlink()
            if name not in self.parts:
                self.parts[name], self.layouts[name] = [], Layout.of(table)
            parts, layout = self.parts[name], self.layouts[name]
            number = self.numbers.setdefault(name, len(self.numbers))  # names its files
        for start in range(0, max(len(table), 1), PART_ROWS):
            path = self.folder / f"{number}-{len(parts)}.arrow"
            layout.encoded(table.rows(start, PART_ROWS)).write_ipc(path, compression="uncompressed")
            parts.append(path)

    def table(self, lean: Table) -> StoredTable:
        """The stored table of the resource whose lean table is `lean`."""
        name = lean.resource.name
        return StoredTable(lean.resource, self.parts[name], self.layouts[name], lean.columns, len(lean))


@dataclass(frozen=True)
class Layout:
    """Where a table's parts go in a stored file: its columns are stored as
    f0, f1... (typed), w0... (as written), l0... (source lists), so that no
    field name, however chosen, collides with another."""
    frame: tuple[str, ...]
    written: tuple[str, ...]
    lists: tuple[str, ...]

    @classmethod
    def of(cls, table: Table) -> Layout:
        return cls(tuple(table.frame.columns), tuple(table.written.columns), tuple(table.lists))

    def encoded(self, table: Table) -> pl.DataFrame:
        columns = [table.frame[n].alias(f"f{i}") for i, n in enumerate(self.frame)]
        columns += [table.written[n].alias(f"w{i}") for i, n in enumerate(self.written)]
        columns += [table.lists[n].alias(f"l{i}") for i, n in enumerate(self.lists)]
        columns.append(pl.Series("line", table.lines, dtype=pl.Int64))
        return pl.DataFrame(columns)

    def decoded(self, resource: Resource, stored: pl.DataFrame, columns: list[str]) -> Table:
        def named(prefix, names):
            return {n: stored[f"{prefix}{i}"] for i, n in enumerate(names) if f"{prefix}{i}" in stored.columns}
        frame, written = named("f", self.frame), named("w", self.written)
        return Table(resource, pl.DataFrame(written, schema=list(written)), pl.DataFrame(frame, schema=list(frame)),
                     stored["line"].to_numpy(), {}, named("l", self.lists), columns)

    def stored_names(self, fields: set[str]) -> list[str]:
        """The stored columns that hold `fields` (with their date bounds) and the lines."""
        return ([f"f{i}" for i, n in enumerate(self.frame) if n in fields or any(n == f + b for f in fields for b in BOUNDS)]
                + [f"w{i}" for i, n in enumerate(self.written) if n in fields]
                + [f"l{i}" for i, n in enumerate(self.lists) if n in fields] + ["line"])


@dataclass
class StoredTable:
    """One resource's typed table on disk; `keep` (set by publishing) masks
    the rows that are published, and `naive` names the datetime fields
    published as local times (see Table.as_published)."""
    resource: Resource
    parts: list[Path]
    layout: Layout
    columns: list[str]
    rows: int
    keep: np.ndarray | None = None
    naive: frozenset[str] | None = None

    def __len__(self) -> int:
        return self.rows if self.keep is None else int(self.keep.sum())

    def pieces(self, rows: int | None = None, fields: set[str] | None = None) -> Iterator[Table]:
        """The published rows in tables of `rows` rows (as many as the
        database writer takes at once by default; the last one shorter, and
        one empty table for no rows), with every column or only those of
        `fields`. However the rows were stored, the tables are the same."""
        rows = rows or bulk.BATCH_ROWS
        held, count, given = [], 0, False
        for part in self._parts(fields):
            held.append(part)
            count += len(part.lines)
            while count >= rows:
                whole = joined(held, None) if len(held) > 1 else held[0]
                yield whole.rows(0, rows)
                given = True
                held, count = [whole.rows(rows, count - rows)], count - rows
        if count or not given:
            yield joined(held, None) if len(held) > 1 else held[0]

    def whole(self, fields: set[str]) -> Table:
        """The published rows of `fields` only, as one table."""
        parts = list(self._parts(fields))
        return joined(parts, None) if len(parts) > 1 else parts[0]

    def _parts(self, fields: set[str] | None) -> Iterator[Table]:
        names = None if fields is None else self.layout.stored_names(fields)
        start = 0
        for path in self.parts:
            part = self.layout.decoded(self.resource, _read(path, names), self.columns)
            part = replace(part, naive=self.naive)
            if self.keep is not None:
                keep = self.keep[start:start + len(part.lines)]
                start += len(part.lines)
                if not keep.all():
                    part = part.filtered(pl.Series(keep))
            yield part


def _read(path: Path, names: list[str] | None) -> pl.DataFrame:
    """A stored part, mapped into memory rather than copied: its columns are
    the file's pages, which the kernel may drop and read again, and which
    are let go of once the part is (a copy cost a second per gigabyte)."""
    stored = ipc.open_file(pa.memory_map(str(path))).read_all()
    return pl.from_arrow(stored.select(names) if names is not None else stored)
