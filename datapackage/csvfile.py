"""Reading a resource CSV once: the physical line of every record, and every
cell as Arrow text.

Record boundaries are found on the raw bytes with numpy, from the positions
of quotes, line breaks and delimiters only (never an array per byte of the
file wider than a byte): a line break ends a record when an even number of
quotes precede it. LF, CRLF and a lone CR all end a line, as they do for
Python's csv module and for Arrow. When a quote stands inside a cell (which
the csv module reads as a literal character but which would flip the parity)
the csv module maps the records instead.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

NEWLINE, CARRIAGE_RETURN = 10, 13
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote: str = '"'


@dataclass
class Records:
    """One entry per record of the file, header included (record 0)."""

    start: np.ndarray  # byte offset where the record starts
    start_line: np.ndarray  # 1-based physical line where the record starts
    blank: np.ndarray  # the record is an empty line
    cells: np.ndarray  # number of cells in the record
    length: np.ndarray  # bytes in the record, line ending excluded

    def line_of_record(self, number: int) -> int:
        """Physical line of a 1-based record number (header = 1)."""
        return int(self.start_line[number - 1])

    def data_records(self, columns: int) -> np.ndarray:
        """Record numbers (0-based) of the rows that parse into a table of
        `columns` cells: not the header, not blank, not ragged."""
        keep = ~self.blank & (self.cells == columns)
        keep[:1] = False
        return np.flatnonzero(keep)


def records(data: bytes, dialect: Dialect) -> Records:
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(buf == ord(dialect.quote))
    if _has_stray_quote(buf, quotes, dialect):
        return _records_by_csv_module(data, dialect)
    return _records_by_bytes(buf, quotes, dialect)


def _has_stray_quote(buf: np.ndarray, quotes: np.ndarray, dialect: Dialect) -> bool:
    """A quote with ordinary text on both sides (`ab"cd`)."""
    inner = quotes[(quotes > 0) & (quotes < len(buf) - 1)]

    def ordinary(characters):
        return ((characters != ord(dialect.delimiter)) & (characters != NEWLINE)
                & (characters != CARRIAGE_RETURN) & (characters != ord(dialect.quote)))

    return bool(np.any(ordinary(buf[inner - 1]) & ordinary(buf[inner + 1])))


def _records_by_bytes(buf: np.ndarray, quotes: np.ndarray, dialect: Dialect) -> Records:
    size = len(buf)
    feeds = np.flatnonzero(buf == NEWLINE)
    returns = np.flatnonzero(buf == CARRIAGE_RETURN)
    following = np.minimum(returns + 1, max(size - 1, 0))
    lone = returns[(returns + 1 >= size) | (buf[following] != NEWLINE)]
    breaks = np.union1d(feeds, lone)

    def outside(positions):
        return positions[(np.searchsorted(quotes, positions) & 1) == 0]

    ends = outside(breaks)
    start = np.concatenate(([0], ends + 1))
    stop = np.concatenate((ends, [size]))
    if size and start[-1] == size:  # the file ends with a line break
        start, stop = start[:-1], stop[:-1]
    stop = stop - ((stop > start) & (buf[np.maximum(stop - 1, 0)] == CARRIAGE_RETURN) & (stop < size))
    length = stop - start
    delimiters = outside(np.flatnonzero(buf == ord(dialect.delimiter)))
    cells = np.searchsorted(delimiters, stop) - np.searchsorted(delimiters, start) + 1
    start_line = np.searchsorted(breaks, start) + 1
    return Records(start, start_line, length == 0, cells, length)


def _records_by_csv_module(data: bytes, dialect: Dialect) -> Records:
    """The slow path, with the csv module's reading of every quote."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote)
    offsets = _line_offsets(text)
    starts, lines, blank, cells, lengths, line = [], [], [], [], [], 1
    for row in reader:
        begin = offsets[line - 1]
        starts.append(begin)
        lines.append(line)
        blank.append(not row)
        cells.append(len(row))
        line = reader.line_num + 1
        lengths.append(offsets[min(line - 1, len(offsets) - 1)] - begin)
    return Records(np.array(starts, dtype=np.int64), np.array(lines, dtype=np.int64), np.array(blank, dtype=bool),
                   np.array(cells, dtype=np.int64), np.array(lengths, dtype=np.int64))


def _line_offsets(text: str) -> list[int]:
    """Byte offset of the start of every physical line (plus the end)."""
    offsets, position = [0], 0
    for line in text.splitlines(keepends=True):
        position += len(line.encode("utf-8"))
        offsets.append(position)
    return offsets


def header(data: bytes, record_map: Records, dialect: Dialect) -> list[str]:
    if not len(record_map.start):
        return []
    first = data[: int(record_map.start[0] + record_map.length[0])]
    text = first.decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote), [])


def read_cells(data: bytes, record_map: Records, columns: int, dialect: Dialect) -> pa.Table:
    """Every data cell as text ("" when empty), columns named c0, c1, ...
    Rows with the wrong number of cells and empty lines are left out; the
    structural checks report them."""
    names = [f"c{i}" for i in range(columns)]
    if columns == 0 or len(record_map.start) < 2:
        return pa.table({name: pa.array([], pa.string()) for name in names})
    body = pa.py_buffer(data)[int(record_map.start[1]):]
    longest = int(record_map.length.max()) + 2
    table = pacsv.read_csv(
        pa.BufferReader(body),
        read_options=pacsv.ReadOptions(column_names=names, block_size=max(1 << 22, longest * 2)),
        parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, quote_char=dialect.quote,
                                         newlines_in_values=True, invalid_row_handler=lambda row: "skip"),
        convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return table.combine_chunks()
