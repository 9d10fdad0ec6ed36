"""One typed table per resource, built once.

Each CSV is read once into Arrow text, its records mapped to physical lines,
and every column converted once to its Table Schema type. Checks, findings,
Parquet, SQLite and the site all read these typed columns.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

import numpy as np
import polars as pl
import pyarrow as pa

from datapackage.read.convert import Converted, convert, missing_values, typed_is_text, zone_free, zoned
from datapackage.read.csvfile import (NotPlain, Scan, file_pieces, header, plain_labels, plain_pieces, read_cells,
                                 read_plain, records, scan)
from datapackage.dates import PARTIAL_DATE_FORM, partial_date_bounds
from datapackage.read.declared import declared_file_findings
from datapackage.read.encoding import SAVED_AS_UTF16, utf8_problem
from datapackage.read.patterns import whole
from datapackage.findings import ERROR, Finding
from datapackage.package import Package, Resource
from datapackage.read.structure import (blank_row_findings, header_findings, moved_columns, ragged_keys,
                                       guessed_dialect, row_findings, undeclared_delimiter)

BOUNDS = ("_from", "_to")
# Parquet adds FIELD_order beside each ordered list of allowed values (see `parquet`).
ORDER_SUFFIX = "_order"


def added_columns(spec: dict) -> list[str]:
    """The columns the toolkit adds beside a field: the day bounds of a
    partial date (typed table, Parquet, SQLite) and the position of an
    ordered value (Parquet). A field of the same name would collide."""
    added = [spec["name"] + suffix for suffix in BOUNDS] if spec.get("partialDate") else []
    if spec.get("categoriesOrdered") and "enum" in (spec.get("constraints") or {}):
        added.append(spec["name"] + ORDER_SUFFIX)
    return added
AHEAD_BYTES = 256 << 20  # see read_tables
PIECE_BYTES = 256 << 20  # a file larger than this is read in pieces when it can be (see read_table)


@dataclass
class Table:
    resource: Resource
    written: pl.DataFrame  # cells as written of the columns whose text the typed column does not give back
    frame: pl.DataFrame  # typed columns; partial dates gain <field>_from and <field>_to
    lines: np.ndarray  # physical line of each row
    failures: dict[str, list[Converted]] = field(default_factory=dict)  # per field, cells that did not convert
    lists: dict[str, pl.Series] = field(default_factory=dict)  # sourceList fields as lists of stripped entries
    columns: list[str] = field(default_factory=list)  # the text columns in file order
    # The cell findings made while the table was read in pieces (see
    # read_table); None when it was read whole and its cells are yet to check.
    checked: list[Finding] | None = None
    # The key cells of rows with too few or too many cells (see ragged_keys).
    ragged: list[dict[str, str]] = field(default_factory=list)
    # The datetime fields published as local times, when decided for the
    # whole table beforehand (a piece of it cannot tell; see as_published).
    naive: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self.frame)

    # A text column whose typed column is the same text with empty cells as
    # null is kept once, in `frame`: text is most of a package's bytes.
    def text_of(self, name: str) -> pl.Series:
        """One column as written ("" when empty)."""
        if name in self.written.columns:
            return self.written[name]
        return self.frame[name].fill_null("")

    def as_published(self, spec: dict) -> pl.Series:
        """A field's typed column as the release holds it. Datetimes written
        without a time zone are typed as if in UTC and published as the local
        times they are: the zone is not stated, so it is not invented."""
        values = self.frame[spec["name"]]
        if isinstance(values.dtype, pl.Datetime) and values.dtype.time_zone and self.published_naive(spec):
            return values.dt.replace_time_zone(None)
        return values

    def published_naive(self, spec: dict) -> bool:
        """Whether a datetime field is published as local times: no cell of
        it names a time zone."""
        if self.naive is not None:
            return spec["name"] in self.naive
        return zone_free(spec) and not zoned(self.text_of(spec["name"])).any()

    def zone_mixed(self, name: str) -> pl.Series | None:
        """Which cells of a datetime field name their time zone, when some do
        and some do not (a `datetime-zone` finding); None otherwise. Such a
        column's values are compared with the zone as Frictionless compares
        them: a time with its zone is never equal to one without."""
        spec = self.resource.field(name) or {}
        if spec.get("type") != "datetime" or not zone_free(spec) or name not in self.frame.columns:
            return None
        present = self.frame[name].is_not_null()
        with_zone = zoned(self.text_of(name)) & present
        return with_zone if with_zone.any() and with_zone.sum() < present.sum() else None

    def filtered(self, keep: pl.Series) -> Table:
        """The rows where `keep` is true."""
        # (a frame of no columns, as a table of a few fields may have, has no rows to filter)
        return replace(self, written=self.written.filter(keep) if self.written.width else self.written,
                       frame=self.frame.filter(keep) if self.frame.width else self.frame,
                       lines=self.lines[keep.to_numpy()], failures={},
                       lists={name: values.filter(keep) for name, values in self.lists.items()})

    def cell(self, name: str, row: int) -> str:
        """One cell as written."""
        value = self.written[name][row] if name in self.written.columns else self.frame[name][row]
        return "" if value is None else value

    def keeping(self, fields: set[str]) -> Table:
        """The table with only the typed columns of `fields` (and their date
        bounds), for checks that need no other column. Rows, lines and the
        file's column order stay as they are."""
        kept = [c for c in self.frame.columns if c in fields or any(
            c.endswith(b) and c.removesuffix(b) in fields for b in BOUNDS)]
        return replace(self, frame=self.frame.select(kept or self.frame.columns[:1]),
                       written=self.written.select(c for c in self.written.columns if c in fields))

    def rows(self, start: int, count: int) -> Table:
        """Rows `start` to `start + count` (fewer at the end), without a copy."""
        return replace(self, frame=self.frame.slice(start, count), written=self.written.slice(start, count),
                       lines=self.lines[start:start + count], failures={},
                       lists={name: values.slice(start, count) for name, values in self.lists.items()})

    def csv_frame(self) -> pl.DataFrame:
        """Every cell as written, columns named by field, in file order, an
        empty cell null (written bare, `a,,b`, as contributors write it). The
        typed text columns are taken as they are: no copy of the text, which
        at a million rows is gigabytes. (A row of empty cells only, a blank
        line once written so, is a validation error: never published.)"""
        columns = [self.written[name].replace("", None) if name in self.written.columns else self.frame[name]
                   for name in self.columns]
        return pl.DataFrame(columns, schema=self.columns)


# How `write_csv` writes, stated in the release descriptor: a reader left to
# guess (Frictionless sniffs what a descriptor leaves out) could take `;` in a
# one-column table for the delimiter, or the space opening a cell after a
# quoted one (`"a, b", c`) for padding to skip.
WRITTEN_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                   "skipInitialSpace": False, "header": True}


def write_csv(pieces, path) -> None:
    """The rows of a table given a piece at a time (at least one), as one CSV
    in `WRITTEN_DIALECT`."""
    with open(path, "wb") as file:
        for number, piece in enumerate(pieces):
            piece.csv_frame().write_csv(file, null_value="", include_header=number == 0)


# Given a piece of a table's rows (see read_table), what is kept of it and
# the findings about its cells.
Piece = Callable[[Table], tuple[Table, list[Finding]]]


def read_tables(package: Package, each: Callable[[Table], Table] | None = None,
                then: Callable[[str, dict[str, Table]], None] | None = None, piece: Piece | None = None
                ) -> tuple[dict[str, Table], list[Finding]]:
    """Every readable resource's typed table; `each` is given each table as
    soon as it is read and returns what is kept of it; `then`, when given,
    is told the table's name once only what is kept of it is held, with the
    tables kept so far; `piece`, when given, is given the pieces of a large
    table in the reading thread (see read_table).

    Tables are read ahead, in a thread, while `each` and `then` work on the
    one before: reading waits on the disk and on Arrow's parser, the checks
    on polars, and both let go of the interpreter. The next table is always
    read ahead; a further one only while the files read ahead are smaller
    than `AHEAD_BYTES` together, so that a small table read in a moment does
    not leave the reader idle, yet two large tables are never held beside
    the one being checked."""
    tables, findings = {}, []
    readable = [resource for resource in package.resources if resource.readable]
    sizes = [_size(package, resource) for resource in readable]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read") as reader:
        pending: deque = deque()
        submitted = 0

        def read_ahead(first: int) -> None:
            """Tables from `first` on: that one always, more while small."""
            nonlocal submitted
            while submitted < len(readable) and (submitted == first or sum(sizes[first:submitted]) < AHEAD_BYTES):
                pending.append(reader.submit(_read_as_declared, package, readable[submitted], piece))
                submitted += 1

        for number, resource in enumerate(readable):
            read_ahead(number)
            table, problems = pending.popleft().result()
            read_ahead(number + 1)
            findings += problems
            if table is not None:
                tables[resource.name] = each(table) if each else table
            del table  # else the whole table would live on while the next one is read
            if then and resource.name in tables:
                then(resource.name, tables)
    return tables, findings


def _read_as_declared(package: Package, resource: Resource, piece: Piece | None
                      ) -> tuple[Table | None, list[Finding]]:
    """read_table, and the file's size and hash against those declared."""
    table, findings = read_table(package, resource, piece)
    return table, declared_file_findings(resource, package.root / resource.path) + findings


def _size(package: Package, resource: Resource) -> int:
    try:
        return (package.root / resource.path).stat().st_size
    except OSError:
        return 0


def read_table(package: Package, resource: Resource, piece: Piece | None = None
               ) -> tuple[Table | None, list[Finding]]:
    """The typed table of one resource and the findings about its file.

    With `piece`, a large file that Arrow can place on its own is read,
    typed and given to `piece` a few tens of megabytes of rows at a time,
    and what `piece` keeps of each is joined: the file's text is then never
    held whole (validation keeps a few columns of a table of gigabytes)."""
    def problem(message, check="format", line=None, column=None, value=None):
        return None, [Finding(resource.path, line, column, None, value, check, ERROR, message)]

    path = package.root / resource.path
    try:
        facts = scan(file_pieces(path))
        data = None if facts.clean else path.read_bytes()
    except FileNotFoundError:
        return problem(f"file not found; datapackage.json lists it as resource '{resource.name}'", "file-missing")
    except OSError as error:
        return problem(f"file cannot be read ({error.strerror}); expected a readable CSV file", "file-missing")
    if data is not None:  # only a file that is not clean is read whole, to say where
        bad = utf8_problem(data)
        if bad:
            return problem(bad.message(), "encoding",
                           bad.line, bad.column, f"0x{bad.byte:02x}")
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            if data.count(b"\x00") * 3 > len(data):  # one in every two bytes: UTF-16 without its byte order mark
                return problem(SAVED_AS_UTF16, "encoding", 1, 1)
            return problem("the file contains a NUL byte; expected text", "encoding", line)
    dialect = resource.dialect
    if piece is not None and data is None and _size(package, resource) > PIECE_BYTES:
        try:
            return _read_in_pieces(resource, path, facts, piece)
        except NotPlain:
            pass  # read whole, with the record map that says what is wrong where
    plain = read_plain(path, dialect, facts)
    if plain is None:
        data = path.read_bytes() if data is None else data
        record_map = records(data, dialect)
        labels = header(data, record_map, dialect)
    else:
        labels, cells, lines = plain
    stop = _header_stop(resource, labels, facts)
    if stop:
        return None, stop
    findings, ragged = header_findings(resource, labels) + _guessed(resource, path), []
    if plain is None:
        findings += row_findings(resource, data, record_map, len(labels), dialect)
        ragged = ragged_keys(resource, data, record_map, len(labels), dialect)
        cells = read_cells(data, record_map, len(labels), dialect)
        rows = record_map.data_records(len(labels))
        if len(rows) != cells.num_rows:
            return None, findings + problem("the rows cannot be matched to lines (unusual quoting?); "
                                            "expected standard CSV with quotes around whole cells")[1]
        lines = record_map.start_line[rows]
    names, columns = cells.column_names, cells.columns
    del data, plain, cells  # from here on each Arrow column is held by `columns` alone
    table, blank = _typed_rows(resource, names, columns, labels, lines)
    table.ragged = ragged
    return table, findings + blank


def _header_stop(resource: Resource, labels: list[str], facts: Scan) -> list[Finding]:
    """A header that leaves nothing to check: no header, or a delimiter other
    than the declared one. A resource without a schema gets one from it."""
    if not labels:
        said = ("the file is empty" if not facts.head and facts.body < 0
                else "the first line is empty (a blank line above the header?)")
        return [Finding(resource.path, 1, None, None, None, "header", ERROR,
                        f"{said}; expected a header row naming the columns on line 1")]
    delimiter = undeclared_delimiter(resource, labels)
    if delimiter:
        return [delimiter]
    moved = moved_columns(resource, labels)
    if moved:
        return moved
    if not resource.schema:
        _infer_text_schema(resource, labels)
    return []


def _guessed(resource: Resource, path) -> list[Finding]:
    guess = guessed_dialect(resource, path)
    return [guess] if guess else []


def _typed_rows(resource: Resource, names: list[str], columns: list[pa.ChunkedArray], labels: list[str],
                lines: np.ndarray) -> tuple[Table, list[Finding]]:
    """The typed table of rows read as text (each column let go of once
    copied), and its blank rows: rows whose every cell stands for no value
    (is one of its field's missingValues), as Frictionless has them. With
    missingValues ["NA"], `NA,NA` is such a row and `,` is not."""
    text = _as_frame(names, columns)
    # Columns are named by position (c0, c1, ...), as `_typed` matches them with fields.
    fields = resource.fields if resource.checkable else []
    missing = {name: missing_values(resource.schema, fields[i]) if i < len(fields) else [""]
               for i, name in enumerate(names)}
    blank = text.select(pl.all_horizontal(pl.col(n) == "" if missing[n] == [""] else pl.col(n).is_in(missing[n])
                                          for n in names)).to_series()
    empty = np.flatnonzero(blank.to_numpy())
    written = empty[:0]  # of them, rows with a missing value written out (`NA`): looked at in those rows only
    if len(empty) and any(values != [""] for values in missing.values()):
        written = empty[~text[empty].select(pl.all_horizontal(pl.all() == "")).to_series().to_numpy()]
    return _typed(resource, text, labels, lines), blank_row_findings(resource, empty, lines, written)


def _read_in_pieces(resource: Resource, path, facts, piece: Piece) -> tuple[Table | None, list[Finding]]:
    labels = plain_labels(facts, resource.dialect)
    if not labels:
        raise NotPlain
    stop = _header_stop(resource, labels, facts)
    if stop:
        return None, stop
    findings, kept, checked = header_findings(resource, labels) + _guessed(resource, path), [], []
    for cells, lines in _one_ahead(plain_pieces(path, resource.dialect, facts, len(labels))):
        names, columns = cells.column_names, cells.columns
        del cells
        table, blank = _typed_rows(resource, names, columns, labels, lines)
        findings += blank
        part, found = piece(table)
        kept.append(part)
        checked += found
        del table
    return joined(kept, checked), findings


def _one_ahead(items: Iterator) -> Iterator:
    """The items, each next one made in a thread while the one before is
    used: Arrow parses a piece while polars checks the one before."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse") as worker:
        coming = worker.submit(next, items, None)
        while (item := coming.result()) is not None:
            coming = worker.submit(next, items, None)
            yield item
            del item


def joined(parts: list[Table], checked: list[Finding] | None) -> Table:
    """The pieces of one table as one; `checked`, the findings made of the pieces."""
    first = parts[0]
    return replace(first, frame=pl.concat([p.frame for p in parts], rechunk=False),
                   written=pl.concat([p.written for p in parts], rechunk=False),
                   lines=np.concatenate([p.lines for p in parts]), failures={},
                   lists={name: pl.concat([p.lists[name] for p in parts], rechunk=False) for name in first.lists},
                   checked=checked)


def _as_frame(names: list[str], columns: list[pa.ChunkedArray]) -> pl.DataFrame:
    """The Arrow columns as a polars frame, taken out of `columns` one at a
    time and let go once copied: at most one column is held twice."""
    frame = []
    while columns:
        frame.append(pl.from_arrow(columns.pop(0)))
        pa.default_memory_pool().release_unused()
    return pl.DataFrame(frame, schema=names)


def _typed(resource: Resource, text: pl.DataFrame, labels: list[str], lines: np.ndarray) -> Table:
    """Columns named by field (by position, as the header is compared), typed
    when the schema can be used; a field without a column is left out."""
    names = resource.field_names if resource.checkable else _column_names(labels)
    usable = min(len(names), len(labels))
    text = text.select(pl.col(f"c{i}").alias(names[i]) for i in range(usable)) if usable else pl.DataFrame()
    if not resource.checkable:
        return Table(resource, pl.DataFrame(), text.with_columns(pl.all().replace("", None)), lines, columns=text.columns)
    typed, failures, lists = [], {}, {}
    for spec in resource.fields[:usable]:
        name = spec["name"]
        results = convert(spec, text[name], missing_values(resource.schema, spec))
        typed.append(results[0].values.alias(name))
        failures[name] = [r for r in results if r.failed.any()]
        if spec.get("sourceList"):
            separator = spec["sourceList"].get("separator", ";")
            lists[name] = results[0].values.str.split(separator).list.eval(pl.element().str.strip_chars())
        if results[0].items is not None:  # a `list` field's typed items
            lists[name] = results[0].items
        if spec.get("partialDate"):
            earliest, latest, impossible = partial_date_bounds(results[0].values)
            typed += [earliest, latest]
            pattern = spec.get("constraints", {}).get("pattern")
            # Text that is no partial date has no days to compare by: a finding
            # of its own, unless the declared pattern already refuses it.
            malformed = results[0].values.is_not_null() & earliest.is_null() & ~impossible
            if pattern:  # a date not in the declared form is a pattern finding only
                declared = text[name].str.contains(whole(pattern)).fill_null(False)
                impossible, malformed = impossible & declared, malformed & declared
            if impossible.any():
                failures[name].append(Converted(results[0].values, impossible, "a real calendar date", "date-invalid"))
            if malformed.any():
                failures[name].append(Converted(results[0].values, malformed, PARTIAL_DATE_FORM, "partial-date"))
    given_back = {s["name"] for s in resource.fields[:usable] if typed_is_text(s, missing_values(resource.schema, s))}
    return Table(resource, text.drop(given_back), pl.DataFrame(typed), lines, {k: v for k, v in failures.items() if v},
                 lists, text.columns)



def _column_names(labels: list[str]) -> list[str]:
    """The header's labels as the names of the table's columns, or the
    columns' positions when a label repeats (a header finding already):
    a table's columns must have distinct names."""
    return labels if len(set(labels)) == len(labels) else [f"c{i}" for i in range(len(labels))]


def _infer_text_schema(resource: Resource, labels: list[str]) -> None:
    """A resource without a schema is read as text columns named by its
    header, so that its structure is checked and it publishes as it is."""
    if all(label.strip() for label in labels) and len(set(labels)) == len(labels):
        resource.schema = {"fields": [{"name": label, "type": "string"} for label in labels]}
        resource.checkable = True
