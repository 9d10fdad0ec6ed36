"""The one-pass reading of plain files agrees with the record map, and
declines every file that only the map can place."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from datapackage.csvfile import Dialect, header, read_cells, read_plain, records

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
    if plain is None:  # declined only where the map finds an empty line or a ragged row
        record_map = records(data, DIALECT)
        assert (record_map.blank | (record_map.cells != 3)).any()
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
    import datapackage.csvfile as csvfile

    monkeypatch.setattr(csvfile, "PLAIN_BLOCK", 64)
    data = b"id,note\n1," + b"x" * 200 + b"\n2,b\n"
    assert read_plain(data, DIALECT) is None
    assert np.array_equal(mapped(data)[2], [2, 3])
