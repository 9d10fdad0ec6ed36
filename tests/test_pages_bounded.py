"""The home, case and person pages stay pages however large the package: each
lists a bounded number of cases, people and rows, says how many there are in
all, and links to where every one of them is listed. A fixture package is
grown past each bound (many cases, a case of many people, a name that many
statements mention), published and served."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
import urllib.request

import pytest

from conftest import FIXTURES, copy_package, serving
from datapackage.findings import has_errors
from datapackage.publish.build import publish
from datapackage.site.pages import HOME_CASES, HOME_PEOPLE, SHOWN
from datapackage.validate.check import check

CASES = HOME_CASES + 3
PEOPLE = SHOWN + 7  # in the first case: past both the home page's and a section's bound
MENTIONS = SHOWN + 2  # statements naming the first person
NAME = "Saleh Qafarov"


def append(package, table: str, lines: list[str]) -> None:
    with (package / "seeds" / f"{table}.csv").open("a", encoding="utf-8", newline="") as file:
        file.writelines(line + "\n" for line in lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    package = copy_package(tmp_path_factory.mktemp("bounded"), FIXTURES / "small")
    source = "src-wikipedia-tartar-case"
    append(package, "cases", [f"case-x{n:03d},Case {n},AZ,2017-05,,A case.,{source}" for n in range(CASES - 1)])
    append(package, "victims", [f"v-{n:03d},case-tartar,Person Number{n:03d},,serviceman,,,Detained.,,{source},public,"
                                for n in range(100, 100 + PEOPLE - 2)])
    append(package, "statements", [f"st-{n:03d},case-x000,2020-01-01,,a newspaper,media,,,,,"
                                   f"{NAME} was seen in court.,{source},stated,,public,"
                                   for n in range(100, 100 + MENTIONS)])
    findings = check(package / "datapackage.json").findings
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"][:5]
    out = publish(package / "datapackage.json", package / "dist")
    with serving(out) as url:
        yield url, json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return html.unescape(response.read().decode("utf-8"))


def count(url: str, path: str) -> int:
    joiner = "&" if "?" in path else "?"
    with urllib.request.urlopen(f"{url}{path}{joiner}_size=0&_extra=count", timeout=60) as response:
        return json.loads(response.read())["filtered_table_rows_count"]


def more_link(text: str, phrase: str) -> str:
    found = re.search(rf'<a href="([^"]+)">{phrase}', text)
    assert found, phrase
    return found.group(1)


def test_the_home_page_lists_the_first_cases_and_people_and_links_the_rest(site):
    url, descriptor = site
    db = descriptor["name"]
    text = page(url + "/")
    assert len(re.findall(r'<section class="home-case">', text)) == HOME_CASES
    everyone = more_link(text, f"{CASES - HOME_CASES} more in the table of cases")
    assert everyone == f"/{db}/cases" and count(url, everyone + ".json") == CASES
    first = re.search(r'<section class="home-case">(.*?)</section>', text, re.S).group(1)
    assert len(re.findall(r'href="/person/', first)) == HOME_PEOPLE
    assert more_link(first, f"and {PEOPLE - HOME_PEOPLE} more") == "/case/case-tartar"


def test_a_case_page_shows_the_first_rows_and_links_all_of_them(site):
    url, descriptor = site
    title = next(r["title"] for r in descriptor["resources"] if r["name"] == "victims")
    text = page(url + "/case/case-tartar")
    people = re.search(rf"<h2>{re.escape(title)} \(([\d,]+)\)</h2>(.*?)</section>", text, re.S)
    assert people and people.group(1) == str(PEOPLE)
    assert people.group(2).count('<article class="card">') == SHOWN
    everyone = more_link(people.group(2), f"all {PEOPLE} in victims")
    assert urllib.parse.urlsplit(everyone).query == "case_id=case-tartar"
    assert count(url, everyone.replace("/victims?", "/victims.json?")) == PEOPLE


def test_a_person_page_bounds_the_rows_that_mention_them(site):
    url, _ = site
    text = page(url + "/person/v-001")
    mentions = re.search(r"<h2>[^<]*that mention them \(([\d,]+)\)</h2>(.*?)</section>", text, re.S)
    assert mentions and int(mentions.group(1)) >= MENTIONS
    assert mentions.group(2).count('<article class="card">') == SHOWN
    search = more_link(mentions.group(2), f"search statements for {NAME}")
    assert count(url, search.replace("/statements?", "/statements.json?")) >= MENTIONS
