"""The one-pass reading of plain files agrees with the record map, and
declines every file that only the map can place."""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datapackage.read.csvfile import Dialect, header, open_quote_at_end, read_cells, read_plain, records

DIALECT = Dialect()
CELL = st.lists(st.sampled_from(list('ab ,"\n\rəж') + ["\r\n"]), max_size=6).map("".join)


def written(rows: list[list[str]], terminator: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=terminator).writerows(rows)
    return out.getvalue().encode("utf-8")


def mapped(data: bytes):
    """What the record map says: header, cells and lines of the data rows."""
    record_map = records(data, DIALECT)
    labels = header(data, record_map, DIALECT)
    cells = read_cells(data, record_map, len(labels), DIALECT)
    return labels, cells, record_map.start_line[record_map.data_records(len(labels))]


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=12),
       terminator=st.sampled_from(["\n", "\r\n", "\r"]), ends=st.booleans())
def test_plain_files_read_as_the_record_map_reads_them(rows, terminator, ends):
    data = written([["id", "name", "note"]] + rows, terminator)
    if not ends:
        data = data[: -len(terminator)]
    plain = read_plain(data, DIALECT)
    expected = mapped(data)
    assert not open_quote_at_end(data, records(data, DIALECT), DIALECT)  # written by csv: every quote closed
    if plain is None:  # declined only where the map finds an empty line or a ragged row, or where the
        # last cell holds a line break (as when a quote left open swallows the lines after it)
        record_map = records(data, DIALECT)
        spans = any(end in rows[-1][-1] for end in "\r\n")
        quoted_last = not ends and b'"' in data.splitlines()[-1]  # maybe a quote left open
        assert (record_map.blank | (record_map.cells != 3)).any() or spans or quoted_last
        return
    labels, cells, lines = plain
    assert labels == expected[0]
    assert cells.to_pylist() == expected[1].to_pylist()
    assert lines.tolist() == expected[2].tolist()


def test_lines_count_the_breaks_inside_cells():
    data = b'id,note\n1,"two\nlines"\n2,"three\r\nmore\rlines"\n3,plain\n'
    labels, cells, lines = read_plain(data, DIALECT)
    assert labels == ["id", "note"]
    assert lines.tolist() == [2, 4, 7]
    assert cells.column("c1").to_pylist()[1] == "three\r\nmore\rlines"


def test_files_that_need_the_record_map_are_declined():
    assert read_plain(b"id,note\n1,a\n\n2,b\n", DIALECT) is None  # an empty line
    assert read_plain(b"id,note\n1,a,extra\n2,b\n", DIALECT) is None  # a ragged row
    assert read_plain(b'id,"two\nline header"\n1,a\n', DIALECT) is None  # a header over two lines
    assert read_plain(b"id,note\n", DIALECT) is None  # no rows
    assert read_plain(b"id,note", DIALECT) is None  # no line break at all


def test_a_record_longer_than_a_block_is_declined(monkeypatch):
    import datapackage.read.csvfile as csvfile

    monkeypatch.setattr(csvfile, "PLAIN_BLOCK", 64)
    data = b"id,note\n1," + b"x" * 200 + b"\n2,b\n"
    assert read_plain(data, DIALECT) is None
    assert np.array_equal(mapped(data)[2], [2, 3])


BYTES = st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"\r", b"\r\n", "ə".encode(), "€".encode(), "😀".encode(),
                                  b"\x00", b"\xff", "ə".encode()[:1]]), max_size=24).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(data=BYTES, piece=st.integers(min_value=1, max_value=7))
def test_a_file_scanned_in_pieces_reads_as_it_does_whole(data, piece):
    """Pieces may cut a CRLF or a character in two; the scan must not notice."""
    from datapackage.read.csvfile import scan

    def decodes(raw):
        try:
            raw.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False

    pieces = [data[i:i + piece] for i in range(0, len(data), piece)]
    facts = scan(pieces)
    assert facts.clean == (decodes(data) and b"\x00" not in data)
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    assert facts.line_breaks == text.count(b"\n")
    first = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=-1)
    assert facts.head == (data if first < 0 else data[:first])
    assert facts.body == (-1 if first < 0 else first + (2 if data[first:first + 2] == b"\r\n" else 1))
    assert facts.ends_with_break == data.endswith((b"\n", b"\r"))


def test_a_file_is_parsed_from_disk_as_from_its_bytes(tmp_path):
    data = written([["id", "note"], ["1", "two\r\nlines"], ["2", "ə"]], "\r\n")
    (tmp_path / "t.csv").write_bytes(data)
    from_disk, from_bytes = read_plain(tmp_path / "t.csv", DIALECT), read_plain(data, DIALECT)
    assert from_disk[0] == from_bytes[0] == ["id", "note"]
    assert from_disk[1].to_pylist() == from_bytes[1].to_pylist()
    assert from_disk[2].tolist() == from_bytes[2].tolist() == [2, 4]


# Any text of quotes, commas, line breaks and letters: quotes after text, after a quoted cell
# that goes on unquoted (`"a"x"`), after a space, left open.
ANY_TEXT = st.lists(st.sampled_from(list('ab ,"\n\r') + ["\r\n", '""']), max_size=40).map("".join)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(text=ANY_TEXT)
def test_the_record_map_places_records_as_the_csv_module_reads_them(text):
    record_map = records(text.encode("utf-8"), DIALECT)
    reader = csv.reader(io.StringIO(text, newline=""))
    cells, lines, line = [], [], 1
    for row in reader:
        cells.append(len(row))
        lines.append(line)
        line = reader.line_num + 1
    assert [0 if blank else count for blank, count in zip(record_map.blank, record_map.cells)] == cells
    assert record_map.start_line.tolist() == lines


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(text=ANY_TEXT)
def test_a_record_s_length_leaves_out_its_line_ending(text):
    data = text.encode("utf-8")
    record_map = records(data, DIALECT)
    for start, length in zip(record_map.start, record_map.length):
        record = data[start:start + length]
        following = data[start + length:start + length + 1]
        assert following in (b"", b"\n", b"\r")
        assert not record.endswith((b"\n", b"\r")) or not following  # but in a quote left open at the end


@pytest.mark.parametrize("text, left_open", [
    ('id,note\n1,"two\n', True), ('id,note\n1,"two', True), ('id,note\n1,"tw""', True),
    ('id,note\n""a,"b\n\n', True),  # a quote out of place before it: strict reading stops there
    ('id,note\n1,"two"\n', False), ('id,note\n1,"tw"""', False), ('id,note\n1,t"w\n', False), ('id,note\n1,\n', False),
])
def test_a_quote_left_open_at_the_end_is_told_from_one_closed(text, left_open):
    data = text.encode("utf-8")
    assert open_quote_at_end(data, records(data, DIALECT), DIALECT) is left_open
