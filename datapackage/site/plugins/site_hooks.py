"""The site's Datasette plugin: cells, pages, search and assets. The work is
done in datapackage.site_* modules; this file only wires it to the hooks."""

from datasette import hookimpl

from datapackage.publish.search_index import add_search_functions
from datapackage.site.cells import cell
from datapackage.site.context import context
from datapackage.site.pages import case_page, home_vars, person_page
from datapackage.site.search import search_page


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    # Answered at once, not as a coroutine: Datasette calls this for every
    # cell of a page, and awaiting each one costs more than the cell.
    return cell(context(datasette), row, value, column, table)


# trylast: Datasette registers its own escape_fts on every connection; ours
# must come after it so that a table's ?_search= also matches other spellings.
@hookimpl(trylast=True)
def prepare_connection(conn):
    add_search_functions(conn)


@hookimpl
def register_routes():
    return [
        (r"^/person/(?P<key>[^/]+)$", person_page),
        (r"^/case/(?P<key>[^/]+)$", case_page),
        (r"^/search$", search_page),
    ]


@hookimpl
def extra_template_vars(template, datasette):
    async def inner():
        if template == "index.html":
            return await home_vars(datasette)
        return {"site": context(datasette)}
    return inner


@hookimpl
def extra_css_urls():
    return ["/assets/site.css"]


@hookimpl
def extra_js_urls():
    return [{"url": "/assets/site.js", "module": False}]
