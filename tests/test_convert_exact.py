"""Values that validated and then published changed (the sign of zero, digits
past the microsecond, a leap second, a year pushed past 9999 by its offset,
parts a custom format drops or invents, an infinite bound): each is now
published as written, or is a finding first. Small packages built here."""

import json
import math

import pytest

from test_hostile_inputs import checks, findings_of, people, published, write_package


def one_column(tmp_path, spec, values, **schema):
    fields = [{"name": "id", "type": "string"}, {"name": "x", **spec}]
    resource = people(fields)
    resource["schema"].update(schema)
    return write_package(tmp_path, [resource], {"people.csv": [["id", "x"]] + [[str(i), v] for i, v in
                                                                              enumerate(values)]})


def test_zero_is_published_as_zero_whatever_its_sign(tmp_path):
    # SQLite keeps a whole REAL as an integer, which has no sign: Parquet must agree.
    root = one_column(tmp_path, {"type": "number"}, ["-0", "-0.0", "0", "-0e5"])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    from_parquet = [row["x"] for row in parquet["people"]]
    from_sqlite = [x for (x,) in db.execute("select x from people order by rowid")]
    assert [math.copysign(1, x) for x in from_parquet + from_sqlite] == [1.0] * 8
    assert from_parquet == from_sqlite == [0.0] * 4


@pytest.mark.parametrize("spec, value", [
    ({"type": "datetime", "format": "%Y-%m-%dT%H:%M:%S.%f"}, "2020-01-01T00:00:00.123456789"),
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M:%S.%f"}, "2020-01-01 00:00:00.1234567"),
    ({"type": "datetime"}, "9999-12-31T23:59:59-01:00"),  # year 10000 in UTC
    ({"type": "datetime"}, "0001-01-01T00:00:00+01:00"),  # year 0 in UTC
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M%z"}, "9999-12-31 23:30-0100"),
])
def test_datetimes_published_changed_are_a_range_finding(tmp_path, spec, value):
    root = one_column(tmp_path, spec, [value])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "datetime-range")]
    assert f"x '{value}' is not a date and time" in findings[0]["message"]


def test_a_leap_second_is_not_a_time(tmp_path):
    # Frictionless (Python's datetime) refuses second 60; the engine would publish the next minute.
    root = one_column(tmp_path, {"type": "datetime"}, ["2016-06-15T12:30:60", "2016-06-15T12:30:59"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "type")]


def test_python_fraction_reads_the_digits_after_the_point(tmp_path):
    # Chrono's bare %f counts nanoseconds: .1234 would be 1234 ns, not 0.1234 s.
    root = one_column(tmp_path, {"type": "datetime", "format": "%Y-%m-%d %H:%M:%S.%f"},
                      ["2020-01-01 10:30:00.1234", "2020-01-01 10:30:00.123456"])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["x"].microsecond for row in parquet["people"]] == [123400, 123456]
    assert [x for (x,) in db.execute("select x from people order by rowid")] == [
        "2020-01-01T10:30:00.123400", "2020-01-01T10:30:00.123456"]


@pytest.mark.parametrize("spec, value, words", [
    ({"type": "date", "format": "%Y-%m-%d %H:%M"}, "2020-01-01 10:30", "%H, %M"),
    ({"type": "date", "format": "%Y-%m-%d%z"}, "2020-01-01+0100", "%z"),
    ({"type": "datetime", "format": "%H:%M"}, "10:30", "full date"),
    ({"type": "datetime", "format": "%m-%d %H:%M"}, "01-01 10:30", "full date"),
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M:%S%f"}, "2020-01-01 10:30:00123", "point"),
    ({"type": "date", "format": "%Y"}, "2017", "full date"),  # would be 2017-01-01
    ({"type": "date", "format": "%Y-%m"}, "2017-05", "full date"),
    ({"type": "date", "format": "%d.%m"}, "05.03", "full date"),  # would be 0001-03-05
    ({"type": "date", "format": "%d.%m.%y"}, "13.05.69", "two digits"),  # 1969 to Frictionless, 2069 here
    ({"type": "datetime", "format": "%x %H:%M"}, "05/13/45 10:00", "two digits"),  # 2045 to both
    ({"type": "datetime", "format": "%+"}, "2016-12-31T23:59:60Z", "leniently"),  # would be the next minute
    # Directives of the column engine that Python's strptime, and so Frictionless, does not read:
    # every cell of the release would be unreadable with its descriptor.
    ({"type": "date", "format": "%F"}, "2017-03-05", "%F, which Frictionless does not read"),
    ({"type": "datetime", "format": "%d/%m/%Y %T"}, "31/12/2016 12:30:00", "%T"),
    ({"type": "datetime", "format": "%Y-%m-%d %r"}, "2016-12-31 11:59:59 PM", "%r"),
    ({"type": "date", "format": "%v"}, "5-Mar-2017", "%v"),
    ({"type": "date", "format": "%e/%m/%Y"}, "5/03/2017", "%e"),
    ({"type": "date", "format": "%-d/%m/%Y"}, "5/03/2017", "%-d"),
    ({"type": "datetime", "format": "%s"}, "1494669600", "%s"),
    ({"type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%:z"}, "2017-05-13T10:00:00+04:00", "%:z"),
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M:%S%.f"}, "2017-05-13 10:00:00.5", "%.f"),
])
def test_a_format_that_drops_or_invents_parts_is_a_schema_finding(tmp_path, spec, value, words):
    root = one_column(tmp_path, spec, [value])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings if f["severity"] == "error"] == ["schema"]
    assert words in findings[0]["message"]


@pytest.mark.parametrize("spec, values, expected", [
    # Chrono reads 60 as a leap second, published as the next minute (2017-01-01T00:00:00).
    ({"type": "datetime", "format": "%Y-%m-%d %H:%M:%S"}, ["2016-12-31 23:59:60", "2016-12-31 23:59:00"],
     "seconds from 00 to 59"),
    # Chrono's %Y reads 1 to 4 digits: 17 would be published as the year 17.
    ({"type": "date", "format": "%d/%m/%Y"}, ["05/03/17", "05/03/0017"], "a four-digit year"),
    # The same inside the composite directives Python reads too.
    ({"type": "datetime", "format": "%c"}, ["Sat Dec 31 23:59:60 2016", "Sat Dec 31 23:59:00 2016"],
     "seconds from 00 to 59"),
    ({"type": "datetime", "format": "%Y-%m-%d %X"}, ["2016-12-31 23:59:60", "2016-12-31 23:59:59"],
     "seconds from 00 to 59"),
])
def test_a_value_a_custom_format_would_change_is_a_finding(tmp_path, spec, values, expected):
    root = one_column(tmp_path, spec, values)
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "type")]
    assert f"in the form {spec['format']}, with " in findings[0]["message"] and expected in findings[0]["message"]


@pytest.mark.parametrize("spec, value", [
    ({"type": "date", "format": "%d/%m/%Y"}, "31/12/2020"),
    ({"type": "datetime", "format": "%d/%m/%Y %H:%M"}, "31/12/2020 10:30"),
    ({"type": "datetime", "format": "%Y-%j %H:%M"}, "2020-366 10:30"),
])
def test_formats_that_keep_every_part_still_publish(tmp_path, spec, value):
    root = one_column(tmp_path, spec, [value])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert str(parquet["people"][0]["x"])[:10] == db.execute("select x from people").fetchone()[0][:10] == "2020-12-31"


@pytest.mark.parametrize("bounds", ['{"maximum": Infinity}', '{"minimum": -Infinity}', '{"maximum": 1e999}'])
def test_an_infinite_bound_is_a_schema_finding(tmp_path, bounds):
    root = one_column(tmp_path, {"type": "number", "constraints": {}}, ["5"])
    text = (root / "datapackage.json").read_text(encoding="utf-8")
    (root / "datapackage.json").write_text(text.replace('"constraints": {}', f'"constraints": {bounds}'),
                                           encoding="utf-8")
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings if f["severity"] == "error"] == ["schema"]
    assert "finite" in findings[0]["message"]


def test_the_release_descriptor_is_strict_json(tmp_path):
    from datapackage.publish.release import write_json

    with pytest.raises(ValueError):
        write_json(tmp_path / "datapackage.json", {"maximum": float("inf")})
    assert not (tmp_path / "datapackage.json").exists()
    write_json(tmp_path / "datapackage.json", {"maximum": 5})
    json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"), parse_constant=lambda c: 1 / 0)
