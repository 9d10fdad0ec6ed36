"""Every link the site's pages give leads somewhere: from the page of each row
of each table, each person's and case's page and the list of every table, no
link within the site answers an error. A key that two tables share (deaths are keyed by the
victim they record) must not send a reader from a living person's row to a
death that does not exist."""

from __future__ import annotations

import csv
import html
import json
import re
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import quote

import pytest

from conftest import FIXTURES, copy_package, serving
from datasette.utils import tilde_encode
from datapackage.findings import has_errors
from datapackage.publish.build import publish
from datapackage.validate.check import check

DOWNLOADS = (".db", ".csv", ".json", ".zip", ".parquet", ".png", ".html")
# Another order, facet or page of a table page already visited: the same links.
VARIANT = re.compile(r"[?&](_sort|_sort_desc|_facet|_next|_size|_col|_nocol)=")
MAX_PAGES = 800


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def links(page: str) -> set[str]:
    found = {link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)"', page)}
    return {link for link in found if not link.startswith("/-/") and not link.split("?")[0].endswith(DOWNLOADS)}


def rows_of(url: str, database: str, table: str) -> list[str]:
    """The key of each row of a table (Datasette 0.65's JSON: rows as lists)."""
    status, text = fetch(f"{url}/{database}/{table}.json?_size=max")
    assert status == 200, table
    answer = json.loads(text)
    keys = answer["primary_keys"]
    assert len(keys) == 1, table
    at = answer["columns"].index(keys[0])
    return [str(row[at]) for row in answer["rows"]]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    package = copy_package(tmp_path_factory.mktemp("links"), FIXTURES / "small")
    with (package / "seeds" / "victims.csv").open("a", encoding="utf-8", newline="") as file:
        file.write("v-003,case-tartar,Alive Person,,serviceman,,,Arrested and released.,,"
                   "src-wikipedia-tartar-case,public,\n")
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", package / "dist")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    with serving(out) as url:
        yield url, descriptor


def test_no_link_from_a_row_person_or_case_page_is_broken(small_site):
    url, descriptor = small_site
    database = descriptor["name"]
    keys = {r["name"]: rows_of(url, database, r["name"]) for r in descriptor["resources"]}
    assert set(keys["victims"]) - set(keys["deaths"]), "the fixture needs a person who did not die"
    pages = [f"/{database}/{table}/{key}" for table, found in keys.items() for key in found]
    pages += [f"/person/{key}" for key in keys["victims"]] + [f"/case/{key}" for key in keys["cases"]]
    pages += [f"/{database}?_show_hidden=1"]  # the full-text indexes too, which have no rows to list
    reached, broken = set(), []
    waiting = deque(pages)
    while waiting and len(reached) < MAX_PAGES:
        page = waiting.popleft()
        if page in reached:
            continue
        reached.add(page)
        status, text = fetch(url + page)
        if status >= 400:
            broken.append((status, page))
        waiting.extend(link for link in links(text) if not VARIANT.search(link))
    assert not waiting, "more pages than the test visits: raise MAX_PAGES"
    assert len(reached) > len(pages) and not broken, broken


ODD_KEY = "v/1 #?&%~.x"  # every character an address gives a meaning to


def with_key(package, old: str, new: str) -> None:
    """Renames a person's id in every table and lets the schemas accept any id."""
    for schema in (package / "schemas").glob("*.json"):
        schema.write_text(schema.read_text(encoding="utf-8").replace('"^v-[0-9]{3,}$"', '".+"'), encoding="utf-8")
    for seeds in (package / "seeds").glob("*.csv"):
        with seeds.open(encoding="utf-8", newline="") as file:
            table = [[new if cell == old else cell for cell in row] for row in csv.reader(file)]
        with seeds.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file, lineterminator="\n").writerows(table)


def as_browser(link: str) -> str:
    """The address a browser asks for when a link is followed: entities
    read, the fragment left out, spaces and other unsafe bytes %-encoded."""
    return quote(html.unescape(link).split("#")[0], safe="/?&=%~:+,;@!$'()*")


def test_links_from_other_tables_find_the_rows_of_a_key_with_odd_characters(tmp_path):
    package = copy_package(tmp_path, FIXTURES / "small")
    with_key(package, "v-001", ODD_KEY)
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", package / "dist")
    with serving(out) as url:
        status, page = fetch(f"{url}/tartar-case/victims/{tilde_encode(ODD_KEY)}")
        listed = re.findall(r'<a href="([^"]+)">\s*([0-9,]+) rows?</a>', page)
        found = [(len(json.loads(fetch(url + as_browser(link).replace("?", ".json?", 1))[1])["rows"]), int(count))
                 for link, count in listed]
    assert status == 200 and len(listed) >= 2, listed  # the person's death and trial links at least
    assert all(rows == count for rows, count in found), found


def test_a_key_naming_rows_by_a_field_other_than_their_key_links_to_those_rows(tmp_path):
    """deaths.victim_id refers to victims.victim_id; with victims keyed by
    name instead, the id is no row's address, so its link lists the rows
    holding it."""
    package = copy_package(tmp_path, FIXTURES / "small")
    schema = package / "schemas" / "victims.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"primaryKey": ["victim_id"]', '"primaryKey": ["name"]'),
                      encoding="utf-8")
    assert not has_errors(check(package / "datapackage.json").findings)
    out = publish(package / "datapackage.json", package / "dist")
    with serving(out) as url:
        [died] = rows_of(url, "tartar-case", "deaths")[:1]
        status, page = fetch(f"{url}/tartar-case/deaths/{tilde_encode(died)}")
        [link] = [link for link in links(page) if link.startswith("/tartar-case/victims")]
        found = json.loads(fetch(url + as_browser(link).replace("?", ".json?", 1))[1])
    assert status == 200 and "victim_id__exact" in link
    at = found["columns"].index("victim_id")
    assert [row[at] for row in found["rows"]] == [died]
