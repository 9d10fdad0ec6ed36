"""The site's search page: one query, in any spelling, over every table
that declares searched fields; each hit links to its page or row."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response

from datapackage.publish.search_index import match_expression
from datapackage.site.context import SiteContext, context
from datapackage.site.pages import rows, searchable

HITS = 20  # rows shown per table
COUNTED = 1000  # matches counted per table; past this the page says "more than"


async def search_page(request, datasette):
    site = context(datasette)
    db = datasette.get_database(site.database)
    query = (request.args.get("q") or "").strip()
    groups = []
    expression = match_expression(query) if query else ""
    for name, spec in site.resources.items():
        if expression and searchable(spec):
            group = await _group(site, db, name, expression)
            if group:
                groups.append({**group, "title": spec["title"],
                               "more": f"{site.table_path(name)}?" + urlencode({"_search": query})})
    return Response.html(await datasette.render_template(
        "search.html", {"q": query, "groups": groups, "site": site}, request=request))


async def _group(site: SiteContext, db, name: str, expression: str) -> dict | None:
    """The first matches of one table and how many there are, up to COUNTED.

    Both read the index alone and stop early: the index gives its rows in
    rowid order (the table's rowids), so the first HITS and the first
    COUNTED + 1 matches are found without visiting every match of a word in
    most rows of a million (which ran past the SQL time limit). A search
    that still runs out of time says so for that table."""
    matches = f"select rowid from [{name}_fts] where [{name}_fts] match ? order by rowid"
    try:
        count = (await db.execute(f"select count(*) from ({matches} limit {COUNTED + 1})", [expression])).first()[0]
        found = await rows(db, f"select rowid, * from [{name}] where rowid in ({matches} limit {HITS}) order by rowid",
                           [expression]) if count else []
    except QueryInterrupted:
        return {"count": None, "hits": [], "more_than": False}
    if not count:
        return None
    return {"count": min(count, COUNTED), "more_than": count > COUNTED, "hits": [hit(site, name, r) for r in found]}


def hit(site: SiteContext, resource: str, row: dict) -> dict:
    spec = site.resources[resource]
    key = str(row[spec["key"]] if spec["key"] else row["rowid"])  # a table without a key: its rows' rowids
    # The fullest text; a searched field may be a number, a date or a boolean.
    text = max((str(row[f]) for f in spec["search"]["text"] if row.get(f)), key=len, default="")
    return {"href": site.href(resource, key), "title": row.get(spec["label"] or "") or key,
            "text": text if len(text) < 240 else text[:239] + "…"}
