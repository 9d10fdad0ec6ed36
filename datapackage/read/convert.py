"""Text cells to Table Schema types, once per column.

Each field's column is converted as the Table Schema says (missingValues,
bareNumber, groupChar, decimalChar, trueValues/falseValues, date and
datetime formats). A cell that fails conversion becomes null in the typed
column and is recorded, with the reason, as a conversion failure; every
later check and every output reads the typed column.

We are stricter than Frictionless in three deliberate ways: a number is
written with digits only (Python would also accept `2020_10` or spaces), an
integer must be exactly representable where it is published (|n| < 2**53,
the range of a JSON number), and so must a number: at most 15 significant
digits (what a 64-bit float gives back as written) and not NaN, which SQLite
stores as empty; listed in docs/conformance.md. Zero is published as 0 whatever
its sign (SQLite keeps no sign on a whole number). A time of day is written
as published (see `_times`).
"""

from __future__ import annotations

import re
import sys

from dataclasses import dataclass
from functools import cache

import polars as pl

from datapackage.dates import partial_date_bounds
from datapackage.read.formats import chrono_form, format_problem, has_fraction, leap_second_form, short_year_form

INTEGER = r"^[+-]?[0-9]+$"
NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:NaN|nan|[+-]?(?:INF|inf|Infinity))$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ISO_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?$"
# A time of day as Frictionless reads one (Python's isoparse after a date):
# a fraction after a point or a comma, of any length, and a time zone; or an
# hour alone with a zone written +hh:mm, which passes its test of the sixth
# character being a colon.
ISO_ZONE = r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)"
READ_TIME = (r"^(?:(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.,][0-9]+)?|24:00:00(?:[.,]0+)?)" + ISO_ZONE
             + r"?|(?:[01][0-9]|2[0-4])[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$")
# ... and as every published format holds one: a time of day to the microsecond, with no zone.
ISO_TIME = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?$"
# A year and month as Frictionless reads one: two whole numbers as Python's
# int() reads them (ASCII spaces around, a plus, underscores between digits)
# on either side of the one hyphen; and as published, sortable as text.
SPACES = r"[ \t\n\x0b\x0c\r]*"
WHOLE = SPACES + r"\+?[0-9](?:_?[0-9])*" + SPACES
READ_YEARMONTH = f"^{WHOLE}-{WHOLE}$"
ISO_YEARMONTH = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$"  # and not year 0000, which no calendar has
# A point as Frictionless reads one in the default form: two numbers as
# Python's Decimal reads them once every underscore is taken out (an
# exponent, no digit before the point) around the one comma, spaces around
# each; and as published: plain decimals.
DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
READ_POINT = f"^\\s*{DECIMAL}\\s*,\\s*{DECIMAL}\\s*$"
PLAIN_POINT = r"^-?[0-9]{1,3}(?:\.[0-9]+)?, ?-?[0-9]{1,2}(?:\.[0-9]+)?$"
# A duration as Frictionless reads one (isodate's pattern, whose `P(?!\b)`,
# something after the P, is said here by refusing a P alone; its `$` also
# lets a last line break through): kept as written, as text.
PART = "([0-9]+(?:[,.][0-9]+)?)"
DURATION = (f"^[+-]?P(?:{PART}Y)?(?:{PART}M)?(?:{PART}W)?(?:{PART}D)?(?:T(?:{PART}H)?(?:{PART}M)?(?:{PART}S)?)?\n?$")
# Days in each of its parts after the years and months (weeks, days, hours,
# minutes, seconds: the groups of DURATION from the third on), which Python's
# timedelta holds (below 10**9 days).
DAYS = (7, 1, 1 / 24, 1 / 1440, 1 / 86400)
SAFE_INTEGER = 2**53 - 1
SAFE_DIGITS = 15  # significant digits a 64-bit float keeps for any decimal number
SMALLEST_NORMAL, LARGEST = sys.float_info.min, sys.float_info.max  # a 64-bit float's normal range
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
EXPECTED = {
    "integer": "a whole number",
    "number": "a number",
    "boolean": "one of {true}, or one of {false}",
    "date": "a date written YYYY-MM-DD",
    "datetime": "a date and time written YYYY-MM-DDThh:mm:ss",
    "year": "a year written YYYY",
    "time": "a time of day written hh:mm:ss",
    "yearmonth": "a year and month written YYYY-MM",
    "geopoint": "a point written LON, LAT: longitude from -180 to 180, then latitude from -90 to 90",
    "duration": "a duration written as in ISO 8601, such as P5Y, P1Y6M or PT36H",
    "object": "a JSON object, such as {\"court\": \"Baku\"}",
    "array": "a JSON array, such as [\"Baku\", \"Ganja\"]",
    "geojson": "a GeoJSON object, such as {\"type\": \"Point\", \"coordinates\": [47.15, 40.34]}",
}
# What a `geojson` field of format topojson holds (Frictionless checks such cells
# against its TopoJSON profile, the others against its GeoJSON profile).
TOPOJSON = "a TopoJSON object, such as {\"type\": \"Topology\", \"objects\": {}, \"arcs\": []}"
JSON_OPENS = {"object": "{", "array": "["}  # the first character of each kind of JSON value
JSON_KINDS = (*JSON_OPENS, "geojson")  # the types of JSON, kept as written (text to every check of text)
# What minLength and maxLength count in a field of each type that does not count characters.
COUNTED = {"list": "items", "array": "items", "object": "keys"}
# The types of the items of a `list` field this toolkit reads (Table Schema's, but datetime:
# a list of them could mix times with and without their zone, which no release column holds).
ITEM_TYPES = ("string", "integer", "number", "boolean", "date", "time")
# The types written as text in a form, whose bounds and enum values are written alike.
WHAT = {"date": "date", "datetime": "date and time", "time": "time of day", "yearmonth": "year and month"}
# Those of them with custom formats (`format` with % directives, see formats.py).
CUSTOM_FORMATS = ("date", "datetime", "time")


# The checks that a value is published exactly as written, besides its type
# (each Converted result below names one and says what was expected).
EXACT_CHECKS = ("integer-range", "number-range", "datetime-range", "time-form", "yearmonth-form", "geopoint-form",
                "json-form")


@dataclass
class Converted:
    values: pl.Series  # typed, null where the cell is missing or failed
    failed: pl.Series  # bool: the cell has text that is not of the type
    reason: str  # what was expected, for the finding
    check: str = "type"
    items: pl.Series | None = None  # of a `list` field: the typed items of each cell (values keep the text)


def convert(spec: dict, text: pl.Series, missing_values: list[str]) -> list[Converted]:
    """The typed column of one field, plus extra results for fields whose
    checks need more than the type (range of integers, real calendar days)."""
    missing = text.is_in(missing_values) | text.is_null()
    kind = spec.get("type", "string")
    present = text.set(missing, None) if missing.any() else text
    if kind == "integer":
        return _integers(spec, present)
    if kind == "number":
        return _numbers(spec, present)
    if kind == "boolean":
        return [_booleans(spec, present)]
    if kind == "date":
        return [_dates(spec, present)]
    if kind == "datetime":
        return _datetimes(spec, present)
    if kind == "time":
        return _times(spec, present)
    if kind == "yearmonth":
        return _yearmonths(present)
    if kind == "geopoint":
        form = spec.get("format", "default")
        return _points(present) if form == "default" else _json_points(present, form)
    if kind == "duration":
        return [_durations(present)]
    if kind == "list":
        return _lists(spec, present)
    if kind in JSON_OPENS:
        return _json(kind, present)
    if kind == "geojson":
        return _geojson(spec.get("format", "default"), present)
    if kind == "year":
        ok = present.str.contains(r"^[0-9]{4}$")
        return [_result(present.cast(pl.Int64, strict=False).set(~ok.fill_null(True), None), present, "year")]
    return [Converted(present, pl.repeat(False, len(text), eager=True), "")]


def missing_values(schema: dict, spec: dict) -> list[str]:
    """The cells that stand for no value in a field: its own missingValues
    (Table Schema 2) in place of the schema's, as Frictionless reads them."""
    return missing_texts(missing_entries(schema, spec))


def missing_entries(schema: dict, spec: dict) -> list:
    """A field's missingValues as declared: its own, or the schema's."""
    own = spec.get("missingValues")
    return own if isinstance(own, list) else schema.get("missingValues", [""])


def missing_texts(entries: list) -> list[str]:
    """The texts of missingValues, which Table Schema 2 may also write as
    objects, `{"value": "-99", "label": "refused"}` (the schema check says
    when an entry is neither)."""
    texts = [entry.get("value") if isinstance(entry, dict) else entry for entry in entries]
    return [text for text in texts if isinstance(text, str)]


def missing_labels(entries: list) -> dict[str, str]:
    """What each labelled missing value stands for, such as {"-99": "refused"}."""
    return {entry["value"]: entry["label"] for entry in entries if isinstance(entry, dict)
            and isinstance(entry.get("value"), str) and isinstance(entry.get("label"), str)}


def typed_is_text(spec: dict, missing_values: list[str]) -> bool:
    """The typed column of this field is its text with the empty cells null,
    so the text can be given back from it (see `convert`)."""
    return spec.get("type", "string") not in EXPECTED and missing_values == [""]


def _result(values: pl.Series, present: pl.Series, kind: str, **words) -> Converted:
    failed = (present.is_not_null() & values.is_null()).alias("failed")
    return Converted(values, failed, EXPECTED[kind].format(**words))


def _bare(spec: dict, text: pl.Series, group: str | None = None) -> pl.Series:
    """Text without `group` characters and, when bareNumber is false, without
    leading and trailing non-numeric characters (such as % or a currency).
    A digit of any script stops the stripping, as in Frictionless: `١1%` is
    then no number here (only ASCII digits are), rather than 1."""
    if group:
        text = text.str.replace_all(group, "", literal=True)
    if spec.get("bareNumber", True) is False:
        text = text.str.replace(r"^[^\d+\-.]+", "").str.replace(r"[^\d.]+$", "")
    return text


def _integers(spec: dict, present: pl.Series) -> list[Converted]:
    # Table Schema's integer has no groupChar: Frictionless reads 1,000 as no
    # integer whatever the field declares, so a cell written so is not one
    # here either (the release's descriptor could not be read otherwise).
    text = _bare(spec, present)
    well_formed = text.str.contains(INTEGER).fill_null(False)
    values = text.set(~well_formed, None).cast(pl.Int64, strict=False)
    typed = _result(values, present, "integer")
    if spec.get("groupChar"):
        typed.reason += " written without groupChar, which Table Schema reads for numbers only"
    outside = values.is_not_null() & (values.abs() > SAFE_INTEGER)
    overflow = well_formed & values.is_null()
    range_failed = (outside | overflow).alias("failed")
    typed.failed = typed.failed & ~overflow
    typed.values = values.set(outside, None)
    limit = f"{SAFE_INTEGER:,}".replace(",", " ")
    return [typed, Converted(typed.values, range_failed,
                             f"a whole number from -{limit} to {limit}, which every published format holds exactly",
                             "integer-range")]


def _numbers(spec: dict, present: pl.Series) -> list[Converted]:
    text = _bare(spec, present, spec.get("groupChar"))
    decimal = spec.get("decimalChar", ".")
    if decimal != ".":
        text = text.str.replace_all(".", "\x00", literal=True).str.replace_all(decimal, ".", literal=True)
    well_formed = text.str.contains(NUMBER).fill_null(False)
    if spec.get("bareNumber", True) is False:
        well_formed = well_formed & ~_led_by_mark(present, decimal)
    spelled = text.str.replace(r"^\+?(INF|inf|Infinity)$", "inf").str.replace(r"^-(INF|inf|Infinity)$", "-inf")
    typed = _result(spelled.set(~well_formed, None).cast(pl.Float64, strict=False), present, "number")
    if spec.get("bareNumber", True) is False:
        typed.reason += f" with a digit before its decimal mark (Frictionless reads '{decimal}5%' as 5; write 0{decimal}5%)"
    # The digits from the first non-zero one to the last, whatever the point and exponent.
    digits = text.str.replace(r"[eE].*$", "").str.replace_all(r"[^0-9]", "").str.strip_chars("0").str.len_chars()
    values = typed.values
    # Beyond a 64-bit float's range a finite number would be published as an
    # infinity (1e400) or as zero (1e-400), and below its normal range with
    # fewer digits than written (4e-320): only the spelled infinities are one.
    infinite = values.is_infinite() & ~spelled.is_in(["inf", "-inf"])
    tiny = (values.abs() < SMALLEST_NORMAL) & (digits > 0)
    inexact = well_formed & ((digits > SAFE_DIGITS) | values.is_nan() | infinite | tiny).fill_null(False)
    # SQLite stores a REAL that is a whole number as an integer, which has no
    # sign: zero is published as 0 whatever its sign, the same in every format.
    typed.values = values.set(inexact, None).set((values == 0).fill_null(False), 0.0)
    return [typed, Converted(typed.values, inexact.alias("failed"),
                             f"a number of at most {SAFE_DIGITS} significant digits between {SMALLEST_NORMAL:.1e} "
                             f"and {LARGEST:.1e} in size, or 0, or INF, -INF (not NaN), which every published "
                             "format holds exactly", "number-range")]


def _led_by_mark(present: pl.Series, decimal: str) -> pl.Series:
    """Cells whose number starts with its decimal mark (`.5%`, `+.5`):
    text around a number is taken off up to a digit or a minus, as
    Frictionless does it, so the mark would go with it (5, not 0.5)."""
    return present.str.contains(f"^[^-\\d{re.escape(decimal)}]*{re.escape(decimal)}").fill_null(False)


def _booleans(spec: dict, present: pl.Series) -> Converted:
    true, false = spec.get("trueValues", TRUE_VALUES), spec.get("falseValues", FALSE_VALUES)
    values = pl.select(pl.when(present.is_in(true)).then(True)
                       .when(present.is_in(false)).then(False)
                       .otherwise(None).alias(present.name)).to_series()
    return _result(values, present, "boolean", true=", ".join(true), false=", ".join(false))


def _dates(spec: dict, present: pl.Series) -> Converted:
    form = spec.get("format", "default")
    if form == "default":
        ok = present.str.contains(ISO_DATE).fill_null(False)
        earliest, _, impossible = partial_date_bounds(present.set(~ok, None))
        values = earliest.set(impossible, None)
        return _result(values, present, "date")
    return _custom(present, "date", form)


def _custom(present: pl.Series, kind: str, form: str) -> Converted:
    """The column read with a custom format; every cell fails when the
    format itself would lose or invent part of the values (see formats.py)."""
    problem = format_problem(kind, form)
    dtype = {"date": pl.Date, "datetime": pl.Datetime("us"), "time": pl.Time}[kind]
    values = present.str.strptime(dtype, chrono_form(form), strict=False)
    values = values if kind == "time" else _from_year_one(values)
    if ".%f" in form:
        # Python's `.%f` needs the point and a digit; chrono's `%.f` reads a
        # value without them too: a cell read without it has no fraction.
        bare = present.set(values.is_null(), None).str.strptime(dtype, chrono_form(form.replace(".%f", "")),
                                                                 strict=False)
        values = values.set(bare.is_not_null(), None)
    if problem:
        values = values.clear(len(values))
    values, written = _as_written(present, values, dtype, form)
    result = _result(values, present, kind)
    result.reason = f"a {WHAT[kind]} in the form {form}{written}" + (f", and that format {problem}" if problem else "")
    return result


def _as_written(present: pl.Series, values: pl.Series, dtype, form: str) -> tuple[pl.Series, str]:
    """The values without those chrono reads changed (see formats.py), and
    what the message adds to the expected form. Each is read again only
    where it could be one: a year below 1000, a time on the minute."""
    words = []
    year_form = short_year_form(form) if dtype != pl.Time else None  # (a time format with a year is refused)
    if year_form:
        maybe = present.set(~(values.dt.year() < 1000).fill_null(False), None)
        same = (maybe.str.strptime(dtype, year_form, strict=False) == values).fill_null(False)
        values = values.set(maybe.is_not_null() & ~same, None)
        words.append("a four-digit year")
    second_form = leap_second_form(form) if dtype != pl.Date else None
    if second_form:
        maybe = present.set(~(values.dt.second() == 0).fill_null(False), None)
        values = values.set(maybe.str.strptime(dtype, second_form, strict=False).is_not_null(), None)
        words.append("seconds from 00 to 59")
    return values, ", with " + " and ".join(words) if words else ""


def _from_year_one(values: pl.Series) -> pl.Series:
    """Null before year 1, which no reader's calendar has (Python's date and
    datetime stop there), whatever the format read it."""
    return values.set((values.dt.year() < 1).fill_null(False), None)


def zone_free(spec: dict) -> bool:
    """Whether the field's datetimes may be written with or without a time
    zone (the default format): then a column holds one kind or the other
    (see `zoned` and the `datetime-zone` rule)."""
    return spec.get("type") == "datetime" and spec.get("format", "default") == "default"


def zoned(text: pl.Series) -> pl.Series:
    """For each datetime as written, whether it names its time zone."""
    return text.str.contains(r"(?:Z|[+-][0-9]{2}:[0-9]{2})$").fill_null(False)


def _datetimes(spec: dict, present: pl.Series) -> list[Converted]:
    form = spec.get("format", "default")
    if form == "default":
        # Year 0000 has no day in the calendars readers use (Python's datetime
        # cannot hold it), as for dates.
        ok = (present.str.contains(ISO_DATETIME) & ~present.str.starts_with("0000")).fill_null(False)
        text = present.set(~ok, None).str.replace(r"Z$", "+00:00")
        aware = text.str.contains(r"[+-][0-9]{2}:[0-9]{2}$").fill_null(False)
        values = pl.select(
            pl.when(aware.to_frame().to_series())
            .then(text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_unit="us", time_zone="UTC", strict=False))
            .otherwise(text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us", strict=False)
                       .dt.replace_time_zone("UTC"))
            .alias(present.name)).to_series()
        return _in_range(_result(values, present, "datetime"), present, fraction=True)
    return _in_range(_custom(present, "datetime", form), present, fraction=has_fraction(form))


def _in_range(typed: Converted, present: pl.Series, fraction: bool) -> list[Converted]:
    """The datetimes every published format holds exactly: Parquet and the
    typed column hold microseconds, and readers' calendars (Python's,
    pandas') years 1 to 9999, which an offset can push a time past
    (9999-12-31T23:59:59-01:00 is in year 10000 in UTC)."""
    values = typed.values
    finer = present.str.contains(r"\.[0-9]{7,}") if fraction else pl.repeat(False, len(present), eager=True)
    finer = (finer & values.is_not_null()).fill_null(False)
    outside = (~values.dt.year().is_between(1, 9999)).fill_null(False)
    typed.values = values.set(outside | finer, None)
    return [typed, Converted(typed.values, finer.alias("failed"),
                             "a date and time to the microsecond at most (6 digits after the seconds' point), "
                             "which every published format holds exactly", "datetime-range"),
            Converted(typed.values, outside.alias("failed"),
                      "a date and time within the years 0001 to 9999 once its time zone offset is applied "
                      "(in UTC), which every published format holds", "datetime-range")]


def _times(spec: dict, present: pl.Series) -> list[Converted]:
    """Times of day, written as published. Frictionless also reads a time
    zone, a comma before the fraction, more than six digits of it (dropping
    the rest) and 24:00:00 (as 00:00:00); Parquet's and Arrow's times of day
    have no zone and microseconds at most, so such a cell is a time
    (no `type` finding) that cannot be published as written (`time-form`)."""
    form = spec.get("format", "default")
    if form != "default":
        typed = _custom(present, "time", form)
        finer = present.str.contains(r"\.[0-9]{7,}") if has_fraction(form) else pl.repeat(False, len(present),
                                                                                           eager=True)
        refused = (finer & typed.values.is_not_null()).fill_null(False)
        typed.values = typed.values.set(refused, None)
        return [typed, Converted(typed.values, refused.alias("failed"),
                                 "a time of day to the microsecond at most (6 digits after the seconds' point), "
                                 "which every published format holds exactly", "time-form")]
    readable = present.str.contains(READ_TIME).fill_null(False)
    exact = present.str.contains(ISO_TIME).fill_null(False)
    values = present.set(~exact, None).str.to_time("%H:%M:%S%.f", strict=False)
    typed = Converted(values, (present.is_not_null() & ~readable).alias("failed"), EXPECTED["time"])
    return [typed, Converted(values, (readable & ~exact).alias("failed"),
                             "a time of day written hh:mm:ss, or hh:mm:ss.ffffff to the microsecond, from 00:00:00 "
                             "to 23:59:59 and with no time zone, which every published format holds as written "
                             "(a time zone goes in a field of its own)", "time-form")]


def _yearmonths(present: pl.Series) -> list[Converted]:
    """Years and months, published as the text YYYY-MM (no day is invented),
    which sorts as they do. Frictionless also reads 2017-5, 2017 - 05,
    +2017-05, 2_017-05, years of any length and year 0; such a cell is a
    year and month (no `type` finding) not written as published
    (`yearmonth-form`)."""
    month = present.str.split("-").list.last().str.strip_chars(" \t\n\x0b\x0c\r+").str.replace_all("_", "")
    readable = (present.str.contains(READ_YEARMONTH) & month.cast(pl.Int64, strict=False).is_between(1, 12))
    readable = readable.fill_null(False)
    exact = (present.str.contains(ISO_YEARMONTH) & ~present.str.starts_with("0000")).fill_null(False)
    typed = Converted(present.set(~exact, None), (present.is_not_null() & ~readable).alias("failed"),
                      EXPECTED["yearmonth"])
    return [typed, Converted(typed.values, (readable & ~exact).alias("failed"),
                             "a year and month written YYYY-MM, from 0001-01 to 9999-12, as published (so that "
                             "they sort as text)", "yearmonth-form")]


def _points(present: pl.Series) -> list[Converted]:
    """Points in the default form, typed as a longitude and a latitude (64-bit
    floats). Frictionless also reads exponents (4.987e1), underscores, a
    plus, spaces anywhere around the numbers and more digits than a float
    keeps; such a point is read (no `type` finding) but not published as
    written (`geopoint-form`): the release keeps the text and the numbers."""
    parts = [present.str.split(",").list.get(i, null_on_oob=True) for i in (0, 1)]
    lon, lat = (part.str.strip_chars().str.replace_all("_", "").cast(pl.Float64, strict=False) for part in parts)
    readable = present.str.replace_all("_", "").str.contains(READ_POINT) & lon.is_between(-180, 180)
    readable = (readable & lat.is_between(-90, 90)).fill_null(False)
    # The digits from the first non-zero one to the last, as for numbers.
    lon_digits, lat_digits = (part.str.replace_all(r"[^0-9]", "").str.strip_chars("0").str.len_chars()
                              for part in parts)
    plain = present.str.contains(PLAIN_POINT) & (lon_digits <= SAFE_DIGITS) & (lat_digits <= SAFE_DIGITS)
    exact = (readable & plain).fill_null(False)
    values = pl.DataFrame({"lon": lon.set(~exact, None), "lat": lat.set(~exact, None)}).to_struct(present.name)
    values = values.set(~exact, None)
    typed = Converted(values, (present.is_not_null() & ~readable).alias("failed"), EXPECTED["geopoint"])
    return [typed, Converted(values, (readable & ~exact).alias("failed"),
                             f"a point written LON, LAT in plain decimal degrees (49.87, 40.41), each number of at "
                             f"most {SAFE_DIGITS} significant digits, which every published format holds exactly",
                             "geopoint-form")]


def _durations(present: pl.Series) -> Converted:
    """Durations, kept as written. Frictionless reads one with Python's
    timedelta, which holds less than 10**9 days (back to -999,999,999 days
    exactly): a longer one is no duration."""
    parts = present.str.extract_groups(DURATION).struct.unnest()
    numbers = [parts[name].str.replace(",", ".").cast(pl.Float64).fill_null(0) for name in parts.columns[2:]]
    days = sum(number * size for number, size in zip(numbers, DAYS))
    negative = present.str.starts_with("-")
    held = pl.select(pl.when(negative).then(days <= 10**9 - 1).otherwise(days < 10**9)).to_series()
    readable = present.str.contains(DURATION) & ~present.str.contains("^[+-]?P\n?$") & held
    readable = readable.fill_null(False)
    return Converted(present.set(~readable, None), (present.is_not_null() & ~readable).alias("failed"),
                     EXPECTED["duration"])


def _lists(spec: dict, present: pl.Series) -> list[Converted]:
    """Lists (Table Schema v2): the cell split at each `delimiter`, each item
    read as a cell of `itemType` (but with no missing values: an empty item
    of a number is none), as Frictionless reads them; Python's int() and
    Decimal, with which it reads numbers, take the spaces around them. The
    column keeps the text as written; `items` holds the typed lists, null
    where the cell is empty or an item is not of its type."""
    kind, delimiter = spec.get("itemType", "string"), spec.get("delimiter", ",")
    cells = pl.DataFrame({"row": pl.int_range(len(present), eager=True), "item": present.str.split(delimiter)})
    spread = cells.explode("item")
    text = spread["item"].str.strip_chars(" \t\n\x0b\x0c\r") if kind in ("integer", "number") else spread["item"]
    results = convert({"name": spec["name"], "type": kind}, text, [])

    def per_cell(item_failed: pl.Series) -> pl.Series:
        failed = spread.select("row", item_failed.alias("failed")).group_by("row", maintain_order=True).agg(
            pl.col("failed").any())
        return cells.select("row").join(failed, on="row", how="left")["failed"].fill_null(False) & present.is_not_null()

    typed = results[0].values.rename("item")
    lists = spread.select("row", typed).group_by("row", maintain_order=True).agg("item")
    lists = cells.select("row").join(lists, on="row", how="left")["item"].rename(present.name)
    refused = [per_cell(result.failed) for result in results]
    wrong = pl.select(pl.any_horizontal(refused)).to_series() if refused else present.is_null()
    items = lists.set(present.is_null() | wrong, None)
    expected = f"a list of items separated by '{delimiter}', each {EXPECTED.get(kind, 'text')}"
    typed_result = Converted(present, refused[0].alias("failed"), expected, items=items)
    return [typed_result] + [Converted(present, failed.alias("failed"), f"items each {result.reason}", result.check)
                             for result, failed in zip(results[1:], refused[1:])]


def _json(kind: str, present: pl.Series) -> list[Converted]:
    """JSON objects or arrays, kept as written. The column engine parses the
    cells at once; the few it refuses are parsed again as Frictionless does
    (Python's json), which also reads NaN and Infinity, values no JSON has:
    those are a `json-form` finding, as is what Python reads and the JSON
    standard does not (a lone surrogate)."""
    opens = present.str.strip_chars(" \t\n\r").str.starts_with(JSON_OPENS[kind]).fill_null(False)
    parsed = present.str.json_path_match("$").is_not_null() & opens
    again = present.filter(present.is_not_null() & ~parsed & opens).unique().to_list()
    readable_only = {cell for cell in again if _python_reads(cell, strict=False) and not _python_reads(cell, strict=True)}
    strict = {cell for cell in again if _python_reads(cell, strict=True)}
    exact = (parsed | present.is_in(list(strict))).fill_null(False)
    refused = present.is_in(list(readable_only)).fill_null(False)
    typed = Converted(present, (present.is_not_null() & ~exact & ~refused).alias("failed"), EXPECTED[kind])
    return [typed, Converted(present, refused.alias("failed"),
                             f"{EXPECTED[kind]} as the JSON standard writes it (no NaN or Infinity, no lone half "
                             "of a character), which every reader of the release parses", "json-form")]


def _geojson(form: str, present: pl.Series) -> list[Converted]:
    """GeoJSON (format default) or TopoJSON objects, kept as written: JSON
    objects (see `_json`) that the profile Frictionless checks them against
    accepts. Each distinct cell is checked once, in Python (about 0.2 ms a
    cell: 20,000 distinct points took 4.2 s), as Frictionless checks them."""
    import json

    typed, written = _json("object", present)
    validator = _profile_validator(form)
    readable = present.filter(present.is_not_null() & ~typed.failed).unique().to_list()
    refused = [cell for cell in readable if not _conforms(validator, json.loads(cell))]
    failed = typed.failed | present.is_in(refused).fill_null(False)
    expected = TOPOJSON if form == "topojson" else EXPECTED["geojson"]
    return [Converted(present, failed.alias("failed"), expected),
            Converted(present, written.failed, written.reason.replace(EXPECTED["object"], expected), written.check)]


@cache
def _profile_validator(form: str):
    # Frictionless's own profiles and JSON Schema validator, so that a cell is
    # GeoJSON exactly where it says so.
    from frictionless import settings
    from frictionless.platform import platform

    profile = settings.TOPOJSON_PROFILE if form == "topojson" else settings.GEOJSON_PROFILE
    return platform.jsonschema_validators.validator_for(profile)(profile)


def _conforms(validator, value) -> bool:
    try:
        return validator.is_valid(value)
    except RecursionError:  # nesting too deep to check, which Frictionless reads as no value
        return False


def _python_reads(cell: str, strict: bool) -> bool:
    """Whether Python's json reads the cell (`strict`: without NaN or
    Infinity, and to text that can be written as UTF-8)."""
    import json

    def refuse(constant):
        raise ValueError(constant)
    try:
        value = json.loads(cell, parse_constant=refuse if strict else None)
        if strict:
            json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate cannot be
    except (ValueError, RecursionError, UnicodeEncodeError):
        return False
    return True


def _json_points(present: pl.Series, form: str) -> list[Converted]:
    """Points written as JSON, `[LON, LAT]` (format array) or `{"lon": LON,
    "lat": LAT}` (format object), read as Frictionless reads them: Python's
    json, then each number as a Decimal, which also takes text ("49.87") and
    true or false (1 and 0). Such a point, or one of more digits than a
    float keeps, is a `geopoint-form` finding; each distinct cell is parsed once."""
    read = {cell: _json_point(cell, form) for cell in present.drop_nulls().unique().to_list()}
    cells = list(read)
    lon, lat = (present.replace_strict(cells, [read[c][i] for c in cells], default=None, return_dtype=pl.Float64)
                for i in (0, 1))
    readable = present.is_in([cell for cell, point in read.items() if point[2]]).fill_null(False)
    exact = present.is_in([cell for cell, point in read.items() if point[3]]).fill_null(False)
    values = pl.DataFrame({"lon": lon.set(~exact, None), "lat": lat.set(~exact, None)}).to_struct(present.name)
    values = values.set(~exact, None)
    shown = "[49.87, 40.41]" if form == "array" else '{"lon": 49.87, "lat": 40.41}'
    typed = Converted(values, (present.is_not_null() & ~readable).alias("failed"),
                      f"a point written {shown}: longitude from -180 to 180, then latitude from -90 to 90")
    return [typed, Converted(values, (readable & ~exact).alias("failed"),
                             f"a point written {shown} with numbers (not text, true or false) of at most "
                             f"{SAFE_DIGITS} significant digits, which every published format holds exactly",
                             "geopoint-form")]


def _json_point(cell: str, form: str) -> tuple[float | None, float | None, bool, bool]:
    """(longitude, latitude, read as Frictionless reads it, written as published)."""
    import json
    from decimal import Decimal

    def pair(value):
        if form == "array":
            lon, lat = value
            return lon, lat
        if len(value) != 2:
            raise ValueError(cell)
        return value["lon"], value["lat"]
    try:
        point = tuple(Decimal(v) for v in pair(json.loads(cell)))
        if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            return None, None, False, False
    except Exception:  # whatever Frictionless's reader refuses, it refuses by an exception
        return None, None, False, False
    # As written: numbers (not text, true or false) of as many digits as a float keeps.
    written = pair(json.loads(cell, parse_float=Decimal, parse_int=Decimal))
    plain = all(isinstance(v, Decimal) and len(v.normalize().as_tuple().digits) <= SAFE_DIGITS for v in written)
    return float(point[0]), float(point[1]), True, plain
