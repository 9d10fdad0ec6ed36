"""The Datasette site over real HTTP: every cell through the JSON API, the
generated metadata, canned queries, search, settings and robots."""

import json
import urllib.parse

import pytest

from conftest import ROOT, get_json, read_csv, resources
from test_publish import as_text, key

NAMES = [r["name"] for r in resources()]


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_through_the_json_api(site, name):
    rows = get_json(f"{site}/tartar-case/{name}.json?_shape=array&_size=max")
    csv_rows = read_csv(ROOT / "seeds" / f"{name}.csv")
    assert len(rows) == len(csv_rows)
    got = {row[key(name)]: {c: as_text(row[c]) for c in csv_rows[0]} for row in rows}
    assert got == {row[key(name)]: row for row in csv_rows}


def test_settings_and_read_only(site):
    settings = get_json(f"{site}/-/settings.json")
    assert settings["sql_time_limit_ms"] == 1000
    assert settings["max_returned_rows"] == 1000
    databases = get_json(f"{site}/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("tartar-case", False)]
    plugins = {p["name"] for p in get_json(f"{site}/-/plugins.json") if not p["name"].startswith("guard_")}
    assert plugins == {"datasette-block-robots"}


def test_robots_are_blocked(site):
    import urllib.request
    assert urllib.request.urlopen(f"{site}/robots.txt").read().decode() == "User-agent: *\nDisallow: /"


def test_metadata_comes_from_the_schemas(site):
    metadata = get_json(f"{site}/-/metadata.json")
    victims = metadata["databases"]["tartar-case"]["tables"]["victims"]
    schema = json.loads((ROOT / "schemas" / "victims.json").read_text(encoding="utf-8"))
    assert victims["columns"]["rank"] == next(f["description"] for f in schema["fields"] if f["name"] == "rank")
    assert "rank" in victims["facets"] and victims["label_column"] == "name"
    assert metadata["license"] == "CC-BY-4.0"


def test_search_across_spellings(site):
    rows = get_json(f"{site}/tartar-case/victims.json?_shape=array&_search=Guseynov")
    assert "Mehman Hüseynov" in [row["name"] for row in rows]


def test_person_query(site):
    rows = get_json(f"{site}/tartar-case/person.json?_shape=array&name=" + urllib.parse.quote("Gafarov"))
    kinds = {(row["kind"], row["id"]) for row in rows}
    assert ("victim", "v-001") in kinds and ("death", "v-001") in kinds


def test_contested_figures_query(site):
    rows = get_json(f"{site}/tartar-case/contested-figures.json?_shape=array&metric=deaths")
    assert {"1", "13"} <= {str(row["value_min"]) for row in rows}
    assert {row["metric"] for row in rows} == {"deaths"}


def test_deaths_timeline_view_has_a_rank_facet(site):
    data = get_json(f"{site}/tartar-case/deaths_timeline.json")
    assert "rank" in data["facet_results"]


def test_deaths_show_the_victim_name(site):
    data = get_json(f"{site}/tartar-case/deaths.json?_labels=on&_shape=array&victim_id=v-001")
    assert data[0]["victim_id"] == {"value": "v-001", "label": "Saleh Şərif oğlu Qafarov"}


def test_downloads_are_served(site):
    import urllib.request
    for path in ("datapackage.json", "tartar-case-0.1.0.zip", "parquet/victims.parquet", "timeline.png",
                 "data-dictionary.html"):
        assert urllib.request.urlopen(f"{site}/downloads/{path}").status == 200
