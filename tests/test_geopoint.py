"""The `geopoint` type (its default form, `LON, LAT`): read as Frictionless
reads it, published as a pair of numbers in Parquet and as written in the
CSV and SQLite. Small packages built here; cells are also compared with
Frictionless's own reader of geopoint fields on random text."""

import os

import pandas as pd  # before Pandera, which loads its pandas backend only when pandas is there
import polars as pl
import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published
from written_forms import assert_read_as_the_reference, form_finding


def test_points_publish_as_numbers_and_as_written(tmp_path):
    root = one_column(tmp_path, {"type": "geopoint", "description": "Where it happened."},
                      ["47.11, 40.35", "-180,-90", "0.123456789012345,1", ""])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == [
        {"lon": 47.11, "lat": 40.35}, {"lon": -180.0, "lat": -90.0}, {"lon": 0.123456789012345, "lat": 1.0}, None]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == [
        "47.11, 40.35", "-180,-90", "0.123456789012345,1", None]
    dictionary = (root / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    assert "longitude, then latitude" in dictionary


@pytest.mark.parametrize("value", [" 47.11 , 40.35", "4.711e1, 40.35", "+47.11, 40.35", "47.1_1, 40.35", "47., 40",
                                   ".5, 40", "0.1234567890123456, 40"])
def test_a_point_not_written_as_published_is_a_finding(tmp_path, value):
    # Frictionless reads each (Python's Decimal on either side of the comma).
    assert "in plain decimal degrees" in form_finding(tmp_path, {"type": "geopoint"}, value, "47.11, 40.35")


def test_what_frictionless_reads_as_no_point_is_a_type_finding(tmp_path):
    values = ["181, 40", "47, 91", "47.11", "47.11; 40.35", "47,40,0", "NaN, 0", "Infinity, 0", "Baku"]
    root = one_column(tmp_path, {"type": "geopoint"}, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "type") for line in range(2, 2 + len(values))]
    assert "longitude from -180 to 180, then latitude from -90 to 90" in findings[0]["message"]


def test_the_same_point_written_twice_is_not_unique(tmp_path):
    spec = {"type": "geopoint", "constraints": {"unique": True}}
    root = one_column(tmp_path, spec, ["47.11, 40.35", "47.11,40.350", "47.11, 40.36"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 3, 2, "unique")]


@pytest.mark.parametrize("form, values", [
    ("array", ["[47.11, 40.35]", " [-180, 90] "]),
    ("object", ['{"lon": 47.11, "lat": 40.35}', '{"lat": 90, "lon": -180}']),
])
def test_points_written_as_json_publish_as_numbers_and_as_written(tmp_path, form, values):
    root = one_column(tmp_path, {"type": "geopoint", "format": form}, values)
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == [{"lon": 47.11, "lat": 40.35}, {"lon": -180.0, "lat": 90.0}]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == values


@pytest.mark.parametrize("form, value, check", [
    ("array", '["47.11", "40.35"]', "geopoint-form"),  # Frictionless reads text as numbers
    ("array", "[true, false]", "geopoint-form"),  # and true and false as 1 and 0
    ("array", "[0.1234567890123456, 1]", "geopoint-form"),
    ("object", '{"lon": "47.11", "lat": 40.35}', "geopoint-form"),
    ("array", "[47.11, 40.35, 0]", "type"), ("array", "[181, 0]", "type"), ("array", "[NaN, 0]", "type"),
    ("object", '{"lon": 47.11, "lat": 40.35, "alt": 0}', "type"), ("object", '{"lon": 47.11}', "type"),
    ("object", "[47.11, 40.35]", "type"),
])
def test_a_json_point_not_read_or_not_as_published_is_a_finding(tmp_path, form, value, check):
    root = one_column(tmp_path, {"type": "geopoint", "format": form}, [value])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, check)]


@pytest.mark.parametrize("spec, check", [
    ({"type": "geopoint", "format": "lonlat"}, "not-supported"),
    ({"type": "geopoint", "constraints": {"enum": ["47.11, 40.35"]}}, "not-supported"),
    ({"type": "geopoint", "constraints": {"minimum": 1}}, "not-supported"),  # (the profile says so too)
])
def test_what_is_not_read_of_points_is_said(tmp_path, spec, check):
    root = one_column(tmp_path, spec, ["47.11, 40.35"])
    code, findings = findings_of(root)
    assert code == 1 and check in [f["check"] for f in findings if f["severity"] == "error"]
    assert {f["check"] for f in findings} <= {check, "descriptor"}


def test_the_public_schemas_check_published_points(tmp_path):
    import pandera.errors

    from datapackage import pandera_schema

    root = one_column(tmp_path, {"type": "geopoint", "constraints": {"unique": True}}, ["47.11, 40.35", "49.87, 40.41"])
    published(root)
    parquet = root / "dist" / "parquet" / "people.parquet"
    for backend, frame in (("polars", pl.read_parquet(parquet)), ("pandas", pd.read_parquet(parquet))):
        schema = pandera_schema("people", root / "datapackage.json", backend=backend)
        schema.validate(frame, lazy=True)
        twice = pl.concat([frame, frame.head(1)]) if backend == "polars" else pd.concat([frame, frame.head(1)])
        with pytest.raises(pandera.errors.SchemaErrors, match="unique"):
            schema.validate(twice, lazy=True)


# ------------------------------------------------------------ against the reference reader

PIECES = ["47", "47.11", "180", "-180", "90", "-90", "0", ".", ",", ",", " ", "_", "e", "-", "+", "5", "1e2",
          "NaN", "x", "181", "91"]


NUMBERS = st.sampled_from(["47.11", "-180", "180", "90", "91", "0.1234567890123456", "1e2", '"40"', "true", "NaN",
                           '"x"', "null"])
JSON_POINTS = st.one_of(
    st.lists(NUMBERS, min_size=1, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    st.dictionaries(st.sampled_from(["lon", "lat", "alt"]), NUMBERS, max_size=3).map(
        lambda d: "{" + ", ".join(f'"{k}": {v}' for k, v in d.items()) + "}"),
    st.sampled_from(["x", "[", "{}", " [1, 2] "]))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(form=st.sampled_from(["array", "object"]), cells=st.lists(JSON_POINTS, min_size=1, max_size=40))
def test_json_points_read_as_the_reference_reads_them(form, cells):
    assert_read_as_the_reference({"type": "geopoint", "format": form}, reference_fields.GeopointField, cells,
                                 lambda value, read: (value["lon"], value["lat"]) == tuple(map(float, read)))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7).map("".join), min_size=1,
                      max_size=40))
def test_cells_read_as_the_reference_reads_them(cells):
    assert_read_as_the_reference({"type": "geopoint"}, reference_fields.GeopointField, cells,
                                 lambda value, read: (value["lon"], value["lat"]) == tuple(map(float, read)))
