"""Publishing keeps each typed table on disk between validation and the
writers (see `datapackage.read.stored`): however the rows are cut into stored
parts and read pieces, and wherever withheld rows fall among them, the
release is the same bytes, and no store is left behind."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

import datapackage.read.csvfile as csvfile
import datapackage.read.stored as stored
import datapackage.read.table as table_module
from datapackage.publish.build import publish


def withhold(package: Path, rows: list[int]) -> None:
    """Marks the people on these data rows of victims.csv as withheld, and
    every row that names them (their deaths, their trials)."""
    people = set()
    for path in [package / "seeds" / "victims.csv", *sorted((package / "seeds").glob("*.csv"))]:
        records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = records[0]
        if "victim_id" not in header or "visibility" not in header:
            continue
        for number, record in enumerate(records[1:]):
            if (path.name == "victims.csv" and number in rows) or record[header.index("victim_id")] in people:
                people.add(record[header.index("victim_id")])
                record[header.index("visibility")] = "withheld"
                record[header.index("withheld_reason")] = "living witness, no consent"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(records)
        path.write_text(out.getvalue(), encoding="utf-8")


def release_files(out: Path) -> dict[str, bytes]:
    root = Path(os.path.realpath(out))
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_release_is_the_same_bytes_however_its_tables_are_stored(package, tmp_path, monkeypatch):
    withhold(package, [2, 9])
    publish(package / "datapackage.json", tmp_path / "whole")
    with monkeypatch.context() as patch:
        patch.setattr(stored, "PART_ROWS", 7)  # parts that do not line up with the writers' slices
        patch.setattr(table_module, "PIECE_BYTES", 0)  # every plain file read in pieces
        patch.setattr(csvfile, "PLAIN_PIECE", 8192)
        publish(package / "datapackage.json", tmp_path / "parts")
    whole, parts = release_files(tmp_path / "whole"), release_files(tmp_path / "parts")
    assert whole.keys() == parts.keys()
    assert [name for name in whole if whole[name] != parts[name]] == []
    assert b"living witness, no consent" not in whole["csv/victims.csv"]  # the withheld rows did go


def test_pieces_regroup_the_stored_parts(package, tmp_path, monkeypatch):
    from datapackage.privacy import public_stored
    from datapackage.validate.check import check

    withhold(package, [0, 5, 6])
    monkeypatch.setattr(stored, "PART_ROWS", 4)
    store = stored.Store(tmp_path / "store")
    checked = check(package / "datapackage.json", store=store)
    whole = check(package / "datapackage.json")
    victims = public_stored(checked.package, checked.tables, checked.stored)["victims"]
    assert len(victims.parts) > 2
    pieces = list(victims.pieces(rows=3))
    assert [len(p.lines) for p in pieces[:-1]] == [3] * (len(pieces) - 1) and 1 <= len(pieces[-1].lines) <= 3
    kept = whole.tables["victims"].frame["visibility"] != "withheld"
    expected = whole.tables["victims"].filtered(kept)
    assert sum(len(p.lines) for p in pieces) == len(victims) == len(expected)
    joined = table_module.joined(pieces, None)
    assert joined.frame.equals(expected.frame) and joined.written.columns == expected.written.columns
    assert not expected.written.width or joined.written.equals(expected.written)
    assert list(joined.lines) == list(expected.lines)
    assert all(joined.lists[n].equals(expected.lists[n]) for n in expected.lists)
    assert victims.whole({"victim_id"}).frame.columns == ["victim_id"]


def test_the_store_is_open_to_its_owner_only(package, monkeypatch):
    from datapackage.validate.check import check
    seen = []

    def watched(descriptor, today=None, lean=False, store=None):
        seen.append(store.folder.stat().st_mode & 0o777)  # it holds withheld rows
        return check(descriptor, today, lean, store)
    monkeypatch.setattr("datapackage.publish.build.check", watched)
    publish(package / "datapackage.json", package / "dist")
    assert seen == [0o700]


def test_no_store_is_left_behind(package):
    dead, alive = package / ".dist.store-99999999", package / f".dist.store-{os.getppid()}"
    dead.mkdir()
    alive.mkdir()  # another publish's, still validating
    publish(package / "datapackage.json", package / "dist")
    assert sorted(p.name for p in package.glob(".dist.*")) == [".dist.releases", alive.name]


def test_an_invalid_package_leaves_no_store(package):
    from test_bad_inputs import CASES
    from datapackage.publish.build import InvalidPackage
    next(case for case in CASES if case.__name__ == "misspelt_rank")(package)
    with pytest.raises(InvalidPackage):
        publish(package / "datapackage.json", package / "dist")
    assert not list(package.glob(".dist*"))


def test_a_file_read_whole_after_its_pieces_is_stored_once(package, tmp_path, monkeypatch):
    from datapackage.validate.check import check
    path = package / "seeds" / "victims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.splitlines()[-1] + ",one cell too many\n", encoding="utf-8")
    monkeypatch.setattr(table_module, "PIECE_BYTES", 0)
    monkeypatch.setattr(csvfile, "PLAIN_PIECE", 8192)  # pieces first; the wide row then needs the record map
    monkeypatch.setattr(stored, "PART_ROWS", 4)
    store = stored.Store(tmp_path / "store")
    checked = check(package / "datapackage.json", store=store)
    assert any(f.check == "extra-cell" for f in checked.findings)
    for name, table in checked.tables.items():
        assert len(checked.stored[name]) == len(table), name
        assert list(table_module.joined(list(checked.stored[name].pieces()), None).lines) == list(table.lines), name
