"""Reading a resource CSV once: the physical line of every record, and every
cell as Arrow text.

Record boundaries are found on the raw bytes with numpy, from the positions
of quotes, line breaks and delimiters only (never an array per byte of the
file wider than a byte): a line break ends a record when an even number of
quotes precede it. LF, CRLF and a lone CR all end a line, as they do for
Python's csv module and for Arrow. When a quote stands inside a cell (which
the csv module reads as a literal character but which would flip the parity)
the csv module maps the records instead.

Most files need no map at all: `read_plain` parses them with Arrow alone and
places each row by counting the line breaks inside the cells before it, and
declines (so that the map is built) as soon as the file has anything that
counting cannot place: an empty line, a row with the wrong number of cells,
a header over several lines, or a record longer than a parse block. What
that count needs (and whether the file is UTF-8 without NUL bytes) comes
from `scan`, one pass a piece at a time, so that a plain file is parsed
straight from disk and its bytes are never held whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from datapackage.read.encoding import character_boundary, is_utf8

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
    """A quote the csv module reads as text, which counting quotes would
    take for one that opens or closes a cell: one with ordinary text on
    both sides (`ab"cd`), or one that would open a cell (every other quote
    from the first) after ordinary text rather than at the start of a cell
    (`x"` after a quoted cell that went on unquoted, `"a"x"`, or ` "`)."""
    inner = quotes[(quotes > 0) & (quotes < len(buf) - 1)]

    def ordinary(characters):
        return ((characters != ord(dialect.delimiter)) & (characters != NEWLINE)
                & (characters != CARRIAGE_RETURN) & (characters != ord(dialect.quote)))

    opening = quotes[::2]
    opening = opening[opening > 0]
    return bool(np.any(ordinary(buf[inner - 1]) & ordinary(buf[inner + 1])) or np.any(ordinary(buf[opening - 1])))


def _records_by_bytes(buf: np.ndarray, quotes: np.ndarray, dialect: Dialect) -> Records:
    size = len(buf)
    if not size:  # an empty file has no record, not one empty record
        none = np.zeros(0, dtype=np.int64)
        return Records(none, none, none.astype(bool), none, none)
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
        end = offsets[min(line - 1, len(offsets) - 1)]
        end -= 2 if data[end - 2:end] == b"\r\n" else data[end - 1:end] in (b"\n", b"\r")  # its line ending
        lengths.append(max(end - begin, 0))
    if starts and _quote_left_open(data[starts[-1]:], dialect):  # the last line break is in the cell
        lengths[-1] = len(data) - starts[-1]
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
    return stripped_labels(next(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter,
                                   quotechar=dialect.quote), []))


def stripped_labels(cells: list[str]) -> list[str]:
    """Header labels without the spaces around them, as Frictionless reads
    them: `name ` is the column `name`, a label of spaces is none."""
    return [cell.strip() for cell in cells]


def read_cells(data: bytes, record_map: Records, columns: int, dialect: Dialect) -> pa.Table:
    """Every data cell as text ("" when empty), columns named c0, c1, ...
    Rows with the wrong number of cells and empty lines are left out; the
    structural checks report them."""
    names = [f"c{i}" for i in range(columns)]
    if columns == 0 or len(record_map.start) < 2:
        return pa.table({name: pa.array([], pa.string()) for name in names})
    longest = int(record_map.length.max()) + 2
    return _parse(data, int(record_map.start[1]), columns, dialect, max(1 << 22, longest * 2), lambda row: "skip")


def _parse(source: bytes | Path, start: int, columns: int, dialect: Dialect, block: int, invalid,
           utf8: bool = False) -> pa.Table:
    """Cells from byte `start` of the bytes or file on, all as text;
    `invalid(row)` decides about a row with the wrong number of cells.
    `utf8`: the whole input is known to be UTF-8 (see `_options`)."""
    if isinstance(source, bytes):
        stream = pa.BufferReader(pa.py_buffer(source)[start:])
    else:
        stream = pa.input_stream(str(source))
        stream.read(start)
    table = pacsv.read_csv(stream, **_options(columns, dialect, block, invalid, utf8=utf8))
    return table  # in blocks as parsed: joining them would copy every cell once more


def _options(columns: int, dialect: Dialect, block: int, invalid, threads: bool = True, utf8: bool = False) -> dict:
    """`utf8`: the whole input is known to be UTF-8 (the scan checked every
    byte), so Arrow need not check each cell again (a fifth of the parse):
    a cell cut from valid UTF-8 at ASCII delimiters, quotes and line breaks
    is valid UTF-8 itself."""
    names = [f"c{i}" for i in range(columns)]
    return dict(
        read_options=pacsv.ReadOptions(column_names=names, block_size=block, use_threads=threads),
        parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, quote_char=dialect.quote,
                                         newlines_in_values=True, invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, check_utf8=not utf8,
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )


PLAIN_BLOCK = 1 << 24  # bytes per parse block: any record up to 8 MB parses
PLAIN_PIECE = 1 << 26  # bytes of the file per piece that `plain_pieces` gives
PIECE = 1 << 22  # bytes read at a time by `scan`: small enough for the allocator to reuse


@dataclass
class Scan:
    """What one pass over a file's bytes, a piece at a time, finds: a large
    file is then parsed straight from disk, never held whole as bytes."""

    clean: bool  # UTF-8 throughout and no NUL byte
    line_breaks: int  # LF, CRLF and lone CR, one each
    head: bytes  # the first line, without its line break
    body: int  # where the second line starts; -1 when there is no line break
    ends_with_break: bool


def file_pieces(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while piece := file.read(PIECE):
            yield piece


def scan(pieces: Iterable[bytes]) -> Scan:
    clean, breaks, carry, head, body, first, offset, last = True, 0, b"", bytearray(), -1, -1, 0, b""
    for piece in pieces:
        if clean:
            text = carry + piece
            cut = character_boundary(text)
            clean, carry = is_utf8(text[:cut]) and b"\x00" not in piece, text[cut:]
        breaks += _line_breaks(piece) - (last == b"\r" and piece[:1] == b"\n")  # a CRLF cut in two
        if first < 0:
            found = [i for i in (piece.find(b"\n"), piece.find(b"\r")) if i >= 0]
            head += piece[:min(found, default=len(piece))]
            if found:
                first = offset + min(found)
                if min(found) + 1 < len(piece) or piece[min(found)] == NEWLINE:
                    body = first + (2 if piece[min(found):min(found) + 2] == b"\r\n" else 1)
        elif body < 0:  # the first line ended with a CR, the last byte of the piece before
            body = first + (2 if piece[:1] == b"\n" else 1)
        offset, last = offset + len(piece), piece[-1:]
    if first >= 0 and body < 0:  # the file ends with its first CR
        body = first + 1
    return Scan(clean and not carry, breaks, bytes(head), body, last in (b"\n", b"\r"))


SAMPLE_LINES, SAMPLE_BYTES = 100, 1 << 15


def sample_lines(path: Path) -> str:
    """The first lines of a file, as Frictionless gives them to
    `csv.Sniffer` (100 lines), at most 32 KB of them: the sniffer's
    searches grow with the square of a line's length (1.4 s for 32 KB of
    quotes that never close, 13 s for 64 KB)."""
    with open(path, "rb") as file:
        head = file.read(SAMPLE_BYTES)
    text = head.decode("utf-8-sig", errors="ignore")
    return "".join(io.StringIO(text, newline="").readlines()[:SAMPLE_LINES])


def _pieces(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), PIECE):
        yield data[start:start + PIECE]


def read_plain(source: bytes | Path, dialect: Dialect, facts: Scan | None = None
               ) -> tuple[list[str], pa.Table, np.ndarray] | None:
    """The header, every cell as text and the physical line of every row of
    a file without empty lines or ragged rows, in one Arrow pass; None when
    the file needs the record map. `source` is the file's bytes or its path
    (then `facts`, its scan, may be given)."""
    facts = facts or scan(_pieces(source) if isinstance(source, bytes) else file_pieces(source))
    labels = plain_labels(facts, dialect)
    if not labels:
        return None
    declined = []
    try:
        cells = _parse(source, facts.body, len(labels), dialect, PLAIN_BLOCK,
                       lambda row: declined.append(row) or "skip", utf8=facts.clean)
    except pa.ArrowInvalid:  # a record longer than a block
        return None
    if declined or not cells.num_rows or _last_cell_spans_lines(cells) \
            or (not facts.ends_with_break and dialect.quote.encode() in _last_line(source)):
        return None
    unterminated = not facts.ends_with_break
    if facts.line_breaks != 1 + cells.num_rows - unterminated:
        inner = _breaks_in_cells(cells)
    else:
        inner = np.zeros(cells.num_rows, int)
    if facts.line_breaks != 1 + cells.num_rows + int(inner.sum()) - unterminated:
        return None  # empty lines, which Arrow skips
    lines = 2 + np.arange(cells.num_rows) + np.concatenate(([0], np.cumsum(inner)[:-1]))
    return labels, cells, lines


def plain_labels(facts: Scan, dialect: Dialect) -> list[str]:
    """The header of a file whose first line is a whole record; [] when it
    is not (or there is no second line)."""
    if facts.body < 0 or facts.head.count(dialect.quote.encode()) % 2:
        return []
    return stripped_labels(next(csv.reader(io.StringIO(facts.head.decode("utf-8-sig"), newline=""),
                                   delimiter=dialect.delimiter, quotechar=dialect.quote), []))


class NotPlain(Exception):
    """The file needs the record map: what `plain_pieces` gave is void."""


def plain_pieces(path: Path, dialect: Dialect, facts: Scan, columns: int) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """What `read_plain` reads, about PLAIN_PIECE bytes of rows at a time:
    cells as text and the physical line of each row. Each piece is cut at
    a line break outside quotes and parsed on its own (Arrow's streaming
    reader reads ahead as far as it can, so it would hold the file). Only
    the last step can tell whether the file had empty lines (from the count
    of line breaks) or a quote left open at its end, so NotPlain may be
    raised after every piece was given."""
    quote, line, start, size = dialect.quote.encode(), 2, facts.body, PLAIN_PIECE
    # One buffer read into again and again: Arrow copies the cells out of
    # it, and a fresh 64 MB of memory per piece costs the kernel as much
    # time zeroing it as reading the file.
    buffer = bytearray()
    with open(path, "rb") as file:
        while True:
            if len(buffer) < size:
                buffer = bytearray(size)
            file.seek(start)
            got = file.readinto(memoryview(buffer)[:size])
            last = got < size
            cut = got if last else _record_end(buffer, quote, got)
            if cut:
                cells, lines, line = _plain_piece(pa.py_buffer(buffer)[:cut], columns, dialect, line, facts.clean)
                # What counts is the last piece's (see read_plain).
                spans = _last_cell_spans_lines(cells) or (
                    last and not facts.ends_with_break and quote in buffer[_line_start(buffer, got):got])
                yield cells, lines
                del cells, lines
                start, size = start + cut, PLAIN_PIECE
            else:  # no record ends in it: read more at once
                size *= 2
            if last:
                break
    if line == 2 or facts.line_breaks != line - 1 - (not facts.ends_with_break):
        raise NotPlain  # no rows, or empty lines, which Arrow skips
    if spans:
        raise NotPlain


def _record_end(data: bytes | bytearray, quote: bytes, end: int) -> int:
    """Where the last record that ends with a line feed in `data[:end]` ends
    (0 when none does): after the last LF with an even count of quotes
    before it. Walking back, each byte's quotes are counted once."""
    total, after = data.count(quote, 0, end), 0
    while (at := data.rfind(b"\n", 0, end)) >= 0:
        after += data.count(quote, at, end)
        if (total - after) % 2 == 0:
            return at + 1
        end = at
    return 0


def _plain_piece(data: pa.Buffer, columns: int, dialect: Dialect, line: int, utf8: bool
                 ) -> tuple[pa.Table, np.ndarray, int]:
    """The cells of whole records parsed on their own, the line of each row,
    and the line after them; NotPlain when a row had the wrong width or the
    cut was inside quotes after all (a quote inside a cell that was not
    quoted, which Arrow keeps as it is, throws the count of quotes off)."""
    declined = []
    try:
        # One thread: a piece is parsed while the one before is typed and
        # checked on the other core, and more threads only wait on each other.
        cells = pacsv.read_csv(pa.BufferReader(data), **_options(
            columns, dialect, PLAIN_BLOCK, lambda row: declined.append(row) or "skip", threads=False, utf8=utf8))
    except pa.ArrowInvalid as error:  # a record longer than a block
        raise NotPlain from error
    # Arrow ends a quoted cell left open at the end of its input there: the
    # last cell then holds the line break the piece was cut after.
    if declined or not cells.num_rows or _open_at_end(cells):
        raise NotPlain
    lines, after = _placed(cells, line)
    return cells, lines, after


def _last_cell_spans_lines(cells: pa.Table) -> bool:
    """The file's last cell holds a line break. Arrow ends a quote left open
    at the end of the file there, so the lines after the quote may have been
    read into the cell: the record map decides (see `open_quote_at_end`)."""
    last = cells.column(cells.num_columns - 1)[-1].as_py() or ""
    return "\n" in last or "\r" in last


def _last_line(source: bytes | Path) -> bytes:
    """The file's last line, of a file that does not end with a line break: a
    quote in it may be one left open, which Arrow ends at the end of the file."""
    if isinstance(source, bytes):
        return source[_line_start(source):]
    with open(source, "rb") as file:
        end = file.seek(0, 2)
        size = min(end, 1 << 16)
        while True:  # back a piece at a time until a line break or the file's start
            file.seek(end - size)
            tail = file.read(size)
            if _line_start(tail) or size == end:
                return tail[_line_start(tail):]
            size = min(end, size * 4)


def _line_start(data: bytes | bytearray, end: int | None = None) -> int:
    """Where the last line of `data[:end]` starts."""
    return max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end)) + 1


def open_quote_at_end(data: bytes, record_map: Records, dialect: Dialect) -> bool:
    """The last record opens a quote that the file never closes. Python's csv
    module and Arrow read everything after it into one cell without a word;
    its strict mode is what tells (only this record is read again)."""
    return bool(len(record_map.start)) and _quote_left_open(data[int(record_map.start[-1]):], dialect)


def _quote_left_open(tail: bytes, dialect: Dialect) -> bool:
    """Whether the records of `tail` end inside a quote, which the csv
    module ends quietly with the text. A closing quote, a delimiter and a
    cell written after them then only add that cell to the last row; in any
    other state they change the last cell or start a row (strict mode would
    tell too, but stops first at any quote it finds out of place)."""
    if dialect.quote.encode() not in tail:
        return False
    text = tail.decode("utf-8", errors="replace")

    def rows(text: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote))

    as_is, closed = rows(text), rows(text + dialect.quote + dialect.delimiter + "x")
    return bool(as_is) and closed == as_is[:-1] + [as_is[-1] + ["x"]]


def _open_at_end(cells: pa.Table) -> bool:
    last = cells.column(cells.num_columns - 1)[-1].as_py() or ""
    return last.endswith(("\n", "\r"))


def _placed(cells: pa.Table, line: int) -> tuple[np.ndarray, int]:
    """The line of each row of `cells`, the first at `line`, and the line
    after the last."""
    inner = _breaks_in_cells(cells)
    lines = line + np.arange(cells.num_rows) + np.concatenate(([0], np.cumsum(inner)[:-1]))
    return lines, line + cells.num_rows + int(inner.sum())


def _line_breaks(data: bytes) -> int:
    """LF, CRLF and lone CR in `data`, one each."""
    buf = np.frombuffer(data, dtype=np.uint8)
    feeds = int(np.count_nonzero(buf == NEWLINE))
    returns = int(np.count_nonzero(buf == CARRIAGE_RETURN))
    return feeds + returns - (data.count(b"\r\n") if returns else 0)


def _breaks_in_cells(cells: pa.Table) -> np.ndarray:
    """Line breaks (LF, CRLF or a lone CR: one each) inside the cells of each
    row, found in each column's character buffer and placed by its offsets."""
    counts = np.zeros(cells.num_rows, dtype=np.int64)
    for column in cells.columns:
        for chunk_start, chunk in zip(np.cumsum([0] + [len(c) for c in column.chunks]), column.chunks):
            counts[chunk_start:chunk_start + len(chunk)] += _breaks_in_strings(chunk)
    return counts


def _breaks_in_strings(array: pa.Array) -> np.ndarray:
    _, offsets, characters = array.buffers()
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=width)[array.offset:array.offset + len(array) + 1]
    text = np.frombuffer(characters, dtype=np.uint8) if characters is not None else np.zeros(0, np.uint8)
    text, offsets = text[offsets[0]:offsets[-1]], offsets - offsets[0]  # a slice's own characters only
    feeds, returns = np.flatnonzero(text == NEWLINE), np.flatnonzero(text == CARRIAGE_RETURN)
    if not len(feeds) and not len(returns):
        return np.zeros(len(array), dtype=np.int64)

    def row(positions):
        return np.searchsorted(offsets, positions, side="right") - 1

    following = returns[returns + 1 < len(text)] + 1
    pairs = following[(text[following] == NEWLINE) & (row(following) == row(following - 1))]
    found = np.bincount(row(feeds), minlength=len(array)) + np.bincount(row(returns), minlength=len(array))
    return found[:len(array)] - np.bincount(row(pairs), minlength=len(array))[:len(array)]
