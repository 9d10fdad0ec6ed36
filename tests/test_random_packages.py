"""Random small packages against the reference: fields of the core types
with random constraints (required, unique, bounds, lengths, patterns, enums
written as JSON values), a primary key or none, and cells of every kind,
valid or not. Both validators must report the same cells, through the same
comparison as the conformance corpus (test_conformance.assert_conforms).
Cells are written in the plain form of their type: where we are deliberately
stricter (docs/conformance.md) the per-type tests compare cell by cell
(test_core_types.py, test_patterns.py). The suite runs FUZZ_EXAMPLES packages
(25 by default)."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_conformance import assert_conforms, one_table_package

# Cells of each type, some of them no value of it ("x"), empty, or of another type.
CELLS = {
    "integer": ["0", "1", "-1", "7", "10", "42", "01", "x", "1.5", "9007199254740991", ""],
    "number": ["0", "0.1", "0.10", "0.3", "2.5", "-1", "1e3", "1E-2", "10", "1.0", "-0", "INF", "-INF", "x", ""],
    "string": ["a", "ab", "abc", "v-001", "V-001", "ə", "İlham", "ılıq", "x y", "a longer text", ""],
    "boolean": ["true", "false", "1", "0", "True", "FALSE", "x", ""],
    "date": ["2017-05-13", "2017-05-12", "2020-02-29", "2021-02-29", "0001-01-01", "x", ""],
    "year": ["2017", "2016", "0001", "9999", "x", ""],
}
BOUNDS = {"integer": [0, 1, 7, 10, -1], "number": [0, 0.1, 0.3, 2.5, 1e3, -1, 10], "year": [1, 7, 2016, 2017, 9999],
          "date": ["2017-05-12", "2017-05-13", "2020-01-01"]}
# Allowed values as a schema writes them: JSON numbers and booleans, or text as a cell would be.
ENUMS = {"integer": [0, 1, 7, 42, "10", 1.0], "number": [0.1, 2.5, 10, "0.3", 1e3], "year": [2017, 1, "2016"],
         "boolean": [True, False], "date": ["2017-05-13", "2020-02-29"], "string": ["a", "abc", "İlham", "v-001"]}
# Patterns whose meaning does not depend on how they are anchored (see test_patterns.py).
PATTERNS = ["[a-z]+", "v-[0-9]{3}", ".*", "[a-zəİı ]+", "[^A-Z]*"]


@st.composite
def fields(draw, index: int):
    kind = draw(st.sampled_from(list(CELLS)))
    constraints = {}
    for name in ("required", "unique"):
        if draw(st.integers(0, 3)) == 0:
            constraints[name] = True
    for name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if kind in BOUNDS and draw(st.integers(0, 3)) == 0:
            constraints[name] = draw(st.sampled_from(BOUNDS[kind]))
    if kind == "string":
        for name, sizes in (("minLength", (0, 3)), ("maxLength", (1, 5))):
            if draw(st.booleans()):
                constraints[name] = draw(st.integers(*sizes))
        if draw(st.booleans()):
            constraints["pattern"] = draw(st.sampled_from(PATTERNS))
    if draw(st.integers(0, 3)) == 0:
        constraints["enum"] = draw(st.lists(st.sampled_from(ENUMS[kind]), min_size=1, max_size=3, unique=True))
    return {"name": f"f{index}", "type": kind, **({"constraints": constraints} if constraints else {})}


@st.composite
def packages(draw):
    specs = [draw(fields(index)) for index in range(draw(st.integers(1, 3)))]
    rows = draw(st.lists(st.tuples(*(st.sampled_from(CELLS[spec["type"]]) for spec in specs)), min_size=1,
                         max_size=8))
    schema = {"fields": specs, **({"primaryKey": [specs[0]["name"]]} if draw(st.booleans()) else {})}
    return schema, rows


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(package=packages())
def test_random_packages_find_what_the_reference_finds(tmp_path_factory, package):
    schema, rows = package
    assert_conforms("random-packages", one_table_package(tmp_path_factory.mktemp("random-package"), schema, rows))
