"""Random cells through validate and publish: never a traceback, and every
package validate accepts publishes and reads back cell for cell.

Cells mix Azerbaijani and Cyrillic letters, quotes, commas, semicolons, CR
and LF, spreadsheet-formula characters, invisible characters and very long
runs. The suite runs FUZZ_EXAMPLES packages (40 by default); the full run
of 1,000 is `FUZZ_EXAMPLES=1000 scripts/test tests/test_fuzz.py`.
"""

import csv
import io
import json
import os
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from datapackage.findings import has_errors
from datapackage.publish.build import publish
from datapackage.validate.check import check

LETTERS = "abcxyzəğıöüşçƏĞİÖÜŞÇабвгдежзийЁёЭэ"
MARKS = " ,;\"'\r\n\t=+-@<>&/\\\u200b\u202e\x00"
CLEAN = st.text(alphabet=LETTERS + " ,;\"'\r\n", min_size=1, max_size=40).filter(lambda t: t.strip() == t)
TEXT = CLEAN | st.text(alphabet=LETTERS + MARKS, max_size=40) | st.builds(
    lambda c, n: c * n, st.sampled_from(LETTERS), st.integers(19_990, 20_010))
INTEGER = st.integers(-(2**63), 2**63).map(str) | st.sampled_from(["", "01", "+5", "2020_10", " 7", "x"])
DATE = st.sampled_from(["", "2019", "2019-02", "2019-02-30", "0000", "0001-01", "2021-13", "2017-05-04"])

FIELDS = [{"name": "id", "type": "string", "constraints": {"required": True}},
          {"name": "name", "type": "string", "personName": True},
          {"name": "count", "type": "integer"},
          {"name": "on", "type": "string", "partialDate": True,
           "constraints": {"pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}},
          {"name": "note", "type": "string"},
          {"name": "source_ids", "type": "string",
           "sourceList": {"resource": "sources", "field": "source_id", "separator": ";"}}]
ROWS = st.lists(st.tuples(TEXT, TEXT, INTEGER, DATE, TEXT, st.sampled_from(["s1", "s1;s2", " s2 ; s1 ", "s9", ""])),
                min_size=1, max_size=6)


def write(root: Path, rows) -> None:
    descriptor = {"name": "fuzz", "resources": [
        {"name": "sources", "path": "sources.csv",
         "schema": {"fields": [{"name": "source_id", "type": "string"}], "primaryKey": ["source_id"]}},
        {"name": "people", "path": "people.csv", "schema": {"fields": FIELDS, "primaryKey": ["id"]}}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (root / "sources.csv").write_text("source_id\ns1\ns2\n", encoding="utf-8")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[f["name"] for f in FIELDS], *rows])
    (root / "people.csv").write_bytes(out.getvalue().encode("utf-8"))


def read_back(dist: Path) -> tuple[list[dict], list[dict]]:
    parquet = pq.read_table(dist / "parquet" / "people.parquet").to_pylist()
    db = sqlite3.connect(dist / "fuzz.db")
    db.row_factory = sqlite3.Row
    return parquet, [dict(row) for row in db.execute("select * from people order by rowid")]


def expected(rows) -> list[dict]:
    return [dict(zip([f["name"] for f in FIELDS], row)) for row in rows]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=ROWS)
def test_random_cells_never_crash_and_valid_ones_round_trip(tmp_path_factory, rows):
    root = tmp_path_factory.mktemp("fuzz")
    write(root, rows)
    checked = check(root / "datapackage.json")  # an exception here is the failure this test looks for
    if has_errors(checked.findings):
        event("refused")
        return
    event("published")
    parquet, sqlite = read_back(publish(root / "datapackage.json", root / "dist"))
    for want, pq_row, db_row in zip(expected(rows), parquet, sqlite, strict=True):
        for name, text in want.items():
            value = None if text == "" else text
            if name == "count":
                assert pq_row[name] == db_row[name] == (None if value is None else int(value))
            elif name == "source_ids":
                assert db_row[name] == value
                assert pq_row[name] == (None if value is None else [s.strip() for s in value.split(";")])
            else:
                assert pq_row[name] == db_row[name] == value
