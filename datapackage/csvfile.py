"""Reading a resource CSV: UTF-8 check, physical line of every record, and
a DataFrame of its cells as text.

Record boundaries are found on the raw bytes with numpy: a newline ends a
record only when an even number of quote characters precede it (an escaped
quote "" adds two). This gives the physical line of each record even after
quoted cells that span lines and with CRLF endings, without a Python loop.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

QUOTE, NEWLINE, CARRIAGE_RETURN, COMMA = 34, 10, 13, 44


@dataclass
class Records:
    """One entry per record of the file, header included (record 0)."""

    start_line: np.ndarray  # 1-based physical line where the record starts
    blank: np.ndarray  # the record is an empty line
    cells: np.ndarray  # number of cells in the record

    def line_of_record(self, number: int) -> int:
        """Physical line of a 1-based record number (header = 1, blank lines counted)."""
        return int(self.start_line[number - 1])

    def data_lines(self, columns: int) -> np.ndarray:
        """Physical lines of the rows that parse into a table of `columns` cells."""
        keep = ~self.blank & (self.cells == columns)
        keep[0] = False
        return self.start_line[keep]


# A quote with ordinary text on both sides is literal to Python's csv module
# (and so to Frictionless) but would flip the quote parity below.
STRAY_QUOTE = re.compile(rb'[^,\n"]"[^,\r\n"]')


def records(data: bytes) -> Records:
    if STRAY_QUOTE.search(data):
        return _records_by_csv_module(data)
    return _records_by_bytes(data)


def _records_by_csv_module(data: bytes) -> Records:
    """The slow path, with the csv module's reading of every quote."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    starts, blank, cells, line = [], [], [], 1
    for row in reader:
        starts.append(line)
        blank.append(not row)
        cells.append(len(row))
        line = reader.line_num + 1
    return Records(np.array(starts), np.array(blank, dtype=bool), np.array(cells))


def _records_by_bytes(data: bytes) -> Records:
    buf = np.frombuffer(data, dtype=np.uint8)
    outside = (np.cumsum(buf == QUOTE) & 1) == 0
    newlines = np.flatnonzero(buf == NEWLINE)
    ends = np.flatnonzero((buf == NEWLINE) & outside)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    if len(buf) and starts[-1] == len(buf):  # the file ends with a newline
        starts, stops = starts[:-1], stops[:-1]
    length = stops - starts
    last = np.where(length > 0, buf[np.maximum(stops - 1, 0)], 0) if len(buf) else length
    blank = (length == 0) | ((length == 1) & (last == CARRIAGE_RETURN))
    commas = np.concatenate(([0], np.cumsum((buf == COMMA) & outside)))
    cells = commas[stops] - commas[starts] + 1
    start_line = np.searchsorted(newlines, starts) + 1
    return Records(start_line, blank, cells)


def header(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)), [])


def read_table(data: bytes, columns: list[str]) -> pd.DataFrame:
    """Every cell as text, an empty cell as "". Rows with the wrong number of
    cells are skipped here; the structural pass reports them."""
    if not columns:
        return pd.DataFrame()
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(use_threads=False),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True, invalid_row_handler=lambda row: "skip"
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in columns},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    frame = pd.DataFrame(
        {name: table.column(i).to_numpy(zero_copy_only=False) for i, name in enumerate(table.column_names)}
    )
    return frame.astype(object)
