"""Rows handed to the database writer slice by slice (`bulk.in_batches`):
the same rows, in the same order, whatever the slice size, and the same
database as when each table is written whole."""

import sqlite3

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

import datapackage.publish.bulk as bulk
from datapackage.publish.bulk import append, in_batches
from datapackage.folding import search_keys
from datapackage.package import Resource
from datapackage.publish.parquet import for_consumers
from datapackage.publish.build import publish

from conftest import FIXTURES, copy_package

FRAME = pl.DataFrame({"n": list(range(10)), "text": ["Qafarov", None, "Гафаров", "", "Əhmədov Elçin"] * 2})


def arrow(part: pl.DataFrame) -> pa.Table:
    return part.to_arrow(compat_level=pl.CompatLevel.oldest())


def test_slices_give_the_rows_of_the_whole_frame_in_order(tmp_path):
    made = []

    def make(part):
        made.append(part.height)
        return arrow(part)

    reader = in_batches(FRAME, make, rows=3)
    assert made == [3]  # the first slice names the columns; the rest wait for the writer
    assert reader.read_all().equals(arrow(FRAME))
    assert made == [3, 3, 3, 1]
    assert in_batches(FRAME.head(0), arrow, rows=3).read_all().num_rows == 0
    path = tmp_path / "rows.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table t (n integer, text text)")
    conn.close()
    append(path, "t", in_batches(FRAME, arrow, rows=4))
    with sqlite3.connect(path) as conn:
        assert conn.execute("select n, text from t order by rowid").fetchall() == list(FRAME.iter_rows())


def test_folding_slice_by_slice_folds_as_the_whole_column():
    whole = search_keys(FRAME, ["text"])
    known = {}
    parts = [search_keys(FRAME.slice(start, 3), ["text"], known) for start in range(0, FRAME.height, 3)]
    assert pl.concat(parts).to_list() == whole.to_list()
    assert known and whole[0] == whole[2]  # Qafarov and Гафаров fold to one key


def test_a_release_written_in_small_slices_is_the_one_written_whole(tmp_path, monkeypatch):
    (tmp_path / "package").mkdir()
    root = copy_package(tmp_path / "package", FIXTURES / "small")
    whole = publish(root / "datapackage.json", tmp_path / "whole")
    monkeypatch.setattr(bulk, "BATCH_ROWS", 1)
    sliced = publish(root / "datapackage.json", tmp_path / "sliced")
    databases = [sqlite3.connect(folder / "tartar-case.db") for folder in (whole, sliced)]
    # Every stored table, the full-text indexes' own tables included (their
    # virtual tables cannot be read whole), scanned in key order.
    tables = [name for name, sql in databases[0].execute("select name, sql from sqlite_master where type = 'table'")
              if not sql.startswith("CREATE VIRTUAL")]
    assert "victims_fts_data" in tables and "citations" in tables
    for name in tables:
        assert databases[0].execute(f"select * from [{name}]").fetchall() == \
            databases[1].execute(f"select * from [{name}]").fetchall(), name
    counts = [databases[0].execute(f"select count(*) from [{name}]").fetchone()[0] for name in ("sources", "victims", "citations")]
    assert min(counts) > 1  # more rows than one slice
    assert pq.read_table(whole / "parquet" / "victims.parquet").equals(pq.read_table(sliced / "parquet" / "victims.parquet"))


def test_the_order_column_is_each_values_place_in_the_vocabulary():
    resource = Resource.__new__(Resource)
    spec = {"name": "rank", "type": "string", "categoriesOrdered": True,
            "constraints": {"enum": ["private", "sergeant", "major"]}}
    resource.field = lambda name: spec if name == "rank" else None
    coded = pa.DictionaryArray.from_arrays(pa.array([2, None, 0, 1], pa.int32()), pa.array(spec["constraints"]["enum"]))
    plain = pa.array(["major", None, "private", "sergeant"])
    for column in (coded, plain):
        table = for_consumers(resource, pa.table({"rank": pa.chunked_array([column[:2], column[2:]])}))
        assert table["rank_order"].to_pylist() == [3, None, 1, 2]
