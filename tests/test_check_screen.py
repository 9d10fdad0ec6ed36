"""Column checks that every cell passes are screened out in one query, and
Pandera still reports exactly the failures it would have reported alone."""

from __future__ import annotations

import subprocess
import sys

import polars as pl

from datapackage.validate.check_screen import checks_nothing, without_passing_checks
from datapackage.validate.pandera_schemas import column_checks, pandera_module

pa = pandera_module("polars")
FRAME = pl.DataFrame({"count": [1, 2, None], "kind": ["x", "y", "z"], "note": ["a", None, "=1"]})


def failures(schema, frame: pl.DataFrame) -> set[tuple[str, str, int]]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.filter(pl.col("index").is_not_null())
        return set(cases.select("column", "check", "index").iter_rows())
    return set()


def names(schema, column: str) -> list[str]:
    return [check.name for check in schema.columns[column].checks]


def test_checks_every_cell_passes_are_left_out_and_the_failures_are_the_same():
    schema = pa.DataFrameSchema({
        "count": pa.Column(checks=[pa.Check.ge(0, name="minimum"), pa.Check.le(1, name="maximum")], nullable=True),
        "kind": pa.Column(checks=[pa.Check.isin(["x", "y"], name="enum"),
                                  pa.Check.str_length(max_value=5, name="maxLength")]),
        "note": pa.Column(checks=[pa.Check.str_matches("^[a-z]+$", name="pattern")], nullable=True),
    })
    screened = without_passing_checks(schema, FRAME)
    assert names(screened, "count") == ["maximum"]
    assert names(screened, "kind") == ["enum"]
    assert names(screened, "note") == ["pattern"]
    assert failures(screened, FRAME) == failures(schema, FRAME) != set()


def test_the_checks_that_a_pattern_never_occurs_are_screened_together_and_kept_together():
    """A text field's checks of formulas, invisible characters and blank
    cells are screened with one search for any of them: all dropped when no
    cell matches, all kept (and Pandera tells which failed) when one does."""
    hostile = {"formula", "invisible-character", "whitespace-only"}
    text = {"name": "text", "type": "string", "constraints": {"maxLength": 10}}
    schema = pa.DataFrameSchema({name: pa.Column(checks=column_checks(pa, {**text, "name": name}), nullable=True)
                                 for name in ("clean", "blank", "hidden", "formula")})
    frame = pl.DataFrame({"clean": ["a b", None, "c"], "blank": ["a", "  ", None], "hidden": ["a\u200bb", "b", "c"],
                          "formula": ["=1", "b", "c"]})
    screened = without_passing_checks(schema, frame)
    assert names(screened, "clean") == []
    for column in ("blank", "hidden", "formula"):
        assert set(names(screened, column)) == hostile
    assert failures(screened, frame) == failures(schema, frame) == {
        ("blank", "whitespace-only", 1), ("hidden", "invisible-character", 0), ("formula", "formula", 0)}


def test_an_empty_cell_passes_or_fails_as_pandera_counts_it():
    lenient = pa.Check.ge(0, name="lenient")  # ignore_na by default: an empty cell passes
    strict = pa.Check.ge(0, name="strict", ignore_na=False)
    schema = pa.DataFrameSchema({"count": pa.Column(checks=[lenient, strict], nullable=True)})
    screened = without_passing_checks(schema, FRAME)
    assert names(screened, "count") == ["strict"]
    assert failures(screened, FRAME) == failures(schema, FRAME)
    assert {(column, row) for column, _, row in failures(screened, FRAME)} == {("count", 2)}  # the empty cell


def test_a_schema_all_of_whose_checks_pass_validates_without_them():
    schema = pa.DataFrameSchema({"kind": pa.Column(checks=[pa.Check.isin(["x", "y", "z"])]),
                                 "absent": pa.Column(checks=[pa.Check.ge(0)], required=False)})
    screened = without_passing_checks(schema, FRAME)
    assert names(screened, "kind") == [] and len(screened.columns["absent"].checks) == 1
    assert failures(screened, FRAME) == set()


def test_required_and_unique_marks_are_kept_only_where_a_cell_breaks_them():
    frame = pl.DataFrame({"id": ["a", "b", "b"], "count": [1.0, float("nan"), 2.0], "kind": ["x", "y", "z"]})
    schema = pa.DataFrameSchema({
        "id": pa.Column(nullable=False, unique=True),  # repeated
        "count": pa.Column(nullable=False),  # NaN counts as empty, as Pandera counts it
        "kind": pa.Column(nullable=False, unique=True),  # every cell filled and different
    })
    screened = without_passing_checks(schema, frame)
    assert (screened.columns["id"].nullable, screened.columns["id"].unique) == (True, True)
    assert screened.columns["count"].nullable is False
    assert (screened.columns["kind"].nullable, screened.columns["kind"].unique) == (True, False)
    assert failures(screened, frame) == failures(schema, frame) != set()
    assert not checks_nothing(screened)


def test_nothing_is_left_to_check_when_every_cell_passes():
    schema = pa.DataFrameSchema({"kind": pa.Column(checks=[pa.Check.isin(["x", "y", "z"])], nullable=False,
                                                   unique=True)})
    assert not checks_nothing(schema)
    assert checks_nothing(without_passing_checks(schema, FRAME))


def test_validation_loads_neither_pandas_nor_hypothesis(small_package):
    """Pandera loads both when they are installed (this project's tests
    install them); validation needs neither, and they would add a tenth of
    a second or more to every run."""
    script = ("import sys; from pathlib import Path; from datapackage.validate.check import validate; "
              f"validate(Path({str(small_package / 'datapackage.json')!r})); "
              "print(sorted(m for m in ('pandas', 'hypothesis') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
