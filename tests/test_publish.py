"""Publishing: every cell survives the round trip, the same input gives the
same bytes, and an invalid package is never published."""

import hashlib
import json
import sqlite3
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from datapackage.publish.derived import DERIVED, derived_select, derived_statements
from datapackage.publish.search_index import match_expression

from conftest import FIXTURES, ROOT, copy_package, read_csv, resources, invoke, run
from seedrepo import append_row, set_cell


def as_text(value) -> str:
    """A typed value written back the way the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return ";".join(value)
    return str(value)


def keyed(rows, key):
    return {row[key]: {k: as_text(v) for k, v in row.items()} for row in rows}


def expected(name):
    return {row[key(name)]: row for row in read_csv(ROOT / "seeds" / f"{name}.csv")}


def key(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    return schema["primaryKey"][0]


def only_csv_columns(rows, name):
    columns = read_csv(ROOT / "seeds" / f"{name}.csv")[0].keys()
    return {k: {c: row[c] for c in columns} for k, row in rows.items()}


NAMES = [r["name"] for r in resources()]


@pytest.mark.parametrize("name", NAMES)
def test_parquet_round_trip_with_pyarrow(published, name):
    rows = pq.read_table(published / "parquet" / f"{name}.parquet").to_pylist()
    assert only_csv_columns(keyed(rows, key(name)), name) == expected(name)


@pytest.mark.parametrize("name", NAMES)
def test_parquet_round_trip_with_duckdb(published, name):
    relation = duckdb.sql(f"select * from read_parquet('{published / 'parquet' / f'{name}.parquet'}')")
    rows = [dict(zip(relation.columns, values)) for values in relation.fetchall()]
    assert only_csv_columns(keyed(rows, key(name)), name) == expected(name)


@pytest.mark.parametrize("name", NAMES)
def test_sqlite_round_trip_with_sqlite3(published, name):
    db = sqlite3.connect(published / "tartar-case.db")
    db.row_factory = sqlite3.Row
    rows = [dict(row) for row in db.execute(f"select * from [{name}]")]
    assert only_csv_columns(keyed(rows, key(name)), name) == expected(name)


def test_parquet_types_come_from_the_schema(published):
    schema = pq.read_schema(published / "parquet" / "statements.parquet")
    assert str(schema.field("value_min").type) == "int64"
    assert str(schema.field("made_on_from").type) == "timestamp[us]"
    assert str(schema.field("source_ids").type) == "list<element: string>"
    assert str(schema.field("metric").type) == "dictionary<values=string, indices=int32, ordered=0>"
    assert schema.field("summary").metadata[b"description"] == b"What was said, in the dataset's own words."
    victims = pq.read_table(published / "parquet" / "victims.parquet")
    assert victims.schema.field("rank").type.ordered
    assert victims.column("rank").chunk(0).dictionary.to_pylist()[:3] == ["esger", "bas_esger", "kicik_cavus"]


def test_database_has_keys_indexes_citations_and_views(published):
    db = sqlite3.connect(published / "tartar-case.db")
    fks = db.execute("select [table], [from], [to] from pragma_foreign_key_list('deaths')").fetchall()
    assert fks == [("victims", "victim_id", "victim_id")]
    indexes = {row[1] for row in db.execute("select * from pragma_index_list('trials')")}
    assert {"idx_trials_case_id", "idx_trials_victim_id"} <= indexes
    cited = db.execute("select count(*) from citations where resource = 'deaths'").fetchone()[0]
    assert cited == sum(len(row["source_ids"].split(";")) for row in read_csv(ROOT / "seeds" / "deaths.csv"))


@pytest.fixture(scope="module")
def small_published(tmp_path_factory) -> Path:
    """The small fixture package with two more victims, a death with a
    partial date and a second claim about the deaths, published once."""
    root = copy_package(tmp_path_factory.mktemp("small"), FIXTURES / "small")
    source = "src-wikipedia-tartar-case"
    set_cell(root, "deaths", "v-001", "date_of_death", "2017-06-02")
    append_row(root, "victims", ["v-003", "case-tartar", "Mehman Hüseynov", "", "serviceman", "", "", "x", "", source, "public", ""])
    append_row(root, "victims", ["v-004", "case-tartar", "Elçin Quliyev", "", "serviceman", "", "", "x", "", source, "public", ""])
    append_row(root, "deaths", ["v-003", "2017-05-04", "2017-05", "", "", source, "public", ""])
    append_row(root, "statements", ["st-003", "case-tartar", "2017-05", "", "Military Prosecutor's Office",
                                    "prosecutor", "deaths", "1", "1", "", "One death.", source, "stated", "",
                                    "public", ""])
    result = invoke("publish", "--out", "dist", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "dist"


def test_partial_dates_get_typed_bounds(small_published):
    db = sqlite3.connect(small_published / "tartar-case.db")
    bounds = db.execute("select made_on, made_on_from, made_on_to from statements where statement_id = 'st-003'")
    assert bounds.fetchall() == [("2017-05", "2017-05-01", "2017-05-31")]


def test_deaths_timeline_counts_whole_days_only_between_exact_dates(small_published):
    db = sqlite3.connect(small_published / "tartar-case.db")
    days = dict(db.execute("select victim_id, days_in_custody from deaths_timeline"))
    assert days == {"v-001": 29, "v-002": 9, "v-003": None}


def test_contested_figures_put_every_claim_side_by_side(small_published):
    db = sqlite3.connect(small_published / "tartar-case.db")
    claims = db.execute("select metric, value_min, organisation from contested_figures").fetchall()
    assert claims == [("deaths", 1, "Military Prosecutor's Office"), ("deaths", 13, "human rights defenders")]


def test_derived_tables_hold_what_their_sql_computes_in_its_order(small_published):
    db = sqlite3.connect(small_published / "tartar-case.db")
    for name, statement in derived_statements():
        assert db.execute("select type from sqlite_master where name = ?", [name]).fetchone() == ("table",)
        assert db.execute(f"select * from [{name}] order by rowid").fetchall() == \
            db.execute(derived_select(statement)).fetchall()
        indexes = {row[1] for row in db.execute(f"select * from pragma_index_list('{name}')")}
        assert indexes == {f"idx_{name}_{column}" for column in DERIVED[name]["facets"]}


@pytest.mark.parametrize("spelling, found", [
    ("Gafarov", "Saleh Şərif oğlu Qafarov"),
    ("Guseynov", "Mehman Hüseynov"),
    ("Elchin", "Elçin Quliyev"),
    ("Agazade", "Elxan Ağazadə"),
])
def test_search_finds_azerbaijani_spellings(small_published, spelling, found):
    db = sqlite3.connect(small_published / "tartar-case.db")
    names = [r[0] for r in db.execute(
        "select name from victims where rowid in (select rowid from victims_fts where victims_fts match ?)",
        (match_expression(spelling),))]
    assert names == [found]


def test_published_csv_is_the_seed_byte_for_byte(small_published):
    """Empty cells stay bare (`a,,b`), quotes only where needed, as contributors write them."""
    seeds = small_published.parent / "seeds"
    assert any(",," in path.read_text(encoding="utf-8") for path in seeds.glob("*.csv"))
    for path in seeds.glob("*.csv"):
        assert (small_published / "csv" / path.name).read_bytes() == path.read_bytes(), path.name


def test_two_publishes_give_identical_bytes(published, tmp_path):
    root = copy_package(tmp_path)
    assert invoke("publish", "--out", "again", cwd=root).returncode == 0
    first = sorted(p.relative_to(published) for p in published.rglob("*") if p.is_file())
    second = sorted(p.relative_to(root / "again") for p in (root / "again").rglob("*") if p.is_file())
    assert first == second
    for path in first:
        assert (published / path).read_bytes() == (root / "again" / path).read_bytes(), path


def test_release_descriptor_hashes_match_the_files(published):
    release = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert len(release["resources"]) == 2 * len(NAMES)
    for resource in release["resources"]:
        data = (published / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert release["licenses"][0]["name"] == "CC-BY-4.0"
    assert release["created"].endswith("Z")


def test_release_descriptor_is_valid_for_frictionless(published):
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "frictionless"), "validate", "--json", "datapackage.json"],
                            cwd=published, capture_output=True, text=True)
    # Frictionless's own words on failure: a rare failure under load left none.
    assert result.stdout.strip().startswith("{"), result.stderr[-4000:]
    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report)[-4000:]


def test_zip_holds_the_whole_release(published):
    import zipfile
    with zipfile.ZipFile(published / "tartar-case-0.1.0.zip") as archive:
        names = set(archive.namelist())
    assert {"tartar-case-0.1.0/datapackage.json", "tartar-case-0.1.0/tartar-case.db",
            "tartar-case-0.1.0/parquet/victims.parquet", "tartar-case-0.1.0/csv/victims.csv"} <= names


def test_invalid_package_is_not_published_and_dist_is_untouched(published, tmp_path):
    root = copy_package(tmp_path)
    assert invoke("publish", "--out", "dist", cwd=root).returncode == 0
    before = {p: p.read_bytes() for p in (root / "dist").rglob("*") if p.is_file()}
    with open(root / "seeds" / "victims.csv", "a", encoding="utf-8") as f:
        f.write("v-900,case-tartar,Test Person,,serviceman,kapitn,,x,,src-wikipedia-tartar-case,public,\n")
    result = run("publish", "--out", "dist", cwd=root)
    assert result.returncode == 1
    assert "rank 'kapitn' is not an allowed value" in result.stderr
    assert "not published" in result.stderr
    after = {p: p.read_bytes() for p in (root / "dist").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in root.iterdir()) == [".dist.releases", "datapackage.json", "dist", "schemas", "seeds"]


def test_a_fields_own_missing_values_are_null_in_the_release_and_kept_in_its_csv(tmp_path):
    """Table Schema 2: a field's missingValues take the place of the schema's
    for that field (a blank count is then not missing, so not a number)."""
    fields = [{"name": "id", "type": "string"}, {"name": "count", "type": "integer", "missingValues": ["NA"]},
              {"name": "note", "type": "string", "missingValues": ["NA", "-"]}, {"name": "level", "type": "integer"}]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "readings", "resources": [
        {"name": "readings", "path": "readings.csv",
         "schema": {"fields": fields, "missingValues": ["", "n/a"]}}]}), encoding="utf-8")
    text = "id,count,note,level\na,NA,-,n/a\nb,3,,\nc,4,NA,2\n"
    (tmp_path / "readings.csv").write_text(text, encoding="utf-8")
    result = invoke("publish", "--out", str(tmp_path / "dist"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "dist" / "csv" / "readings.csv").read_text(encoding="utf-8") == text
    rows = sqlite3.connect(tmp_path / "dist" / "readings.db").execute("select * from readings order by id").fetchall()
    assert rows == [("a", None, None, None), ("b", 3, "", None), ("c", 4, None, 2)]
    assert pq.read_table(tmp_path / "dist" / "parquet" / "readings.parquet").to_pylist()[1]["note"] == ""
    (tmp_path / "readings.csv").write_text(text.replace("b,3,", "b,,"), encoding="utf-8")
    result = invoke("validate", cwd=tmp_path)
    assert result.returncode == 1 and "readings.csv:3:2: error: count '' is not a whole number [type]" in result.stdout


def test_missing_values_written_as_objects_are_read_and_their_labels_shown(tmp_path):
    """Table Schema 2 may write each missing value as an object with a label:
    the cells are NULL in the release, the CSV keeps them, the data dictionary
    and a required cell's finding say what each stands for."""
    fields = [{"name": "id", "type": "string"}, {"name": "age", "type": "integer"},
              {"name": "note", "type": "string", "missingValues": [{"value": "n/a"}]}]
    missing = [{"value": "", "label": "not asked"}, {"value": "-99", "label": "refused"}]
    (tmp_path / "datapackage.json").write_text(json.dumps({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "ages", "resources": [
            {"name": "ages", "path": "ages.csv", "schema": {"fields": fields, "missingValues": missing}}]}),
        encoding="utf-8")
    text = "id,age,note\na,-99,n/a\nb,,x\nc,40,\n"
    (tmp_path / "ages.csv").write_text(text, encoding="utf-8")
    result = invoke("publish", "--out", str(tmp_path / "dist"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = sqlite3.connect(tmp_path / "dist" / "ages.db").execute("select * from ages order by id").fetchall()
    assert rows == [("a", None, None), ("b", None, "x"), ("c", 40, "")]
    assert (tmp_path / "dist" / "csv" / "ages.csv").read_text(encoding="utf-8") == text
    dictionary = (tmp_path / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    assert "ages: '' (not asked), '-99' (refused); ages.note: 'n/a'." in dictionary
    fields[1]["constraints"] = {"required": True}
    (tmp_path / "datapackage.json").write_text(
        (tmp_path / "datapackage.json").read_text(encoding="utf-8").replace('"integer"}', '"integer", '
                                                                             '"constraints": {"required": true}}'),
        encoding="utf-8")
    result = invoke("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert "ages.csv:2:2: error: age '-99' is declared a missing value (missingValues, where it stands for " \
           "'refused'); a value is required" in result.stdout


def test_a_required_cell_holding_a_declared_missing_value_says_so(tmp_path):
    # (A row of missing values only would be a blank row, as in Frictionless: a second cell holds a value.)
    fields = [{"name": "id", "type": "string", "missingValues": ["NA"], "constraints": {"required": True}},
              {"name": "name", "type": "string"}]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "ids", "resources": [
        {"name": "ids", "path": "ids.csv", "schema": {"fields": fields}}]}), encoding="utf-8")
    (tmp_path / "ids.csv").write_text("id,name\na,x\nNA,y\n", encoding="utf-8")
    result = invoke("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert "ids.csv:3:1: error: id 'NA' is declared a missing value (missingValues); a value is required" \
        in result.stdout
