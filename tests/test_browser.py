"""A real headless Chromium (Debian's, driven by Playwright) reads the site
as a visitor would; screenshots are kept in the test's temporary folder."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))),
                "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(site, tmp_path_factory):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.shots = tmp_path_factory.mktemp("screenshots")
        yield page
        browser.close()


def visit(page, site, path, shot):
    page.goto(site + path)
    page.screenshot(path=str(page.shots / f"{shot}.png"), full_page=True)


def test_home_page_explains_and_links_downloads_and_shows_the_chart(page, site):
    visit(page, site, "/", "home")
    assert "Tartar case" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="tartar-case-0.1.0.zip").count() == 1
    assert page.get_by_role("link", name="data dictionary").count() == 1
    chart = page.locator("img[src='/downloads/timeline.png']")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")


def test_deaths_timeline_with_rank_facet(page, site):
    visit(page, site, "/tartar-case/deaths_timeline", "deaths")  # rank is a default facet
    facet = page.locator(".facet-info[data-column='rank']")
    assert "polkovnik_leytenant" in facet.inner_text()
    assert "Saleh Şərif oğlu Qafarov" in page.locator("table.rows-and-columns").inner_text()


def test_search_for_an_english_spelling_finds_the_azerbaijani_name(page, site):
    visit(page, site, "/tartar-case/victims?_search=Gafarov", "search")
    assert "Saleh Şərif oğlu Qafarov" in page.locator("table.rows-and-columns").inner_text()


def test_contested_figures_query(page, site):
    visit(page, site, "/tartar-case/contested-figures?metric=deaths", "contested")
    table = page.locator("table.rows-and-columns").inner_text()
    assert "Military Prosecutor" in table and "human rights defenders" in table


def test_data_dictionary_page(page, site):
    visit(page, site, "/downloads/data-dictionary.html", "dictionary")
    assert page.locator("h2#victims").count() == 1
    assert "Lieutenant colonel" in page.inner_text("body")
