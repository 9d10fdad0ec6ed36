"""A large table is validated a piece at a time, so its text is never held
whole: the findings, the rows kept and their lines are exactly those of the
table read whole, and a file that needs the record map is read whole."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import datapackage.read.csvfile as csvfile
import datapackage.read.table as table_module
from test_bad_inputs import CASES as BAD_INPUTS, append, first, victim
from datapackage.validate.check import Checked, check


def both_ways(descriptor: Path, monkeypatch) -> tuple[Checked, Checked, Counter]:
    """Validated with every table read in pieces of a few rows where it can
    be, and with every table read whole; and how many pieces each file gave."""
    pieces = Counter()

    def counted(path, *args):
        for item in csvfile.plain_pieces(path, *args):
            pieces[Path(path).name] += 1
            yield item

    with monkeypatch.context() as patch:
        patch.setattr(table_module, "PIECE_BYTES", 0)
        patch.setattr(csvfile, "PLAIN_PIECE", 8192)  # a few rows per piece
        patch.setattr(table_module, "plain_pieces", counted)
        piecewise = check(descriptor, lean=True)
    with monkeypatch.context() as patch:
        patch.setattr(table_module, "PIECE_BYTES", 1 << 40)
        whole = check(descriptor, lean=True)
    return piecewise, whole, pieces


def assert_same(piecewise: Checked, whole: Checked) -> None:
    assert piecewise.findings == whole.findings
    assert piecewise.tables.keys() == whole.tables.keys()
    for name, table in piecewise.tables.items():
        assert table.frame.equals(whole.tables[name].frame), name
        assert table.written.equals(whole.tables[name].written), name
        assert np.array_equal(table.lines, whole.tables[name].lines), name


# The cell checks, made a piece at a time, and what the pieces are cut from.
IN_PIECES = [m for m in BAD_INPUTS if m.__name__ in {
    "misspelt_rank", "duplicate_id", "impossible_date", "multiline_cell_before_error", "crlf_line_endings",
    "unclosed_quote"}]


@pytest.mark.parametrize("mutate", IN_PIECES, ids=[c.__name__ for c in IN_PIECES])
def test_pieces_find_what_the_whole_table_finds(package, mutate, monkeypatch):
    mutate(package)
    piecewise, whole, pieces = both_ways(package / "datapackage.json", monkeypatch)
    assert_same(piecewise, whole)
    assert any(f.severity == "error" for f in whole.findings)
    assert any(t.checked is not None for t in piecewise.tables.values())  # some table was read in pieces


def test_a_repeat_in_a_later_piece_names_the_line_of_the_first(package, monkeypatch):
    repeated = first(package, "victims", "victim_id")
    append(package, "victims", victim(package, what="Over\nthree\nlines."))
    line = append(package, "victims", victim(package, victim_id=repeated))
    piecewise, whole, pieces = both_ways(package / "datapackage.json", monkeypatch)
    assert pieces["victims.csv"] > 2 and piecewise.tables["victims"].checked is not None
    assert_same(piecewise, whole)
    [repeat] = [f for f in piecewise.findings if f.check == "unique"]
    assert (repeat.line, repeat.field) == (line, "victim_id") and "line 2" in repeat.message


def insert_before_two_rows(package: Path, text: str) -> int:
    """Two rows of one physical line each appended to victims.csv, with
    `text` before them; its line."""
    append(package, "victims", victim(package, victim_id="v-901"), victim(package, victim_id="v-902"))
    path = package / "seeds" / "victims.csv"
    rows = path.read_bytes().split(b"\n")  # the two appended rows, then the empty rest
    path.write_bytes(b"\n".join(rows[:-3] + [text.encode()] + rows[-3:]))
    return len(rows) - 2


def test_a_row_of_empty_cells_is_found_in_its_piece(package, monkeypatch):
    columns = len(victim(package))
    line = insert_before_two_rows(package, "," * (columns - 1))
    piecewise, whole, _ = both_ways(package / "datapackage.json", monkeypatch)
    assert piecewise.tables["victims"].checked is not None
    assert_same(piecewise, whole)
    assert ("seeds/victims.csv", line) in {(f.path, f.line) for f in piecewise.findings if f.check == "blank-row"}


@pytest.mark.parametrize("odd_line", ["", "a,b"], ids=["empty line", "short row"])
def test_a_file_that_needs_the_record_map_is_read_whole(package, monkeypatch, odd_line):
    line = insert_before_two_rows(package, odd_line)
    piecewise, whole, _ = both_ways(package / "datapackage.json", monkeypatch)
    assert piecewise.tables["victims"].checked is None  # any piece given was thrown away
    assert_same(piecewise, whole)
    assert any(f.path == "seeds/victims.csv" and f.line == line for f in piecewise.findings)


def test_a_quote_inside_a_plain_cell_does_not_cut_a_record_in_two(package, monkeypatch):
    """Pieces are cut where the count of quotes before is even; a quote in a
    cell that is not quoted throws the count off, so the count would cut a
    quoted cell that follows in two: that piece is seen to end inside quotes
    and the file is read whole."""
    path = package / "seeds" / "victims.csv"
    stray = victim(package, victim_id="v-901", name='Test "Person')
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write(",".join(stray) + "\n")
    # Last in its row, and each of its lines as wide as a row: were it cut
    # in two, the cells of neither piece would look amiss; and with an empty
    # line in it, which Arrow would skip there, not even the count of lines.
    wide = ",".join(["x"] * len(stray))
    lines = "\n".join([wide] * 999) + "\n\n" + wide
    append(package, "victims", victim(package, victim_id="v-902")[:-1] + [lines])
    piecewise, whole, pieces = both_ways(package / "datapackage.json", monkeypatch)
    assert pieces["victims.csv"] > 1
    assert piecewise.tables["victims"].checked is None
    assert_same(piecewise, whole)


def test_a_record_longer_than_a_piece_is_read_whole_into_one_piece(package, monkeypatch):
    """A piece with no record end in it is read again, twice as large; and
    the cells of the pieces before keep their text when the next piece is
    read into the same memory."""
    long_text = "Told at length. " * 2000  # 32,000 bytes: four pieces of 8 KB
    append(package, "victims", victim(package, victim_id="v-901"),
           victim(package, victim_id="v-902")[:-1] + [long_text], victim(package, victim_id="v-903"))
    piecewise, whole, pieces = both_ways(package / "datapackage.json", monkeypatch)
    assert pieces["victims.csv"] > 2 and piecewise.tables["victims"].checked is not None
    assert_same(piecewise, whole)


def test_datetimes_with_and_without_a_zone_are_found_across_pieces(tmp_path, monkeypatch):
    """The first datetimes name their zone, those many pieces later do not."""
    import json

    rows = [f"{n},2017-05-13T10:00:00{'Z' if n < 500 else ''}" for n in range(1000)]
    (tmp_path / "times.csv").write_text("id,at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "at", "type": "datetime"}], "primaryKey": "id"}
    (tmp_path / "datapackage.json").write_text(json.dumps(
        {"name": "times", "resources": [{"name": "times", "path": "times.csv", "schema": schema}]}), encoding="utf-8")
    piecewise, whole, pieces = both_ways(tmp_path / "datapackage.json", monkeypatch)
    assert pieces["times.csv"] > 2
    assert_same(piecewise, whole)
    assert [(f.line, f.check) for f in whole.findings][:2] == [(502, "datetime-zone"), (503, "datetime-zone")]
    assert len(whole.findings) == 500
