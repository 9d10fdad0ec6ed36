"""The `list` type (Table Schema v2): items read as Frictionless reads them,
the text kept as written in the CSV and SQLite, typed items in Parquet.
Small packages built here; cells are also compared with Frictionless's own
reader of list fields on random text."""

import datetime
import os

import pandas as pd  # before Pandera, which loads its pandas backend only when pandas is there
import polars as pl
import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published


def test_lists_publish_typed_items_and_their_text(tmp_path):
    values = ["274, 275", "12", ""]
    root = one_column(tmp_path, {"type": "list", "itemType": "integer"}, values)
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == [[274, 275], [12], None]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == ["274, 275", "12", None]
    assert '0,"274, 275"\n' in (root / "dist" / "csv" / "people.csv").read_text(encoding="utf-8")
    dictionary = (root / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    assert "a list of integer items separated by ','" in dictionary


@pytest.mark.parametrize("spec, values, parquet", [
    ({"type": "list"}, ["a, b", ","], [["a", " b"], ["", ""]]),  # text items keep their spaces
    ({"type": "list", "delimiter": ";", "itemType": "date"}, ["2017-05-13;2017-05-20"],
     [[datetime.date(2017, 5, 13), datetime.date(2017, 5, 20)]]),
    ({"type": "list", "itemType": "boolean"}, ["true,false,1"], [[True, False, True]]),
    ({"type": "list", "itemType": "time"}, ["08:00:00,12:30:00.5"],
     [[datetime.time(8), datetime.time(12, 30, 0, 500000)]]),
])
def test_items_of_each_type(tmp_path, spec, values, parquet):
    root = one_column(tmp_path, spec, values)
    assert findings_of(root) == (0, [])
    assert [row["x"] for row in published(root)[0]["people"]] == parquet


@pytest.mark.parametrize("spec, value, check", [
    ({"type": "list", "itemType": "integer"}, "1,,2", "type"),  # an empty item is no number
    ({"type": "list", "itemType": "date"}, "2017-02-30", "type"),
    ({"type": "list", "itemType": "boolean"}, "true, false", "type"),  # no spaces around a boolean
    ({"type": "list", "itemType": "integer"}, "1,9007199254740993", "integer-range"),
    ({"type": "list", "itemType": "time"}, "12:00:00Z", "time-form"),
    ({"type": "list", "constraints": {"minLength": 2}}, "a", "minLength"),
    ({"type": "list", "constraints": {"maxLength": 2}}, "a,b,c", "maxLength"),
    ({"type": "list"}, "=HYPERLINK(x),y", "formula"),
    ({"type": "list"}, "a\u200b,b", "invisible-character"),
])
def test_a_list_not_read_or_refused_is_a_finding(tmp_path, spec, value, check):
    root = one_column(tmp_path, spec, [value])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, check)]


@pytest.mark.parametrize("spec", [
    {"type": "list", "itemType": "datetime"}, {"type": "list", "itemType": "geopoint"},
    {"type": "list", "constraints": {"enum": ["a"]}}, {"type": "list", "format": "x"},
])
def test_what_is_not_read_of_lists_is_said(tmp_path, spec):
    root = one_column(tmp_path, spec, ["a"])
    code, findings = findings_of(root)
    assert code == 1 and "not-supported" in [f["check"] for f in findings]
    assert {f["check"] for f in findings} <= {"not-supported", "descriptor"}


def test_the_public_schemas_check_published_lists(tmp_path):
    import pandera.errors

    from datapackage import pandera_schema

    spec = {"type": "list", "constraints": {"maxLength": 2}}
    root = one_column(tmp_path, spec, ["a,b", "c"])
    published(root)
    parquet = root / "dist" / "parquet" / "people.parquet"
    for backend, frame in (("polars", pl.read_parquet(parquet)), ("pandas", pd.read_parquet(parquet))):
        schema = pandera_schema("people", root / "datapackage.json", backend=backend)
        schema.validate(frame, lazy=True)
        longer = frame.with_columns(pl.Series("x", [["a", "b", "c"], ["=c"]])) if backend == "polars" else \
            frame.assign(x=[["a", "b", "c"], ["=c"]])
        with pytest.raises(pandera.errors.SchemaErrors) as raised:
            schema.validate(longer, lazy=True)
        assert {"maxLength", "formula"} <= set(raised.value.failure_cases["check"].to_list())


# ------------------------------------------------------------ against the reference reader

ITEMS = ["1", "12", "-3", " 4", "", "a", "true", "false", "2017-05-13", "12:30:00", "1.5", " "]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(item_type=st.sampled_from(["string", "integer", "number", "boolean", "date", "time"]),
       delimiter=st.sampled_from([",", ";", ", "]),
       cells=st.lists(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4), min_size=1, max_size=20))
def test_cells_read_as_the_reference_reads_them(item_type, delimiter, cells):
    from datapackage.read.convert import convert

    texts = [delimiter.join(items) for items in cells]
    texts = [t for t in texts if t]  # an empty cell is a missing value, read by neither as a list
    if not texts:
        return
    read = reference_fields.ListField(name="t", item_type=item_type, delimiter=delimiter).create_value_reader()
    typed, *refusals = convert({"name": "t", "type": "list", "itemType": item_type, "delimiter": delimiter},
                               pl.Series("t", texts), [""])
    refused = [any(r.failed[i] for r in refusals) for i in range(len(texts))]
    for text, failed, items, no in zip(texts, typed.failed, typed.items, refused):
        expected = read(text)
        assert failed == (expected is None), text
        if items is not None:
            assert not no and [float(v) if item_type == "number" else v for v in expected] == items.to_list(), text
