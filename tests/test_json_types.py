"""The `object` and `array` types: JSON read as Frictionless reads it and
kept as written. Small packages built here; cells are also compared with
Frictionless's own readers on random text."""

import os

import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published
from written_forms import assert_read_as_the_reference, form_finding


@pytest.mark.parametrize("kind, values", [
    ("object", ['{"court": "Baku", "judges": 3}', ' {} ', '{"a": 1e400}', '{"a": 1, "a": 2}']),
    ("array", ['["Baku", "Ganja"]', "[]", "[" * 200 + "]" * 200]),  # deeper than the column engine parses
])
def test_json_publishes_as_written(tmp_path, kind, values):
    root = one_column(tmp_path, {"type": kind}, values + [""])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == values + [None]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == values + [None]


@pytest.mark.parametrize("kind, value", [("object", '{"a": NaN}'), ("array", "[Infinity]"),
                                         ("array", '["\\ud800"]')])
def test_json_no_standard_reader_parses_is_a_finding(tmp_path, kind, value):
    # Python's json reads each; the JSON standard has no NaN, no Infinity and no half of a character.
    good = "{}" if kind == "object" else "[]"
    assert "as the JSON standard writes it" in form_finding(tmp_path, {"type": kind}, value, good, "json-form")


@pytest.mark.parametrize("kind, values", [
    ("object", ["[1]", "x", "{bad", "1", '{"a":1}{', "\u00a0{}"]),
    ("array", ['{"a": 1}', "[1,", "[" * 2000 + "]" * 2000]),  # too deep for Python too
])
def test_what_frictionless_reads_as_no_json_of_the_kind_is_a_type_finding(tmp_path, kind, values):
    root = one_column(tmp_path, {"type": kind}, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "type") for line in range(2, 2 + len(values))]


def test_json_is_text_for_the_checks_of_text(tmp_path):
    root = one_column(tmp_path, {"type": "object"}, ['{"name": "a\u200bb"}'])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "invisible-character")]


@pytest.mark.parametrize("kind, constraints, counted", [
    ("object", {"minLength": 1, "maxLength": 2}, ['{"a": 1}', "{}", '{"a": 1, "b": 2, "c": 3}']),
    ("array", {"minLength": 2}, ["[1, 2]", "[[1, 2, 3]]", "[]"]),
])
def test_lengths_count_keys_or_items(tmp_path, kind, constraints, counted):
    # A cell of the other kind of JSON is a type finding only (its keys or items are not counted).
    other = "[1, 2, 3, 4]" if kind == "object" else '{"a": 1, "b": 2}'
    root = one_column(tmp_path, {"type": kind, "constraints": constraints}, counted + [other])
    code, findings = findings_of(root)
    bounds = ["minLength", "maxLength"] if kind == "object" else ["minLength", "minLength"]
    assert code == 1 and checks(findings) == [("people.csv", 3, 2, bounds[0]), ("people.csv", 4, 2, bounds[1]),
                                              ("people.csv", 5, 2, "type")]
    assert f"fewer {'keys' if kind == 'object' else 'items'} than the minimum" in findings[0]["message"]


@pytest.mark.parametrize("kind, value, said", [("object", "{}", "at most 2 keys"),
                                               ("array", "[1]", "at least 1 items; at most 2 items")])
def test_the_data_dictionary_says_what_lengths_count(tmp_path, kind, value, said):
    constraints = {"maxLength": 2} if kind == "object" else {"minLength": 1, "maxLength": 2}
    root = one_column(tmp_path, {"type": kind, "constraints": constraints}, [value])
    published(root)
    dictionary = (root / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    assert f"| `x` | {kind} | {said} |" in dictionary


@pytest.mark.parametrize("spec", [{"constraints": {"enum": ["{}"]}}, {"constraints": {"unique": True}},
                                  {"type": "array", "arrayItem": {"type": "integer"}}])
def test_what_is_not_read_of_json_is_said(tmp_path, spec):
    root = one_column(tmp_path, {"type": "object", **spec}, ["{}" if spec.get("type") != "array" else "[]"])
    code, findings = findings_of(root)
    assert code == 1 and "not-supported" in [f["check"] for f in findings]
    assert {f["check"] for f in findings} <= {"not-supported", "descriptor"}


PIECES = ["{", "}", "[", "]", "[NaN]", '"a"', ":", ",", "1", "NaN", "Infinity", "true", "null", " ", '"\\ud800"', "x", "1e2"]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(kind=st.sampled_from(["object", "array"]),
       cells=st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join), min_size=1,
                      max_size=40))
def test_cells_read_as_the_reference_reads_them(kind, cells):
    reference = reference_fields.ObjectField if kind == "object" else reference_fields.ArrayField
    assert_read_as_the_reference({"type": kind}, reference, cells)  # kept as written
