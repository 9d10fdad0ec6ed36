"""The site's search page: one query, in any spelling, over every table
that declares searched fields; each hit links to its page or row."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils.asgi import Response

from datapackage.search_index import match_expression
from datapackage.site_context import SiteContext, context
from datapackage.site_pages import rows, searchable

HITS = 20  # rows shown per table


async def search_page(request, datasette):
    site = context(datasette)
    db = datasette.get_database(site.database)
    query = (request.args.get("q") or "").strip()
    groups = []
    expression = match_expression(query) if query else ""
    for name, spec in site.resources.items():
        if not expression or not searchable(spec):
            continue
        where = f"rowid in (select rowid from [{name}_fts] where [{name}_fts] match ?)"
        count = (await db.execute(f"select count(*) from [{name}] where {where}", [expression])).first()[0]
        if count:
            found = await rows(db, f"select * from [{name}] where {where} order by rowid limit {HITS}", [expression])
            groups.append({"title": spec["title"], "count": count, "hits": [hit(site, name, r) for r in found],
                           "more": f"/{site.database}/{name}?" + urlencode({"_search": query})})
    return Response.html(await datasette.render_template(
        "search.html", {"q": query, "groups": groups, "site": site}, request=request))


def hit(site: SiteContext, resource: str, row: dict) -> dict:
    spec = site.resources[resource]
    key = str(row[spec["key"]])
    text = max((row[f] for f in spec["search"]["text"] if row.get(f)), key=len, default="")  # the fullest text
    return {"href": site.href(resource, key), "title": row.get(spec["label"] or "") or key,
            "text": text if len(text) < 240 else text[:239] + "…"}
