"""What the tests of the types written in a form (time, yearmonth, geopoint, duration, JSON)
share: a cell Frictionless reads that is not published as written, and
random cells compared with Frictionless's own reader of the type."""

import polars as pl

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of


def form_finding(tmp_path, spec: dict, value: str, good: str, check: str | None = None) -> str:
    """The message of the one finding about `value` in a column of `value`
    and `good` (written as published): a `<type>-form` finding, or `check`."""
    root = one_column(tmp_path, spec, [value, good])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, check or f"{spec['type']}-form")]
    return findings[0]["message"]


def assert_read_as_the_reference(spec: dict, reference_field, cells: list[str], same=None) -> None:
    """A `type` finding exactly where Frictionless reads no value, and a
    typed value only where it is published as written and `same(value,
    what Frictionless reads)`. With no `same`, the type is kept as written:
    the value is the cell, and a cell no standard reader parses is the
    other finding's (such as `json-form`)."""
    from datapackage.read.convert import convert

    read = reference_field(name="t", **{k: v for k, v in spec.items() if k != "type"}).create_value_reader()
    typed, *written = convert({"name": "t", **spec}, pl.Series("t", cells), [""])
    refusals = written[0].failed if written else [False] * len(cells)  # a type kept as written refuses nothing
    for cell, failed, value, refused in zip(cells, typed.failed, typed.values, refusals):
        expected = read(cell)
        assert failed == (expected is None), cell
        if same is None:
            assert value is None or value == cell, cell
        else:
            assert value is None or (not refused and same(value, expected)), cell
