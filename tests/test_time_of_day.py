"""The `time` type: read as Frictionless reads it, published as written.
Small packages built here; the default form is also compared, cell by cell,
with Frictionless's own reader of time fields on random text."""

import datetime
import os

import pandas as pd  # before Pandera, which loads its pandas backend only when pandas is there
import polars as pl
import pytest
from frictionless import fields as reference_fields
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published
from written_forms import assert_read_as_the_reference, form_finding


def test_times_publish_as_written(tmp_path):
    root = one_column(tmp_path, {"type": "time"}, ["08:00:00", "12:30:00.25", "23:59:59.999999", ""])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == [
        datetime.time(8), datetime.time(12, 30, 0, 250000), datetime.time(23, 59, 59, 999999), None]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == [
        "08:00:00", "12:30:00.250", "23:59:59.999999", None]
    written = (root / "dist" / "csv" / "people.csv").read_text(encoding="utf-8")
    assert "1,12:30:00.25\n" in written and "3,\n" in written


@pytest.mark.parametrize("form, values, times", [
    ("%H:%M", ["7:05", "23:59"], [datetime.time(7, 5), datetime.time(23, 59)]),
    ("%I:%M %p", ["08:00 AM", "2:30 pm"], [datetime.time(8), datetime.time(14, 30)]),
    ("%H:%M:%S.%f", ["10:30:00.5", "10:30:00.123456"], [datetime.time(10, 30, 0, 500000),
                                                       datetime.time(10, 30, 0, 123456)]),
])
def test_a_custom_format_reads_as_python_does(tmp_path, form, values, times):
    root = one_column(tmp_path, {"type": "time", "format": form}, values)
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == times
    assert [x for (x,) in db.execute("select x from people order by rowid")] == [
        t.isoformat(timespec="auto").removesuffix("000") for t in times]


@pytest.mark.parametrize("value", ["12:30:00Z", "12:30:00+05:30", "12:30:00-0100", "24:00:00", "12:30:00,5",
                                   "12:30:00.1234567", "12+05:30"])
def test_a_time_no_published_format_holds_as_written_is_a_finding(tmp_path, value):
    # Frictionless reads each of these as a time; publishing would drop the zone or digits, or change the hour.
    message = form_finding(tmp_path, {"type": "time"}, value, "12:30:00")
    assert f"x '{value}' is not a time of day" in message and "no time zone" in message


@pytest.mark.parametrize("spec, values, words", [
    ({"type": "time"}, ["12:30", "9:30:00", "23:59:60", "12:60:00", "noon"], "written hh:mm:ss"),
    ({"type": "time", "format": "%H:%M:%S"}, ["23:59:60"], "seconds from 00 to 59"),  # chrono: the next minute
    ({"type": "time", "format": "%H:%M:%S.%f"}, ["10:30:00"], "in the form %H:%M:%S.%f"),  # Python needs the point
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M:%S.%f"}, ["2020-01-01 10:30:00"], "in the form"),
])
def test_what_frictionless_reads_as_no_time_is_a_type_finding(tmp_path, spec, values, words):
    root = one_column(tmp_path, spec, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "type") for line in range(2, 2 + len(values))]
    assert all(words in f["message"] for f in findings)


@pytest.mark.parametrize("form, words", [
    ("%H", "the minute"), ("%I:%M", "%I with %p"), ("%M:%S", "the hour"),
    ("%Y-%m-%d %H:%M", "%Y, %d, %m"), ("%H:%M%z", "%z"), ("%H:%M:%S%f", "point"), ("%T", "%T"),
])
def test_a_time_format_that_drops_or_invents_parts_is_a_schema_finding(tmp_path, form, words):
    root = one_column(tmp_path, {"type": "time", "format": form}, ["10:30"])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings if f["severity"] == "error"] == ["schema"]
    assert words in findings[0]["message"]


def test_time_bounds_and_enums_are_times(tmp_path):
    spec = {"type": "time", "format": "%H:%M",
            "constraints": {"minimum": "08:00", "maximum": "17:59", "enum": ["07:59", "08:00", "9:30", "18:00"]}}
    root = one_column(tmp_path, spec, ["8:00", "07:59", "09:30", "18:00", "10:00"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 3, 2, "minimum"), ("people.csv", 5, 2, "maximum"),
                                              ("people.csv", 6, 2, "enum")]


@pytest.mark.parametrize("bound", ["8:00", "08:00:00Z", "25:00:00", 800])
def test_a_time_bound_not_in_the_fields_form_is_a_schema_finding(tmp_path, bound):
    root = one_column(tmp_path, {"type": "time", "constraints": {"minimum": bound}}, ["10:30:00"])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings if f["severity"] == "error"] == ["schema"]
    assert "is not a time of day as the field writes them" in findings[0]["message"]


def test_the_public_schemas_check_published_times(tmp_path):
    import pandera.errors

    from datapackage import pandera_schema

    root = one_column(tmp_path, {"type": "time", "constraints": {"minimum": "08:00:00"}}, ["08:00:00", "09:15:00"])
    published(root)
    parquet = root / "dist" / "parquet" / "people.parquet"
    for backend, frame in (("polars", pl.read_parquet(parquet)), ("pandas", pd.read_parquet(parquet))):
        schema = pandera_schema("people", root / "datapackage.json", backend=backend)
        schema.validate(frame, lazy=True)
        early = frame.with_columns(pl.lit(datetime.time(7)).alias("x")) if backend == "polars" else \
            frame.assign(x=[datetime.time(7)] * len(frame))
        with pytest.raises(pandera.errors.SchemaErrors):
            schema.validate(early, lazy=True)


# ------------------------------------------------------------ against the reference reader

PIECES = ["00", "09", "12", "23", "24", "59", "60", "5", ":", ".", ",", "0", "123456", "1234567", "Z", "z",
          "+", "-", "05", "0530", "+05:30", "-00:00", "+24:00", " ", "T"]
TIMES = st.builds(lambda h, m, s, tail: f"{h}:{m}:{s}" + "".join(tail),
                  st.sampled_from(["00", "09", "12", "23", "24", "9", "25"]), st.sampled_from(["00", "30", "59", "60"]),
                  st.sampled_from(["00", "30", "59", "60"]), st.lists(st.sampled_from(PIECES), max_size=3))
CELLS = st.one_of(TIMES, st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(cells=st.lists(CELLS, min_size=1, max_size=40))
def test_the_default_form_reads_what_the_reference_reads(cells):
    assert_read_as_the_reference({"type": "time"}, reference_fields.TimeField, cells, lambda value, read: value == read)


# Times each format reads, and forms and cells of every kind besides.
READS = {"default": ["08:00:00", "23:59:59.5", "00:00:00"], "%H:%M": ["7:05", "23:59"], "%H:%M:%S": ["08:00:00"],
         "%I:%M %p": ["08:00 AM", "2:30 pm"], "%H:%M:%S.%f": ["10:30:00.5", "10:30:00.123456"], "%X": ["08:00:00"],
         "%H.%M": ["12.30", "7.05"]}
FORMS = st.sampled_from(list(READS) + ["%H", "%M:%S", "%H:%M%z", "%Y %H:%M", "any", "%T"])
WRITTEN = st.sampled_from(sorted({c for cells in READS.values() for c in cells}) + [
    "12:30:00Z", "24:00:00", "12:30:00,5", "23:59:60", "", "x", "12:30:00.1234567"])


@st.composite
def time_columns(draw):
    form = draw(FORMS)
    cell = st.sampled_from(READS.get(form, ["x"])) | WRITTEN if draw(st.booleans()) else \
        st.sampled_from(READS.get(form, ["x"]))
    bound = st.sampled_from(READS.get(form, ["x"])) | WRITTEN
    constraints = draw(st.just({}) | st.dictionaries(st.sampled_from(["minimum", "maximum", "enum", "required"]),
                                                     bound | st.lists(bound, min_size=1, max_size=3) | st.booleans(),
                                                     max_size=2))
    return form, draw(st.lists(cell, min_size=1, max_size=6)), constraints


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(column=time_columns())
def test_any_time_field_is_findings_or_a_release_of_the_times_read(tmp_path_factory, column):
    form, cells, constraints = column
    root = one_column(tmp_path_factory.mktemp("time-fuzz"), {"type": "time", "format": form,
                                                             "constraints": constraints}, cells)
    code, findings = findings_of(root)  # never a traceback (findings_of asserts it)
    event("published" if code == 0 else "findings")
    if code == 0:
        parquet, db = published(root)
        read = reference_fields.TimeField(name="x", format=form).create_value_reader()
        assert [row["x"] for row in parquet["people"]] == [read(cell) if cell else None for cell in cells]
        assert [x for (x,) in db.execute("select x from people order by rowid")] == [
            row["x"].isoformat().removesuffix("000") if row["x"] else None for row in parquet["people"]]
