"""Inputs that once passed validation and then crashed, hung or changed data in
publish, or gave a traceback: each now gets a clear finding, or validates
and publishes without loss. Built on small packages written by the test."""

import csv
import io
import json
import sqlite3

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import invoke, run
from datapackage.publish.search_index import match_expression


def write_package(root, resources, tables):
    """resources: descriptor entries; tables: file name -> rows (header first)."""
    (root / "datapackage.json").write_text(json.dumps({"name": "test-package", "resources": resources}),
                                           encoding="utf-8")
    for name, rows in tables.items():
        if isinstance(rows, bytes):
            (root / name).write_bytes(rows)
            continue
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (root / name).write_text(out.getvalue(), encoding="utf-8")
    return root


def people(fields=None, **extra):
    schema = {"fields": fields or [{"name": "id", "type": "string"}, {"name": "name", "type": "string"}],
              "primaryKey": ["id"]}
    return {"name": "people", "path": "people.csv", "schema": schema, **extra}


def findings_of(root):
    result = invoke("validate", "--format", "json", cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def checks(findings, severity="error"):
    return [(f["path"], f["line"], f["column"], f["check"]) for f in findings if f["severity"] == severity]


def published(root):
    """Publish and read every table back from Parquet and SQLite."""
    result = invoke("publish", "--out", "dist", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    dist = root / "dist"
    parquet = {p.stem: pq.read_table(p).to_pylist() for p in (dist / "parquet").glob("*.parquet")}
    db = sqlite3.connect(next(dist.glob("*.db")))
    db.row_factory = sqlite3.Row
    return parquet, db


# Inputs that are findings.

def test_undeclared_semicolon_delimiter_is_a_finding(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": b"id;name\n1;Ali\n"})
    code, findings = findings_of(root)
    assert code == 1
    assert checks(findings) == [("people.csv", 1, 1, "dialect")]
    assert "delimiter" in findings[0]["message"]


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_a_quote_left_open_on_the_last_line_is_a_finding(tmp_path, ending):
    root = write_package(tmp_path, [people()], {"people.csv": f'id,name\n1,Ali\n2,"Veli, Ayse{ending}'.encode()})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 3, 2, "unclosed-quote")]


def test_declared_semicolon_delimiter_is_read_and_published(tmp_path):
    root = write_package(tmp_path, [people(dialect={"delimiter": ";"})], {"people.csv": b"id;name\n1;Ali, Veli\n"})
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert parquet["people"] == [{"id": "1", "name": "Ali, Veli"}]
    assert [tuple(r) for r in db.execute("select id, name from people")] == [("1", "Ali, Veli")]


def test_resource_without_schema_is_checked_for_structure(tmp_path):
    resource = {"name": "notes", "path": "notes.csv"}
    root = write_package(tmp_path, [resource], {"notes.csv": [["a", "b"], ["1", "2"], ["3"]]})
    code, findings = findings_of(root)
    assert checks(findings) == [("notes.csv", 3, 2, "missing-cell")]


def test_resource_without_schema_publishes_as_text(tmp_path):
    root = write_package(tmp_path, [{"name": "notes", "path": "notes.csv"}], {"notes.csv": [["a", "b"], ["1", "x"]]})
    assert findings_of(root) == (0, [])
    parquet, _ = published(root)
    assert parquet["notes"] == [{"a": "1", "b": "x"}]


def test_foreign_key_to_a_missing_resource_is_a_schema_finding(tmp_path):
    resource = people()
    resource["schema"]["foreignKeys"] = [{"fields": ["id"], "reference": {"resource": "nowhere", "fields": ["id"]}}]
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "A"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert [(f["check"], f["field"]) for f in findings if f["check"] == "schema"] == [("schema", "id")]
    assert "nowhere" in findings[-1]["message"]


def test_self_referencing_foreign_key(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string"},
              {"name": "parent", "type": "string"}]
    resource = people(fields)
    resource["schema"]["foreignKeys"] = [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}]
    rows = [["id", "name", "parent"], ["1", "A", ""], ["2", "B", "1"], ["3", "C", "9"]]
    root = write_package(tmp_path, [resource], {"people.csv": rows})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 4, 3, "foreign-key")]
    write_package(tmp_path, [resource], {"people.csv": rows[:3]})
    assert findings_of(root) == (0, [])
    parquet, _ = published(root)
    assert [r["parent"] for r in parquet["people"]] == [None, "1"]


def test_primary_key_written_as_a_string(tmp_path):
    resource = people()
    resource["schema"]["primaryKey"] = "id"
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "A"], ["1", "B"]]})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 3, 1, "unique")]


def test_no_resources_is_a_finding(tmp_path):
    root = write_package(tmp_path, [], {})
    code, findings = findings_of(root)
    assert code == 1 and findings[0]["check"] == "descriptor"


@pytest.mark.parametrize("kind, value, check", [
    ("integer", "9223372036854775808", "integer-range"),
    ("integer", "-99999999999999999999", "integer-range"),
    ("integer", "9007199254740993", "integer-range"),
    ("integer", "2020_10", "type"),
    ("integer", " 5", "type"),
    ("number", "NaN", "number-range"),  # SQLite would store it as empty
    ("number", "9007199254740993", "number-range"),  # published as ...992
    ("number", "0.1234567890123456", "number-range"),
    ("number", "1e400", "number-range"),  # published as an infinity
    ("number", "-1.5E309", "number-range"),
    ("number", "1e-400", "number-range"),  # published as 0
    ("number", "4e-320", "number-range"),  # published as 3.99999...e-320
    ("datetime", "0000-01-01T00:00:00", "type"),  # as for dates: no reader's calendar has year 0
    ({"type": "date", "format": "%d/%m/%Y"}, "01/01/0000", "type"),  # whatever the format
    ({"type": "datetime", "format": "%d/%m/%Y %H:%M"}, "01/01/0000 10:00", "type"),
    ("datetime", "2017-05-13T10:00:00.1234567", "datetime-range"),  # the 7th digit would be cut off
    ("number", "1,5", "type"),
])
def test_values_that_cannot_be_published_exactly(tmp_path, kind, value, check):
    fields = [{"name": "id", "type": "string"}, {"name": "count", **(kind if isinstance(kind, dict) else {"type": kind})}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "count"], ["1", value]]})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 2, 2, check)]


def test_numbers_of_fifteen_digits_and_infinities_round_trip(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "share", "type": "number"}]
    values = ["123456789012345", "0.000123456789012345", "INF", "-INF", "1000000000000000000000", "0", "-0.0",
              "1.7e308", "2.3e-308"]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "share"]] + [[str(i), v] for i, v in
                                                                                        enumerate(values)]})
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    expected = [float(v) for v in values]
    assert [row["share"] for row in parquet["people"]] == expected
    assert [share for (share,) in db.execute("select share from people order by rowid")] == expected


def datetime_package(tmp_path, values):
    fields = [{"name": "id", "type": "string"}, {"name": "at", "type": "datetime"}]
    return write_package(tmp_path, [people(fields)], {"people.csv": [["id", "at"]] + [[str(i), v] for i, v in
                                                                                     enumerate(values)]})


def test_datetimes_without_a_zone_publish_as_the_local_times_written(tmp_path):
    import datetime as dt

    import pyarrow.parquet as pq

    root = datetime_package(tmp_path, ["2017-05-13T10:00:00", "2017-05-13T23:59:59.25", "", "0001-01-01T00:00:00.123456"])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [row["at"] for row in parquet["people"]] == [
        dt.datetime(2017, 5, 13, 10), dt.datetime(2017, 5, 13, 23, 59, 59, 250000), None,
        dt.datetime(1, 1, 1, 0, 0, 0, 123456)]  # no zone invented, every digit kept
    assert pq.read_schema(root / "dist" / "parquet" / "people.parquet").field("at").type.tz is None
    assert [at for (at,) in db.execute("select at from people order by rowid")] == [
        "2017-05-13T10:00:00", "2017-05-13T23:59:59.250", None, "0001-01-01T00:00:00.123456"]


def test_datetimes_with_a_zone_publish_as_instants_in_utc(tmp_path):
    import datetime as dt

    root = datetime_package(tmp_path, ["2017-05-13T10:00:00+04:00", "2017-05-13T10:00:00Z", "2017-05-13T01:30:00-02:30"])
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    utc = dt.timezone.utc
    assert [row["at"] for row in parquet["people"]] == [
        dt.datetime(2017, 5, 13, 6, tzinfo=utc), dt.datetime(2017, 5, 13, 10, tzinfo=utc),
        dt.datetime(2017, 5, 13, 4, tzinfo=utc)]
    assert [at for (at,) in db.execute("select at from people order by rowid")] == [
        "2017-05-13T06:00:00Z", "2017-05-13T10:00:00Z", "2017-05-13T04:00:00Z"]
    assert db.execute("select datetime(at) from people where rowid = 1").fetchone()[0] == "2017-05-13 06:00:00"


def test_a_column_of_datetimes_with_and_without_a_zone_is_a_finding(tmp_path):
    root = datetime_package(tmp_path, ["2017-05-13T10:00:00Z", "", "2017-05-13T11:00:00"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 4, 2, "datetime-zone")]
    assert "line 2" in findings[0]["message"]


def test_largest_exact_integer_round_trips(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "count", "type": "integer"}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "count"], ["1", "9007199254740991"]]})
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert parquet["people"][0]["count"] == 9007199254740991
    assert db.execute("select count from people").fetchone()[0] == 9007199254740991


def date_package(tmp_path, value):
    fields = [{"name": "id", "type": "string"},
              {"name": "on", "type": "string", "partialDate": True,
               "constraints": {"pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}}]
    return write_package(tmp_path, [people(fields)], {"people.csv": [["id", "on"], ["1", value]]})


def test_year_zero_is_not_a_date(tmp_path):
    _, findings = findings_of(date_package(tmp_path, "0000"))
    assert checks(findings) == [("people.csv", 2, 2, "date-invalid")]


def test_search_finds_rows_whose_integer_keys_are_out_of_order(tmp_path):
    # An integer key becomes the SQLite rowid, which the search index must use.
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
    resource = people(fields)
    resource["schema"]["search"] = {"name": ["name"]}
    rows = [["id", "name"], ["30", "Saleh Qafarov"], ["7", "Mehman Hüseynov"], ["12", "Elçin Əhmədov"]]
    root = write_package(tmp_path, [resource], {"people.csv": rows})
    _, db = published(root)
    for query, key in [("Gafarov", 30), ("Guseynov", 7), ("Ahmedov", 12)]:
        found = db.execute("select id from people where rowid in "
                           "(select rowid from people_fts where people_fts match ?)", [match_expression(query)]).fetchall()
        assert [tuple(r) for r in found] == [(key,)], query


def test_year_one_publishes(tmp_path):
    root = date_package(tmp_path, "0001-01")
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    row = parquet["people"][0]
    assert (str(row["on_from"])[:10], str(row["on_to"])[:10]) == ("0001-01-01", "0001-01-31")
    assert tuple(db.execute("select on_from, on_to from people").fetchone()) == ("0001-01-01", "0001-01-31")


def sources_package(tmp_path, cited, reference=None):
    sources = {"name": "sources", "path": "sources.csv",
               "schema": {"fields": [{"name": "source_id", "type": "string"}], "primaryKey": ["source_id"]}}
    fields = [{"name": "id", "type": "string"},
              {"name": "source_ids", "type": "string",
               "sourceList": reference or {"resource": "sources", "field": "source_id", "separator": ";"}}]
    return write_package(tmp_path, [sources, people(fields)],
                         {"sources.csv": [["source_id"], ["s1"], ["s2"]], "people.csv": [["id", "source_ids"], ["1", cited]]})


def test_spaces_around_source_separators_do_not_dangle(tmp_path):
    root = sources_package(tmp_path, "s1 ; s2")
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert parquet["people"][0]["source_ids"] == ["s1", "s2"]
    cited = {r["source_id"] for r in db.execute("select source_id from citations")}
    assert cited == {"s1", "s2"}


def test_each_source_a_row_cites_is_one_citation_whichever_of_its_lists_names_it(tmp_path):
    sources = {"name": "sources", "path": "sources.csv",
               "schema": {"fields": [{"name": "source_id", "type": "string"}], "primaryKey": ["source_id"]}}
    listed = {"resource": "sources", "field": "source_id", "separator": ";"}
    fields = [{"name": "id", "type": "string"}, {"name": "source_ids", "type": "string", "sourceList": listed},
              {"name": "figure_source_ids", "type": "string", "sourceList": listed}]
    root = write_package(tmp_path, [sources, people(fields)],
                         {"sources.csv": [["source_id"], ["s1"], ["s2"], ["s3"]],
                          "people.csv": [["id", "source_ids", "figure_source_ids"],
                                         ["b", "s2;s1", "s2"], ["a", "s3", ""], ["c", "", "s1;s3"]]})
    assert findings_of(root)[0] == 0
    _, db = published(root)
    pairs = [tuple(r) for r in db.execute("select row_id, source_id from citations where resource = 'people'")]
    assert pairs == [("a", "s3"), ("b", "s1"), ("b", "s2"), ("c", "s1"), ("c", "s3")]


def test_source_list_naming_a_missing_resource_is_a_schema_finding(tmp_path):
    root = sources_package(tmp_path, "s1", {"resource": "nowhere", "field": "source_id"})
    code, findings = findings_of(root)
    assert code == 1
    assert [f["check"] for f in findings] == ["schema"]


@pytest.mark.parametrize("size", [100_000, 10_000_000])
def test_very_long_cells_are_a_finding(tmp_path, size):
    root = write_package(tmp_path, [people()], {"people.csv": [["id", "name"], ["1", "x" * size]]})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 2, 2, "cell-too-long")]
    assert len(findings[0]["value"]) < 300


# Inputs that once gave a traceback.

def test_bare_carriage_return_inside_a_quoted_cell(tmp_path):
    data = b'id,name\r\n1,"first\rsecond"\r\n2,"x"\r\n'
    root = write_package(tmp_path, [people()], {"people.csv": data})
    assert findings_of(root) == (0, [])
    parquet, _ = published(root)
    assert [r["name"] for r in parquet["people"]] == ["first\rsecond", "x"]


def test_file_with_carriage_returns_only(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": b"id,name\r1,A\r1,B\r"})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 3, 1, "unique")]


@pytest.mark.parametrize("schema, field", [
    ({"fields": [{"type": "string"}]}, None),
    ({"fields": [{"name": "id", "constraints": {"pattern": "[a-"}}]}, "id"),
    ({"fields": [{"name": "id", "constraints": {"pattern": "(?<=a)b"}}]}, "id"),
    ({"fields": [{"name": "id", "notBefore": "nodot"}]}, "id"),
    ({"fields": [{"name": "id", "type": "point"}]}, "id"),
])
def test_unusable_schema_is_a_finding(tmp_path, schema, field):
    resource = {"name": "people", "path": "people.csv", "schema": schema}
    root = write_package(tmp_path, [resource], {"people.csv": [["id"], ["a"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert [f["field"] for f in findings if f["check"] in ("schema", "not-supported")] == [field]


def test_integer_enum(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "level", "type": "integer", "constraints": {"enum": [1, 2]}}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "level"], ["a", "1"], ["b", "3"]]})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 3, 2, "enum")]
    assert findings[0]["message"] == "level '3' is not an allowed value; expected one of: 1, 2"


def test_deeply_nested_descriptor_exits_2(tmp_path):
    (tmp_path / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "nested too deeply" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("entry, words", [
    ({"path": "https://example.org/people.csv"}, "remote"),
    ({"data": [["id"], ["1"]]}, "inline"),
    ({"path": ["people.csv", "people.csv"]}, "split over several files"),
    ({"path": "people.xlsx"}, "xlsx"),
    ({"path": "people.csv", "compression": "gz"}, "compressed"),
    ({"path": "people.csv", "encoding": "latin-1"}, "latin-1"),
    ({"path": "people.csv", "dialect": {"escapeChar": "\\"}}, "escapeChar"),
    ({"path": "people.csv", "dialect": {"commentChar": "#"}}, "reads files without commentChar"),
    ({"path": "people.csv", "dialect": {"header": False}}, "dialect header false; this toolkit reads header true only"),
    ({"path": "people.csv", "dialect": {"headerRows": [1, 2]}}, "headerRows [1, 2]; this toolkit reads headerRows [1] only"),
])
def test_unsupported_features_are_one_clear_finding(tmp_path, entry, words):
    resource = {"name": "people", "schema": {"fields": [{"name": "id"}]}, **entry}
    root = write_package(tmp_path, [resource], {"people.csv": [["id"], ["1"]]})
    code, findings = findings_of(root)
    assert code == 1
    (finding,) = findings  # the one, with nothing said of a file that is not read
    assert finding["check"] == "not-supported"
    assert "not supported" in finding["message"] and words in finding["message"]


def test_a_bug_is_exit_3_with_the_traceback_saved(tmp_path, monkeypatch):
    import datapackage.validate.check
    from datapackage.cli import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(datapackage.validate.check, "check", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "datapackage.json")])
    assert result.exit_code == 3
    (saved,) = tmp_path.glob("datapackage-crash-*.txt")
    assert "ZeroDivisionError: planted" in saved.read_text()
    assert str(saved) in result.output


def test_a_package_without_a_name_publishes_under_the_default_name(tmp_path):
    """`name` is optional in a Data Package: the release and the site's
    addresses then use the default database name."""
    root = write_package(tmp_path, [people()], {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["name"]
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    parquet, db = published(root)
    assert parquet["people"] == [{"id": "p1", "name": "Ali"}]
    home = json.loads((root / "dist" / "metadata.json").read_text(encoding="utf-8"))["description_html"]
    assert '<a href="/datapackage/people">people</a>' in home and (root / "dist" / "datapackage.db").exists()


@pytest.mark.parametrize("package_name, resource_name", [("../escape", "people"), ("ok", "../../evil"),
                                                         ("ok", ".hidden"), ("a/b", "people")])
def test_names_that_would_write_outside_the_release_are_findings(tmp_path, package_name, resource_name):
    """The profile's name pattern allows "/" and "..": such a name, as the
    database's or a Parquet file's name, escaped the release folder."""
    package = tmp_path / "package"
    package.mkdir()
    write_package(package, [people(name=resource_name)], {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    (package / "datapackage.json").write_text(json.dumps({**descriptor, "name": package_name}), encoding="utf-8")
    code, findings = findings_of(package)
    bad = package_name if resource_name == "people" else resource_name
    assert code == 1 and [f["value"] for f in findings if f["check"] == "descriptor"] == [bad]
    result = invoke("publish", "--out", "dist", cwd=package)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    written = {p.name for p in tmp_path.rglob("*")}
    assert not written & {"escape.db", "escape-0.zip", "evil.parquet", ".hidden.parquet", "b.db"}


def test_each_field_name_the_site_cannot_show_is_its_own_finding(tmp_path):
    """A ']' broke the site's SQL; a column named rowid hid the row ids the
    search index is keyed by, so searches found nothing."""
    fields = [{"name": "id", "type": "string"}, {"name": "na]me", "type": "string"}, {"name": "no]te", "type": "string"},
              {"name": "RowId", "type": "string"}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "na]me", "no]te", "RowId"], ["p1", "Ali", "x", "r"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert [(f["field"], f["check"]) for f in findings] == [("na]me", "not-supported"), ("no]te", "not-supported"),
                                                            ("RowId", "not-supported")]


def test_a_field_named_like_a_column_the_release_adds_is_a_finding(tmp_path):
    """A partial date gains FIELD_from and FIELD_to, an ordered list of values
    FIELD_order: a field of that name made validation itself fail."""
    fields = [{"name": "id", "type": "string"},
              {"name": "on", "type": "string", "partialDate": True},
              {"name": "on_to", "type": "string"},
              {"name": "rank", "type": "string", "categoriesOrdered": True, "constraints": {"enum": ["a", "b"]}},
              {"name": "rank_order", "type": "string"}]
    root = write_package(tmp_path, [people(fields)],
                         {"people.csv": [["id", "on", "on_to", "rank", "rank_order"], ["p1", "2017", "x", "a", "y"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert [(f["field"], f["check"]) for f in findings if f["severity"] == "error"] == [("on", "schema"), ("rank", "schema")]
    assert "on_to" in findings[0]["message"] and "rank_order" in findings[1]["message"]


@pytest.mark.parametrize("schema_change, words", [
    ({"labelField": "nope"}, "'labelField' is \"nope\""),
    ({"tableColumns": ["id", "nope"]}, "'tableColumns' is"),
    ({"citeFields": "name"}, "'citeFields' is"),
    ({"search": {"name": ["nope"]}}, "'search' name names \"nope\""),
    ({"search": {"text": "name"}}, "search: 'text' is text; expected a list of texts"),
])
def test_schema_properties_the_site_reads_must_name_fields(tmp_path, schema_change, words):
    """A missing search field crashed publishing; a missing label or
    column broke the site's pages."""
    resource = people()
    resource["schema"].update(schema_change)
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert [f["check"] for f in findings] == ["schema"] and words in findings[0]["message"]


@pytest.mark.parametrize("spec, words", [
    ({"type": "integer", "sourceList": {"resource": "people", "field": "id"}}, "sourceList needs type string"),
    ({"type": "integer", "personName": True}, "personName needs type string"),
    ({"type": "string", "sourceList": {"resource": "people"}}, "sourceList needs a 'field'"),
])
def test_rules_that_read_text_need_a_text_field(tmp_path, spec, words):
    """A source list on an integer field made validation itself fail."""
    fields = [{"name": "id", "type": "string"}, {"name": "name", **spec}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "name"], ["p1", "5"]]})
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["schema"] and words in findings[0]["message"]


@pytest.mark.parametrize("name", ["citations", "vocabularies", "contested_figures", "people_fts", "notes_fts_data",
                                  "sqlite_stat1"])
def test_a_resource_named_like_a_table_the_database_makes_is_a_finding(tmp_path, name):
    """Publishing failed on such a name: the table already existed."""
    root = write_package(tmp_path, [people(), {**people(), "name": name, "path": "other.csv"}],
                         {"people.csv": [["id", "name"], ["p1", "Ali"]], "other.csv": [["id", "name"], ["o1", "Veli"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["value"]) for f in findings] == [("descriptor", name)]


def test_two_files_that_would_publish_under_one_name_are_a_finding(tmp_path):
    """x/people.csv and y/people.csv both became csv/people.csv: one table's rows were lost."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    root = write_package(tmp_path, [{**people(), "path": "x/people.csv"}, {**people(), "name": "more", "path": "y/people.csv"}],
                         {"x/people.csv": [["id", "name"], ["p1", "Ali"]], "y/people.csv": [["id", "name"], ["p2", "Veli"]]})
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["descriptor"]
    assert "csv/people.csv" in findings[0]["message"]


def test_links_out_of_the_package_are_neither_read_nor_published(tmp_path):
    """A data file, a schema or a README that is a symbolic link to a file
    of the machine (a pull request can add one) was read, and published."""
    secret = tmp_path / "secret.txt"
    secret.write_text("id,name\nsecret-marker,x\n", encoding="utf-8")
    package = tmp_path / "package"
    package.mkdir()
    write_package(package, [people(), {**people(), "name": "more", "path": "more.csv"},
                            {**people(), "name": "third", "path": "third.csv", "schema": "schema.json"}],
                  {"people.csv": [["id", "name"], ["p1", "Ali"]], "third.csv": [["id", "name"], ["p3", "Aysel"]]})
    (package / "more.csv").symlink_to(secret)
    (package / "schema.json").symlink_to(secret)
    code, findings = findings_of(package)
    assert code == 1 and "secret-marker" not in json.dumps(findings)
    assert sorted((f["path"], f["check"]) for f in findings) == [("datapackage.json", "descriptor"),
                                                                  ("schema.json", "schema")]
    (package / "datapackage.json").write_text(json.dumps({"name": "test-package", "resources": [people()]}),
                                              encoding="utf-8")
    (package / "README.md").symlink_to(secret)
    published(package)
    assert not (package / "dist" / "README.md").exists()


def test_a_package_folder_stands_for_its_descriptor(tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    write_package(package, [people()], {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    assert run("validate", "package", cwd=tmp_path).returncode == 0
    missing = run("validate", str(tmp_path), cwd=tmp_path)
    assert missing.returncode == 2 and "datapackage.json: no such file" in missing.stderr


@pytest.mark.parametrize("enum", [["a", 2], ["a", None], [True]])
def test_an_enum_of_a_text_field_lists_text(tmp_path, enum):
    """We read 2 as "2"; Frictionless compares the cell with 2 and rejects it."""
    fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string", "constraints": {"enum": enum}}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "name"], ["p1", "a"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["field"], f["check"]) for f in findings] == [("name", "schema")]


def test_a_page_kind_is_one_the_site_has_and_one_table_s(tmp_path):
    """A table's rows have person or case pages when its schema says so
    ("page"), no longer by the table's name."""
    root = write_package(tmp_path, [{**people(), "schema": {**people()["schema"], "page": "villain"}}],
                         {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["schema"] and "person, case" in findings[0]["message"]
    twice = [{**people(), "schema": {**people()["schema"], "page": "person"}},
             {**people(), "name": "more", "path": "more.csv", "schema": {**people()["schema"], "page": "person"}}]
    root = write_package(tmp_path, twice, {"people.csv": [["id", "name"], ["p1", "Ali"]],
                                           "more.csv": [["id", "name"], ["p2", "Veli"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["value"]) for f in findings] == [("descriptor", "person")]


@pytest.mark.parametrize("timeline, partial", [({"label": "seen", "marker": "Q", "colour": "#000000"}, True),
                                               ({"label": "seen", "marker": "o", "colour": "red"}, True),
                                               ({"marker": "o", "colour": "#000000"}, True),
                                               ({"label": "seen", "marker": "o", "colour": "#000000"}, False)])
def test_a_date_on_the_timeline_says_how_it_is_drawn(tmp_path, timeline, partial):
    """A marker matplotlib does not have made publishing fail."""
    fields = [{"name": "id", "type": "string"}, {"name": "on", "type": "string", "timeline": timeline,
                                                 **({"partialDate": True} if partial else {})}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "on"], ["p1", "2017"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["field"], f["check"]) for f in findings] == [("on", "schema")]


def test_docs_of_a_package_folder_go_beside_its_descriptor(tmp_path):
    """Given a package folder, the dictionary went into the current folder's docs/."""
    package = tmp_path / "package"
    package.mkdir()
    write_package(package, [people()], {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    result = run("docs", "package", cwd=tmp_path)
    assert result.returncode == 0 and (package / "docs" / "data-dictionary.md").is_file()
    assert not (tmp_path / "docs").exists()


def test_an_integer_is_read_without_group_characters_as_frictionless_reads_it(tmp_path):
    # Table Schema gives groupChar to numbers only: the release's descriptor
    # would declare 1,000 an integer that Frictionless reads as none.
    fields = [{"name": "id", "type": "string"}, {"name": "count", "type": "integer", "groupChar": ","}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "count"], ["1", "1,000"], ["2", "12"]]})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "type")]
    assert "groupChar" in findings[0]["message"]


@pytest.mark.parametrize("chars, value", [
    ({}, ".5%"),  # Frictionless strips the point: 5
    ({}, "+.5"),
    ({"decimalChar": ","}, ",5 %"),  # read as 5 by both, though 0,5 was written
])
def test_a_number_led_by_its_decimal_mark_among_other_text_is_a_finding(tmp_path, chars, value):
    # With bareNumber false the text before a number is taken off up to a
    # digit or a minus: the decimal mark too, as Frictionless does it.
    fields = [{"name": "id", "type": "string"}, {"name": "share", "type": "number", "bareNumber": False, **chars}]
    negative = f"-{chars.get('decimalChar', '.')}5%"  # the minus is kept, and the mark after it
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "share"], ["1", value], ["2", negative]]})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "type")]
    assert "decimal mark" in findings[0]["message"]


def test_two_files_whose_names_differ_in_case_only_are_a_finding(tmp_path):
    """csv/People.csv and csv/people.csv are one file once the release is unzipped
    where case is not told apart (macOS, Windows): one table's rows were lost."""
    root = write_package(tmp_path, [{**people(), "path": "People.csv"}, {**people(), "name": "more", "path": "people.csv"}],
                         {"People.csv": [["id", "name"], ["p1", "Ali"]], "people.csv": [["id", "name"], ["p2", "Veli"]]})
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["descriptor"]
    assert "csv/People.csv" in findings[0]["message"] and "csv/people.csv" in findings[0]["message"]


@pytest.mark.parametrize("file, said", [
    ("con.csv", "device CON"), ("Aux.data.csv", "device AUX"), ("com1.csv", "device COM1"),
    ("a:b.csv", "':'"), ("why?.csv", "'?'"), ("tab\t.csv", "'\\t'"), ("people.csv.", "ends in a dot")])
def test_a_file_windows_cannot_name_is_a_finding(tmp_path, file, said):
    """A release unzipped on Windows lacks a file named so (or does not unzip)."""
    root = write_package(tmp_path, [{**people(), "path": file, "format": "csv"}], {file: [["id", "name"], ["p1", "Ali"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["value"]) for f in findings] == [("descriptor", file)]
    assert f"csv/{file}" in findings[0]["message"] and said in findings[0]["message"]
    assert "expected a name that is not CON" in findings[0]["message"]


def test_a_resource_or_package_named_as_a_windows_device_is_a_finding(tmp_path):
    root = write_package(tmp_path, [{**people(), "name": "lpt1"}], {"people.csv": [["id", "name"], ["p1", "Ali"]]})
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    (root / "datapackage.json").write_text(json.dumps({**descriptor, "name": "nul"}), encoding="utf-8")
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["value"]) for f in findings] == [("descriptor", "nul"), ("descriptor", "lpt1")]
    assert "nul.db" in findings[0]["message"] and "parquet/lpt1.parquet" in findings[1]["message"]
