"""Descriptors and CSVs that made validate, docs or publish crash (exit 3),
or validated and then could not be published: each is now a finding.
Built on small packages written by the test."""

import json
import os
import subprocess
import sys

import pytest

from conftest import invoke, run
from test_hostile_inputs import checks, findings_of, people, published, write_package

ROWS = [["id", "name"], ["p1", "Ali"]]


def descriptor_of(root):
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def rewrite(root, **changes):
    (root / "datapackage.json").write_text(json.dumps({**descriptor_of(root), **changes}), encoding="utf-8")


@pytest.mark.parametrize("with_schema", [True, False])
def test_an_empty_file_is_a_header_finding(tmp_path, with_schema):
    resource = people() if with_schema else {"name": "people", "path": "people.csv"}
    root = write_package(tmp_path, [resource], {"people.csv": b""})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 1, None, "header")]
    assert "empty" in findings[0]["message"]


@pytest.mark.parametrize("resource", [{"name": "people", "path": "people.csv"},
                                      people([{"name": "a", "type": "string"}, {"name": "a", "type": "string"}])])
def test_a_repeated_column_is_a_header_finding_with_or_without_a_schema(tmp_path, resource):
    root = write_package(tmp_path, [resource], {"people.csv": [["a", "a"], ["1", "2"]]})
    code, findings = findings_of(root)
    assert code == 1 and ("people.csv", 1, 2, "header") in checks(findings)


@pytest.mark.parametrize("fields, named", [
    ([{"name": "X"}, {"name": "x"}], ["field X", "field x"]),
    ([{"name": "d", "partialDate": True}, {"name": "D_from"}], ["d_from", "field d", "field D_from"]),
    ([{"name": "D_from"}, {"name": "d", "partialDate": True}], ["d_from", "field d", "field D_from"]),
    ([{"name": "r", "categoriesOrdered": True, "constraints": {"enum": ["a"]}}, {"name": "R_ORDER"}],
     ["r_order", "field R_ORDER"]),
    ([{"name": "Name"}, {"name": "name"}], ["field Name", "field name"]),
])
def test_names_the_database_takes_for_one_column_are_a_finding(tmp_path, fields, named):
    """SQLite compares column names without case: publishing failed with
    'duplicate column name' after validation passed."""
    fields = [{"name": "id", "type": "string"}] + [{"type": "string", **spec} for spec in fields]
    header = [spec["name"] for spec in fields]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [header, ["p1", "2017", "a"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["field"], f["check"]) for f in findings] == [(fields[2]["name"], "schema")]
    assert all(words in findings[0]["message"] for words in named) and "case" in findings[0]["message"]


@pytest.mark.parametrize("with_schema", [True, False])
def test_names_that_differ_in_case_outside_ascii_are_two_columns(tmp_path, with_schema):
    """SQLite folds only ASCII letters: Kelvin's K and k, or Ä and ä, are two columns."""
    header = ["id", "\u212a", "k", "Ä", "ä"]
    resource = people([{"name": n, "type": "string"} for n in header]) if with_schema else \
        {"name": "people", "path": "people.csv"}
    root = write_package(tmp_path, [resource], {"people.csv": [header, ["p1", "1", "2", "3", "4"]]})
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert parquet["people"] == [dict(zip(header, ["p1", "1", "2", "3", "4"]))]
    assert [tuple(r) for r in db.execute("select * from people")] == [("p1", "1", "2", "3", "4")]


def test_header_labels_that_differ_only_in_case_are_a_finding_without_a_schema(tmp_path):
    root = write_package(tmp_path, [{"name": "people", "path": "people.csv"}], {"people.csv": [["A", "a"], ["1", "2"]]})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 1, 2, "header")]
    assert "'A' and 'a'" in findings[0]["message"]


def test_a_nul_in_a_path_is_a_finding(tmp_path):
    root = write_package(tmp_path, [people(path="people\x00.csv"), {**people(), "name": "more", "path": "more.csv",
                                                                    "schema": "more\x00.json"}],
                         {"people.csv": ROWS, "more.csv": ROWS})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("datapackage.json", None, None, "descriptor"),
                                              ("datapackage.json", None, None, "schema")]
    assert all("NUL" in f["message"] for f in findings)


@pytest.mark.parametrize("dialect", [{"delimiter": "\u0000"}, {"quoteChar": "\u0000"}, {"delimiter": "é"},
                                     {"delimiter": ";;"}, {"delimiter": "\n"}, {"delimiter": "'", "quoteChar": "'"}])
def test_a_delimiter_that_cannot_be_read_is_a_dialect_finding(tmp_path, dialect):
    root = write_package(tmp_path, [people(dialect=dialect)], {"people.csv": ROWS})
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["not-supported"]
    assert "dialect" in findings[0]["message"]


def test_a_schema_without_fields_is_a_finding(tmp_path):
    """It validated; publishing failed: a table needs a column."""
    root = write_package(tmp_path, [people([])], {"people.csv": ROWS})
    descriptor = descriptor_of(root)
    descriptor["resources"][0]["schema"] = {"fields": []}
    rewrite(root, resources=descriptor["resources"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("datapackage.json", None, None, "schema")]
    assert "no fields" in findings[0]["message"]


@pytest.mark.parametrize("missing, check", [([0], "schema"), (["", None], "schema"), (["", {"value": "NA"}], "schema"),
                                            ([{"value": "NA"}, {"value": "NA", "label": "not asked"}], "schema"),
                                            ([{"label": "not asked"}], "schema")])
@pytest.mark.parametrize("on_field", [False, True], ids=["schema", "field"])
def test_missing_values_that_are_not_text_are_a_finding(tmp_path, missing, check, on_field):
    """The profile's message is about the package, and the cells were still
    converted with the list: validation itself crashed. A field's own list
    (Table Schema 2) is read the same way."""
    resource = people()
    owner = resource["schema"]["fields"][-1] if on_field else resource["schema"]
    owner["missingValues"] = missing
    root = write_package(tmp_path, [resource], {"people.csv": ROWS})
    code, findings = findings_of(root)
    ours = [f for f in findings if f["check"] != "descriptor"]  # not the profile's message
    assert code == 1 and [f["check"] for f in ours] == [check] and "missingValues" in ours[0]["message"]
    assert (f"field {owner.get('name')}:" in ours[0]["message"]) == on_field


def test_a_foreign_key_whose_reference_is_null_is_a_finding_for_validate_and_docs(tmp_path):
    resource = people()
    resource["schema"]["foreignKeys"] = [{"fields": ["name"], "reference": None}]
    root = write_package(tmp_path, [resource], {"people.csv": ROWS})
    code, findings = findings_of(root)
    assert code == 1 and ("datapackage.json", None, None, "schema") in checks(findings)
    result = run("docs", "--out", str(tmp_path / "docs"), cwd=root)
    assert result.returncode == 2 and result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1


def test_docs_to_a_folder_that_cannot_be_made_is_one_error_and_exit_2(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": ROWS})
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = run("docs", "--out", str(tmp_path / "a-file" / "docs"), cwd=root)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"Error: {tmp_path / 'a-file' / 'docs'}: not written, Not a directory: " \
                            f"{tmp_path / 'a-file' / 'docs'}\n"


@pytest.mark.parametrize("change, value", [({"version": "1/2"}, "1/2"), ({"version": "../1"}, "../1"),
                                           ({"name": "p" * 101}, "p" * 101)])
def test_a_name_or_version_that_cannot_be_a_file_name_is_a_finding(tmp_path, change, value):
    """They validated, then publishing failed on the zip's or a file's name."""
    root = write_package(tmp_path, [people()], {"people.csv": ROWS})
    rewrite(root, **change)
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["value"]) for f in findings] == [("descriptor", value)]


def test_a_resource_name_too_long_for_a_file_is_a_finding(tmp_path):
    root = write_package(tmp_path, [people(name="r" * 300)], {"people.csv": ROWS})
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["value"]) for f in findings] == [("descriptor", "r" * 300)]


def test_the_longest_names_allowed_publish(tmp_path):
    root = write_package(tmp_path, [people(name="r" * 100)], {"people.csv": ROWS})
    rewrite(root, name="p" * 100, version="v" * 50)
    result = invoke("publish", "--out", "dist", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "dist" / f"{'p' * 100}-{'v' * 50}.zip").is_file()


def test_a_folder_or_schema_that_is_a_loop_of_links_is_a_finding(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": ROWS})
    resources = descriptor_of(root)["resources"]
    rewrite(root, resources=[{**resources[0], "path": "sub/people.csv", "schema": "loop.json"}])
    (root / "sub").symlink_to("sub")  # git can commit such a link
    (root / "loop.json").symlink_to("loop.json")
    code, findings = findings_of(root)
    assert code == 1 and {f["check"] for f in findings} == {"descriptor", "schema"}
    for command in (["docs", "--out", str(tmp_path / "docs")], ["diff", str(root), str(root)]):
        result = run(*command, cwd=root)
        assert result.returncode == 2 and "bug" not in result.stderr, result.stderr


def test_an_empty_schema_path_is_a_finding_on_the_descriptor(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": ROWS})
    rewrite(root, resources=[{**descriptor_of(root)["resources"][0], "schema": ""}])
    code, findings = findings_of(root)
    assert code == 1 and [(f["path"], f["check"]) for f in findings] == [("datapackage.json", "schema")]
    assert "schema path is empty" in findings[0]["message"]


def test_a_descriptor_with_a_byte_order_mark_is_one_clear_message(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": ROWS})
    (root / "datapackage.json").write_bytes(b"\xef\xbb\xbf" + (root / "datapackage.json").read_bytes())
    result = run("validate", cwd=root)
    assert result.returncode == 2 and "byte order mark" in result.stderr and "utf-8-sig" not in result.stderr


@pytest.mark.parametrize("pipe", ["people.csv", "people.json", "datapackage.json"])
def test_a_named_pipe_where_a_file_should_be_is_said_at_once(tmp_path, pipe):
    """Nothing writes to the pipe: reading it would wait for ever."""
    resource = {**people(), "schema": "people.json"}
    root = write_package(tmp_path, [resource], {"people.csv": ROWS, "people.json": json.dumps(people()["schema"]).encode()})
    (root / pipe).unlink()
    os.mkfifo(root / pipe)
    for args, code in ((["validate"], 2 if pipe == "datapackage.json" else 1), (["diff", str(root), str(root)], 2)):
        result = subprocess.run([sys.executable, "-m", "datapackage", *args], cwd=root, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == code and "not a regular file" in result.stdout + result.stderr, result


def test_a_link_that_is_not_a_web_or_mail_address_is_a_finding(tmp_path):
    """The site makes the licence, homepage and sources links: a javascript:
    one would be a link that runs. Web and mail addresses and paths in the
    package publish."""
    resource = people()
    resource["sources"] = [{"title": "a file", "path": "JavaScript:alert(1)"}]
    root = write_package(tmp_path, [resource], {"people.csv": ROWS})
    rewrite(root, homepage="https://example.org/", licenses=[
        {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"},
        {"name": "local", "path": "LICENSE.md"}, {"name": "odd", "path": " data:text/html,<b>x</b>"}],
        contributors=[{"title": "Someone", "path": "mailto:someone@example.org"}])
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["message"].split(" is a ")[0]) for f in findings] == [
        ("descriptor", "licenses[2].path"), ("descriptor", "resource 'people': sources[0].path")]
    rewrite(root, licenses=[{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}])
    resource_of = descriptor_of(root)["resources"]
    resource_of[0]["sources"] = [{"title": "a file", "path": "notes/source.pdf"}]
    rewrite(root, resources=resource_of)
    assert findings_of(root) == (0, [])
