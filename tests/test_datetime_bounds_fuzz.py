"""Datetime bounds against the reference: random instants and local times,
random bounds, and both validators must report the same cells. Frictionless
compares only times of one kind (a bound with a zone and a cell without one
stop it), so each package is of one kind; the mixed kinds are our own
`datetime-zone` findings, tested in test_schema_declarations.py. The suite
runs FUZZ_EXAMPLES packages (25 by default)."""

import datetime
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_conformance import assert_conforms, v2_package

BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
MOMENTS = st.datetimes(min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2030, 12, 31))
OFFSETS = st.sampled_from(["Z", "+00:00", "+04:00", "-01:30", "+14:00"])


def written(moment: datetime.datetime, offset: str | None, fraction: bool) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{moment.microsecond:06d}" if fraction else "")
    return text + (offset or "")


@st.composite
def packages(draw):
    zoned = draw(st.booleans())
    def one():
        return written(draw(MOMENTS), draw(OFFSETS) if zoned else None, draw(st.booleans()))
    cells = [one() if draw(st.integers(0, 9)) else "" for _ in range(draw(st.integers(1, 8)))]
    dated = [c for c in cells if c]
    near = draw(st.sampled_from(dated)) if dated and draw(st.booleans()) else None  # a bound at a cell
    # Cells that are no datetime (a bound that is none stops the reference: see docs/conformance.md).
    cells += draw(st.lists(st.sampled_from(["2020-13-01T00:00:00", "2020-02-30T10:00:00", "x"]), max_size=1))
    bounds = {b: (near if near and draw(st.booleans()) else one()) for b in BOUNDS if draw(st.booleans())}
    return cells, bounds


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(package=packages())
def test_datetime_bounds_find_what_the_reference_finds(tmp_path_factory, package):
    cells, bounds = package
    fields = [{"name": "id", "type": "string"}, {"name": "at", "type": "datetime", "constraints": bounds}]
    resource = {"name": "events", "path": "events.csv", "schema": {"fields": fields}}
    root = v2_package(tmp_path_factory.mktemp("datetime-bounds"), [resource],
                      {"events.csv": [["id", "at"]] + [[str(n), c] for n, c in enumerate(cells)]})
    assert_conforms("datetime-bounds-fuzz", root)
