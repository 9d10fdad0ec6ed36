"""A package the schemas accept, however sparse, publishes and its site
answers every page: every optional cell blank (no date, no figure, no rank),
every table empty, no court decision at all, every row that can be withheld
withheld. Valid means publishable for these too, not only for rows like ours."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path

import pytest

from conftest import serving
from datapackage.findings import has_errors
from datapackage.publish.build import publish
from datapackage.validate.check import check

TABLES = ("sources", "cases", "victims", "deaths", "trials", "statements")
DOWNLOADS = (".db", ".csv", ".json", ".zip", ".parquet", ".png", ".html")
MAX_PAGES = 60  # reached from the home page, breadth first


def rewrite(package: Path, table: str, change) -> None:
    """Rewrites one CSV with `change(rows)`, its header kept."""
    path = package / "seeds" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        header, rows = reader.fieldnames, list(reader)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(rows))


def optional_fields(package: Path, table: str) -> list[str]:
    schema = json.loads((package / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
    keys = set(schema.get("primaryKey", []))
    return [f["name"] for f in schema["fields"]
            if not f.get("constraints", {}).get("required") and f["name"] not in keys]


def blank_optional_cells(package: Path) -> None:
    for table in TABLES:
        blank = dict.fromkeys(optional_fields(package, table), "")
        rewrite(package, table, lambda rows: [{**row, **blank} for row in rows])


def empty_tables(package: Path) -> None:
    for table in TABLES:
        rewrite(package, table, lambda rows: [])


def no_court_decision(package: Path) -> None:
    rewrite(package, "trials", lambda rows: [])


def withhold_every_row(package: Path) -> None:
    def withheld(rows):
        return [{**row, "visibility": "withheld", "withheld_reason": "not consented"} if "visibility" in row else row
                for row in rows]
    for table in TABLES:
        rewrite(package, table, withheld)


SPARSE = [blank_optional_cells, empty_tables, no_court_decision, withhold_every_row]


@pytest.mark.parametrize("make_sparse", SPARSE, ids=[s.__name__ for s in SPARSE])
def test_a_sparse_package_publishes_and_every_page_answers(small_package, tmp_path, make_sparse):
    make_sparse(small_package)
    findings = check(small_package / "datapackage.json").findings
    assert not has_errors(findings), [f.message for f in findings]  # else not a package the schemas accept
    out = publish(small_package / "datapackage.json", tmp_path / "dist")
    with sqlite3.connect(next(out.glob("*.db"))) as db:
        names = {name for (name,) in db.execute("select name from sqlite_master where type = 'table'")}
    assert set(TABLES) <= names
    assert len(list((out / "parquet").glob("*.parquet"))) == len(TABLES)
    with serving(out) as url:
        visited, failed = crawl(url)
    assert visited > len(TABLES) and not failed


def crawl(url: str) -> tuple[int, list[tuple[int, str]]]:
    """Pages reached from the home page and a search, breadth first: how
    many were visited, and those that answered a server error."""
    queue, seen, failed = deque(["/", "/search?q=a"]), set(), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            with urllib.request.urlopen(url + path, timeout=30) as response:
                page = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                failed.append((error.code, path))
            continue
        for link in re.findall(r'href="(/[^"#]*)"', page):
            link = link.replace("&amp;", "&")
            if not link.startswith("/-/") and not link.split("?")[0].endswith(DOWNLOADS):
                queue.append(link)
    return len(seen), failed


def generic_package(root: Path) -> Path:
    """A package not shaped like ours: no name, no cases or statements,
    field names with spaces and quotes, keys with '/', '.', '~' and spaces
    (`victims` rows still have person pages)."""
    people = {"name": "victims", "path": "people.csv", "schema": {
        "fields": [{"name": 'i"d', "type": "string"}, {"name": "full name", "type": "string"},
                   {"name": "seen on", "type": "string", "partialDate": True,
                    "constraints": {"pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}},
                   {"name": 'ki"nd', "type": "string", "constraints": {"enum": ["a", "b"]}},
                   {"name": "cited", "type": "string",
                    "sourceList": {"resource": "documents", "field": "doc", "separator": ";"}}],
        "primaryKey": ['i"d'], "labelField": "full name", "search": {"name": ["full name"], "text": ['ki"nd']},
        "page": "person"}}
    documents = {"name": "documents", "path": "documents.csv",
                 "schema": {"fields": [{"name": "doc", "type": "string"}], "primaryKey": ["doc"]}}
    notes = {"name": "notes", "path": "notes.csv",  # no primary key: rows are found by rowid
             "schema": {"fields": [{"name": "text", "type": "string"}], "search": {"text": ["text"]}}}
    root.mkdir()
    (root / "datapackage.json").write_text(json.dumps({"resources": [documents, people, notes]}), encoding="utf-8")
    (root / "notes.csv").write_text("text\nseen twice\nnothing\n", encoding="utf-8")
    with (root / "people.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([['i"d', "full name", "seen on", 'ki"nd', "cited"],
                                                        ["p/1.json", "Ali Qafarov", "2017-05", "a", "d/1;d~2"],
                                                        ["p 2", "Veli", "", "b", "d.3"]])
    (root / "documents.csv").write_text("doc\nd/1\nd~2\nd.3\n", encoding="utf-8")
    return root


def test_a_package_not_shaped_like_ours_publishes_and_its_home_page_links_all_answer(tmp_path):
    package = generic_package(tmp_path / "package")
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", tmp_path / "dist")
    with serving(out) as url:
        visited, failed = crawl(url)
        with urllib.request.urlopen(url + "/", timeout=30) as response:
            home = response.read().decode("utf-8")
        links = {link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)"', home)}
        broken = []
        for link in sorted(links):
            try:
                urllib.request.urlopen(url + link, timeout=30).close()
            except urllib.error.HTTPError as error:
                broken.append((error.code, link))
        with urllib.request.urlopen(url + "/search?q=twice", timeout=30) as response:
            hits = re.findall(r'href="(/datapackage/notes/[^"]+)"', response.read().decode("utf-8"))
        found = [urllib.request.urlopen(url + hit, timeout=30).status for hit in hits]
        rows = answers(url, rows_linked(url, "/datapackage/victims", "person/"))
        rows += answers(url, sorted({d for _, page in rows for d in rows_linked(url, page, "datapackage/documents/")}))
    assert visited > 2 and not failed
    assert "/datapackage/victims" in links and not broken
    assert found == [200]
    assert len(rows) == 5 and {code for code, _ in rows} == {200}, rows


def rows_linked(url: str, page: str, prefix: str) -> list[str]:
    """The addresses of rows a page links to under /PREFIX."""
    with urllib.request.urlopen(url + page, timeout=30) as response:
        found = re.findall(f'href="(/{prefix}[^"?]+)"', response.read().decode("utf-8"))
    return sorted({link.replace("&amp;", "&") for link in found})


def answers(url: str, paths: list[str]) -> list[tuple[int, str]]:
    return [(fetch_page(url + path)[0], path) for path in paths]


def fetch_page(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_tables_named_like_ours_with_other_fields_publish_without_a_timeline(tmp_path):
    """The timeline chart and the case pages read dates by table and field
    name; tables of our names with other fields made publishing fail."""
    def text(*names):
        return [{"name": n, "type": "string"} for n in names]
    resources = {"cases": (text("case_id", "title"), "case_id", "c1,First case\n"),
                 "victims": (text("victim_id", "name", "case_id"), "victim_id", "v1,Ali,c1\n"),
                 "deaths": (text("death_id", "victim_id", "date_of_death"), "death_id", "d1,v1,2017\n"),
                 "trials": (text("trial_id", "case_id"), "trial_id", "t1,c1\n"),
                 "statements": (text("statement_id", "made_on"), "statement_id", "s1,May 2017\n")}
    pages = {"victims": {"page": "person"}, "cases": {"page": "case"}}
    package = tmp_path / "package"
    package.mkdir()
    descriptor = {"name": "namesakes", "resources": [
        {"name": name, "path": f"{name}.csv", "schema": {"fields": fields, "primaryKey": [key], "labelField": fields[1]["name"],
                                                         **pages.get(name, {})}}
        for name, (fields, key, _) in resources.items()]}
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for name, (fields, _, rows) in resources.items():
        (package / f"{name}.csv").write_text(",".join(f["name"] for f in fields) + "\n" + rows, encoding="utf-8")
    out = publish(package / "datapackage.json", tmp_path / "dist")
    assert not (out / "timeline.png").exists()
    with serving(out) as url:
        visited, failed = crawl(url)
        pages = answers(url, ["/case/c1", "/person/v1"])
    assert visited > 5 and not failed and pages == [(200, "/case/c1"), (200, "/person/v1")]


def keyed_by_first_field(package: Path, title: str, resources: dict) -> Path:
    """A package of `resources` (name: fields, more of the schema, CSV text),
    each keyed by its first field."""
    package.mkdir()
    descriptor = {"name": title, "resources": [
        {"name": name, "path": f"{name}.csv", "schema": {"fields": fields, "primaryKey": [fields[0]["name"]], **extra}}
        for name, (fields, extra, _) in resources.items()]}
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for name, (_, _, rows) in resources.items():
        (package / f"{name}.csv").write_text(rows, encoding="utf-8")
    return package


def test_a_timeline_is_drawn_from_what_the_schemas_declare(tmp_path):
    """Tables of other names: the case and person pages and the dated fields
    are declared, so the chart finds its rows, people and dates."""
    def text(*names):
        return [{"name": n, "type": "string"} for n in names]
    on = {"name": "on", "type": "string", "partialDate": True,
          "timeline": {"label": "seen", "marker": "o", "colour": "#2ca02c"}}
    resources = {"incidents": (text("incident_id", "headline"), {"page": "case", "labelField": "headline"},
                               "incident_id,headline\ni1,First\ni2,Second\n"),
                 "people": (text("person_id", "incident_id"), {"page": "person"}, "person_id,incident_id\np1,i2\n"),
                 "sightings": (text("sighting_id", "person_id") + [on], {}, "sighting_id,person_id,on\ns1,p1,2019-03\n")}
    package = keyed_by_first_field(tmp_path / "package", "elsewhere", resources)
    out = publish(package / "datapackage.json", tmp_path / "dist")
    assert (out / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def people_in_cases(package: Path, title: str, documents: str, kind: str, keys: tuple[str, str, str]) -> Path:
    """A package of documents, cases and the people in them, with a person's
    case as a foreign key and their sources as a source list; keys of type
    `kind`, a document, a case and a person keyed by `keys`."""
    def field(name, of=kind):
        return {"name": name, "type": of}
    document, case, person = keys
    cited = {**field("cited", "string"), "sourceList": {"resource": documents, "field": "doc", "separator": ";"}}
    resources = {documents: ([field("doc"), field("title", "string")], {}, f"doc,title\n{document},First\n"),
                 "kases": ([field("case"), field("title", "string")], {"page": "case", "labelField": "title"},
                           f"case,title\n{case},One\n"),
                 "people": ([field("pid"), field("name", "string"), field("case"), cited],
                            {"page": "person", "labelField": "name", "search": {"name": ["name"]},
                             "foreignKeys": [{"fields": ["case"], "reference": {"resource": "kases", "fields": ["case"]}}]},
                            f"pid,name,case,cited\n{person},Ali Qafarov,{case},{document}\n")}
    keyed_by_first_field(package, title, resources)
    assert not has_errors(check(package / "datapackage.json").findings)
    return package


def test_pages_of_rows_keyed_by_numbers_answer(tmp_path):
    """Integer keys: a person's case, the home page's cases and people and
    the sources cited are linked by a number, not by text."""
    package = people_in_cases(tmp_path / "package", "numbers", "documents", "integer", ("10", "7", "1"))
    out = publish(package / "datapackage.json", tmp_path / "dist")
    with serving(out) as url:
        visited, failed = crawl(url)
        pages = answers(url, ["/", "/person/1", "/case/7"])
    assert visited > 5 and not failed and {code for code, _ in pages} == {200}, (failed, pages)


def test_a_row_without_a_label_is_called_by_its_key(tmp_path):
    """A case table with no labelField, and a person whose label cell is
    blank: their pages, and the home page's links to them, read the key."""
    def text(*names):
        return [{"name": n, "type": "string"} for n in names]
    resources = {"kases": (text("case", "summary"), {"page": "case"}, "case,summary\nc1,First\n"),
                 "people": (text("pid", "name", "alias", "case"),
                            {"page": "person", "labelField": "name", "search": {"name": ["name", "alias"]}},
                            "pid,name,alias,case\np1,,Ali,c1\np2,,,c1\n")}
    package = keyed_by_first_field(tmp_path / "package", "unlabelled", resources)
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", tmp_path / "dist")
    with serving(out) as url:
        pages = {path: fetch_page(url + path) for path in ("/", "/case/c1", "/person/p1", "/person/p2")}
    assert {code for code, _ in pages.values()} == {200}, {path: code for path, (code, _) in pages.items()}
    headings = [re.search(r"<h1>(.*)</h1>", pages[path][1]).group(1) for path in ("/case/c1", "/person/p1", "/person/p2")]
    assert headings == ["c1", "p1", "p2"]
    home = pages["/"][1]
    assert all(f'<a href="/{path}">{key}</a>' in home for path, key in (("case/c1", "c1"), ("person/p1", "p1")))


def test_a_package_and_a_table_named_with_a_dot_are_linked_as_datasette_routes_them(tmp_path):
    """Names may hold '.', which Datasette's addresses write as '~2E': every
    link the home, person, case and search pages give must reach its page."""
    package = people_in_cases(tmp_path / "package", "my.data", "docs.v2", "string", ("d1", "c1", "p1"))
    out = publish(package / "datapackage.json", tmp_path / "dist")
    with serving(out) as url:
        starts = ["/", "/person/p1", "/case/c1", "/search?q=Qafarov"]
        links = {link.replace("&amp;", "&") for start in starts
                 for link in re.findall(r'href="(/[^"#]*)"', fetch_page(url + start)[1])}
        links = {link for link in links if not link.startswith(("/-/", "/downloads/"))}
        broken = [(code, link) for code, link in answers(url, sorted(links)) if code != 200]
    assert len(links) > 8 and not broken, broken


def test_search_finds_rows_by_fields_that_are_not_text(tmp_path):
    """Searched fields of other types (a number as the label and a name, a
    date and a boolean as text): each hit is listed with its text."""
    fields = [{"name": "nid", "type": "string"}, {"name": "count", "type": "integer"},
              {"name": "seen", "type": "date"}, {"name": "confirmed", "type": "boolean"}]
    search = {"labelField": "count", "search": {"name": ["count"], "text": ["seen", "confirmed"]}}
    package = keyed_by_first_field(tmp_path / "package", "typed", {
        "notes": (fields, search, "nid,count,seen,confirmed\nn1,12345,2020-01-02,true\nn2,,,\n")})
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", tmp_path / "dist")
    with serving(out) as url:
        pages = [fetch_page(f"{url}/search?q={word}") for word in ("12345", "2020")]
    assert [code for code, _ in pages] == [200, 200]
    assert all('href="/typed/notes/n1"' in page for _, page in pages)


def test_sources_are_found_by_the_field_their_source_list_names(tmp_path):
    """A source list may name a field of the cited table other than its key:
    each source is read and linked by that field, to its own row."""
    fields = [{"name": n, "type": "string"} for n in ("id", "code", "title")]
    cited = {"name": "cited", "type": "string", "sourceList": {"resource": "documents", "field": "code", "separator": ";"}}
    package = keyed_by_first_field(tmp_path / "package", "coded", {
        "documents": (fields, {"citeFields": ["title"]}, "id,code,title\n1,ABC,First\n2,DEF,Second\n"),
        "people": ([{"name": "pid", "type": "string"}, cited], {"page": "person"}, "pid,cited\np1,DEF\n")})
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", tmp_path / "dist")
    with serving(out) as url:
        code, page = fetch_page(url + "/person/p1")
    assert code == 200
    assert '<a class="source" href="/coded/documents/2"' in page and ">Second</a>" in page
