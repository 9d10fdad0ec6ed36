"""Datasette metadata generated from the package and its schemas: titles,
licence and sources, column descriptions, facets, sort orders, labels,
full-text search, canned queries, the home page, and the configuration the
site's plugins read (vocabularies, label fields, sources, pages)."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path

from datasette.utils import tilde_encode

from datapackage.publish.derived import DERIVED, derived_select, derived_statements
from datapackage.publish.search_index import search_columns
from datapackage.package import Package, Resource

QUERIES = Path(__file__).with_name("queries")
PLUGIN = "datapackage-site"
# The pages of their own a table's rows may have on the site (its schema's
# "page"), each at /KIND/<key>: everything about one person, or one case.
PAGE_KINDS = ("person", "case")
CANNED = {
    "contested-figures": ("Contested figures",
                          "Every figure on which claims differ, each claim with who made it, when, and its sources."),
    "deaths-timeline": ("Deaths timeline",
                        "Each death with the victim's rank, the dates of arrest and death, and days in custody."),
    "person": ("Everything we know about one person",
               "Type a name in any common spelling (Gafarov, Qafarov, Guseynov, Elchin ...)."),
}


def metadata(package: Package, database: str, downloads: list[str], schema: sqlite3.Connection) -> dict:
    """`schema`: the database's tables, empty (`database.empty_schema`): only
    the derived tables and canned queries that work on them are listed."""
    info = package.descriptor
    licence = (info.get("licenses") or [{}])[0]
    present = {name for (name,) in schema.execute("select name from sqlite_master where type = 'table'")}
    queries = {name: query for name, query in _queries().items() if _compiles(schema, query["sql"])}
    tables = {r.name: _table(r) for r in package.resources}
    tables.update((name, about) for name, about in _derived_tables().items() if name in present)
    if "citations" in present:
        tables["citations"] = {"description": "Every row of every table with each source it cites.",
                               "facets": ["resource"]}
    tables["vocabularies"] = {"description": "Every allowed value of every coded field, with its meaning.",
                              "facets": ["resource", "field"], "sort": "position"}
    for resource in package.resources:
        if any(search_columns(resource)):
            tables[f"{resource.name}_fts"] = {"hidden": True}
    return {
        "title": info.get("title", info.get("name")),
        "description_html": home_page(package, database, downloads, set(tables) | set(queries)),
        "license": licence.get("name"),
        "license_url": licence.get("path"),
        **_source(package, database),
        "databases": {database: {"tables": tables, "queries": queries}},
        "plugins": {"datasette-block-robots": {"disallow": ["/"]}, PLUGIN: plugin_config(package, database)},
    }


def table_path(database: str, table: str) -> str:
    """A table's address in the site. The names are tilde-encoded as
    Datasette routes them: a package or table named with '.' (which names
    may hold) is found at '~2E', not at the '.'."""
    return f"/{tilde_encode(database)}/{tilde_encode(table)}"


def _source(package: Package, database: str) -> dict:
    """Datasette's "source" link: the table the rows cite, when there is one."""
    cited = next((s["sourceList"]["resource"] for r in package.resources for s in r.fields if s.get("sourceList")), None)
    if cited is None:
        return {}
    return {"source": f"Curated from the documents listed in the {cited} table", "source_url": table_path(database, cited)}


def _compiles(schema: sqlite3.Connection, sql: str) -> bool:
    """Whether SQLite can run `sql` on these tables (each :parameter empty)."""
    try:
        schema.execute(f"EXPLAIN {sql}", dict.fromkeys(re.findall(r":(\w+)", sql)))
    except sqlite3.Error:
        return False
    return True


def _derived_tables() -> dict:
    """The derived tables, each with the SQL that computed it: they are
    tables, so Datasette alone would not show how they were made."""
    tables = {}
    for name, statement in derived_statements():
        about = DERIVED.get(name, {})
        description = CANNED.get(about.get("query"), ("", "A table derived from the others."))[1]
        tables[name] = {"facets": about.get("facets", []), "description_html": (
            f"<p>{html.escape(description)}</p><details class=\"derived-sql\"><summary>Computed when the release "
            f"was published, by this SQL</summary><pre>{html.escape(derived_select(statement))}</pre></details>")}
    return tables


def plugin_config(package: Package, database: str) -> dict:
    """What the site's plugins need to know about the schemas, so that
    they never hard-code a field, a vocabulary or a label."""
    cited = next((s["sourceList"] for r in package.resources for s in r.fields if s.get("sourceList")), {})
    titles = {r.get("name"): r.get("title") for r in package.descriptor.get("resources", []) if isinstance(r, dict)}
    resources = {r.name: {"title": titles.get(r.name) or r.name, **_resource_config(r)} for r in package.resources}
    return {"database": database, "resources": resources,
            "sources": {"resource": cited.get("resource"), "field": cited.get("field"),
                        "separator": cited.get("separator", ";")}}


def _resource_config(resource: Resource) -> dict:
    names, texts = search_columns(resource)
    return {
        "key": (resource.primary_key or [None])[0],
        # What each one-column foreign key names: the rows a cell links to.
        "references": {k["fields"][0]: k["reference"] for k in resource.foreign_keys if len(k["fields"]) == 1},
        "label": resource.schema.get("labelField"),
        "page": resource.schema.get("page"),
        "fields": [s["name"] for s in resource.fields],
        "columns": resource.schema.get("tableColumns", [s["name"] for s in resource.fields]),
        "sources": [s["name"] for s in resource.fields if s.get("sourceList")],
        "search": {"name": names, "text": texts},
        "codes": {s["name"]: s["categories"] for s in resource.fields if s.get("categories")},
        "ordered": [s["name"] for s in resource.fields if s.get("categoriesOrdered")],
        "dates": [s["name"] for s in resource.fields if s.get("partialDate")],
        "events": [{"field": s["name"], **s["timeline"]} for s in resource.fields if isinstance(s.get("timeline"), dict)],
        "cite": resource.schema.get("citeFields", []),
    }


def facet_columns(resource: Resource) -> list[str]:
    """The columns a table page counts its rows by: coded values and the case.
    Not the mark that withholds a row: every published row is public, so
    counting by it tells a reader nothing (and would cost an index); nor the
    table's own key (the cases' case_id), whose every value is one row."""
    return [s["name"] for s in resource.fields
            if ("enum" in s.get("constraints", {}) or s["name"] == "case_id") and "withholdsRow" not in s
            and [s["name"]] != resource.primary_key]


def sort_column(resource: Resource) -> str | None:
    """The column a table page is ordered by: the earliest day of its first
    partial date (sources: the id), else its primary key."""
    dates = [s["name"] for s in resource.fields if s.get("partialDate")]
    return f"{dates[0]}_from" if dates and resource.name != "sources" else (resource.primary_key or [None])[0]


def _table(resource: Resource) -> dict:
    table = {
        "description": resource.schema.get("description", ""),
        "columns": {spec["name"]: spec.get("description", "") for spec in resource.fields},
        "facets": facet_columns(resource),
    }
    for spec in resource.fields:
        if spec.get("partialDate"):
            for suffix, word in (("_from", "earliest"), ("_to", "latest")):
                table["columns"][spec["name"] + suffix] = f"The {word} day {spec['name']} can mean."
    if resource.schema.get("labelField"):
        table["label_column"] = resource.schema["labelField"]
    table["sort"] = sort_column(resource)
    if any(search_columns(resource)):
        table["fts_table"] = f"{resource.name}_fts"
        table["fts_pk"] = "rowid"
    return table


def _queries() -> dict:
    # hide_sql: a reader sees the form and the answer; the SQL is one click ("show") away.
    return {name: {"title": title, "description": about, "hide_sql": True,
                   "sql": (QUERIES / f"{name}.sql").read_text(encoding="utf-8")}
            for name, (title, about) in CANNED.items()}


# Where a reader may start, when the release has it: a table or canned query and its words.
STARTS = [("contested_figures", "the ", "contested figures"), ("deaths_timeline", "the ", "deaths timeline"),
          ("person", "", "everything about one person")]


def home_page(package: Package, database: str, downloads: list[str], listed: set[str]) -> str:
    """The home page's text; `database` is the database's name in the site's
    addresses (the package's `name`, which the standard does not require);
    `listed`, the tables and canned queries the site has."""
    info = package.descriptor
    counts = ", ".join(f'<a href="{table_path(database, r.name)}">{r.name}</a>' for r in package.resources)
    links = "".join(f'<li><a href="/downloads/{html.escape(p)}">{html.escape(p)}</a></li>' for p in downloads)
    starts = [f'{the}<a href="{table_path(database, name)}">{words}</a>' for name, the, words in STARTS if name in listed]
    start = f"Start with {', '.join(starts[:-1])} or {starts[-1]}. " if len(starts) > 1 else \
        (f"Start with {starts[0]}. " if starts else "")
    return (
        f"<p>{html.escape(info.get('description', ''))}</p>"
        f"<p>Tables: {counts}. {start}"
        f"Every column is described in the <a href=\"/downloads/data-dictionary.html\">data dictionary</a>.</p>"
        f"<details class=\"downloads\"><summary>Downloads</summary><ul>{links}</ul></details>"
    )
