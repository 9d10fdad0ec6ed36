"""The `geojson` type: JSON objects that Frictionless's GeoJSON profile (or,
format topojson, its TopoJSON profile) accepts, kept as written. Small
packages built here; random shapes are also compared with Frictionless's own
reader of the type."""

import json
import os

import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published
from written_forms import assert_read_as_the_reference, form_finding

POINT = '{"type": "Point", "coordinates": [47.15, 40.34]}'
FEATURES = '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, "properties": {}}]}'
TOPOLOGY = '{"type": "Topology", "objects": {}, "arcs": [[[0, 0], [1, 1]]]}'


@pytest.mark.parametrize("form, values", [("default", [POINT, FEATURES, " " + POINT]), ("topojson", [TOPOLOGY])])
def test_shapes_publish_as_written(tmp_path, form, values):
    root = one_column(tmp_path, {"type": "geojson", "format": form}, values + [""])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == values + [None]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == values + [None]


@pytest.mark.parametrize("form, values", [
    ("default", ['{"type": "Point"}', TOPOLOGY, "[1]", "{bad", "x", '{"type": "Point", "coordinates": "here"}']),
    ("topojson", ['{"type": "Feature"}', "{}", "[]"]),
])
def test_what_the_profile_refuses_is_a_type_finding(tmp_path, form, values):
    root = one_column(tmp_path, {"type": "geojson", "format": form}, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "type") for line in range(2, 2 + len(values))]
    assert ("TopoJSON" if form == "topojson" else "GeoJSON") in findings[0]["message"]


def test_a_shape_no_standard_reader_parses_is_a_finding(tmp_path):
    # Python's json reads NaN, and the profile takes it for a number; the JSON standard has none.
    shape = '{"type": "Point", "coordinates": [NaN, 40.34]}'
    assert "as the JSON standard writes it" in form_finding(tmp_path, {"type": "geojson"}, shape, POINT, "json-form")


def test_a_shape_is_text_for_the_checks_of_text(tmp_path):
    shape = '{"type": "Feature", "geometry": null, "properties": {"name": "a\u202eb"}}'
    root = one_column(tmp_path, {"type": "geojson"}, [shape])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "invisible-character")]


@pytest.mark.parametrize("spec", [{"constraints": {"enum": [POINT]}}, {"constraints": {"minLength": 1}},
                                  {"format": "wkt"}])
def test_what_is_not_read_of_geojson_is_said(tmp_path, spec):
    root = one_column(tmp_path, {"type": "geojson", **spec}, [POINT])
    code, findings = findings_of(root)
    assert code == 1 and "not-supported" in [f["check"] for f in findings]
    assert {f["check"] for f in findings} <= {"not-supported", "descriptor"}


NUMBERS = st.integers(-200, 200) | st.floats(-1e3, 1e3, allow_nan=False)
COORDINATES = st.recursive(NUMBERS, lambda inner: st.lists(inner, max_size=3), max_leaves=8)
KINDS = st.sampled_from(["Point", "MultiPoint", "LineString", "Polygon", "GeometryCollection", "Feature",
                         "FeatureCollection", "Topology", "Shape"])
SHAPES = st.recursive(
    st.fixed_dictionaries({"type": KINDS}, optional={"coordinates": COORDINATES, "arcs": COORDINATES,
                                                     "objects": st.just({}), "properties": st.none() | st.just({})}),
    lambda inner: st.fixed_dictionaries({"type": KINDS}, optional={
        "geometry": st.none() | inner, "geometries": st.lists(inner, max_size=2),
        "features": st.lists(inner, max_size=2), "properties": st.none() | st.just({})}),
    max_leaves=4)
CELLS = SHAPES.map(json.dumps) | st.sampled_from(["[1]", "x", "{}", '{"type": "Point", "coordinates": [NaN, 1]}'])


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(form=st.sampled_from(["default", "topojson"]), cells=st.lists(CELLS, min_size=1, max_size=30))
def test_shapes_read_as_the_reference_reads_them(form, cells):
    assert_read_as_the_reference({"type": "geojson", "format": form}, reference_fields.GeojsonField, cells)  # kept as written
