"""`from datapackage import pandera_schema`: the checks validation derives,
for a user's own frame, with Pandera's polars backend or its pandas one
(a Parquet file of the release read by pandas holds dates as timestamps)."""

import datetime

import pandas as pd
import polars as pl
import pytest

from conftest import FIXTURES
from datapackage import pandera_schema

DATES = FIXTURES / "conformance" / "date-bounds" / "datapackage.json"  # on: 2017-01-01 to 2017-12-31


def failed(schema, frame) -> set[str]:
    """The names of the checks some row of `frame` fails."""
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return {str(check) for check in errors.failure_cases["check"]}
    return set()


FRAMES = {"polars": lambda days: pl.DataFrame({"event": ["x"] * len(days), "on": days}),
          "pandas": lambda days: pd.DataFrame({"event": ["x"] * len(days), "on": pd.to_datetime(days)})}


@pytest.mark.parametrize("backend", FRAMES)
def test_the_derived_schema_checks_a_users_frame(backend):
    schema, frame = pandera_schema("events", DATES, backend=backend), FRAMES[backend]
    assert failed(schema, frame([datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)])) == set()
    below, above = failed(schema, frame([datetime.date(2016, 12, 31)])), failed(schema, frame([datetime.date(2018, 1, 1)]))
    assert [any("greater_than_or_equal_to" in c for c in below), any("less_than_or_equal_to" in c for c in above)] == [
        True, True]


def test_an_unknown_resource_is_named():
    with pytest.raises(KeyError, match="no resource named 'nope'"):
        pandera_schema("nope", DATES)
