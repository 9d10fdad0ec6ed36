"""`datapackage diff` on packages written to mislead it: a file that leads out
of the package through a symbolic link is never read, JSON nested too deeply
is an error and not a crash, a resource's dialect is read as validation reads
it, and no change hides behind a repeated name or a cell past the header."""

import json
import os
from pathlib import Path

import pytest

from datapackage.diff.report import render_diff
from datapackage.diff.rows import compare
from datapackage.diff.snapshot import SnapshotError

from conftest import invoke, run
from seedrepo import commit, init

SCHEMA = {"fields": [{"name": "id"}, {"name": "v"}], "primaryKey": "id"}
SECRET = "secret-on-the-ci-machine"


def package(root: Path, files: dict[str, str], resources: list[dict] | None = None) -> Path:
    """A package of one resource `r` (data.csv) unless `resources` says otherwise."""
    root.mkdir(parents=True, exist_ok=True)
    resources = resources or [{"name": "r", "path": "data.csv", "schema": SCHEMA}]
    (root / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8", newline="")
    return root


def diff(tmp_path, monkeypatch, form: str = "text", base: str = "a", head: str | None = "b") -> str:
    monkeypatch.chdir(tmp_path)
    return render_diff(compare(base, head), form)


def error(tmp_path, monkeypatch, base: str = "a", head: str | None = "b") -> str:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SnapshotError) as raised:
        compare(base, head)
    return str(raised.value)


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the packages, holding what a link could reach."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "data.csv").write_text(f"id,v\n1,{SECRET}\n", encoding="utf-8")
    (folder / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (folder / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "r", "path": "data.csv", "schema": SCHEMA}]}), encoding="utf-8")
    return folder


# Symbolic links -----------------------------------------------------------------

def test_a_csv_linked_out_of_the_package_is_never_read(tmp_path, monkeypatch, outside):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    package(tmp_path / "b", {})
    (tmp_path / "b" / "data.csv").symlink_to(outside / "data.csv")
    result = run("diff", "a", "b", cwd=tmp_path)
    assert SECRET not in result.stdout + result.stderr
    assert result.returncode == 2
    assert result.stderr == (f"Error: {Path('b/data.csv')}: leaves the package (datapackage.json lists it as "
                             "resource 'r'); expected a file inside the package folder, not a link out of it\n")
    # As validation says it.
    assert "leaves the package" in run("validate", "b/datapackage.json", cwd=tmp_path).stdout


def test_a_linked_folder_a_linked_schema_and_a_linked_descriptor_are_never_read(tmp_path, monkeypatch, outside):
    resources = [{"name": "r", "path": "seeds/data.csv", "schema": "schemas/r.json"}]
    package(tmp_path / "a", {"seeds/data.csv": "id,v\n1,x\n", "schemas/r.json": json.dumps(SCHEMA)}, resources)
    folder = package(tmp_path / "b", {"schemas/r.json": json.dumps(SCHEMA)}, resources)
    (folder / "seeds").symlink_to(outside)
    assert error(tmp_path, monkeypatch).startswith(f"{Path('b/seeds/data.csv')}: leaves the package")
    schema = package(tmp_path / "c", {"seeds/data.csv": "id,v\n1,x\n"}, resources)
    (schema / "schemas").mkdir()
    (schema / "schemas" / "r.json").symlink_to(outside / "schema.json")
    assert error(tmp_path, monkeypatch, "a", "c") == (
        f"{Path('c/schemas/r.json')}: leaves the package (datapackage.json lists it as the schema of "
        "resource 'r'); expected a file inside the package folder, not a link out of it")
    descriptor = tmp_path / "d"
    descriptor.mkdir()
    (descriptor / "datapackage.json").symlink_to(outside / "datapackage.json")
    assert error(tmp_path, monkeypatch, "a", "d").startswith(f"{Path('d/datapackage.json')}: leaves the package;")


def test_a_link_out_of_the_working_tree_is_never_read(tmp_path, monkeypatch, outside):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    package(tmp_path / "b", {})
    (tmp_path / "b" / "data.csv").symlink_to(outside / "data.csv")
    monkeypatch.chdir(tmp_path / "b")
    with pytest.raises(SnapshotError, match=r"^data\.csv: leaves the package"):
        compare("../a")


def test_a_link_that_stays_in_the_package_is_read(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    package(tmp_path / "b", {"real/data.csv": "id,v\n1,y\n"})
    (tmp_path / "b" / "data.csv").symlink_to(Path("real") / "data.csv")
    assert '    v: "x" -> "y"\n' in diff(tmp_path, monkeypatch)


def test_a_path_written_out_of_the_package_is_refused(tmp_path, monkeypatch, outside):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    for path in ("../outside/data.csv", str(outside / "data.csv"), "..\\outside\\data.csv"):
        package(tmp_path / "b", {}, [{"name": "r", "path": path, "schema": SCHEMA}])
        assert error(tmp_path, monkeypatch) == (
            f"{Path('b/datapackage.json')}: path '{path}' leaves the package; "
            "expected a relative path inside the package folder, without '..'")


def test_a_path_with_a_nul_character_is_refused(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    package(tmp_path / "b", {}, [{"name": "r", "path": "data\x00.csv", "schema": SCHEMA}])
    assert "has a NUL character" in error(tmp_path, monkeypatch)


@pytest.fixture
def linked_repo(tmp_path, outside) -> Path:
    """A repository whose first commit holds the package (in pkg/), and whose
    later commits replace its files by links, as a pull request could."""
    repo = tmp_path / "repo"
    repo.mkdir()
    init(repo)
    resources = [{"name": "r", "path": "seeds/data.csv", "schema": "schemas/r.json"}]
    package(repo / "pkg", {"seeds/data.csv": "id,v\n1,x\n", "schemas/r.json": json.dumps(SCHEMA)}, resources)
    commit(repo, "Package")
    return repo


def test_links_in_a_git_revision_are_never_followed(linked_repo, monkeypatch, outside):
    pkg = linked_repo / "pkg"
    data = pkg / "seeds" / "data.csv"
    data.unlink()
    data.symlink_to(os.path.relpath(outside / "data.csv", data.parent))
    commit(linked_repo, "A file linked out")
    message = error(pkg, monkeypatch, "HEAD~1", "HEAD")
    assert message == ("HEAD:seeds/data.csv: is a symbolic link in HEAD (datapackage.json lists it as resource 'r'); "
                       "the diff follows no link in a git revision, where one could lead out of the package; "
                       "expected the file itself")
    # The working tree: the link leaves the package on disk.
    assert error(pkg, monkeypatch, "HEAD~1", None).startswith("seeds/data.csv: leaves the package")

    data.unlink()
    (pkg / "seeds").rmdir()
    (pkg / "seeds").symlink_to(outside)
    commit(linked_repo, "A folder linked out")
    assert error(pkg, monkeypatch, "HEAD~2", "HEAD").startswith(
        "HEAD:seeds/data.csv: is in the folder 'seeds', which is a symbolic link in HEAD")


@pytest.mark.parametrize("name", ["datapackage.json", "schemas/r.json"])
def test_a_descriptor_or_schema_linked_in_a_revision_is_never_followed(linked_repo, monkeypatch, name):
    """Even a link to a file inside the package: what git holds is the link."""
    pkg = linked_repo / "pkg"
    (pkg / name).rename(pkg / "copy.json")
    (pkg / name).symlink_to(os.path.relpath(pkg / "copy.json", (pkg / name).parent))
    commit(linked_repo, "A link")
    assert error(pkg, monkeypatch, "HEAD~1", "HEAD").startswith(f"HEAD:{name}: is a symbolic link in HEAD")
    assert diff(pkg, monkeypatch, "text", "HEAD~1", None).endswith("No differences.\n")  # on disk it stays inside


def test_files_of_a_revision_with_unusual_names_are_read(linked_repo, monkeypatch):
    """Paths reach git as paths, never as patterns: '*', ':' and non-ASCII."""
    pkg = linked_repo / "pkg"
    resources = [{"name": "r", "path": "seeds/:d*ta ə.csv", "schema": "schemas/r.json"}]
    (pkg / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    (pkg / "seeds" / "data.csv").rename(pkg / "seeds" / ":d*ta ə.csv")
    commit(linked_repo, "Renamed")
    (pkg / "seeds" / ":d*ta ə.csv").write_text("id,v\n1,y\n", encoding="utf-8")
    commit(linked_repo, "Changed")
    assert '    v: "x" -> "y"\n' in diff(pkg, monkeypatch, "text", "HEAD~1", "HEAD")


# JSON nested too deeply -----------------------------------------------------------

def test_a_descriptor_nested_too_deeply_is_an_error(tmp_path):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n"})
    (tmp_path / "b" / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("diff", "a", "b", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"Error: {Path('b/datapackage.json')}: nested too deeply to read; "
                             "expected a plain JSON document\n")


def test_a_schema_nested_too_deeply_is_an_error(tmp_path, monkeypatch):
    resources = [{"name": "r", "path": "data.csv", "schema": "schema.json"}]
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n", "schema.json": json.dumps(SCHEMA)}, resources)
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n", "schema.json": "[" * 100_000 + "]" * 100_000}, resources)
    assert error(tmp_path, monkeypatch) == (f"{Path('b/schema.json')}: nested too deeply to read; "
                                            "expected a plain JSON document")


@pytest.mark.parametrize("depth", [101, 900])
def test_a_schema_too_deep_to_print_is_an_error(tmp_path, monkeypatch, depth):
    """JSON that Python reads but, nested this deep, could not write again
    (the JSON report writes a schema's changed values)."""
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    deep = json.loads("[" * depth + "]" * depth)
    schema = {**SCHEMA, "fields": [{"name": "id", "constraints": {"minimum": deep}}, {"name": "v"}]}
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n"}, [{"name": "r", "path": "data.csv", "schema": schema}])
    assert error(tmp_path, monkeypatch) == (
        f"{Path('b/datapackage.json')}: the schema of resource 'r' is nested more than 100 levels deep, "
        "too deeply to compare; expected a plain Table Schema")


def test_a_schema_nested_a_little_is_compared(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    deep = json.loads("[" * 90 + "1" + "]" * 90)
    schema = {**SCHEMA, "fields": [{"name": "id", "constraints": {"minimum": deep}}, {"name": "v"}]}
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n"}, [{"name": "r", "path": "data.csv", "schema": schema}])
    document = json.loads(diff(tmp_path, monkeypatch, "json"))
    assert document["resources"][0]["schema_changes"][0]["new"] == deep


# Dialects ------------------------------------------------------------------------

def with_dialect(dialect) -> list[dict]:
    return [{"name": "r", "path": "data.csv", "dialect": dialect, "schema": SCHEMA}]


def test_the_dialect_is_read(tmp_path, monkeypatch):
    dialect = {"delimiter": ";", "quoteChar": "'"}
    package(tmp_path / "a", {"data.csv": "id;v\n1;'a;b'\n"}, with_dialect(dialect))
    package(tmp_path / "b", {"data.csv": "id;v\n1;'a;c'\n"}, with_dialect({"csv": dialect}))  # Data Package v2
    assert diff(tmp_path, monkeypatch) == (
        "Comparing a with b.\n"
        "r (data.csv)\n"
        "  changed 1 (line 2)\n"
        '    v: "a;b" -> "a;c"\n'
        "0 rows added, 0 rows removed, 1 row changed.\n")


def test_a_file_rewritten_for_another_dialect_is_no_change(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n1,\"a;b\"\n"})
    package(tmp_path / "b", {"data.csv": "id;v\n1;\"a;b\"\n"}, with_dialect({"delimiter": ";"}))
    assert diff(tmp_path, monkeypatch).endswith("No differences.\n")


def test_the_same_bytes_read_with_another_dialect_are_compared(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id;v\n1;x\n"}, with_dialect({"delimiter": ";"}))
    package(tmp_path / "b", {"data.csv": "id;v\n1;x\n"})
    text = diff(tmp_path, monkeypatch)
    assert "  added \"\" (line 2)\n" in text and "  removed 1 (was line 2)\n" in text


def test_a_dialect_that_cannot_be_read_is_said_when_its_rows_are_needed(tmp_path, monkeypatch):
    dialect = with_dialect({"escapeChar": "\\"})
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"}, dialect)
    package(tmp_path / "b", {"data.csv": "id,v\n1,y\n"}, dialect)
    assert diff(tmp_path, monkeypatch, base="a", head="a").endswith("No differences.\n")  # nothing to read
    assert error(tmp_path, monkeypatch) == (
        f"{Path('a/datapackage.json')}: not supported: resource 'r' dialect escapeChar \"\\\\\"; "
        "this toolkit reads files without escapeChar; the diff cannot read the rows of data.csv")


# Changes behind a repeated name or past the header ---------------------------------------

def test_a_change_in_the_first_of_two_columns_of_one_name(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v,v\n1,x,z\n"})
    package(tmp_path / "b", {"data.csv": "id,v,v\n1,y,z\n"})
    assert '    v (column 2): "x" -> "y"\n' in diff(tmp_path, monkeypatch)


def test_a_header_label_is_read_without_the_spaces_around_it(tmp_path, monkeypatch):
    # As validation reads it: `id ` is the key column id, and rows are matched by it.
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n2,y\n"})
    package(tmp_path / "b", {"data.csv": "id , v\n2,y\n1,z\n"})
    assert diff(tmp_path, monkeypatch) == (
        "Comparing a with b.\n"
        "r (data.csv)\n"
        "  changed 1 (line 3)\n"
        '    v: "x" -> "z"\n'
        "0 rows added, 0 rows removed, 1 row changed.\n")


def test_a_change_past_the_header(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x,p\n2,x\n"})
    package(tmp_path / "b", {"data.csv": "id,v\n1,x,q\n2,x,,r\n"})
    assert diff(tmp_path, monkeypatch) == (
        "Comparing a with b.\n"
        "r (data.csv)\n"
        "  changed 1 (line 2)\n"
        '    column 3, past the header: "p" -> "q"\n'
        "  changed 2 (line 3)\n"
        '    column 4, past the header: "" -> "r"\n'
        "0 rows added, 0 rows removed, 2 rows changed.\n")


def test_rows_added_with_cells_past_the_header_show_every_cell(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n"})
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n2,y,extra\n"})
    assert ("| line | id | v | column 3, past the header |\n| ---: | --- | --- | --- |\n"
            "| 2 | 1 | x |  |\n| 3 | 2 | y | extra |\n") in diff(tmp_path, monkeypatch, "markdown")


def test_a_header_name_that_reads_like_a_made_name_names_every_column_by_position(tmp_path, monkeypatch):
    """Else the header's "column 3, past the header" and the cell past the
    header would share a name, and one would hide the other."""
    package(tmp_path / "a", {"data.csv": '"id","column 3, past the header"\n1,x,p\n'})
    package(tmp_path / "b", {"data.csv": '"id","column 3, past the header"\n1,y,q\n'})
    text = diff(tmp_path, monkeypatch)
    assert '    column 2: column 3, past the header: "x" -> "y"\n' in text
    assert '    column 3, past the header: "p" -> "q"\n' in text
    package(tmp_path / "a", {"data.csv": "id,v (column 3),v,v\n1,a,b,c\n"})
    package(tmp_path / "b", {"data.csv": "id,v (column 3),v,v\n1,A,b,C\n"})
    text = diff(tmp_path, monkeypatch)
    assert '    column 2: v (column 3): "a" -> "A"\n' in text and '    column 4: v: "c" -> "C"\n' in text


def test_a_change_in_the_first_of_two_resources_of_one_name(tmp_path, monkeypatch):
    resources = [{"name": "r", "path": "one.csv", "schema": SCHEMA}, {"name": "r", "path": "two.csv", "schema": SCHEMA}]
    package(tmp_path / "a", {"one.csv": "id,v\n1,x\n", "two.csv": "id,v\n1,x\n"}, resources)
    package(tmp_path / "b", {"one.csv": "id,v\n1,y\n", "two.csv": "id,v\n1,z\n"}, resources)
    assert diff(tmp_path, monkeypatch) == (
        "Comparing a with b.\n"
        "r (one.csv)\n"
        "  changed 1 (line 2)\n"
        '    v: "x" -> "y"\n'
        "r (two.csv, resource 2 with this name)\n"
        "  changed 1 (line 2)\n"
        '    v: "x" -> "z"\n'
        "0 rows added, 0 rows removed, 2 rows changed.\n")
    document = json.loads(diff(tmp_path, monkeypatch, "json"))
    assert [(r["name"], r["occurrence"], r["path"]) for r in document["resources"]] == [
        ("r", 1, "one.csv"), ("r", 2, "two.csv")]


def test_a_key_with_a_space_at_an_end_is_shown_quoted(tmp_path, monkeypatch):
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    package(tmp_path / "b", {"data.csv": "id,v\n1 ,x\n"})
    shown = diff(tmp_path, monkeypatch)
    assert '  added "1 " (line 2): the row removed as 1, with its key changed\n' in shown
    assert "  removed 1 (was line 2)\n" in shown


# Changes a reviewer cannot see --------------------------------------------------

@pytest.mark.parametrize("old, new, shown", [
    ("Şərif", "S\u0327ərif", "U+015E -> U+0053 U+0327"),  # NFC and NFD: the same letter on screen
    ("Junior sergeant", "Junior\u00a0sergeant", "U+0020 -> U+00A0"),
    ("Ağazadə", "Ağazadə ", "(nothing) -> U+0020"),  # Markdown drops a space at an end
    ("a b", "a  b", "(nothing) -> U+0020"),  # and shows a run of spaces as one
    ("ab", "a\u200bb", "U+200B"),
])
@pytest.mark.parametrize("form", ["text", "markdown"])
def test_a_change_that_looks_like_none_says_which_characters_differ(tmp_path, monkeypatch, form, old, new, shown):
    package(tmp_path / "a", {"data.csv": f"id,v\n1,{old}\n2,x\n"})
    package(tmp_path / "b", {"data.csv": f"id,v\n1,{new}\n2,y\n"})
    out = diff(tmp_path, monkeypatch, form)
    note = [line for line in out.splitlines() if "looks the same" in line]
    assert len(note) == 1 and shown.replace(">", "\\>" if form == "markdown" else ">") in note[0], out


FORGED = '2\n  changed 1 (line 2)\n    v: "x" -> "approved"\x1b[2J\u202e'


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_no_key_column_or_cell_can_forge_a_line_or_act_on_the_screen(tmp_path, monkeypatch, form):
    """A line break, a terminal escape or a bidi override in a key, a
    column name or a cell is written as an escape: every line of the
    report is one the diff wrote, and nothing reorders or clears it."""
    quoted = FORGED.replace('"', '""')
    schema = {"fields": [{"name": "id"}, {"name": FORGED}], "primaryKey": "id"}
    resources = [{"name": "r", "path": "data.csv", "schema": schema}]
    package(tmp_path / "a", {"data.csv": f'id,"{quoted}"\n1,x\n'}, resources)
    package(tmp_path / "b", {"data.csv": f'id,"{quoted}"\n1,x\n"{quoted}","{quoted}"\n'}, resources)
    out = diff(tmp_path, monkeypatch, form)
    assert "\x1b" not in out and "\u202e" not in out
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith(("  changed", "    v:"))], out
    assert len(lines) == (6 if form == "text" else 11), out


@pytest.mark.parametrize("form, shown", [
    ("text", "  added 20 (line 3): the row removed as 2, with its key changed\n"),
    ("markdown", "- line 3: the row removed as 2, with its key changed\n"),
    ("json", '"rekeyed": {\n            "values": {\n              "id": "2"'),
])
def test_a_row_whose_key_changed_is_said_to_be_the_removed_one(tmp_path, monkeypatch, form, shown):
    """Ids are never renumbered: a reviewer is told, not left to match an
    added row with a removed one by eye."""
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n2,y\n"})
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n20,y\n3,z\n"})
    out = diff(tmp_path, monkeypatch, form)
    assert shown in out
    assert out.count("key changed") + out.count('"rekeyed"') == 1  # not the row that is new


def test_a_renamed_resource_is_compared_row_by_row(tmp_path, monkeypatch):
    """The same file under another name: its one changed row, not every row
    removed and added again."""
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n2,y\n"})
    package(tmp_path / "b", {"data.csv": "id,v\n1,x\n2,z\n"}, [{"name": "s", "path": "data.csv", "schema": SCHEMA}])
    shown = diff(tmp_path, monkeypatch)
    assert shown == ('Comparing a with b.\ns (data.csv, renamed from r)\n  changed 2 (line 3)\n    v: "y" -> "z"\n'
                     "0 rows added, 0 rows removed, 1 row changed.\n")
    monkeypatch.chdir(tmp_path)
    assert [(r.name, r.base_name) for r in compare("a", "a").resources] == []


@pytest.mark.parametrize("key, value", [("fields", 1), ("fields", True), ("foreignKeys", 1.5)])
def test_a_schema_list_of_the_wrong_kind_is_compared_as_none(tmp_path, key, value):
    # Validation refuses it; the diff still shows what changed, row by row.
    package(tmp_path / "a", {"data.csv": "id,v\n1,x\n"})
    schema = {**SCHEMA, key: value}
    package(tmp_path / "b", {"data.csv": "id,v\n1,y\n"}, [{"name": "r", "path": "data.csv", "schema": schema}])
    result = invoke("diff", "a", "b", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    changed = json.loads(result.stdout)["resources"][0]["changed"]
    assert [(c["key"]["values"], c["cells"]) for c in changed] == [({"id": "1"}, [{"field": "v", "old": "x", "new": "y"}])]
