"""`from datapackage import pandera_schema`: the checks validation derives,
for a user's own frame, with Pandera's polars backend or its pandas one
(a Parquet file of the release read by pandas holds dates as timestamps)."""

import datetime

import pandas as pd
import polars as pl
import pytest

from conftest import FIXTURES, ROOT
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


INSTANTS = FIXTURES / "conformance" / "datetime-bounds" / "datapackage.json"  # 2017-01-01 to before 2018, UTC
UTC = datetime.timezone.utc
TIMES = {"polars": lambda times: pl.DataFrame({"event": ["x"] * len(times), "at": times},
                                              schema={"event": pl.String, "at": pl.Datetime("us", "UTC")}),
         "pandas": lambda times: pd.DataFrame({"event": ["x"] * len(times), "at": pd.to_datetime(times, utc=True)})}


@pytest.mark.parametrize("backend", TIMES)
def test_the_derived_schema_checks_datetime_bounds_as_instants(backend):
    schema, frame = pandera_schema("instants", INSTANTS, backend=backend), TIMES[backend]
    inside = [datetime.datetime(2017, 1, 1, tzinfo=UTC), datetime.datetime(2017, 12, 31, 23, 59, 59, tzinfo=UTC)]
    assert failed(schema, frame(inside)) == set()
    below = failed(schema, frame([datetime.datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)]))
    at_the_end = failed(schema, frame([datetime.datetime(2018, 1, 1, tzinfo=UTC)]))
    assert [any("greater_than_or_equal_to" in c for c in below), any("less_than(" in c for c in at_the_end)] == [
        True, True]


def test_the_pandas_schemas_after_the_polars_ones_in_a_fresh_interpreter():
    # Pandera imported for polars alone (as validation does) left out its pandas names,
    # which the pandas backend imports: a notebook asking for one, then the other.
    import subprocess
    import sys

    script = ("import sys; from datapackage import pandera_schema; import polars as pl\n"
              f"d = {str(ROOT / 'datapackage.json')!r}\n"
              "pandera_schema('victims', d).validate(pl.DataFrame({'victim_id': ['v-001']}), lazy=True)\n"
              "assert 'pandas' not in sys.modules\n"
              "import pandas as pd, pandera.errors\n"
              "schema = pandera_schema('victims', d, backend='pandas')\n"
              "try:\n    schema.validate(pd.DataFrame({'victim_id': ['v-001', 'v-001']}), lazy=True)\n"
              "except pandera.errors.SchemaErrors:\n    print('found')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout == "found\n", result.stderr
