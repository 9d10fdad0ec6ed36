"""How one cell reads on every page of the site (tables, rows, derived tables and
canned queries): coded values with their label, sources as links, ids with
the name or title they stand for, long text clamped."""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup, escape

from datapackage.site.context import SiteContext

LONG = 200  # characters above which a cell is clamped to a few lines


def cell(site: SiteContext, row, value, column: str, table: str | None, clamp: bool = True) -> Markup | None:
    """The HTML of a cell, or None to let Datasette render it; `clamp` False
    on pages that show a row's text in full."""
    if isinstance(value, dict):  # a foreign key Datasette already expanded
        value = value.get("value")
    if value is None or value == "":
        return None
    if site.is_source_list(column):
        return site.kept(("sources", value), lambda: source_links(site, str(value)))
    category = site.category(table, column, value)
    if category:
        return site.kept(("code", table, column, value), lambda: coded(category))
    pointed = site.resource_of_key(column, table)
    if pointed:
        return site.kept(("key", pointed, value), lambda: reference(site, pointed, str(value)))
    named = site.rows_named_by(column, table)
    if named:
        return rows_link(site, *named, str(value))
    spec = site.resources.get(table or "")
    if spec and spec.get("page") and column == spec.get("label"):
        return Markup(f'<a href="{escape(site.href(table, str(row[spec["key"]])))}">{escape(value)}</a>')
    if clamp and isinstance(value, str) and len(value) > LONG and not value.startswith(("http://", "https://")):
        return Markup(f'<div class="clamp">{escape(value)}</div>')
    return None


def source_links(site: SiteContext, value: str) -> Markup:
    """Each cited source as a link to its row, reading 'publisher, date'."""
    links = []
    for source_id in site.source_ids(value):
        source = site.source(source_id)
        if source is None:
            links.append(escape(source_id))
            continue
        links.append(Markup(f'<a class="source" href="{escape(site.source_href(source))}" '
                            f'title="{escape(source.get("title") or source_id)}">{escape(site.source_text(source))}</a>'))
    return Markup(f'<span class="sources">{Markup("; ").join(links)}</span>')


def rows_link(site: SiteContext, resource: str, field: str, value: str) -> Markup:
    """A value that names rows of `resource` by one of its fields other than
    the key: a link to that table's rows holding it (Datasette's own link
    would take the value for the key, and find no row)."""
    query = urlencode({f"{field}__exact": value})
    return Markup(f'<a href="{escape(site.table_path(resource))}?{escape(query)}">{escape(value)}</a>')


def coded(category: dict) -> Markup:
    """A coded value's label, with the code itself kept beside it."""
    # f-strings over escape(): Markup.format is several times slower, and
    # this runs for most cells of every page.
    return Markup(f'<span class="label">{escape(category.get("label", category["value"]))}</span> '
                  f'<code class="code">{escape(category["value"])}</code>')


def reference(site: SiteContext, resource: str, key: str) -> Markup:
    """An id shown as the name or title it stands for, linked to its page."""
    label = site.label(resource, key)
    href = site.href(resource, key)
    if not label:
        return Markup(f'<a href="{escape(href)}">{escape(key)}</a>')
    return Markup(f'<a href="{escape(href)}">{escape(label)}</a> <code class="code">{escape(key)}</code>')
