"""The `yearmonth` type: read as Frictionless reads it, published as the text
YYYY-MM. Small packages built here; cells are also compared with
Frictionless's own reader of yearmonth fields on random text."""

import os

import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published
from written_forms import assert_read_as_the_reference, form_finding


def test_years_and_months_publish_as_written(tmp_path):
    root = one_column(tmp_path, {"type": "yearmonth"}, ["2017-05", "0001-01", "9999-12", ""])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == ["2017-05", "0001-01", "9999-12", None]
    assert [x for (x,) in db.execute("select x from people order by x")] == [None, "0001-01", "2017-05", "9999-12"]


@pytest.mark.parametrize("value", ["2017-5", " 2017-05", "2017 - 05", "+2017-05", "2_017-05", "2017-0_5",
                                   "99999-01", "0000-01", "17-05"])
def test_a_year_and_month_not_written_as_published_is_a_finding(tmp_path, value):
    # Frictionless reads each (Python's int() on either side of the hyphen); as text it would not sort.
    assert "written YYYY-MM, from 0001-01 to 9999-12" in form_finding(tmp_path, {"type": "yearmonth"}, value, "2017-05")


def test_what_frictionless_reads_as_no_month_is_a_type_finding(tmp_path):
    values = ["2017", "2017-13", "2017-00", "2017-05-13", "-2017-05", "May 2017", "2017-_5"]
    root = one_column(tmp_path, {"type": "yearmonth"}, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "type") for line in range(2, 2 + len(values))]


def test_bounds_and_enums_are_months(tmp_path):
    spec = {"type": "yearmonth", "constraints": {"minimum": "2017-01", "maximum": "2020-12",
                                                 "enum": ["2016-12", "2017-05", "2021-01"]}}
    root = one_column(tmp_path, spec, ["2017-05", "2016-12", "2021-01", "2018-01"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 3, 2, "minimum"), ("people.csv", 4, 2, "maximum"),
                                              ("people.csv", 5, 2, "enum")]


@pytest.mark.parametrize("spec", [{"type": "yearmonth", "constraints": {"minimum": "2017-1"}},
                                  {"type": "yearmonth", "constraints": {"maximum": 201705}},
                                  {"type": "yearmonth", "format": "%Y/%m"}])
def test_a_bound_or_format_not_read_as_a_month_is_a_schema_finding(tmp_path, spec):
    root = one_column(tmp_path, spec, ["2017-05"])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings if f["severity"] == "error"] in (["schema"], ["not-supported"])


# ------------------------------------------------------------ against the reference reader

PIECES = ["2017", "0000", "99999", "5", "05", "12", "13", "0", "-", "-", "+", "_", " ", "\t", "x", "1_0"]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join), min_size=1,
                      max_size=40))
def test_cells_read_as_the_reference_reads_them(cells):
    assert_read_as_the_reference({"type": "yearmonth"}, reference_fields.YearmonthField, cells,
                                 lambda value, read: value == f"{read.year:04d}-{read.month:02d}")
