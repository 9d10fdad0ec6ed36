"""The pages the site adds to Datasette: one per person, one per case, and
what the home page shows (cases, people and a
linked chart per case). Rows are gathered by following the schemas: every
row of any table whose field is named after the page's key refers to it."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from datapackage.publish.search_index import name_expression
from datapackage.names import without_patronymic
from datapackage.site.cells import cell
from datapackage.site.charts import ranges, timeline
from datapackage.site.context import SiteContext, context

# A page lists this many rows per section, the home page this many cases and
# people per case; the rest are one link away, so that a case of a hundred
# thousand people, or a name that a million rows mention, is still a page.
SHOWN = 100
HOME_CASES = 20
HOME_PEOPLE = 50
COUNTED = 10_000  # counted no further: "more than 10,000"


def searchable(spec: dict) -> bool:
    return any(spec["search"].values())


def page_resource(site: SiteContext, page: str) -> str | None:
    """The resource whose rows have pages of this kind; None in a package
    without it (the person and case pages are for tables shaped like ours)."""
    return next((name for name, spec in site.resources.items() if spec.get("page") == page), None)


async def rows(db, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in await db.execute(sql, params)]


async def shown(db, sql: str, params, limit: int = SHOWN) -> tuple[list[dict], int | None]:
    """The first `limit` rows a query selects, and how many it selects in all
    (None for more than COUNTED); the rows alone are read when that is all."""
    found = await rows(db, f"{sql} limit {limit + 1}", params)
    if len(found) <= limit:
        return found, len(found)
    total = (await db.execute(f"select count(*) from ({sql} limit {COUNTED + 1})", params)).first()[0]
    return found[:limit], total if total <= COUNTED else None


def section(site: SiteContext, title: str, resource: str, found: tuple[list[dict], int | None],
            more: tuple[str, str], skip: tuple = ()) -> dict:
    """Rows as a page's section of cards; `more` (address, words), where the
    rows past those listed are, when there are any."""
    listed, total = found
    count = f"more than {COUNTED:,}" if total is None else f"{total:,}"
    return {"title": title, "resource": resource, "rows": listed, "cards": [card(site, resource, r, skip) for r in listed],
            "total": count, "more": more if total is None or total > len(listed) else None}


def called(spec: dict, row: dict) -> str:
    """What a row is called on a page: its label, or its key when its
    schema declares no labelField or its label cell is blank."""
    label = row.get(spec["label"]) if spec.get("label") else None
    return str(row[spec["key"]] if label in (None, "") else label)


def card(site: SiteContext, resource: str, row: dict, skip: tuple = ()) -> dict:
    """A row as a reader sees it on a page: every field that has a value,
    rendered as on the tables, text in full; plus where the row lives."""
    spec = site.resources[resource]
    fields = [(c, cell(site, row, row.get(c), c, resource, clamp=False) or row.get(c))
              for c in spec["fields"] if c not in skip and row.get(c) not in (None, "")]
    key = str(row[spec["key"]])
    return {"fields": fields, "href": site.row_path(resource, key), "key": key,
            "title": called(spec, row)}


async def referring(site: SiteContext, db, resource: str, key: str) -> list[dict]:
    """Every other table's rows that refer to one row, as sections of cards."""
    column = site.resources[resource]["key"]
    sections = []
    for name, spec in site.resources.items():
        if name == resource or column not in spec["fields"]:
            continue
        found = await shown(db, f"select * from [{name}] where [{column}] = ? order by rowid", [key])
        if found[0]:
            everyone = f"all {'of them' if found[1] is None else found[1]} in {name}"
            sections.append(section(site, spec["title"], name, found,
                                    (f"{site.table_path(name)}?{urlencode({column: key})}", everyone), skip=(column,)))
    return sections


def cited(site: SiteContext, *groups: list[dict]) -> list[dict]:
    """The sources cited by any of the rows, in order of first citation."""
    seen: dict[str, dict] = {}
    for group in groups:
        for row in group:
            for field in dict.fromkeys(f for spec in site.resources.values() for f in spec["sources"]):
                for source_id in site.source_ids(str(row.get(field) or "")):
                    if source_id not in seen and (source := site.source(source_id)) is not None:
                        seen[source_id] = source
    return [{"href": site.source_href(s), "text": site.source_text(s), **s} for s in seen.values()]


def coded_facts(site: SiteContext, resource: str, row: dict) -> list[dict]:
    """The coded fields of a row with the whole vocabulary entry (a rank with
    its Azerbaijani, naval and Russian names)."""
    facts = []
    for field in site.resources[resource]["codes"]:
        category = site.category(resource, field, row.get(field))
        if category:
            facts.append({"field": field, "label": category.get("label", category["value"]),
                          "other": [(k, v) for k, v in category.items() if k not in ("value", "label") and v],
                          "value": category["value"]})
    return facts


async def page_row(request, datasette, page: str):
    """The site, its database, and the row a page is about (404 when there is none)."""
    site = context(datasette)
    db = datasette.get_database(site.database)
    resource = page_resource(site, page)
    key = tilde_decode(request.url_vars["key"])  # as `SiteContext.href` wrote it
    if resource is None:
        raise NotFound(f"This release has no {page} pages")
    found = await rows(db, f"select * from [{resource}] where [{site.resources[resource]['key']}] = ?", [key])
    if not found:
        raise NotFound(f"No {resource} row {key}")
    return site, db, resource, key, found[0]


def not_found(route):
    """A page that answers 404 itself: Datasette's own error handling takes
    seconds to render a missing page."""
    async def view(request, datasette):
        try:
            return await route(request, datasette)
        except NotFound as error:
            body = await datasette.render_template(
                "error.html", {"error": str(error), "status": 404, "title": "Not found"}, request=request)
            return Response.html(body, status=404)
    return view


@not_found
async def person_page(request, datasette):
    site, db, resource, key, person = await page_row(request, datasette, "person")
    spec = site.resources[resource]
    sections = await referring(site, db, resource, key)
    label = str(person.get(spec["label"]) or "") if spec["label"] else ""
    variants = [n for field in spec["search"]["name"] if field != spec["label"]
                for n in str(person.get(field) or "").split(";") if n.strip()]
    # A person with no name written searches by their other spellings, or not at all.
    plain = [without_patronymic(n) for n in ([label] if label else []) + variants]
    mentions = await mentioned(site, db, plain, plain[0] if plain else "",
                               exclude=[s["resource"] for s in sections])
    sections += mentions
    context_vars = {
        "site": site, "row": person, "names": variants,
        "card": card(site, resource, person, skip=(spec["label"], *spec["codes"])),
        "facts": coded_facts(site, resource, person), "sections": sections, "resource": resource,
        "parent": _parent(site, resource, person),
        "sources": cited(site, [person], *[s["rows"] for s in sections]),
    }
    return Response.html(await datasette.render_template("person.html", context_vars, request=request))


async def mentioned(site: SiteContext, db, names: list[str], main: str, exclude: list[str]) -> list[dict]:
    """Rows of the other indexed tables whose names or text mention a name;
    beyond what a section lists, the table's own search for the main name."""
    expression = name_expression(names)
    sections = []
    for name, spec in site.resources.items():
        if name in exclude or spec.get("page") or not searchable(spec) or not expression:
            continue
        found = await shown(db, f"select * from [{name}] where rowid in "
                                f"(select rowid from [{name}_fts] where [{name}_fts] match ?) order by rowid",
                            [expression])
        if found[0]:
            sections.append(section(site, f"{spec['title']} that mention them", name, found,
                                    (f"{site.table_path(name)}?{urlencode({'_search': main})}",
                                     f"search {name} for {main}")))
    return sections


def _parent(site: SiteContext, resource: str, row: dict) -> dict | None:
    """The page-owning row this one belongs to (a person's case)."""
    for name, spec in site.resources.items():
        if name != resource and spec.get("page") and row.get(spec["key"]):
            key = row[spec["key"]]
            return {"href": site.href(name, key), "title": site.label(name, key) or key}
    return None


@not_found
async def case_page(request, datasette):
    site, db, resource, key, case = await page_row(request, datasette, "case")
    sections = await referring(site, db, resource, key)
    context_vars = {
        "site": site, "row": case, "card": card(site, resource, case), "sections": sections,
        "timeline": await case_timeline(site, db, key),
        "ranges": await contested(site, db, key),
        "sources": cited(site, [case], *[s["rows"] for s in sections]),
    }
    return Response.html(await datasette.render_template("case.html", context_vars, request=request))


async def case_timeline(site: SiteContext, db, case: str) -> Markup:
    """The dated events of one case, each mark linked to its row."""
    person = page_resource(site, "person")
    case_key = site.resources[page_resource(site, "case")]["key"]
    events = []
    declared = [(name, event) for name, spec in site.resources.items() for event in spec["events"]]
    for resource, event in declared:
        field, kind = event["field"], event["label"]
        spec = site.resources.get(resource)
        person_key = site.resources[person]["key"] if person else None
        through_person = person_key in (spec or {}).get("fields", []) and case_key in site.resources[person]["fields"]
        if spec is None or field not in spec["dates"] or not (case_key in spec["fields"] or through_person):
            continue  # a package without this kind of event, or no way to place it in a case
        joined = "" if case_key in spec["fields"] else \
            f"join [{person}] p on p.[{person_key}] = r.[{person_key}]"
        owner = "r" if not joined else "p"
        found = await rows(db, f"select r.[{spec['key']}] as key, r.[{field}_from] as day, r.[{field}] as written "
                               f"from [{resource}] r {joined} where {owner}.[{case_key}] = ?", [case])
        for row in found:
            label = site.label(person, row["key"]) or site.label(resource, row["key"]) or ""
            events.append({"day": row["day"], "kind": kind, "href": site.href(resource, str(row["key"])),
                           "title": f"{kind}: {label or row['key']} ({row['written']})"})
    lanes = [(event["label"], event["colour"]) for _, event in declared]
    return timeline(events, lanes, "Arrests, deaths, court decisions and statements over time")


async def contested(site: SiteContext, db, case: str) -> Markup:
    """The contested figures of one case as ranges, each bar linked to its statement."""
    found = await rows(db, "select * from contested_figures where case_id = ?", [case]) \
        if await db.table_exists("contested_figures") else []
    claims = [{"figure": site.facet_label(None, "metric", {"value": r["metric"]}), "low": r["value_min"], "high": r["value_max"],
               "who": r["organisation"] or r["speaker"] or r["statement_id"], "qualifier": r["qualifier"],
               "href": site.row_path("statements", r["statement_id"]),
               "all": f"{site.table_path('contested_figures')}?{urlencode({'case_id': case, 'metric': r['metric']})}"}
              for r in found]
    return ranges(claims, "Contested figures: each claim from its lowest to its highest value")


async def home_vars(datasette) -> dict:
    """Cases with their people and a linked timeline each, for the home page."""
    site = context(datasette)
    if not site.resources:
        return {}
    db = datasette.get_database(site.database)
    case, person = page_resource(site, "case"), page_resource(site, "person")
    if case is None or person is None:
        return {"site": site}  # a package not shaped like ours: Datasette's own list of tables
    case_spec, person_spec = site.resources[case], site.resources[person]
    derived = await db.table_exists("contested_figures")
    listed, total = await shown(db, f"select * from [{case}] order by rowid", [], HOME_CASES)
    # Each person's key and label, once when the label is the key, alone when there is none.
    named = ", ".join(f"[{c}]" for c in dict.fromkeys(filter(None, (person_spec["key"], person_spec["label"]))))
    cases = []
    for row in listed:
        key = row[case_spec["key"]]
        contested_count = (await db.execute("select count(*) from contested_figures where case_id = ?",
                                            [key])).first()[0] if derived else 0
        people, everyone = await shown(db, f"select {named} from [{person}] "
                                           f"where [{case_spec['key']}] = ? order by rowid", [key], HOME_PEOPLE)
        cases.append({"href": site.href(case, key), "title": called(case_spec, row),
                      "chart": await case_timeline(site, db, key), "contested": contested_count,
                      "people": [{"href": site.href(person, p[person_spec["key"]]), "name": called(person_spec, p)}
                                 for p in people],
                      "more_people": _more(everyone, len(people))})
    return {"cases": cases, "site": site, "more_cases": _more(total, len(listed)),
            "all_cases": site.table_path(case)}


def _more(total: int | None, listed: int) -> str | None:
    """How many more there are than listed, as a reader reads it; None for none."""
    if total is None:
        return f"over {COUNTED - listed:,}"
    return f"{total - listed:,}" if total > listed else None
