"""Withheld rows never reach a published byte or page.

A unique marker is planted in a withheld person, their death and a trial that
names them, in a copy of the small fixture package. Every published file is
searched for it (Parquet and the zip decompressed, the SQLite file's raw
bytes), then every page and JSON answer of the running site. The same search
finds the marker when the rows are public, so it can fail."""

import csv
import io
import json
import re
import sys
import urllib.parse
import urllib.request
import zipfile

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, invoke, serving

sys.path.insert(0, str(ROOT / "benchmarks"))
import withheld_chain  # noqa: E402

MARKER = "zq731902marker"
NAME = "Kwzvtoğlu"  # searched for on the site; a page listing the row would show MARKER


def add_rows(package, visibility):
    reason = "living witness, no consent" if visibility == "withheld" else ""

    def append(name, row):
        path = package / "seeds" / f"{name}.csv"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(row)
        path.write_text(path.read_text(encoding="utf-8") + out.getvalue(), encoding="utf-8")

    source = "src-wikipedia-tartar-case"
    append("victims", ["v-950", "case-tartar", f"Aydın {NAME} {MARKER}", f"Aydin Kwzvtoglu {MARKER}", "serviceman", "kapitan", "",
                       f"Seen by {MARKER} in custody.", f"note {MARKER}", source, visibility, reason])
    append("deaths", ["v-950", "2017-05-04", "2017-05-09", f"place {MARKER}", "", source, visibility, reason])
    append("trials", ["t-950", "case-tartar", "[court not named]", "2019", f"{MARKER} Aydın {NAME}", "v-950", "1",
                      "accused-of-treason", "", "convicted", "", "", f"Trial of {MARKER}.", source, "stated", "",
                      visibility, reason])


def text_of_parquet(path) -> str:
    return json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)


def published_text(dist) -> dict[str, str]:
    """Every published file as searchable text: Parquet decoded, the zip's
    members opened, everything else as raw bytes."""
    found = {}
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        name = str(path.relative_to(dist))
        if path.suffix == ".parquet":
            found[name] = text_of_parquet(path)
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    data = archive.read(member)
                    if member.endswith(".parquet"):
                        found[f"{name}:{member}"] = json.dumps(pq.read_table(io.BytesIO(data)).to_pylist(),
                                                               default=str, ensure_ascii=False)
                    else:
                        found[f"{name}:{member}"] = data.decode("utf-8", errors="replace")
        else:
            found[name] = path.read_bytes().decode("utf-8", errors="replace")
    return found


def site_pages(url: str) -> dict[str, str]:
    """Every page and JSON answer a visitor can reach: home, each table and
    row page (HTML and JSON), full-text searches and canned queries."""
    def get(path):
        try:
            with urllib.request.urlopen(url + path, timeout=30) as response:
                return response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.read().decode("utf-8", errors="replace")

    pages = {"/": get("/")}
    database = json.loads(get("/.json"))
    name = next(iter(database)) if "databases" not in database else database["databases"][0]["name"]
    db = json.loads(get(f"/{name}.json"))
    search = urllib.parse.quote(NAME)
    for table in db["tables"] + [{"name": v["name"]} for v in db.get("views", [])]:
        table_name = urllib.parse.quote(table["name"])
        for path in (f"/{name}/{table_name}", f"/{name}/{table_name}.json?_shape=array&_size=max",
                     f"/{name}/{table_name}?_search={search}", f"/{name}/{table_name}.csv?_size=max"):
            pages[path] = get(path)
        keys = table.get("primary_keys") or []
        if table.get("hidden") or not keys:
            continue
        for row in json.loads(pages[f"/{name}/{table_name}.json?_shape=array&_size=max"]):
            key = ",".join(urllib.parse.quote(str(row[k]), safe="") for k in keys)
            pages[f"/{name}/{table_name}/{key}"] = get(f"/{name}/{table_name}/{key}")
    for query in db.get("queries", []):
        path = f"/{name}/{query['name']}?name={search}"
        pages[path] = get(path)
    return pages


def where(marker, texts):
    return sorted(name for name, text in texts.items() if re.search(re.escape(marker), text, re.IGNORECASE))


@pytest.fixture(scope="module", params=["withheld", "public"])
def release(request, tmp_path_factory):
    from conftest import FIXTURES, copy_package
    package = copy_package(tmp_path_factory.mktemp(request.param), FIXTURES / "small")
    add_rows(package, request.param)
    result = invoke("validate", cwd=package)
    assert result.returncode == 0, result.stdout
    result = invoke("publish", "--out", "dist", cwd=package)
    assert result.returncode == 0, result.stderr
    return request.param, package / "dist"


def test_marker_in_no_published_file_unless_public(release):
    visibility, dist = release
    hits = where(MARKER, published_text(dist))
    if visibility == "withheld":
        assert hits == []
    else:  # the search works: a public row is found in the CSV, Parquet, SQLite and zip
        assert {"csv/victims.csv", "parquet/victims.parquet", "tartar-case.db"} <= set(hits)
        assert any(hit.endswith(".zip:tartar-case-0.1.0/csv/victims.csv") or ".zip:" in hit for hit in hits)


def test_marker_on_no_page_of_the_site_unless_public(release):
    visibility, dist = release
    with serving(dist) as url:
        hits = where(MARKER, site_pages(url))
    if visibility == "withheld":
        assert hits == []
    else:
        assert any("/victims" in hit for hit in hits) and any("_search" in hit for hit in hits)


def test_public_death_of_a_withheld_person_is_an_error(small_package):
    add_rows(small_package, "withheld")
    path = small_package / "seeds" / "deaths.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("withheld,living witness, no consent", "public,")
                    .replace('withheld,"living witness, no consent"', "public,"), encoding="utf-8")
    result = invoke("validate", "--format", "json", cwd=small_package)
    findings = [(f["path"], f["field"], f["check"]) for f in json.loads(result.stdout)]
    assert findings == [("seeds/deaths.csv", "visibility", "withheld-reference")]
    assert result.returncode == 1


def test_a_withheld_row_must_say_why(small_package):
    add_rows(small_package, "withheld")
    for name in ("victims", "deaths", "trials"):
        path = small_package / "seeds" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace('withheld,"living witness, no consent"', "withheld,"),
                        encoding="utf-8")
    result = invoke("validate", "--format", "json", cwd=small_package)
    findings = sorted((f["path"], f["field"], f["check"]) for f in json.loads(result.stdout))
    assert findings == [(f"seeds/{n}.csv", "withheld_reason", "withheld-reason") for n in ("deaths", "trials", "victims")]


UNPUBLISHED = "zq480266custom"
PUBLISHED = "zq480266standard"


def plant_custom_properties(package) -> int:
    """A maintainer's note in a custom property of every kind of object the
    descriptor and a schema hold (but constraints, where the Table Schema
    profile makes one an error), and a control marker in a standard property.
    Returns how many notes were planted."""
    descriptor_path, schema_path = package / "datapackage.json", package / "schemas" / "victims.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    descriptor["description"] += f" {PUBLISHED}"
    fields = {spec["name"]: spec for spec in schema["fields"]}
    holders = [descriptor, descriptor["licenses"][0], descriptor["sources"][0], descriptor["contributors"][0],
               next(r for r in descriptor["resources"] if r["name"] == "victims"),
               schema, schema["search"], schema["foreignKeys"][0], schema["foreignKeys"][0]["reference"],
               fields["notes"], fields["rank"]["categories"][0],
               fields["source_ids"]["sourceList"], fields["visibility"]["withholdsRow"]]
    for holder in holders:
        holder["maintainerNote"] = f"private: {UNPUBLISHED}"
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    schema_path.write_text(json.dumps(schema, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(holders)


def test_custom_properties_warn_and_are_never_published(small_package):
    planted = plant_custom_properties(small_package)
    result = invoke("validate", "--format", "json", cwd=small_package)
    assert result.returncode == 0, result.stdout
    warnings = [f for f in json.loads(result.stdout) if f["check"] == "unpublished-property"]
    assert len(warnings) == planted and all(f["severity"] == "warning" for f in warnings)
    assert {f["path"] for f in warnings} == {"datapackage.json", "schemas/victims.json"}
    assert all(f["line"] and f["column"] and "'maintainerNote'" in f["message"] and "will not be published"
               in f["message"] and UNPUBLISHED not in json.dumps(f) for f in warnings)
    result = invoke("publish", "--out", "dist", cwd=small_package)
    assert result.returncode == 0, result.stderr
    texts = published_text(small_package / "dist")
    assert where(UNPUBLISHED, texts) == []
    assert "datapackage.json" in where(PUBLISHED, texts)  # the search finds what is published


def test_the_withholding_mark_is_neither_a_facet_nor_indexed(release):
    """Every published row is public: a facet or an index on the mark would count one value."""
    import sqlite3
    _, dist = release
    tables = json.loads((dist / "metadata.json").read_text())["databases"]["tartar-case"]["tables"]
    db = sqlite3.connect(dist / "tartar-case.db")
    for name in ("victims", "deaths", "trials"):
        assert "rank" in tables["victims"]["facets"] and "visibility" not in tables[name]["facets"]
        indexed = {c for (i,) in db.execute(f"select name from pragma_index_list('{name}')")
                   for (c,) in db.execute(f"select name from pragma_index_info('{i}')")}
        assert indexed and "visibility" not in indexed


def cited_people_package(root, citing_visibility="public"):
    """`events.pid` lists people (a source list); one person is withheld."""
    def mark(): return {"name": "visibility", "type": "string", "constraints": {"enum": ["public", "withheld"]},
                        "withholdsRow": {"value": "withheld", "reason": "withheld_reason"}}

    people = {"fields": [{"name": "pid", "type": "string"}, mark(), {"name": "withheld_reason", "type": "string"}],
              "primaryKey": ["pid"]}
    events = {"fields": [{"name": "eid", "type": "string"},
                         {"name": "pid", "type": "string", "sourceList": {"resource": "people", "field": "pid"}},
                         mark(), {"name": "withheld_reason", "type": "string"}], "primaryKey": ["eid"]}
    reason = "no consent" if citing_visibility == "withheld" else ""
    files = {"people.csv": f"pid,visibility,withheld_reason\np1,public,\np{MARKER},withheld,no consent\n",
             "events.csv": f"eid,pid,visibility,withheld_reason\ne1,p1,public,\ne2,p1;p{MARKER},{citing_visibility},{reason}\n",
             "people.json": json.dumps(people), "events.json": json.dumps(events),
             "datapackage.json": json.dumps({"name": "cited", "resources": [
                 {"name": "people", "path": "people.csv", "schema": "people.json"},
                 {"name": "events", "path": "events.csv", "schema": "events.json"}]})}
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_public_row_citing_a_withheld_row_is_an_error(tmp_path):
    result = invoke("validate", "--format", "json", cwd=cited_people_package(tmp_path / "p"))
    findings = [(f["path"], f["line"], f["field"], f["check"]) for f in json.loads(result.stdout)]
    assert findings == [("events.csv", 3, "pid", "withheld-reference")]
    assert result.returncode == 1


def test_a_withheld_row_may_cite_a_withheld_row_and_neither_is_published(tmp_path):
    package = cited_people_package(tmp_path / "p", citing_visibility="withheld")
    result = invoke("publish", "--out", str(tmp_path / "dist"), cwd=package)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = published_text(tmp_path / "dist")
    assert texts and not where(MARKER, texts)


def test_a_chain_of_self_references_to_a_withheld_row_is_withheld_to_its_end(tmp_path):
    """Notes on a withheld person's note, each on the one before, written
    last link first: every link of the chain is withheld, however long, and
    none is published."""
    package = tmp_path / "p"
    withheld_chain.write(7, package, secret=MARKER)
    result = invoke("publish", "--out", str(tmp_path / "dist"), cwd=package)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = published_text(tmp_path / "dist")
    assert "public note" in texts["csv/notes.csv"] and not where(MARKER, texts)


def withheld_ids(tmp_path, notes_rows: str, replies_rows: str = "") -> dict[str, list[str]]:
    """The ids `withheld` finds in a package of people, notes that refer to
    a person or to a parent note, and replies that refer to a note."""
    from datapackage.package import load_package
    from datapackage.privacy import withheld
    from datapackage.read.table import read_tables

    fields = lambda *names: [{"name": n, "type": "string"} for n in names]  # noqa: E731
    people = {"fields": fields("pid") + [{"name": "visibility", "type": "string",
                                          "withholdsRow": {"value": "withheld", "reason": "why"}}] + fields("why"),
              "primaryKey": ["pid"]}
    notes = {"fields": fields("nid", "pid", "parent"), "primaryKey": ["nid"],
             "foreignKeys": [{"fields": ["pid"], "reference": {"resource": "people", "fields": ["pid"]}},
                             {"fields": ["parent"], "reference": {"resource": "", "fields": ["nid"]}}]}
    replies = {"fields": fields("rid", "nid"),
               "foreignKeys": [{"fields": ["nid"], "reference": {"resource": "notes", "fields": ["nid"]}}]}
    files = {"people.csv": "pid,visibility,why\np1,public,\np2,withheld,no consent\n",
             "notes.csv": "nid,pid,parent\n" + notes_rows, "replies.csv": "rid,nid\n" + replies_rows}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "walk", "resources": [
        {"name": n, "path": f"{n}.csv", "schema": s} for n, s in
        (("people", people), ("notes", notes), ("replies", replies))]}), encoding="utf-8")
    package, findings = load_package(tmp_path / "datapackage.json")
    tables, read = read_tables(package)
    assert not findings and not read
    hidden = withheld(package, tables)
    return {name: [tables[name].frame[tables[name].frame.columns[0]][i] for i in range(len(tables[name]))
                   if hidden[name][i]] for name in tables}


def test_rows_are_withheld_through_chains_in_any_order_and_through_cycles(tmp_path):
    # n4 -> n3 -> n2 -> n1 -> p2, written last link first; n5 and n6 refer to
    # each other and to n4; n7 and n8 form a cycle that reaches nothing withheld.
    notes = "n4,,n3\nn3,,n2\nn2,,n1\nn1,p2,\nn5,,n6\nn6,,n4\nn7,,n8\nn8,,n7\nn9,p1,\nn10,p1,n9\n"
    replies = "r1,n5\nr2,n9\nr3,n1\n"
    found = withheld_ids(tmp_path, notes, replies)
    assert found == {"people": ["p2"], "notes": ["n4", "n3", "n2", "n1", "n5", "n6"], "replies": ["r1", "r3"]}


def test_rows_that_reach_no_withheld_row_stay_public(tmp_path):
    (tmp_path / "p").mkdir()
    found = withheld_ids(tmp_path / "p", "n1,p1,\nn2,,n1\nn3,,n9\n", "r1,n2\n")
    assert found == {"people": ["p2"], "notes": [], "replies": []}


def test_annotations_conceal_a_row_marked_withheld_loosely(tmp_path):
    """A mark with other case or spaces is refused by validation, but its
    author meant the row withheld: what a pull request shows keeps it out,
    and says what is wrong with the other rows."""
    people = {"fields": [{"name": "pid", "type": "string"},
                         {"name": "visibility", "type": "string", "constraints": {"enum": ["public", "withheld"]},
                          "withholdsRow": {"value": "withheld", "reason": "why"}},
                         {"name": "why", "type": "string"}, {"name": "age", "type": "integer"}], "primaryKey": ["pid"]}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "loose", "resources": [
        {"name": "people", "path": "people.csv", "schema": people}]}), encoding="utf-8")
    csv_text = f"pid,visibility,why,age\np1,public,,{MARKER}a\np2, Withheld ,no consent,{MARKER}b\n"
    (tmp_path / "people.csv").write_text(csv_text, encoding="utf-8")
    shown = invoke("validate", "--format", "github", cwd=tmp_path).stdout
    assert f"{MARKER}a" in shown and f"{MARKER}b" not in shown and "line=3,col=4,title=type::" in shown
    assert f"{MARKER}b" in invoke("validate", cwd=tmp_path).stdout  # the maintainer's own report says it all


@pytest.fixture(scope="module")
def bare_timeline(tmp_path_factory):
    """The timeline of the package without the planted rows."""
    from conftest import FIXTURES, copy_package
    package = copy_package(tmp_path_factory.mktemp("bare"), FIXTURES / "small")
    result = invoke("publish", "--out", "dist", cwd=package)
    assert result.returncode == 0, result.stderr
    return (package / "dist" / "timeline.png").read_bytes()


def test_the_timeline_draws_a_withheld_death_nowhere(release, bare_timeline):
    """A picture holds no text to search: a withheld death must leave the
    timeline the same bytes as without it; a public one changes it."""
    visibility, dist = release
    drawn = (dist / "timeline.png").read_bytes()
    assert (drawn == bare_timeline) == (visibility == "withheld")
