"""`datapackage diff`: the exact output of each format on two package copies,
diffs between git revisions and the working tree, and unreadable sides."""

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from datapackage.diff.report import describe
from datapackage.diff.schema_diff import schema_changes

from conftest import FIXTURES, copy_package, invoke, run
from seedrepo import add_enum_value, append_row, commit, git, init, remove_row, set_cell

EXPECTED = Path(__file__).resolve().parent / "expected"
NEW_VICTIM = ["v-003", "case-tartar", "Elçin Məmmədov", "", "serviceman", "", "",
              'Held | "briefly"\nthen released.', "", "src-1lurer-bbc-2021", "public", ""]


def small_copy(target: Path) -> Path:
    target.mkdir()
    return copy_package(target, FIXTURES / "small")


@pytest.fixture
def two_versions(tmp_path) -> Path:
    """base/ and head/: in head a victim is added, a death removed, two cells
    of one victim changed and a metric added to the statements schema."""
    small_copy(tmp_path / "base")
    head = small_copy(tmp_path / "head")
    append_row(head, "victims", NEW_VICTIM)
    remove_row(head, "deaths", "v-002")
    set_cell(head, "victims", "v-001", "rank", "polkovnik")
    set_cell(head, "victims", "v-001", "notes", "Colonel in one later source.")
    add_enum_value(head, "statements", "metric", "wounded", "People wounded.")
    return tmp_path


@pytest.mark.parametrize("form, suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_format_is_exact(two_versions, form, suffix):
    result = run("diff", "base", "head", "--format", form, cwd=two_versions)
    assert result.stdout == (EXPECTED / f"diff.{suffix}").read_text(encoding="utf-8")
    assert result.stderr == ""
    assert result.returncode == 0


def test_same_package_has_no_differences(two_versions):
    result = invoke("diff", "base", "base", cwd=two_versions)
    assert result.stdout == "Comparing base with base.\nNo differences.\n"
    assert result.returncode == 0


def test_composite_key_and_repeated_key(tmp_path):
    """Rows are matched on every field of the key; a key used twice shows
    its second row on its own."""
    small_copy(tmp_path / "base")
    head = small_copy(tmp_path / "head")
    for package in (tmp_path / "base", head):
        schema_path = package / "schemas" / "statements.json"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        schema["primaryKey"] = ["case_id", "statement_id"]
        schema_path.write_text(json.dumps(schema), encoding="utf-8")
    set_cell(head, "statements", "st-002", "value_min", "120")
    append_row(head, "statements", ["st-002", "case-tartar", "", "", "x", "ngo", "", "", "", "", "Again.", "src-x"])
    result = invoke("diff", "base", "head", "--format", "json", cwd=tmp_path)
    statements = json.loads(result.stdout)["resources"][0]
    assert statements["primary_key"] == ["case_id", "statement_id"]
    assert [(c["key"], [cell["field"] for cell in c["cells"]]) for c in statements["changed"]] == [
        ({"values": {"case_id": "case-tartar", "statement_id": "st-002"}, "occurrence": 1}, ["value_min"])]
    assert [(a["key"]["occurrence"], a["line"]) for a in statements["added"]] == [(2, 4)]
    text = invoke("diff", "base", "head", cwd=tmp_path).stdout
    assert "  added case-tartar, st-002 (row 2 with this key) (line 4)\n" in text



def test_rows_written_differently_with_the_same_cells_are_no_change(tmp_path):
    """Quoting, line endings, a byte-order mark, a missing last cell that was
    empty and an empty cell past the header change bytes, not cells."""
    small_copy(tmp_path / "base")
    head = small_copy(tmp_path / "head")
    path = head / "seeds" / "victims.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows[1][-1] == "" and len(rows) > 2  # the fixture's first victim has no last cell
    rows[1] = rows[1][:-1]
    rows[2] = rows[2] + [""]

    def write():
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
        path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    write()
    result = invoke("diff", "base", "head", cwd=tmp_path)
    assert result.stdout == "Comparing base with head.\nNo differences.\n"
    rows[2][rows[0].index("name")] = "Someone Else"
    write()
    changed = json.loads(invoke("diff", "base", "head", "--format", "json", cwd=tmp_path).stdout)["resources"]
    assert [[c["field"] for c in row["cells"]] for row in changed[0]["changed"]] == [["name"]]

@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose second commit changes one cell."""
    init(tmp_path)
    copy_package(tmp_path, FIXTURES / "small")
    commit(tmp_path, "Package")
    set_cell(tmp_path, "victims", "v-002", "rank", "cavus")
    commit(tmp_path, "Correct a rank")
    return tmp_path


def test_between_two_commits(repo):
    result = invoke("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.stdout == (
        "Comparing HEAD~1 with HEAD.\n"
        "victims (seeds/victims.csv)\n"
        "  changed v-002 (line 4)\n"
        '    rank: "kicik_cavus" -> "cavus"\n'
        "0 rows added, 0 rows removed, 1 row changed.\n"
    )
    assert result.returncode == 0


def test_a_revision_named_with_backticks_is_one_code_span_in_markdown(repo):
    """A branch may hold backticks and HTML; the summary's heading keeps the
    name whole and inert instead of closing its code span early."""
    git(repo, "branch", "x`<b>y``z", "HEAD~1")
    heading = invoke("diff", "x`<b>y``z", "HEAD", "--format", "markdown", cwd=repo).stdout.splitlines()
    assert any("Comparing ```x`<b>y``z``` with `HEAD`:" in line for line in heading)


def test_head_defaults_to_the_working_tree(repo):
    remove_row(repo, "deaths", "v-001")
    result = invoke("diff", "HEAD", "--format", "json", cwd=repo)
    document = json.loads(result.stdout)
    assert document["head"] == {"label": "working tree", "kind": "working-tree", "commit": None}
    assert document["base"]["commit"] == git(repo, "rev-parse", "HEAD")
    assert [(r["name"], [row["key"]["values"] for row in r["removed"]]) for r in document["resources"]] == [
        ("deaths", [{"victim_id": "v-001"}])]
    assert result.returncode == 0


def assert_one_line_error(result, message: str):
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_unknown_revision_exits_2(repo):
    result = run("diff", "no-such-branch", cwd=repo)
    top = git(repo, "rev-parse", "--show-toplevel")
    assert_one_line_error(result, "'no-such-branch' is neither a package directory (with a datapackage.json) "
                                  f"nor a revision of the git repository at {top}")


def test_revision_without_the_package_exits_2(tmp_path):
    init(tmp_path)
    (tmp_path / "notes.txt").write_text("Before the package.\n", encoding="utf-8")
    first = commit(tmp_path, "Notes")
    copy_package(tmp_path, FIXTURES / "small")
    result = invoke("diff", first, cwd=tmp_path)
    assert_one_line_error(result, f"{first}:datapackage.json: not found; run this from the package directory")


def test_revision_outside_a_repository_exits_2(two_versions):
    result = invoke("diff", "main", cwd=two_versions / "head")
    assert_one_line_error(result, "'main' is not a package directory (with a datapackage.json), "
                                  f"and {two_versions / 'head'} is not in a git repository")


def test_unreadable_csv_names_file_line_and_column(two_versions):
    path = two_versions / "head" / "seeds" / "cases.csv"
    path.write_bytes(path.read_bytes() + b"case-x,Caf\xe9,AZ,,,,src-x\n")
    result = invoke("diff", "base", "head", cwd=two_versions)
    assert_one_line_error(result, f"{Path('head/seeds/cases.csv')}:3:2: byte 0xe9 is not UTF-8")


def test_missing_resource_file_exits_2(two_versions):
    (two_versions / "head" / "seeds" / "trials.csv").unlink()
    result = invoke("diff", "base", "head", cwd=two_versions)
    assert_one_line_error(result, f"{Path('head/seeds/trials.csv')}: not found "
                                  "(datapackage.json lists it as resource 'trials')")


def test_descriptor_that_is_not_json_exits_2(two_versions):
    (two_versions / "base" / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    result = invoke("diff", "base", "head", cwd=two_versions)
    assert_one_line_error(result, f"{Path('base/datapackage.json')}:1:16: not valid JSON: Expecting value")


def test_a_full_commit_id_is_shown_short(repo):
    first = git(repo, "rev-parse", "HEAD~1")
    result = invoke("diff", first, "HEAD", cwd=repo)
    assert result.stdout.startswith(f"Comparing {first[:12]} with HEAD.\n")


def test_resources_added_and_removed(two_versions):
    head = two_versions / "head"
    descriptor = json.loads((head / "datapackage.json").read_text(encoding="utf-8"))
    statements = next(r for r in descriptor["resources"] if r["name"] == "statements")
    descriptor["resources"].remove(statements)
    descriptor["resources"].append({"name": "places", "path": "seeds/places.csv",
                                    "schema": {"fields": [{"name": "place_id"}], "primaryKey": "place_id"}})
    (head / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (head / "seeds" / "places.csv").write_text("place_id\np-1\n", encoding="utf-8")
    result = invoke("diff", "base", "head", cwd=two_versions)
    assert "places (seeds/places.csv): resource added\n  added p-1 (line 2)\n    place_id: \"p-1\"\n" in result.stdout
    assert "statements (seeds/statements.csv): resource removed\n  removed st-001 (was line 2)\n" in result.stdout
    assert result.stdout.endswith(", 1 resource added, 1 resource removed.\n")
    assert result.returncode == 0


def test_schema_changes_are_described():
    old = {"fields": [{"name": "a", "type": "string", "constraints": {"enum": ["x", "y", "z"], "required": True}},
                      {"name": "b", "type": "string", "constraints": {"pattern": "^b$"}},
                      {"name": "gone", "type": "string"}],
           "primaryKey": ["a"]}
    new = {"fields": [{"name": "b", "type": "integer", "constraints": {"maximum": 9}},
                      {"name": "a", "type": "string", "constraints": {"enum": ["z", "x", "w"]}},
                      {"name": "new", "type": "date"}],
           "primaryKey": ["a", "b"]}
    assert [describe(c) for c in schema_changes(old, new)] == [
        'field gone removed (type "string")',
        'field new added (type "date")',
        'field b: type "string" -> "integer"',
        "field b: constraint maximum added: 9",
        'field b: constraint pattern removed (was "^b$")',
        'field a: enum value removed: "y"',
        'field a: enum value added: "w"',
        'field a: enum values reordered: ["x", "z"] -> ["z", "x"]',
        "field a: constraint required removed (was true)",
        'field order ["a", "b"] -> ["b", "a"]',
        'primary key ["a"] -> ["a", "b"]',
    ]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def long_cells(tmp_path) -> tuple[Path, str, str, str]:
    """head adds a multi-megabyte cell and changes one character in the
    middle of a cell longer than Python's default CSV limit (131,072)."""
    words = "Tərtər, \"quoted\"; Гафаров\n"
    old = words * 8000  # 208,000 characters
    new = old[:100_000] + "X" + old[100_001:]
    huge = "Ə" * 1_000_000  # 2 MB in UTF-8
    small_copy(tmp_path / "base")
    set_cell(tmp_path / "base", "victims", "v-002", "what_happened", old)
    head = small_copy(tmp_path / "head")
    set_cell(head, "victims", "v-002", "what_happened", new)
    set_cell(head, "victims", "v-001", "notes", huge)
    return tmp_path, old, new, huge


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_long_cells_are_shortened_with_their_hash(long_cells, form):
    root, old, new, huge = long_cells
    result = invoke("diff", "base", "head", "--format", form, cwd=root)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) < 5000  # nothing is shown whole
    for value in (old, new, huge):
        assert f"of {len(value):,}; sha256 {sha256(value)}" in result.stdout
    # The excerpts of the changed cell show where it changed.
    assert "characters 99,951 to 100,150 of 208,000" in result.stdout
    assert result.stdout.count("X") == 1


def test_json_keeps_long_cells_whole(long_cells):
    root, old, new, huge = long_cells
    document = json.loads(invoke("diff", "base", "head", "--format", "json", cwd=root).stdout)
    changed = {cell["field"]: cell for row in document["resources"][0]["changed"] for cell in row["cells"]}
    assert changed["what_happened"]["old"] == old and changed["what_happened"]["new"] == new
    assert changed["notes"]["new"] == huge
