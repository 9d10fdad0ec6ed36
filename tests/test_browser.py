"""A real headless Chromium (Debian's, driven by Playwright) reads the site
as a visitor would, at 1280 px and on a phone (375 px); screenshots are kept
in the test's temporary folder. Expected values come from the JSON API."""

import json
import re
import shutil
import urllib.parse

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT, get_json

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))),
                "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
DB = DESCRIPTOR["name"]
SPELLINGS = [("Gafarov", "Qafarov", "Гафаров"), ("Guseynov", "Hüseynov", "Huseynov"), ("Elchin", "Elçin"),
             ("Ahmedov", "Əhmədov"), ("Mammadov", "Məmmədov", "Mamedov")]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def page(request, browser, tmp_path_factory):
    page = browser.new_page(viewport=VIEWPORTS[request.param])
    page.shots = tmp_path_factory.mktemp(f"screenshots-{request.param}")
    yield page
    page.close()


@pytest.fixture(scope="module")
def desktop(browser):
    """One 1280 px page for the visits that do not depend on the width (home, search, queries)."""
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    yield page
    page.close()


def visit(page, site, path, shot):
    page.goto(site + path)
    page.screenshot(path=str(page.shots / f"{shot}.png"))


def rows(site, path):
    joiner = "&" if "?" in path else "?"
    return get_json(f"{site}/{DB}/{path}{joiner}_shape=array&_size=max")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def first_row_visible(page) -> bool:
    box = page.locator("table.rows-and-columns tbody tr").first.bounding_box()
    return box is not None and box["y"] < page.viewport_size["height"] and page.evaluate("window.scrollY") == 0


def test_home_page_searches_reaches_people_and_links_its_charts(desktop, site, tmp_path):
    page = desktop
    page.shots = tmp_path
    visit(page, site, "/", "home")
    assert page.locator("h1").inner_text() == DESCRIPTOR["title"]
    assert page.locator("input[name=q]").count() == 1
    assert page.get_by_role("link", name="data dictionary").count() == 1
    victim = rows(site, "victims.json")[0]
    assert page.locator(f"a[href='/person/{victim['victim_id']}']").count() >= 1
    mark = page.locator("svg.chart a").last  # drawn last, so on top of any mark it overlaps
    href = mark.get_attribute("href")
    mark.click()
    page.wait_for_load_state()
    assert page.url == site + href and page.locator("h1").count() == 1


def test_home_page_fits_the_screen_with_its_search_box_first(page, site):
    visit(page, site, "/", "home-top")
    assert page.locator("input[name=q]").is_visible()
    assert page.locator("input[name=q]").bounding_box()["y"] < page.viewport_size["height"] / 2
    assert no_horizontal_scroll(page)


def search_results(page, site, query) -> list[str]:
    """Types the query in the search box of the home page (the search page
    keeps the same box, so a page already showing results is reused)."""
    if not page.url.startswith(site) or page.locator("input[name=q]").count() == 0:
        page.goto(site + "/")
    page.fill("input[name=q]", query)
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=" + re.escape(urllib.parse.quote_plus(query))))
    return page.locator(".hits a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("spellings", SPELLINGS, ids="-".join)
def test_spellings_find_each_other_from_the_home_page(desktop, site, spellings):
    results = [search_results(desktop, site, name) for name in spellings]
    assert all(r == results[0] for r in results)


def test_a_search_finds_a_person_by_another_spelling(desktop, site, tmp_path):
    page = desktop
    victim = next(v for v in rows(site, "victims.json") if v["name_variants"])
    variant = victim["name_variants"].split(";")[-1]
    assert f"/person/{victim['victim_id']}" in search_results(page, site, variant)
    page.screenshot(path=str(tmp_path / "search.png"))


def test_person_page_reads_on_any_screen_with_its_sources_linked(page, site):
    victim = rows(site, "victims.json")[0]
    visit(page, site, f"/person/{victim['victim_id']}", "person")
    assert page.locator("h1").inner_text() == victim["name"]
    cited = set(victim["source_ids"].split(";"))
    linked = set(page.locator("a.source").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert {f"/{DB}/sources/{s}" for s in cited} <= linked
    assert no_horizontal_scroll(page)


def test_case_page_shows_the_charts_and_its_people(page, site):
    case = rows(site, "cases.json")[0]
    visit(page, site, f"/case/{case['case_id']}", "case")
    assert page.locator("h1").inner_text() == case["title"]
    assert page.locator("svg.chart a").count() > 0
    people = rows(site, f"victims.json?case_id={case['case_id']}")
    for person in people[:3]:
        assert page.locator(f"a[href='/person/{person['victim_id']}']").count() >= 1
    assert no_horizontal_scroll(page)


def test_contested_figures_show_labels_and_source_links(desktop, site, tmp_path):
    page = desktop
    page.shots = tmp_path
    claim = rows(site, "contested_figures.json")[0]
    metric = claim["metric"]
    visit(page, site, f"/{DB}/contested-figures?metric={urllib.parse.quote(metric)}", "contested")
    schema = json.loads((ROOT / "schemas" / "statements.json").read_text(encoding="utf-8"))
    label = next(c["label"] for f in schema["fields"] if f["name"] == "metric"
                 for c in f["categories"] if c["value"] == metric)
    table = page.locator("table.rows-and-columns")
    assert label in table.inner_text()
    assert table.locator("a.source").count() >= len(claim["source_ids"].split(";"))


def test_table_page_first_row_visible_with_labels_and_sources(page, site):
    visit(page, site, f"/{DB}/trials", "trials")
    assert first_row_visible(page)
    first = page.locator("table.rows-and-columns tbody tr").first
    assert first.locator("a.source").count() >= 1
    schema = json.loads((ROOT / "schemas" / "trials.json").read_text(encoding="utf-8"))
    labels = [c["label"] for f in schema["fields"] if f["name"] == "outcome" for c in f["categories"]]
    assert any(label in first.inner_text() for label in labels)
    toggle = page.locator(".clamp-toggle").first
    toggle.click()
    assert toggle.inner_text() == "less"


# Registered before any script of the page runs: every violation of the
# Content-Security-Policy the page reports, as "directive blocked-address".
WATCH_POLICY = """window.violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.violations.push(e.effectiveDirective + ' ' + e.blockedURI));"""


@pytest.fixture
def watched(browser):
    """A page that keeps what the browser says about the policy and every
    script error; `problems()` gives them for the page loaded last."""
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.add_init_script(WATCH_POLICY)
    said = []
    page.on("console", lambda message: said.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: said.append(f"script error: {error}"))
    page.problems = lambda: said + page.evaluate("window.violations")
    yield page
    page.close()


def details_close_on_a_click_elsewhere(page) -> bool:
    """Datasette's inline script that closes open menus runs."""
    page.locator("details summary").first.click()
    opened = page.evaluate("document.querySelector('details').open")
    page.locator("h1").click()
    return opened and not page.evaluate("document.querySelector('details').open")


def test_every_kind_of_page_runs_its_scripts_under_the_strict_policy(watched, site):
    page = watched
    victim, case = rows(site, "victims.json")[0], rows(site, "cases.json")[0]
    for path in ("/", f"/person/{victim['victim_id']}", f"/case/{case['case_id']}", f"/{DB}",
                 f"/{DB}/victims/{victim['victim_id']}", "/downloads/data-dictionary.html", "/nope"):
        page.goto(site + path)
        assert page.problems() == [], path
    # The styles that were attributes apply from the site's CSS, the dictionary's by its hash.
    assert page.evaluate("getComputedStyle(document.querySelector('.error-message')).borderTopWidth") == "3px"
    page.goto(f"{site}/{DB}/victims/{victim['victim_id']}")
    assert page.evaluate("getComputedStyle(document.querySelector('h1.database-mark')).borderLeftWidth") == "10px"
    page.goto(f"{site}/downloads/data-dictionary.html")
    assert page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse") == "collapse"

    page.goto(f"{site}/{DB}/trials")
    assert page.evaluate("typeof DATASETTE_ALLOW_FACET") == "boolean"  # the table's inline script ran
    page.locator("th .dropdown-menu-icon").first.click()
    assert page.locator(".dropdown-menu .dropdown-sort-asc").is_visible()  # column actions open
    assert details_close_on_a_click_elsewhere(page)
    assert page.problems() == []

    page.goto(f"{site}/{DB}?sql={urllib.parse.quote('select 1 as one')}")
    assert page.locator(".CodeMirror").count() == 1  # the SQL editor initialised
    page.locator("button#sql-format").click()
    assert page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") != "select 1 as one"
    assert page.problems() == []


def test_scripts_the_site_did_not_write_do_not_run(watched, site):
    page = watched
    page.goto(f"{site}/{DB}/victims")
    page.evaluate("""() => {
        const inline = document.createElement('script');
        inline.textContent = 'window.ran = "inline"';
        document.body.appendChild(inline);
        const elsewhere = document.createElement('script');
        elsewhere.src = 'http://127.0.0.2:9/elsewhere.js';
        document.body.appendChild(elsewhere);
        const button = document.createElement('button');
        button.setAttribute('onclick', 'window.ran = "handler"');
        document.body.appendChild(button);
        button.click();
    }""")
    page.wait_for_function("window.violations.length >= 3")
    blocked = page.evaluate("window.violations")
    assert page.evaluate("window.ran") is None
    assert sum(v.startswith("script-src") for v in blocked) >= 3 and any("127.0.0.2" in v for v in blocked)
