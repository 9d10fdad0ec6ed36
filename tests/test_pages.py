"""The site's own pages and cells over real HTTP: labels for codes, sources
one click away, a page per person and per case reachable from everywhere,
search over all tables and linked charts. Expectations come from the JSON
API and the schemas at test time."""

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, get_json

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
DB = DESCRIPTOR["name"]


def page(site, path: str) -> str:
    with urllib.request.urlopen(site + path, timeout=30) as response:
        return html.unescape(response.read().decode("utf-8"))


def rows(site, path: str) -> list[dict]:
    joiner = "&" if "?" in path else "?"
    return get_json(f"{site}/{DB}/{path}{joiner}_shape=array&_size=max")


def categories(resource: str, field: str) -> list[dict]:
    schema = json.loads((ROOT / "schemas" / f"{resource}.json").read_text(encoding="utf-8"))
    return next(f for f in schema["fields"] if f["name"] == field)["categories"]


def label(resource: str, field: str, value: str) -> str:
    return next(c["label"] for c in categories(resource, field) if c["value"] == value)


def source_links(text: str) -> set[str]:
    return set(re.findall(rf'href="/{DB}/sources/([^"]+)"', text))


def cited(*groups) -> set[str]:
    return {s for group in groups for row in group for s in (row.get("source_ids") or "").split(";") if s}


@pytest.fixture(scope="module")
def first_victim(site):
    return rows(site, "victims.json")[0]


def test_a_coded_value_shows_its_label_and_keeps_its_code(site):
    victim = next(v for v in rows(site, "victims.json") if v["rank"])
    text = page(site, f"/{DB}/victims?victim_id={victim['victim_id']}")
    for field in ("role", "rank"):
        assert label("victims", field, victim[field]) in text and victim[field] in text


def test_facets_show_labels_and_the_rank_facet_follows_the_ladder(site):
    text = page(site, f"/{DB}/deaths_timeline")
    facet = text[text.index('data-column="rank"'):]
    facet = facet[:facet.index("</ul>")]
    ladder = [c["label"] for c in categories("victims", "rank")]
    shown = [name for name in ladder if name in facet]
    assert shown and sorted(shown, key=facet.index) == shown


def test_a_derived_table_shows_the_sql_that_computed_it(site):
    text = page(site, f"/{DB}/contested_figures")
    shown = html.unescape(text[text.index('class="derived-sql"'):])
    assert "FROM statements s" in shown[:shown.index("</details>")]


@pytest.mark.parametrize("path", ["deaths", "deaths_timeline", "contested_figures", "contested-figures?metric=",
                                  "person?name=a"])
def test_every_source_ids_cell_links_to_its_sources(site, path):
    shown = rows(site, path.replace("?", ".json?") if "?" in path else f"{path}.json")
    assert shown
    assert cited(shown) <= source_links(page(site, f"/{DB}/{path}&_size=max" if "?" in path else f"/{DB}/{path}?_size=max"))


def test_a_source_link_reads_publisher_and_date_and_its_row_links_out(site):
    sources = {s["source_id"]: s for s in rows(site, "sources.json") if s["url"] and s["published_on"]}
    victim, source = next((v, sources[s]) for v in rows(site, "victims.json")
                          for s in v["source_ids"].split(";") if s in sources)
    text = page(site, f"/{DB}/victims/{victim['victim_id']}")
    link = re.search(rf'<a class="source" href="/{DB}/sources/{re.escape(source["source_id"])}"[^>]*>([^<]+)</a>', text)
    assert source["publisher"] in link.group(1) and source["published_on"] in link.group(1)
    assert f'href="{source["url"]}"' in page(site, f"/{DB}/sources/{source['source_id']}")


def test_the_person_page_has_everything_and_every_source_as_a_link(site, first_victim):
    key = first_victim["victim_id"]
    text = page(site, f"/person/{key}")
    assert f"<h1>{first_victim['name']}</h1>" in text
    assert first_victim["what_happened"] in text
    for variant in filter(None, (first_victim["name_variants"] or "").split(";")):
        assert variant in text
    rank = first_victim["rank"]
    if rank:
        entry = next(c for c in categories("victims", "rank") if c["value"] == rank)
        assert entry["label"] in text and entry["az"] in text and entry["ru"] in text
    deaths = rows(site, f"deaths.json?victim_id={key}")
    trials = rows(site, f"trials.json?victim_id={key}")
    for trial in trials:
        assert f'href="/{DB}/trials/{trial["trial_id"]}"' in text
    assert cited([first_victim], deaths, trials) <= source_links(text)
    if first_victim["notes"]:
        assert first_victim["notes"] in text


def test_the_person_page_lists_the_statements_that_name_them(site):
    from datapackage.names import without_patronymic
    statements = rows(site, "statements.json")
    for victim in rows(site, "victims.json"):
        name = without_patronymic(victim["name"])
        naming = {s["statement_id"] for s in statements if name in (s["summary"] or "")}
        if naming:
            text = page(site, f"/person/{victim['victim_id']}")
            assert naming <= set(re.findall(rf'href="/{DB}/statements/([^"]+)"', text)), victim["victim_id"]
            return
    pytest.skip("no statement names a victim as the victims table writes the name")


def test_every_row_that_refers_to_a_person_links_to_their_page(site):
    for table, column in (("deaths", "victim_id"), ("trials", "victim_id"), ("deaths_timeline", "victim_id")):
        shown = [r for r in rows(site, f"{table}.json") if r[column]]
        text = page(site, f"/{DB}/{table}?_size=max")
        assert {r[column] for r in shown} <= set(re.findall(r'href="/person/([^"]+)"', text)), table


def test_the_case_page_lists_its_people_and_links_every_chart_mark(site):
    case = rows(site, "cases.json")[0]
    text = page(site, f"/case/{case['case_id']}")
    assert case["title"] in text
    people = rows(site, f"victims.json?case_id={case['case_id']}")
    assert {p["victim_id"] for p in people} <= set(re.findall(r'href="/person/([^"]+)"', text))
    claims = rows(site, f"contested_figures.json?case_id={case['case_id']}")
    charts = re.findall(r"<svg.*?</svg>", text, re.S)
    marks = [href for chart in charts for href in re.findall(r'<a href="([^"]+)"', chart)]
    assert {f"/{DB}/statements/{c['statement_id']}" for c in claims} <= set(marks)
    for href in marks[:5]:
        assert urllib.request.urlopen(site + href).status == 200


def test_the_home_page_reaches_every_person_and_case_and_searches(site):
    text = page(site, "/")
    assert {c["case_id"] for c in rows(site, "cases.json")} <= set(re.findall(r'href="/case/([^"]+)"', text))
    assert {v["victim_id"] for v in rows(site, "victims.json")} <= set(re.findall(r'href="/person/([^"]+)"', text))
    assert 'action="/search"' in text
    assert re.search(r'<svg class="chart".*?<a href="/', text, re.S)


def test_search_finds_a_person_in_any_spelling_across_tables(site, first_victim):
    variants = [first_victim["name"], *filter(None, (first_victim["name_variants"] or "").split(";"))]
    for variant in variants:
        text = page(site, "/search?q=" + urllib.parse.quote(variant))
        assert f'href="/person/{first_victim["victim_id"]}"' in text, variant


@pytest.mark.parametrize("query", ['"', "NEAR(", "-", "%", "a OR"])
def test_odd_searches_answer_without_error(site, query):
    for path in ("/search?q=", f"/{DB}/victims?_search=", f"/{DB}/person?name="):
        assert urllib.request.urlopen(site + path + urllib.parse.quote(query)).status == 200


@pytest.mark.parametrize("path", ["/person/nobody", "/case/nothing"])
def test_unknown_pages_are_not_found(site, path):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(site + path)
    assert error.value.code == 404
    assert path.rsplit("/", 1)[1] in error.value.read().decode("utf-8")


def test_tables_show_their_default_columns_and_clamp_long_text(site):
    schema = json.loads((ROOT / "schemas" / "trials.json").read_text(encoding="utf-8"))
    text = page(site, f"/{DB}/trials")
    hidden = set(re.findall(r'<th[^>]*class="col-([\w-]+) extra-column"', text))
    assert hidden and not hidden & set(schema["tableColumns"])
    assert '<div class="clamp">' in text


def test_canned_queries_open_on_the_form_not_the_sql(site):
    metadata = get_json(f"{site}/-/metadata.json")
    for name, query in metadata["databases"][DB]["queries"].items():
        text = page(site, f"/{DB}/{name}")
        assert 'id="sql-editor"' not in text and 'id="sql-query"' not in text, name
        assert "_show_sql=1" in text, name  # the SQL is one click away
