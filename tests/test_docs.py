"""The README and docs/ tell the truth about the package, and a change to
the data alone never makes them stale."""

import json
import re
import shutil

from datapackage.docs import COMMAND, write_docs

from conftest import ROOT, copy_package, invoke, resources, run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_describes_every_resource_without_counting_rows():
    """Row counts change with every contribution: the README does not pin them."""
    table = README.split("<!-- resources -->")[1].split("<!-- end resources -->")[0]
    described = re.findall(r"^\| (\w+) \| [^|]+ \|$", table, re.M)
    assert described == ["resource"] + [r["name"] for r in resources()]


def test_readme_shows_the_two_commands():
    assert "scripts/run" in README and "scripts/test" in README


def test_data_dictionary_is_up_to_date(tmp_path):
    written = write_docs(ROOT / "datapackage.json", tmp_path)
    assert [path.name for path in written] == ["data-dictionary.md"]
    assert written[0].read_text(encoding="utf-8") == (ROOT / "docs" / "data-dictionary.md").read_text(
        encoding="utf-8"), f"docs/data-dictionary.md is out of date with schemas/: run {COMMAND}"


def test_the_dictionary_reads_no_data(package, tmp_path):
    """So that a data-only pull request can never make it stale."""
    shutil.rmtree(package / "seeds")
    result = invoke("docs", "--out", str(tmp_path / "docs"), cwd=package)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == \
        (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert not (tmp_path / "docs" / "timeline.png").exists()


def test_a_broken_schema_is_one_line_and_exit_2(tmp_path):
    package = copy_package(tmp_path)
    (package / "schemas" / "cases.json").write_text('{"fields": ', encoding="utf-8")
    result = run("docs", cwd=package)
    assert result.stderr == "Error: schemas/cases.json:1:12: schema is not valid JSON: Expecting value\n"
    assert result.returncode == 2


def test_every_command_has_help_and_is_in_the_readme():
    from datapackage.cli import cli

    for name, command in cli.commands.items():
        assert command.help, name
        assert f"datapackage {name}" in README, name


def test_the_dictionary_gives_every_text_field_its_limit(tmp_path):
    """Declared, or the default for a package whose fields declare none."""
    fields = [{"name": "id", "type": "string", "constraints": {"maxLength": 12}}, {"name": "note", "type": "string"},
              {"name": "count", "type": "integer"}]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "other", "resources": [
        {"name": "things", "path": "things.csv", "schema": {"fields": fields}}]}), encoding="utf-8")
    text = write_docs(tmp_path / "datapackage.json", tmp_path / "docs")[0].read_text(encoding="utf-8")
    rules = {line.split(" | ")[0].strip("|` "): line.split(" | ")[2] for line in text.splitlines() if line.startswith("| `")}
    assert rules == {"id": "at most 12 characters", "note": "at most 20,000 characters", "count": ""}
    assert "A field that declares no maxLength accepts up to 20,000 characters." in text


def test_the_dictionary_names_the_missing_values_a_schema_or_field_declares(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "count", "type": "integer", "missingValues": ["NA"]},
              {"name": "note", "type": "string"}]
    resources = [{"name": "things", "path": "things.csv", "schema": {"fields": fields}},
                 {"name": "others", "path": "others.csv",
                  "schema": {"fields": [{"name": "id", "type": "string"}], "missingValues": ["", "-"]}},
                 {"name": "plain", "path": "plain.csv", "schema": {"fields": [{"name": "id", "type": "string"}]}}]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "other", "resources": resources}), encoding="utf-8")
    text = write_docs(tmp_path / "datapackage.json", tmp_path / "docs")[0].read_text(encoding="utf-8")
    assert "things.count: 'NA'; others: '', '-'." in text and "Nothing else" not in text
    resources[:2] = []
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "other", "resources": resources}), encoding="utf-8")
    text = write_docs(tmp_path / "datapackage.json", tmp_path / "docs")[0].read_text(encoding="utf-8")
    assert "Nothing else (no 'n/a', no '-') stands for a missing value." in text


def test_the_readme_lists_every_field_type_read_and_no_other():
    from datapackage.validate.schema_check import TYPES

    table = README.split("<!-- types -->")[1].split("<!-- end types -->")[0]
    listed = {name for row in table.splitlines()[2:] if row.startswith("|")
              for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert listed == TYPES
