"""The data diff goes to a pull request's summary: a withheld row, and a row
that refers to one, is reported by its line alone, on either side of the
change, in every format. A marker planted in such rows must not appear."""

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_package, invoke
from seedrepo import append_row, set_cell

MARKER = "MARKER-7f3a"
PUBLIC = "A public note that is shown."


def victim(visibility: str, key: str = "v-900") -> list[str]:
    return [key, "case-tartar", f"{MARKER} name", "", "serviceman", "", "", f"{MARKER} account", "",
            "src-wikipedia-tartar-case", visibility, "living witness" if visibility != "public" else ""]


def death(key: str = "v-900") -> list[str]:
    # Marked public, but it refers to a withheld person: publishing drops it too.
    return [key, "2017", "2017", f"{MARKER} place", "", "src-wikipedia-tartar-case", "public", ""]


def versions(tmp_path: Path, edit_base, edit_head) -> Path:
    """base/ and head/ with their edits; head also changes a public row."""
    for side, edit in (("base", edit_base), ("head", edit_head)):
        (tmp_path / side).mkdir()
        copy_package(tmp_path / side, FIXTURES / "small")
        edit(tmp_path / side)
    set_cell(tmp_path / "head", "victims", "v-002", "notes", PUBLIC)
    return tmp_path


def added(package: Path) -> None:
    append_row(package, "victims", victim("withheld"))
    append_row(package, "deaths", death())


def withheld_then_edited(package: Path) -> None:
    added(package)
    set_cell(package, "victims", "v-900", "what_happened", f"{MARKER} account, corrected")
    set_cell(package, "deaths", "v-900", "place", f"{MARKER} place, corrected")


def made_public(package: Path) -> None:
    added(package)
    set_cell(package, "victims", "v-900", "visibility", "public")


def marked_loosely(package: Path) -> None:
    """A mark that validation refuses, but that says what its author meant."""
    append_row(package, "victims", victim(" Withheld"))


CASES = {
    "added": (lambda p: None, added),
    "removed": (added, lambda p: None),
    "changed": (added, withheld_then_edited),
    "withheld on one side only": (made_public, added),
    "marked loosely": (lambda p: None, marked_loosely),
}


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
@pytest.mark.parametrize("case", CASES)
def test_withheld_rows_are_never_printed(tmp_path, case, form):
    root = versions(tmp_path, *CASES[case])
    result = invoke("diff", "base", "head", "--format", form, cwd=root)
    assert result.returncode == 0, result.stderr
    assert MARKER not in result.stdout
    assert "v-900" not in result.stdout  # not even its key
    assert "withheld row" in result.stdout or '"withheld": true' in result.stdout
    assert PUBLIC in result.stdout  # the public rows are still shown


def test_a_withheld_row_is_named_by_its_line_and_changed_fields(tmp_path):
    root = versions(tmp_path, added, withheld_then_edited)
    result = invoke("diff", "base", "head", cwd=root)
    assert "  changed a withheld row (line 5; fields what_happened): its values are not shown" in result.stdout
    assert "  changed a withheld row (line 4; fields place): its values are not shown" in result.stdout
    assert result.stdout.endswith("0 rows added, 0 rows removed, 3 rows changed.\n")


def test_public_rows_are_shown_whole(tmp_path):
    root = versions(tmp_path, lambda p: None, lambda p: append_row(p, "victims", victim("public")))
    result = invoke("diff", "base", "head", cwd=root)
    assert f"    name: \"{MARKER} name\"" in result.stdout


@pytest.mark.parametrize("text", ["1", "TRUE", "yes"])
def test_a_boolean_mark_is_read_as_its_field_reads_it(tmp_path, text):
    """`"value": true` on a boolean field: "1" is true too, and so is a
    text the field declares among its trueValues."""
    mark = {"name": "hidden", "type": "boolean", "trueValues": ["true", "TRUE", "1", "yes"],
            "withholdsRow": {"value": True}}
    descriptor = ('{"resources": [{"name": "r", "path": "data.csv", "schema": '
                  f'{{"fields": [{{"name": "id"}}, {{"name": "v"}}, {json.dumps(mark)}], "primaryKey": "id"}}}}]}}')
    for side, rows in (("base", ""), ("head", f"2,{MARKER},{text}\n3,shown,false\n")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "datapackage.json").write_text(descriptor, encoding="utf-8")
        (tmp_path / side / "data.csv").write_text(f"id,v,hidden\n1,a,false\n{rows}", encoding="utf-8")
    result = invoke("diff", "base", "head", cwd=tmp_path)
    assert MARKER not in result.stdout and "added a withheld row (line 3)" in result.stdout
    assert 'v: "shown"' in result.stdout


def test_a_chain_of_self_references_to_a_withheld_row_is_withheld(tmp_path):
    """A note on a note on a withheld note: only its own resource is read."""
    mark = {"name": "visibility", "withholdsRow": {"value": "withheld"}}
    schema = {"fields": [{"name": "id"}, {"name": "parent"}, {"name": "text"}, mark], "primaryKey": "id",
              "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}]}
    descriptor = json.dumps({"resources": [{"name": "notes", "path": "notes.csv", "schema": schema}]})
    rows = "id,parent,text,visibility\n1,,public,public\n2,,secret,withheld\n3,2,on 2,public\n4,3,{},public\n"
    for side, text in (("base", "on 3"), ("head", f"on 3 {MARKER}")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "datapackage.json").write_text(descriptor, encoding="utf-8")
        (tmp_path / side / "notes.csv").write_text(rows.format(text), encoding="utf-8")
    result = invoke("diff", "base", "head", cwd=tmp_path)
    assert MARKER not in result.stdout and "changed a withheld row (line 5; fields text)" in result.stdout


@pytest.mark.parametrize("kind, theirs, mine", [("integer", "1", "01"), ("number", "2.5", "2.50"),
                                                ("boolean", "true", "1")])
def test_a_key_written_in_another_form_of_its_value_leads_to_the_withheld_row(tmp_path, kind, theirs, mine):
    """`01` refers to the integer 1, as validation and publishing read it:
    the death of a withheld person is concealed however its key is written."""
    mark = {"name": "visibility", "withholdsRow": {"value": "withheld"}}
    people = {"fields": [{"name": "pid", "type": kind}, mark], "primaryKey": "pid"}
    deaths = {"fields": [{"name": "did"}, {"name": "pid", "type": kind}, {"name": "place"}], "primaryKey": "did",
              "foreignKeys": [{"fields": "pid", "reference": {"resource": "people", "fields": "pid"}}]}
    descriptor = json.dumps({"resources": [{"name": "people", "path": "people.csv", "schema": people},
                                           {"name": "deaths", "path": "deaths.csv", "schema": deaths}]})
    for side, rows in (("base", ""), ("head", f"d1,{mine},{MARKER} place\n")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "datapackage.json").write_text(descriptor, encoding="utf-8")
        (tmp_path / side / "people.csv").write_text(f"pid,visibility\n{theirs},withheld\n", encoding="utf-8")
        (tmp_path / side / "deaths.csv").write_text(f"did,pid,place\n{rows}", encoding="utf-8")
    result = invoke("diff", "base", "head", "--format", "markdown", cwd=tmp_path)
    assert MARKER not in result.stdout and "a withheld row (line 2)" in result.stdout


def test_a_maintainer_may_ask_for_withheld_rows_whole(tmp_path):
    """--show-withheld is for one's own terminal: the rows are shown whole,
    and a renumbered withheld row is said to be the row it was."""
    root = versions(tmp_path, added, withheld_then_edited)
    result = invoke("diff", "base", "head", "--show-withheld", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "  changed v-900 (line 5)" in result.stdout and f"{MARKER} account, corrected" in result.stdout
    assert "withheld row" not in result.stdout
