"""The Datasette site over real HTTP: every cell through the JSON API, the
generated metadata, canned queries, search, settings and robots. Expected
values are read from the published data at test time, never written here."""

import json
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, get_json, read_csv, resources
from test_publish import as_text, key

NAMES = [r["name"] for r in resources()]
DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
DB = DESCRIPTOR["name"]


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def rows(site, path: str) -> list[dict]:
    joiner = "&" if "?" in path else "?"
    return get_json(f"{site}/{DB}/{path}{joiner}_shape=array&_size=max")


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_through_the_json_api(site, name):
    got_rows = rows(site, f"{name}.json")
    csv_rows = read_csv(ROOT / "seeds" / f"{name}.csv")
    assert len(got_rows) == len(csv_rows)
    got = {row[key(name)]: {c: as_text(row[c]) for c in csv_rows[0]} for row in got_rows}
    assert got == {row[key(name)]: row for row in csv_rows}


def test_settings_and_read_only(site):
    settings = get_json(f"{site}/-/settings.json")
    assert settings["sql_time_limit_ms"] == 1000
    assert settings["max_returned_rows"] == 1000
    databases = get_json(f"{site}/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in databases] == [(DB, False)]
    plugins = {p["name"] for p in get_json(f"{site}/-/plugins.json")}
    assert {"datasette-block-robots", "site_hooks.py"} <= plugins


def test_robots_are_blocked(site):
    assert urllib.request.urlopen(f"{site}/robots.txt").read().decode() == "User-agent: *\nDisallow: /"


def test_metadata_comes_from_the_schemas(site):
    metadata = get_json(f"{site}/-/metadata.json")
    tables = metadata["databases"][DB]["tables"]
    for name in NAMES:
        declared = schema(name)
        described = {f["name"]: f.get("description", "") for f in declared["fields"]}
        assert {c: tables[name]["columns"][c] for c in described} == described
        assert tables[name].get("label_column") == declared.get("labelField")
        assert bool(tables[name].get("fts_table")) == bool(declared.get("search"))
    assert metadata["license"] == "CC-BY-4.0"


def same_rows(site, path: str, spellings: tuple) -> list[set]:
    return [{json.dumps(r, sort_keys=True) for r in rows(site, path + urllib.parse.quote(s))} for s in spellings]


SPELLINGS = [("Gafarov", "Qafarov", "Гафаров"), ("Guseynov", "Hüseynov", "Huseynov"), ("Elchin", "Elçin"),
             ("Ahmedov", "Əhmədov"), ("Mammadov", "Məmmədov", "Mamedov"),
             ("Elchin Ahmedov", "Elçin Əhmədov"), ("Mehman Guseynov", "Mehman Hüseynov")]


@pytest.mark.parametrize("spellings", SPELLINGS)
def test_every_table_and_the_person_query_treat_spellings_alike(site, spellings):
    searched = [n for n in NAMES if schema(n).get("search")]
    for path in [f"{n}.json?_search=" for n in searched] + ["person.json?name="]:
        results = same_rows(site, path, spellings)
        assert all(r == results[0] for r in results), path


def test_a_victim_is_found_by_each_of_their_other_spellings(site):
    victims = [v for v in rows(site, "victims.json") if v["name_variants"]][:5]
    assert victims
    for victim in victims:
        for variant in victim["name_variants"].split(";"):
            found = rows(site, "victims.json?_search=" + urllib.parse.quote(variant))
            assert victim["victim_id"] in [r["victim_id"] for r in found], variant
            person = rows(site, "person.json?name=" + urllib.parse.quote(variant))
            assert ("victim", victim["victim_id"]) in {(r["kind"], r["id"]) for r in person}, variant


def test_contested_figures_query_filters_by_metric(site):
    everything = rows(site, "contested_figures.json")
    metric = everything[0]["metric"]
    chosen = rows(site, "contested-figures.json?metric=" + urllib.parse.quote(metric))
    assert {r["metric"] for r in chosen} == {metric}
    assert len(chosen) == sum(r["metric"] == metric for r in everything)
    assert len({(r["value_min"], r["value_max"], r["qualifier"]) for r in chosen}) > 1


def test_deaths_timeline_view_has_a_rank_facet(site):
    data = get_json(f"{site}/{DB}/deaths_timeline.json")
    assert "rank" in data["facet_results"]


def test_deaths_show_the_victim_name(site):
    victims = {v["victim_id"]: v["name"] for v in rows(site, "victims.json")}
    death = rows(site, "deaths.json")[0]
    data = rows(site, f"deaths.json?_labels=on&victim_id={death['victim_id']}")
    assert data[0]["victim_id"] == {"value": death["victim_id"], "label": victims[death["victim_id"]]}


def test_downloads_are_served(site):
    archive = f"{DB}-{DESCRIPTOR['version']}.zip"
    for path in ("datapackage.json", archive, f"parquet/{NAMES[0]}.parquet", "timeline.png", "data-dictionary.html"):
        assert urllib.request.urlopen(f"{site}/downloads/{path}").status == 200


def test_no_table_is_counted_by_its_own_key(published):
    """Every value of a table's own key is one row: a facet on it tells a
    reader nothing, and its index would repeat the key's own."""
    import sqlite3
    tables = json.loads((published / "metadata.json").read_text(encoding="utf-8"))["databases"][DB]["tables"]
    db = sqlite3.connect(published / f"{DB}.db")
    for resource in resources():
        keys = schema(resource["name"])["primaryKey"]
        keys = [keys] if isinstance(keys, str) else keys
        facets = tables[resource["name"]].get("facets", [])
        assert keys[0] not in facets, resource["name"]
        single = [[c for (c,) in db.execute(f"select name from pragma_index_info('{i}')")]
                  for (i,) in db.execute(f"select name from pragma_index_list('{resource['name']}') where origin = 'c'")]
        assert keys not in single, resource["name"]
    assert any(tables[r["name"]].get("facets") for r in resources())  # facets there are


def test_the_canned_queries_reach_resource_rows_through_indexes(published):
    """A canned query that scans a resource table answers on our rows and
    times out on a million (the person query's trials did: 2.5 s at 1M).
    SQLite's own plan, on the published file: a scan is only of a full-text
    index or of the query's own named subquery."""
    import re
    import sqlite3
    from datapackage.publish.search_index import add_search_functions

    queries = json.loads((published / "metadata.json").read_text(encoding="utf-8"))["databases"][DB]["queries"]
    db = sqlite3.connect(published / f"{DB}.db")
    add_search_functions(db)
    names = {r["name"] for r in resources()}
    checked = 0
    for name, query in queries.items():
        sql = query["sql"]
        params = {p: "Qafarov" for p in re.findall(r"(?<!:):(\w+)", sql)}
        scanned = [row[3] for row in db.execute("explain query plan " + sql, params)
                   if re.fullmatch(r"SCAN (\w+)", row[3])]
        scanned = {s.split()[1] for s in scanned} - set(re.findall(r"(?i)\bwith\s+(\w+)\s+as\b", sql))
        aliases = {alias: table for table, alias in re.findall(r"(?i)\b(?:from|join)\s+(\w+)\s+(\w+)", sql)}
        assert not {aliases.get(s, s) for s in scanned} & names or not params, (name, scanned)
        checked += bool(params)
    assert checked  # the person query at least
