"""What the release says about its data is true of the data: the data
dictionary's Parquet columns and field rules, on small packages written by
the test."""

import pyarrow.parquet as pq

from test_hostile_inputs import findings_of, people, published, write_package


def dictionary_rows(root, heading):
    """The table rows of the data dictionary under `heading`, first line of each."""
    text = (root / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    section = text[text.index(heading):]
    return [line for line in section.split("\n## ")[0].splitlines() if line.startswith("| `")]


def test_each_parquet_column_is_described_with_its_own_type(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "share", "type": "number"},
              {"name": "alive", "type": "boolean"}, {"name": "at", "type": "datetime"},
              {"name": "local", "type": "datetime"}, {"name": "on", "type": "date"}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [
        ["id", "share", "alive", "at", "local", "on"], ["1", "0.5", "true", "2017-05-13T10:00:00Z",
                                                        "2017-05-13T10:00:00", "2017-05-13"]]})
    assert findings_of(root) == (0, [])
    published(root)
    assert pq.read_schema(root / "dist" / "parquet" / "people.parquet").field("share").type == "double"
    assert dictionary_rows(root, "## people\n\nFile: `parquet/") == [
        "| `id` | text |  |", "| `share` | number |  |", "| `alive` | boolean |  |",
        "| `at` | timestamp, UTC |  |", "| `local` | timestamp |  |", "| `on` | timestamp |  |"]


def test_a_pipe_a_backtick_or_a_line_break_stays_inside_its_dictionary_cell(tmp_path):
    kind = {"name": "kind", "type": "string", "description": "What | kind,\nin two lines",
            "constraints": {"enum": ["a|b", "c`d"]},
            "categories": [{"value": "a|b", "label": "A or | B"}, {"value": "c`d", "label": "C\nD"}]}
    fields = [{"name": "id", "type": "string"}, kind]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "kind"], ["1", "a|b"], ["2", "c`d"]]})
    assert findings_of(root) == (0, [])
    published(root)
    rows = dictionary_rows(root, "## people")
    assert rows[1] == ("| `kind` | string | at most 20,000 characters; one of the values below | "
                       "What \\| kind,<br>in two lines |")
    assert rows[2:4] == ["| `a\\|b` | A or \\| B |", "| ``c`d`` | C<br>D |"]
    # Each row has its four (or two) cells, so it renders as one row of the table.
    assert [row.replace("\\|", "").count("|") for row in rows[:4]] == [5, 5, 3, 3]
    assert "| `kind` | category | What \\| kind,<br>in two lines |" in dictionary_rows(root, "File: `parquet/")


def test_the_dictionary_says_how_cells_are_written_where_a_field_declares_it(tmp_path):
    # The CSV keeps each cell as written: its reader needs these to read "Y" or "1 000,5".
    fields = [{"name": "id", "type": "string"},
              {"name": "alive", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N", "no"]},
              {"name": "paid", "type": "number", "decimalChar": ",", "groupChar": " ", "bareNumber": False},
              {"name": "on", "type": "date", "format": "%d/%m/%Y"},
              {"name": "count", "type": "integer"}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [
        ["id", "alive", "paid", "on", "count"], ["1", "Y", "1 000,5 €", "13/05/2017", "3"]]})
    assert findings_of(root) == (0, [])
    published(root)
    assert dictionary_rows(root, "## people")[1:] == [
        "| `alive` | boolean | true written Y; false written N, no |  |",
        "| `paid` | number | decimal mark ','; digits grouped by ' '; may have text before or after the number "
        "(such as % or €) |  |",
        "| `on` | date | written in the form %d/%m/%Y |  |",
        "| `count` | integer |  |  |"]


def test_the_released_dictionary_names_the_release_s_files_and_a_missing_key_as_missing(tmp_path):
    (tmp_path / "seeds").mkdir()
    keyless = {"name": "notes", "path": "seeds/notes.csv", "schema": {"fields": [{"name": "text", "type": "string"}]}}
    root = write_package(tmp_path, [people(path="seeds/people.csv"), keyless],
                         {"seeds/people.csv": [["id", "name"], ["1", "A"]], "seeds/notes.csv": [["text"], ["x"]]})
    assert findings_of(root) == (0, [])
    published(root)
    text = (root / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    assert "File: `csv/people.csv`. Primary key: `id`." in text
    assert "File: `csv/notes.csv`. No primary key." in text and "seeds/" not in text


def test_a_date_with_allowed_values_is_a_timestamp_in_parquet_like_any_date(tmp_path):
    import pandas as pd

    fields = [{"name": "id", "type": "string"}, {"name": "on", "type": "date", "categoriesOrdered": True,
                                                   "constraints": {"enum": ["2018-01-01", "2017-05-13"]}}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "on"], ["1", "2017-05-13"], ["2", ""]]})
    assert findings_of(root) == (0, [])
    parquet, _ = published(root)
    path = root / "dist" / "parquet" / "people.parquet"
    assert str(pq.read_schema(path).field("on").type) == "timestamp[us]"
    assert str(pd.read_parquet(path)["on"].dtype) == "datetime64[us]"
    assert [(row["on"] and row["on"].date().isoformat(), row["on_order"]) for row in parquet["people"]] == [
        ("2017-05-13", 2), (None, None)]
    assert "| `on` | timestamp |  |" in dictionary_rows(root, "File: `parquet/")


def test_an_integer_with_allowed_values_is_a_nullable_integer_in_pandas(tmp_path):
    import pandas as pd

    rank = {"name": "grade", "type": "integer", "categoriesOrdered": True, "constraints": {"enum": [3, 1, 2]},
            "categories": [{"value": 3, "label": "low"}, {"value": 1, "label": "mid"}, {"value": 2, "label": "high"}]}
    fields = [{"name": "id", "type": "string"}, rank]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "grade"], ["1", "2"], ["2", ""]]})
    assert findings_of(root) == (0, [])
    frame = (published(root), pd.read_parquet(root / "dist" / "parquet" / "people.parquet"))[1]
    assert str(frame["grade"].dtype) == "Int64"  # not float64 (2.0 and NaN)
    assert frame["grade"].tolist()[0] == 2 and frame["grade"].isna().tolist() == [False, True]
    assert frame["grade_order"].tolist()[0] == 3
    assert "| `grade` | integer |  |" in dictionary_rows(root, "File: `parquet/")


def test_each_field_of_a_composite_foreign_key_names_the_field_it_refers_to(tmp_path):
    pairs = {"name": "pairs", "path": "pairs.csv", "schema": {
        "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}], "primaryKey": ["a", "b"]}}
    refs = {"name": "refs", "path": "refs.csv", "schema": {
        "fields": [{"name": "x", "type": "string"}, {"name": "y", "type": "string"}],
        "foreignKeys": [{"fields": ["x", "y"], "reference": {"resource": "pairs", "fields": ["a", "b"]}}]}}
    root = write_package(tmp_path, [pairs, refs], {"pairs.csv": [["a", "b"], ["1", "2"]],
                                                   "refs.csv": [["x", "y"], ["1", "2"]]})
    assert findings_of(root) == (0, [])
    published(root)
    assert [row.split(" | ")[2] for row in dictionary_rows(root, "## refs")] == [
        "at most 20,000 characters; refers to pairs.a, with y to pairs.b",
        "at most 20,000 characters; refers to pairs.b, with x to pairs.a"]


def test_the_creation_date_is_read_with_the_git_the_user_s_path_finds(tmp_path, monkeypatch):
    # A git installed outside /bin and /usr/bin (Homebrew, Nix, conda) was not
    # found, and the release's date silently became the latest date in the data.
    from datapackage.package import load_package
    from datapackage.publish.release import created

    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "git").write_text("#!/bin/sh\necho 2021-06-01T10:00:00Z\n", encoding="utf-8")
    (tools / "git").chmod(0o755)
    root = write_package(tmp_path, [people()], {"people.csv": [["id", "name"], ["1", "A"]]})
    monkeypatch.setenv("PATH", f"{tools}:/bin:/usr/bin")
    assert created(load_package(root / "datapackage.json")[0], {}) == "2021-06-01T10:00:00Z"


def test_a_boolean_allowed_value_is_written_as_the_schema_and_the_csv_write_it(tmp_path):
    import sqlite3

    alive = {"name": "alive", "type": "boolean", "constraints": {"enum": [True, False]},
             "categories": [{"value": True, "label": "alive"}, {"value": False, "label": "dead"}]}
    root = write_package(tmp_path, [people([{"name": "id", "type": "string"}, alive])],
                         {"people.csv": [["id", "alive"], ["1", "true"]]})
    assert findings_of(root) == (0, [])
    published(root)
    assert dictionary_rows(root, "Values of `alive`")[:2] == ["| `true` | alive |", "| `false` | dead |"]
    db = sqlite3.connect(root / "dist" / "test-package.db")
    assert db.execute("select value from vocabularies where field = 'alive' order by position").fetchall() == [
        ("true",), ("false",)]


def test_the_release_descriptor_says_how_its_csv_files_are_written(tmp_path):
    """A reader left to guess the dialect (Frictionless sniffs what a
    descriptor leaves out) took the space opening a cell after a quoted one
    for padding, and `;` in a table of one column for the delimiter. The
    package declares its own, as validation asks it to."""
    from frictionless import Package

    declared = {"delimiter": ",", "skipInitialSpace": False}
    spaced = {"name": "spaced", "path": "spaced.csv", "dialect": declared,
              "schema": {"fields": [{"name": "a"}, {"name": "b"}]}}
    single = {"name": "single", "path": "single.csv", "dialect": declared, "schema": {"fields": [{"name": "list"}]}}
    root = write_package(tmp_path, [spaced, single], {
        "spaced.csv": [["a", "b"], ["x, y", " z"], ["x, y", " w"]],
        "single.csv": [["list"], ["p;q"], ["r;s"], ["t;u"]]})
    assert findings_of(root) == (0, [])
    published(root)
    release = Package(str(root / "dist" / "datapackage.json"))
    assert [r.to_dict() for r in release.get_resource("spaced").read_rows()] == [
        {"a": "x, y", "b": " z"}, {"a": "x, y", "b": " w"}]
    assert [r.to_dict() for r in release.get_resource("single").read_rows()] == [
        {"list": "p;q"}, {"list": "r;s"}, {"list": "t;u"}]
