"""The `duration` type: read as Frictionless reads it (ISO 8601's
PnYnMnWnDTnHnMnS), kept and published as written. Small packages built
here; cells are also compared with Frictionless's own reader on random text."""

import os

import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published
from written_forms import assert_read_as_the_reference


def test_durations_publish_as_written(tmp_path):
    values = ["P12Y", "P1Y6M", "PT36H", "P2W", "-P1D", "PT0.5S", "P999999999D", ""]
    root = one_column(tmp_path, {"type": "duration"}, values)
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"] for row in parquet["people"]] == values[:-1] + [None]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == values[:-1] + [None]


def test_what_frictionless_reads_as_no_duration_is_a_type_finding(tmp_path):
    # The last two: past what Python's timedelta holds (999,999,999 days and a day's seconds).
    values = ["12 years", "P", "P1H", "PT1D", "p1d", "P1Y1Y", " P1D", "P999999999DT24H", "P142857143W"]
    root = one_column(tmp_path, {"type": "duration"}, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "type") for line in range(2, 2 + len(values))]
    assert "as in ISO 8601, such as P5Y" in findings[0]["message"]


@pytest.mark.parametrize("spec", [{"type": "duration", "constraints": {"enum": ["PT1H"]}},
                                  {"type": "duration", "format": "any"}])
def test_what_is_not_read_of_durations_is_said(tmp_path, spec):
    # An enum would compare text: PT60M is PT1H to Frictionless.
    root = one_column(tmp_path, spec, ["PT1H"])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings if f["severity"] == "error"] == ["not-supported"]


PIECES = ["P", "P", "T", "1", "12", "0.5", ",5", "Y", "M", "W", "D", "H", "S", "-", "+", " ", "x", "\n"]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join), min_size=1,
                      max_size=40))
def test_cells_read_as_the_reference_reads_them(cells):
    assert_read_as_the_reference({"type": "duration"}, reference_fields.DurationField, cells,
                                 lambda value, read: True)  # kept as written
