"""Integer, number, year, boolean and date cells against Frictionless's own
readers of those types, on random text: a value is read only where
Frictionless reads the same value, and a cell in the plain form of its type
is always read. Where Frictionless reads more (spaces around a number,
digits of other scripts, underscores), the
cell is a `type` finding here: stricter, never different."""

import os
import re

import polars as pl
import pytest
from frictionless import fields as reference_fields
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of, published

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
DIGITS = ["0", "1", "5", "9", "07", "2017"]
SIGNS = ["-", "+", "_", ".", ",", " ", "\t", "\xa0", "e", "E", "x", "%", "$", "€", "١", "²", "INF", "NaN"]


def reference_reader(spec: dict, field):
    """Frictionless's reader of the field `spec` declares (its options in snake case)."""
    options = {re.sub("([A-Z])", lambda m: "_" + m.group(1).lower(), k): v for k, v in spec.items() if k != "type"}
    return field(name="t", **options).create_value_reader()


def assert_never_read_otherwise(spec: dict, field, cells: list[str], plain: str, same=lambda value, read: value == read):
    """Each cell we read, Frictionless reads as the same value (`same`); each
    cell matching `plain` we read. A value left out by a range finding
    (integer-range, number-range: read, but not publishable) counts as read."""
    from datapackage.read.convert import convert

    read = reference_reader(spec, field)
    typed, *_ = convert({"name": "t", **spec}, pl.Series("t", cells), [""])
    for cell, failed, value in zip(cells, typed.failed, typed.values):
        expected = read(cell)
        if not failed:
            assert expected is not None and (value is None or same(value, expected)), (cell, value, expected)
        if re.fullmatch(plain, cell):
            assert not failed, cell


def texts(plain: str, pieces: list[str]):
    """Cells in the plain form, and cells of any pieces besides."""
    return st.lists(st.from_regex(plain, fullmatch=True) | st.lists(st.sampled_from(pieces), min_size=1,
                                                                    max_size=6).map("".join), min_size=1, max_size=40)


INTEGER = r"[+-]?[0-9]{1,15}"
# With bareNumber false: any text without digits, signs or points around it.
INTEGER_IN_TEXT = r"[^\d+\-.]{0,3}[+-]?[0-9]{1,15}[^\d.]{0,3}"
NUMBER = r"[+-]?([0-9]{1,8}(\.[0-9]{0,6})?|\.[0-9]{1,6})([eE][+-]?[0-9]{1,2})?"
NUMBER_IN_TEXT = r"[^\d+\-.]{0,3}[+-]?[0-9]{1,8}(\.[0-9]{1,6})?[^\d.]{0,3}"
GROUPED = r"[+-]?[0-9]{1,3}(\.[0-9]{3}){0,3}(,[0-9]{1,6})?"


def _same_number(value, read) -> bool:
    return value == float(read)


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(INTEGER, DIGITS + SIGNS))
def test_integers_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "integer"}, reference_fields.IntegerField, cells, INTEGER)


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(INTEGER_IN_TEXT, DIGITS + SIGNS))
def test_integers_in_text_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "integer", "bareNumber": False}, reference_fields.IntegerField, cells,
                                INTEGER_IN_TEXT)


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(NUMBER, DIGITS + SIGNS))
def test_numbers_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "number"}, reference_fields.NumberField, cells, NUMBER, _same_number)


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(NUMBER_IN_TEXT, DIGITS + SIGNS))
def test_numbers_in_text_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "number", "bareNumber": False}, reference_fields.NumberField, cells,
                                NUMBER_IN_TEXT, _same_number)


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(GROUPED, DIGITS + SIGNS))
def test_numbers_with_their_own_marks_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "number", "decimalChar": ",", "groupChar": "."},
                                reference_fields.NumberField, cells, GROUPED, _same_number)


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(r"[0-9]{3}[1-9]", DIGITS + SIGNS))
def test_years_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "year"}, reference_fields.YearField, cells, r"[0-9]{3}[1-9]")


BOOLEANS = ["true", "false", "True", "FALSE", "1", "0", "yes", "no", "y", "n", "Ja", "ja", " ", "t"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts("true|false|True|False|TRUE|FALSE|1|0", BOOLEANS))
def test_booleans_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "boolean"}, reference_fields.BooleanField, cells,
                                "true|false|True|False|TRUE|FALSE|1|0")


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts("y|Ja|n", BOOLEANS))
def test_declared_booleans_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "boolean", "trueValues": ["y", "Ja"], "falseValues": ["n"]},
                                reference_fields.BooleanField, cells, "y|Ja|n")


DAY = r"(20[0-2][0-9]|1[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
DATE_PIECES = ["2017", "2016", "0001", "9999", "10000", "-", "/", "05", "13", "02", "29", "30", "31", "00", "1",
               "T", "Z", " ", "+", "_", "x", "May"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(DAY, DATE_PIECES))
def test_dates_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "date"}, reference_fields.DateField, cells, DAY)


DAY_MONTH_YEAR = r"(0[1-9]|1[0-9]|2[0-8])/(0[1-9]|1[0-2])/(20[0-2][0-9]|1[0-9]{3})"


@settings(max_examples=EXAMPLES, deadline=None)
@given(cells=texts(DAY_MONTH_YEAR, DATE_PIECES))
def test_dates_in_a_format_as_the_reference_reads_them(cells):
    assert_never_read_otherwise({"type": "date", "format": "%d/%m/%Y"}, reference_fields.DateField, cells,
                                DAY_MONTH_YEAR)


def test_text_around_a_number_stops_at_a_digit_of_any_script(tmp_path):
    # Frictionless keeps the Arabic-Indic one of `١1%` (and reads 11); taking it
    # off with the percent sign would publish 1. Only ASCII digits are read here.
    for spec in ({"type": "integer", "bareNumber": False}, {"type": "number", "bareNumber": False}):
        (tmp_path / spec["type"]).mkdir()
        root = one_column(tmp_path / spec["type"], spec, ["١1%", "7%", "$ 95١", "USD 12"])
        code, findings = findings_of(root)
        assert code == 1 and checks(findings) == [("people.csv", 2, 2, "type"), ("people.csv", 4, 2, "type")]


# ------------------------------------------------------------ enum values written as JSON

@pytest.mark.parametrize("spec, cells, refused", [
    ({"type": "boolean", "trueValues": ["y"], "falseValues": ["n"], "constraints": {"enum": [True]}}, ["y", "n"], [3]),
    ({"type": "number", "decimalChar": ",", "constraints": {"enum": [2.5, "3,5"]}}, ["2,5", "3,5", "4,5"], [4]),
    ({"type": "year", "constraints": {"enum": [17, "2017"]}}, ["0017", "2017", "2016"], [4]),
    ({"type": "integer", "constraints": {"enum": [1.0, "2"]}}, ["1", "02", "3"], [4])])
def test_an_enum_value_written_as_json_is_the_value_it_is(tmp_path, spec, cells, refused):
    # As Frictionless reads it, whatever the field's trueValues or decimalChar: 17 is the year 17, 1.0 the integer 1.
    root = one_column(tmp_path, spec, cells)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", line, 2, "enum") for line in refused]
    (tmp_path / "valid").mkdir()
    valid = one_column(tmp_path / "valid", spec, [cell for line, cell in enumerate(cells, 2) if line not in refused])
    assert findings_of(valid) == (0, [])
    parquet, _ = published(valid)
    assert len(parquet["people"]) == len(cells) - len(refused)


@pytest.mark.parametrize("spec, expected", [
    ({"type": "date", "constraints": {"enum": ["2017-05-13", "2017-5-13"]}},
     'enum value "2017-5-13" is not a value of the field; expected a date written YYYY-MM-DD'),
    ({"type": "integer", "constraints": {"enum": [1, True]}}, "enum value true is not a value of the field"),
    ({"type": "integer", "constraints": {"enum": [1.5]}}, "expected a whole number"),
    ({"type": "boolean", "trueValues": ["y"], "falseValues": ["n"], "constraints": {"enum": ["true"]}},
     "expected one of y, or one of n"),
    ({"type": "year", "constraints": {"enum": [10000]}}, "expected a year written YYYY")])
def test_an_enum_value_no_cell_could_hold_is_a_schema_finding(tmp_path, spec, expected):
    # Left out silently, it would make the enum stricter than declared (and the message suggest it).
    root = one_column(tmp_path, spec, [])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["schema"] and expected in findings[0]["message"]
