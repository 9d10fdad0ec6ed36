"""Random small packages against the reference: fields of the core types,
dates and times, lists, points, durations and JSON, with random options (decimal and group marks, bareNumber, true and false
values, a date format, missingValues of the schema or the field) and random
constraints (required, unique, bounds, lengths, patterns, enums written as
JSON values), a primary key of one field or two, or none, a foreign key to
another table or to the same one, or none, and cells of every kind, valid or
not. Both validators must report the same cells, through the same comparison
as the conformance corpus (test_conformance.assert_conforms).

Left out, each a deliberate difference docs/conformance.md lists and a test
of its own covers: forms of a type we are stricter about (test_core_types.py,
test_patterns.py, `24:00:00`) and an empty cell in a key of two fields
(every key field is required: corpus/composite-key-partly-empty). A column of
datetimes with and without time zones is a datetime-zone finding of ours, and
its cells are still compared as Frictionless compares them (with the zone).

A second test writes the file's bytes at random: quoted cells holding
delimiters, line breaks and quotes, quotes inside unquoted cells, empty and
blank lines, rows with too few or too many cells, cells of or led by spaces,
LF, CRLF or CR line endings mixed, a byte order mark or none, and a comma,
semicolon, tab or bar between cells with a double or single quote around
them. The dialect is declared (Frictionless otherwise
guesses which line is the header), and a row with too few cells ends with a
quoted cell: an unquoted one followed by the rest of its row is read as one
row cut by a typed line break (bad-input/line_break_unquoted). A third
writes headers at random against the schema's names: renamed, blank,
repeated, padded with spaces, too few or too many labels. A fourth refers
from one table to another by one or two fields, keyed or not, with cells
that match in another form (`01`, `1.0`), do not match, are empty or of no
value; and valid ones of them are published, whichever table comes first.
A fifth writes packages that are valid, publishes them, and reads the Parquet
files and the SQLite database back: every value is the one Frictionless reads
from the CSV (in Parquet a date as a timestamp at midnight, in SQLite dates
and times as ISO 8601 text, a year and month as its text, and lists, points,
durations and JSON in SQLite, durations and JSON in Parquet too, as written,
as the release publishes them). A sixth publishes the valid ones of the second's files:
Frictionless reads from the release's CSVs, as its descriptor describes them, the rows it
reads from the package. The suite runs FUZZ_EXAMPLES packages of each (25 by default)."""

import datetime
import decimal
import json
import math
import os
import sqlite3

import isodate
import pyarrow.parquet as pq
from frictionless import Package as Reference
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import invoke
from test_conformance import assert_conforms, v2_package

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Cells of each type, some of them no value of it ("x"), or a missing value ("", "NA", "-").
CELLS = {
    "integer": ["0", "1", "-1", "7", "10", "42", "01", "x", "1.5", "9007199254740991"],
    "number": ["0", "0.1", "0.10", "0.3", "2.5", "-1", "1e3", "1E-2", "10", "1.0", "-0", "INF", "-INF", "x"],
    "string": ["a", "ab", "abc", "v-001", "V-001", "ə", "İlham", "ılıq", "x y", "a longer text"],
    "boolean": ["true", "false", "1", "0", "True", "FALSE", "x"],
    "date": ["2017-05-13", "2017-05-12", "2020-02-29", "2021-02-29", "0001-01-01", "x"],
    "year": ["2017", "2016", "0001", "9999", "x"],
    "time": ["10:00:00", "23:59:59", "00:00:00", "10:00", "x"],
    "yearmonth": ["2017-05", "2017-12", "2017-13", "x"],
    "datetime": ["2017-05-13T10:00:00", "2017-05-13T23:59:59", "2017-05-13", "x"],
    "list": ["a,b", "a", "1,2,3", "x, y"],
    "geopoint": ["47.1, 40.3", "47.1,40.3", "200, 1", "x"],
    "duration": ["P1Y", "PT36H", "P1Y2M3DT4H5M6S", "x", "P"],
    "object": ['{"a": 1}', "{}", "[1]", "x", '{"a": {"b": 2}}'],
    "array": ["[1, 2]", "[]", '{"a": 1}', "x", '["a"]'],
}
# Kinds counted in items or keys by minLength and maxLength, and with no unique (not supported).
COUNTED = ("list", "object", "array")
MISSING = ["", "NA", "-"]
# Cells a field's options read, beside the plain ones.
OPTIONS = {
    "number": [({"decimalChar": ",", "groupChar": "."}, ["2,5", "1.000,5", "-0,1"]),
               ({"bareNumber": False}, ["5%", "€7", "2.5 USD"])],
    "integer": [({"bareNumber": False}, ["5%", "$7", "42 km"])],
    "boolean": [({"trueValues": ["y", "true"], "falseValues": ["n"]}, ["y", "n", "Y"])],
    "date": [({"format": "%d/%m/%Y"}, ["13/05/2017", "31/02/2017", "1/5/2017"])],
}
BOUNDS = {"integer": [0, 1, 7, 10, -1], "number": [0, 0.1, 0.3, 2.5, 1e3, -1, 10], "year": [1, 7, 2016, 2017, 9999],
          "date": ["2017-05-12", "2017-05-13", "2020-01-01"], "time": ["10:00:00", "12:00:00"],
          "yearmonth": ["2017-05", "2017-06"], "datetime": ["2017-05-13T10:00:00", "2017-05-13T12:00:00"]}
# Allowed values as a schema writes them: JSON numbers and booleans, or text as a cell would be.
ENUMS = {"integer": [0, 1, 7, 42, "10", 1.0], "number": [0.1, 2.5, 10, 1e3], "year": [2017, 1, "2016"],
         "boolean": [True, False], "date": ["2017-05-13", "2020-02-29"], "string": ["a", "abc", "İlham", "v-001"],
         "time": ["10:00:00", "23:59:59"], "yearmonth": ["2017-05"], "datetime": ["2017-05-13T10:00:00"]}
# Patterns whose meaning does not depend on how they are anchored (see test_patterns.py).
PATTERNS = ["[a-z]+", "v-[0-9]{3}", ".*", "[a-zəİı ]+", "[^A-Z]*"]


@st.composite
def fields(draw, index: int, key: bool):
    """A field and the cells it may hold. A field of a key of two takes no
    missing value (each is required)."""
    kind = draw(st.sampled_from([k for k in CELLS if index > 1 or k not in COUNTED]))  # f0 and f1 may be keys
    spec, cells = {"name": f"f{index}", "type": kind}, list(CELLS[kind])
    if kind in OPTIONS and draw(st.booleans()):
        options, read = draw(st.sampled_from(OPTIONS[kind]))
        spec.update(options)
        cells += read
    # Datetimes with time zones (every cell and bound of the column), or some with and some
    # without (a datetime-zone finding of ours), compared with the zone: no bound then, which
    # Frictionless cannot compare with both.
    zone = draw(st.sampled_from(["none", "all", "mixed"])) if kind == "datetime" else "none"
    if zone != "none":
        zoned = [c + "Z" for c in cells if "T" in c] + ["2017-05-13T14:00:00+04:00"]
        cells = zoned + [c for c in cells if "T" not in c] + (cells if zone == "mixed" else [])
    if not key and draw(st.integers(0, 4)) == 0:
        spec["missingValues"] = draw(st.sampled_from([["-"], ["", "NA"], ["x"]]))
    constraints = _constraints(draw, kind, lambda value: _written(spec, value, zone == "all"), zone != "mixed")
    if constraints:
        spec["constraints"] = constraints
    return spec, cells if key else cells + MISSING


def _written(spec: dict, value, zone: bool):
    """A bound or allowed value written as the field writes its cells."""
    if spec.get("format") == "%d/%m/%Y":
        return "/".join(reversed(value.split("-")))
    return value + "Z" if zone else value


def _constraints(draw, kind: str, written, bounded: bool = True) -> dict:
    constraints = {name: True for name in ("required", "unique") if draw(st.integers(0, 3)) == 0
                   and not (name == "unique" and kind in COUNTED)}
    for name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if kind in BOUNDS and bounded and draw(st.integers(0, 3)) == 0:
            constraints[name] = written(draw(st.sampled_from(BOUNDS[kind])))
    if kind == "string" or kind in COUNTED:
        for name, sizes in (("minLength", (0, 3)), ("maxLength", (1, 5))):
            if draw(st.booleans()):
                constraints[name] = draw(st.integers(*sizes))
    if kind == "string" and draw(st.booleans()):
        constraints["pattern"] = draw(st.sampled_from(PATTERNS))
    if kind in ENUMS and draw(st.integers(0, 3)) == 0:
        values = draw(st.lists(st.sampled_from(ENUMS[kind]), min_size=1, max_size=3, unique=True))
        constraints["enum"] = [written(v) if kind in ("date", "datetime") else v for v in values]
    return constraints


@st.composite
def packages(draw):
    """(descriptor's resources, {file: rows}) of a table t and perhaps a table u it refers to."""
    keyed = draw(st.sampled_from([0, 1, 2]))  # fields in t's primary key
    drawn = [draw(fields(i, key=keyed == 2 and i < 2)) for i in range(draw(st.integers(max(keyed, 1), 3)))]
    specs = [spec for spec, _ in drawn]
    rows = draw(st.lists(st.tuples(*(st.sampled_from(cells) for _, cells in drawn)), min_size=1, max_size=8))
    schema = {"fields": specs, **({"primaryKey": [s["name"] for s in specs[:keyed]]} if keyed else {})}
    resources, tables = [{"name": "t", "path": "t.csv", "schema": schema}], {}
    reference = draw(st.sampled_from(["none", "other", "self"]))
    if reference == "other":  # u's key: values t's first field may hold, of its type and options
        kind = {k: v for k, v in specs[0].items() if k not in ("name", "constraints", "missingValues")}
        pool = [c for c in drawn[0][1] if c not in MISSING]
        if kind["type"] == "datetime" and draw(st.booleans()):  # u's times with zones where t's have none, or not
            pool = [c.removesuffix("Z") if c.endswith("Z") else c + "Z" if "T" in c else c
                    for c in pool if "+" not in c]
        keys = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        resources.append({"name": "u", "path": "u.csv", "schema": {"fields": [{"name": "k", **kind}],
                                                                 "primaryKey": ["k"]}})
        tables["u.csv"] = [["k"]] + [[k] for k in keys]
        schema["foreignKeys"] = [{"fields": [specs[0]["name"]], "reference": {"resource": "u", "fields": ["k"]}}]
    elif reference == "self" and keyed == 1 and len(specs) > 1 and specs[1]["type"] == specs[0]["type"]:
        schema["foreignKeys"] = [{"fields": [specs[1]["name"]], "reference": {"resource": "", "fields": ["f0"]}}]
    return resources, {"t.csv": [[s["name"] for s in specs]] + [list(r) for r in rows], **tables}


@FUZZ
@given(package=packages())
def test_random_packages_find_what_the_reference_finds(tmp_path_factory, package):
    resources, tables = package
    assert_conforms("random-packages", v2_package(tmp_path_factory.mktemp("random-package"), resources, tables))


# ------------------------------------------------------------ the bytes of the file

CELL_TEXTS = ["a", "b c", "1", "", 'Qq, rQ', "QxNyQ", "QxRNyQ", "Qhe said QQhiQQQ", "QQ", "ə", "İ", "x'y", 'x"y',
              " ", " a"]
QUOTED = ["QaQ", "QQ", "QxNyQ"]


@st.composite
def files(draw):
    """(field types, dialect, the file's text) of a table of one to three
    columns, in cells written with Q for the quote and , for the delimiter."""
    delimiter, quote = draw(st.sampled_from([",", ";", "\t", "|"])), draw(st.sampled_from(['"', "'"]))
    types = draw(st.lists(st.sampled_from(["string", "string", "integer"]), min_size=1, max_size=3))
    text = draw(st.sampled_from(["", "\ufeff"])) + ",".join(f"f{i}" for i in range(len(types)))
    ends = st.sampled_from(["\n", "\r\n", "\r"])
    for _ in range(draw(st.integers(1, 6))):
        shape = draw(st.sampled_from(["row"] * 6 + ["blank", "short", "long"]))
        count = len(types) + {"row": 0, "short": -1, "long": 1, "blank": 0}[shape]
        cells = draw(st.lists(st.sampled_from(CELL_TEXTS), min_size=max(count, 1), max_size=max(count, 1)))
        if shape == "short" or count == 0:
            cells[-1] = draw(st.sampled_from(QUOTED))
        text += draw(ends) + ("" if shape == "blank" else ",".join(cells))
    text += draw(st.sampled_from(["", "\n", "\r\n", "\r"]))
    written = text.replace(",", delimiter).replace("Q", quote).replace("N", "\n").replace("R", "\r")
    return types, {"delimiter": delimiter, "quoteChar": quote, "headerRows": [1]}, written


@FUZZ
@given(file=files())
def test_random_files_find_what_the_reference_finds(tmp_path_factory, file):
    types, dialect, text = file
    root = tmp_path_factory.mktemp("random-file")
    schema = {"fields": [{"name": f"f{i}", "type": kind} for i, kind in enumerate(types)]}
    resource = {"name": "t", "path": "t.csv", "dialect": dialect, "schema": schema}
    descriptor = v2_package(root, [resource], {})
    (root / "t.csv").write_bytes(text.encode("utf-8"))
    findings = json.loads(invoke("validate", "--format", "json", cwd=root).stdout)
    # Spaces after a delimiter that Frictionless would guess are padding: a finding
    # of their own, and its reading differs (tests/test_bad_inputs.py).
    assume(not any(f["check"] == "dialect" for f in findings))
    assert_conforms("random-files", descriptor)


# ------------------------------------------------------------ the header

LABELS = ["f0", "f1", "f2", "F0", "f0 ", " f1", "", " ", "g", "x y", "ə"]


@st.composite
def headers(draw):
    """(fields, rows) of a table whose header is the schema's names with one
    changed, or labels at random: renamed, blank, repeated, padded with
    spaces, too few or too many."""
    types = draw(st.lists(st.sampled_from(["string", "integer"]), min_size=1, max_size=3))
    if draw(st.booleans()):
        header = [f"f{i}" for i in range(len(types))]
        header[draw(st.integers(0, len(types) - 1))] = draw(st.sampled_from(LABELS))
    else:
        header = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4))
    pools = [["a", "b", ""] if i < len(types) and types[i] == "string" else ["1", "x", ""] for i in range(len(header))]
    rows = draw(st.lists(st.tuples(*(st.sampled_from(pool) for pool in pools)), max_size=3))
    required = draw(st.booleans())
    fields = [{"name": f"f{i}", "type": kind, **({"constraints": {"required": True}} if required and not i else {})}
              for i, kind in enumerate(types)]
    return fields, [header] + [list(row) for row in rows]


@FUZZ
@given(table=headers())
def test_random_headers_find_what_the_reference_finds(tmp_path_factory, table):
    fields, rows = table
    root = tmp_path_factory.mktemp("random-header")
    resource = {"name": "t", "path": "t.csv", "dialect": {"delimiter": ",", "headerRows": [1]}, "schema": {"fields": fields}}
    descriptor = v2_package(root, [resource], {"t.csv": rows})
    labels, names = [label.strip() for label in rows[0]], [field["name"] for field in fields]
    if len(set(labels)) == len(labels) and all(labels) and any(
            label in names and names.index(label) != i for i, label in enumerate(labels)):
        # Columns out of the schema's order: one finding, the rows unchecked (bad-input/moved_column).
        findings = json.loads(invoke("validate", "--format", "json", cwd=root).stdout)
        assert [(f["line"], f["check"]) for f in findings] == [(1, "header")]
        return
    assert_conforms("random-headers", descriptor)


# ------------------------------------------------------------ foreign keys of one or two fields

KEY_CELLS = {"integer": ["1", "01", "2", "x", ""], "string": ["1", "a", "01", "", "A"],
             "number": ["1", "1.0", "2.5", ""], "date": ["2017-05-13", "2017-05-12", ""],
             "boolean": ["true", "1", "false", ""], "year": ["2017", "0017", "17", ""]}


@st.composite
def referring(draw):
    """(resources, tables): t refers to u by one or two fields of the same
    types, u keyed by them (a primary key, a unique field) or not; cells that
    match, match in another form, do not match, are empty or of no value."""
    kinds = draw(st.lists(st.sampled_from(list(KEY_CELLS)), min_size=1, max_size=2))
    keyed = draw(st.sampled_from(["primary", "unique", "none"]))
    theirs = [{"name": f"k{i}", "type": kind} for i, kind in enumerate(kinds)]
    if keyed == "unique" and len(kinds) == 1:
        theirs[0]["constraints"] = {"unique": True}
    u = {"fields": theirs + [{"name": "z", "type": "string"}],
         **({"primaryKey": [f["name"] for f in theirs]} if keyed == "primary" else {})}
    mine = [{"name": f"a{i}", "type": kind} for i, kind in enumerate(kinds)]
    t = {"fields": mine, "foreignKeys": [{"fields": [f["name"] for f in mine],
                                          "reference": {"resource": "u", "fields": [f["name"] for f in theirs]}}]}
    keys = draw(st.lists(st.tuples(*(st.sampled_from([c for c in KEY_CELLS[k] if c or keyed == "none"])
                                     for k in kinds)), min_size=1, max_size=4))
    rows = draw(st.lists(st.tuples(*(st.sampled_from(KEY_CELLS[k]) for k in kinds)), min_size=1, max_size=5))
    return ([{"name": "t", "path": "t.csv", "schema": t}, {"name": "u", "path": "u.csv", "schema": u}],
            {"t.csv": [[f["name"] for f in mine]] + [list(r) for r in rows],
             "u.csv": [[f["name"] for f in theirs] + ["z"]] + [list(k) + ["z"] for k in keys]})


@FUZZ
@given(package=referring())
def test_random_foreign_keys_find_what_the_reference_finds(tmp_path_factory, package):
    resources, tables = package
    assert_conforms("random-foreign-keys", v2_package(tmp_path_factory.mktemp("random-keys"), resources, tables))


KEY_VALUES = {"integer": ["1", "2", "3"], "string": ["a", "b", "ə"], "date": ["2017-05-12", "2017-05-13"],
              "year": ["2016", "2017"]}


@st.composite
def valid_referring(draw):
    """(resources, tables) of a table t whose every key is a key of u, by one
    or two fields, u keyed or not, either table listed first."""
    kinds = draw(st.lists(st.sampled_from(list(KEY_VALUES)), min_size=1, max_size=2))
    keys = draw(st.lists(st.tuples(*(st.sampled_from(KEY_VALUES[k]) for k in kinds)), min_size=1, max_size=4,
                         unique=True))
    rows = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=5))
    theirs = [{"name": f"k{i}", "type": kind} for i, kind in enumerate(kinds)]
    mine = [{"name": f"a{i}", "type": kind} for i, kind in enumerate(kinds)]
    u = {"fields": theirs, **({"primaryKey": [f["name"] for f in theirs]} if draw(st.booleans()) else {})}
    t = {"fields": mine, "foreignKeys": [{"fields": [f["name"] for f in mine],
                                          "reference": {"resource": "u", "fields": [f["name"] for f in theirs]}}]}
    resources = [{"name": "t", "path": "t.csv", "schema": t}, {"name": "u", "path": "u.csv", "schema": u}]
    return (resources if draw(st.booleans()) else resources[::-1],
            {"t.csv": [[f["name"] for f in mine]] + [list(r) for r in rows],
             "u.csv": [[f["name"] for f in theirs]] + [list(k) for k in keys]})


@FUZZ
@given(package=valid_referring())
def test_random_valid_foreign_keys_are_published(tmp_path_factory, package):
    """What validates publishes, keys and all, whichever table the package lists first."""
    resources, tables = package
    root = tmp_path_factory.mktemp("keys-published")
    v2_package(root, resources, tables)
    assert invoke("validate", cwd=root).returncode == 0
    assert invoke("publish", "--out", "dist", cwd=root).returncode == 0
    with sqlite3.connect(next((root / "dist").glob("*.db"))) as db:
        for resource in resources:
            assert db.execute(f"select count(*) from {resource['name']}").fetchone()[0] == \
                len(tables[resource["path"]]) - 1
        single = len(tables["t.csv"][0]) == 1  # (a key of one field is declared in SQLite, for the site's links)
        assert [tuple(row)[2:4] for row in db.execute("pragma foreign_key_list(t)")] == ([("u", "a0")] if single else [])


# ------------------------------------------------------------ valid packages, published

VALID = {
    "integer": ["0", "1", "-1", "42", "01", "+3", "9007199254740991", "-9007199254740991"],
    "number": ["0", "0.1", "0.10", "2.5", "-1", "1e3", "1E-2", "1.0", "-0", "INF", "-INF", "1e308", "123456789012345"],
    "string": ["a", "v-001", "ə", "İlham", "x y", "x, y", "x\ny"],
    "boolean": ["true", "false", "1", "0", "True", "FALSE"],
    "date": ["2017-05-13", "2020-02-29", "0001-01-01", "9999-12-31"],
    "year": ["2017", "0001", "9999"],
    "time": ["10:00:00", "23:59:59", "00:00:00", "10:00:00.5", "10:00:00.123456"],
    "yearmonth": ["2017-05", "0001-01", "9999-12"],
    "datetime": ["2017-05-13T10:00:00", "2017-05-13T23:59:59.5", "0001-01-01T00:00:00", "9999-12-31T23:59:59"],
    "datetime with zones": ["2017-05-13T10:00:00Z", "2017-05-13T14:00:00+04:00", "2017-05-13T00:30:00-01:30",
                            "2017-05-13T10:00:00.25Z"],
    "list": ["a,b", "x", "a, b"],
    "geopoint": ["47.1, 40.3", "-1.5,2", "180, -90"],
    "duration": ["P1Y2M", "PT36H", "P1DT2H"],
    "object": ['{"a": 1}', "{}", '{"a": [1, {"b": null}]}'],
    "array": ["[1, 2]", "[]", '["ə", {"a": 1}]'],
}
# Kept as written in SQLite (and durations and JSON in Parquet too).
AS_WRITTEN = ("list", "geopoint", "duration", "object", "array")


# Fields with options, and the cells they read.
VALID_WITH_OPTIONS = [
    ({"type": "number", "decimalChar": ",", "groupChar": "."}, ["2,5", "1.000,5", "-0,1", "1.234.567"]),
    ({"type": "number", "bareNumber": False}, ["5%", "€7", "2.5 USD", "-3 km"]),
    ({"type": "integer", "bareNumber": False}, ["5%", "$7", "42 km"]),
    ({"type": "boolean", "trueValues": ["y", "Ja"], "falseValues": ["n"]}, ["y", "Ja", "n"]),
    ({"type": "date", "format": "%d/%m/%Y"}, ["13/05/2017", "1/5/2017", "29/02/2020"]),
    ({"type": "datetime", "format": "%d/%m/%Y %H:%M"}, ["13/05/2017 10:30", "1/1/2000 0:00"]),
    ({"type": "string", "missingValues": ["NA", "-"]}, ["a", "NA", "-", ""]),
    ({"type": "integer", "missingValues": ["NA"]}, ["1", "NA", "-7"]),
    ({"type": "list", "itemType": "integer"}, ["1,2", "01", "-3,4,5"]),
    ({"type": "list", "delimiter": ";"}, ["a;b", "x, y;z"]),
]


@st.composite
def valid_packages(draw):
    specs, pools = [], []
    for index in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            kind = draw(st.sampled_from(list(VALID)))
            spec, cells = {"type": kind.split()[0]}, VALID[kind] + [""]
        else:
            spec, cells = draw(st.sampled_from(VALID_WITH_OPTIONS))
            cells = cells + ([""] if "missingValues" not in spec else [])
        specs.append({"name": f"f{index}", **spec})
        pools.append(cells)
    fields = specs
    rows = draw(st.lists(st.tuples(*(st.sampled_from(cells) for cells in pools)), min_size=1, max_size=6))
    # No row of missing values only: that is a blank row.
    rows = [list(row) for row in rows if any(c not in ("", "NA", "-") for c in row)] or \
        [[next(c for c in cells if c not in ("", "NA", "-")) for cells in pools]]
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": fields}}
    return [resource], {"t.csv": [[f["name"] for f in fields]] + rows}


def _published_as_read(published, read) -> bool:
    """A Parquet value against what Frictionless reads of the same cell."""
    if isinstance(published, dict) and set(published) == {"lon", "lat"}:  # a point
        return [published["lon"], published["lat"]] == [float(read[0]), float(read[1])]
    if isinstance(read, (dict, list)) and isinstance(published, str):  # JSON, kept as written
        return json.loads(published) == read
    if type(read).__name__ in ("Duration", "timedelta"):  # kept as written
        return isodate.parse_duration(published) == read
    if read is None or type(read).__name__ == "yearmonth":
        return published == (None if read is None else f"{read.year:04d}-{read.month:02d}")
    if isinstance(read, decimal.Decimal):
        return published == float(read) or math.isinf(published) and published == float(read)
    if type(read) is datetime.date:
        return published == datetime.datetime.combine(read, datetime.time())
    if isinstance(read, datetime.datetime) and read.tzinfo is not None:
        return published == read.astimezone(datetime.timezone.utc)
    return published == read


def _stored_as_read(stored, read, written: str, kind: str) -> bool:
    """A SQLite value (dates and times as ISO 8601 text, booleans as 0 and 1,
    lists, points, durations and JSON as written) against what Frictionless
    reads of the same cell."""
    if kind in AS_WRITTEN:
        return stored == (written or None)
    if isinstance(read, (datetime.date, datetime.time)) and stored is not None:
        return type(read).fromisoformat(stored) == read  # a datetime with a zone: the same instant
    if isinstance(read, bool):
        return stored == int(read)
    return _published_as_read(stored, read)


@FUZZ
@given(package=valid_packages())
def test_valid_random_packages_publish_what_the_reference_reads(tmp_path_factory, package):
    resources, tables = package
    root = tmp_path_factory.mktemp("valid-package")
    descriptor = v2_package(root, resources, tables)
    assert invoke("validate", cwd=root).returncode == 0
    assert invoke("publish", "--out", "dist", cwd=root).returncode == 0
    for resource in Reference(str(descriptor)).resources:
        read = resource.read_rows()
        published = pq.read_table(root / "dist" / "parquet" / f"{resource.name}.parquet").to_pylist()
        assert len(published) == len(read)
        with sqlite3.connect(next((root / "dist").glob("*.db"))) as db:
            db.row_factory = sqlite3.Row
            stored = [dict(row) for row in db.execute(f"select * from [{resource.name}] order by rowid")]
        written = [dict(zip(tables["t.csv"][0], row)) for row in tables["t.csv"][1:]]
        for mine, in_sqlite, theirs, cells in zip(published, stored, read, written):
            for field in resource.schema.fields:
                name = field.name
                assert _published_as_read(mine[name], theirs[name]), (name, mine[name], theirs[name])
                assert _stored_as_read(in_sqlite[name], theirs[name], cells[name], field.type), \
                    (name, in_sqlite[name], theirs[name])


# Most random files have a finding (a short row, a blank one, a quote left open): only the valid are published.
@settings(FUZZ, suppress_health_check=list(FUZZ.suppress_health_check) + [HealthCheck.filter_too_much])
@given(file=files())
def test_valid_random_files_read_the_same_from_the_release(tmp_path_factory, file):
    """Whatever the dialect of the file, the release's CSV is read back as the
    same rows (a reader guessing what its descriptor leaves out took the space
    opening a cell after a quoted one for padding)."""
    types, dialect, text = file
    root = tmp_path_factory.mktemp("random-file-published")
    schema = {"fields": [{"name": f"f{i}", "type": kind} for i, kind in enumerate(types)]}
    descriptor = v2_package(root, [{"name": "t", "path": "t.csv", "dialect": dialect, "schema": schema}], {})
    (root / "t.csv").write_bytes(text.encode("utf-8"))
    assume(invoke("validate", cwd=root).returncode == 0)
    assert invoke("publish", "--out", "dist", cwd=root).returncode == 0
    (theirs,) = Reference(str(descriptor)).resources
    release = Reference(str(root / "dist" / "datapackage.json")).get_resource("t")
    assert [row.to_dict() for row in release.read_rows()] == [row.to_dict() for row in theirs.read_rows()]
