"""Error pages: a request the site cannot use is the visitor's error (4xx),
and no error page shows an exception's text that could name a file.

This replaces Datasette's default handler, which answers 500 for request
parameters its views fail to parse (`?_sort=nope`, `?_timelimit=abc`,
`?name__in=[`...), and which prints every local variable of a failing request
to the log (or fails itself when `rich` is installed, as it is here).
"""

from __future__ import annotations

import sqlite3
import sys
import traceback

from datasette import Response, hookimpl
from datasette.database import QueryInterrupted
from datasette.plugins import pm
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from datapackage.site.nonce import nonce_of

DEFAULT = "datasette.handle_exception"
if pm.get_plugin(DEFAULT) is not None:
    pm.unregister(name=DEFAULT)

# Raised while reading a visitor's parameters or running a visitor's SQL.
# OverflowError: a filter's digits (`?name__gt=99999999999999999999`), which
# Datasette passes to SQLite as an integer too large for it.
VISITOR_ERRORS = (ValueError, LookupError, OverflowError, sqlite3.DataError, sqlite3.OperationalError,
                  sqlite3.ProgrammingError, sqlite3.IntegrityError)
UNUSABLE = "This request has a parameter the site cannot use; check the address."
FAULT = "Something went wrong on our side; the error has been logged."
TOO_LONG = "The query took longer than the site's time limit; ask for fewer rows or add a filter."


def _explain(exception) -> tuple[int, str | Markup, str | None, dict]:
    """Status, message, title and extra JSON keys for an exception."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0]) if exception.args else "", None, {}
    if isinstance(exception, DatasetteError):
        # Datasette raises these for requests it cannot answer (`Cannot sort
        # table by nope`), often with its default status of 500.
        message = Markup(exception.message) if exception.message_is_html else exception.message
        status = exception.status if exception.status < 500 else 400
        return status, message, exception.title, dict(exception.error_dict)
    if isinstance(exception, QueryInterrupted):
        # Datasette answers a page's query past the time limit 400 itself,
        # but lets it through from a CSV export, which would be a 500.
        return 400, TOO_LONG, "SQL Interrupted", {}
    if isinstance(exception, sqlite3.Error) and isinstance(exception, VISITOR_ERRORS):
        return 400, f"SQL error: {exception}", "Invalid SQL", {}
    if isinstance(exception, VISITOR_ERRORS):
        return 400, UNUSABLE, "Bad request", {}
    if isinstance(exception, MemoryError):
        return 503, "The server is short of memory; please try again in a moment.", None, {}
    traceback.print_exception(exception, file=sys.stderr)
    return 500, FAULT, None, {}


@hookimpl(trylast=True)
def handle_exception(datasette, request, exception):
    async def respond():
        status, message, title, extra = _explain(exception)
        info = {**extra, "ok": False, "error": message, "status": status, "title": title}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        # The nonce lets the page's own inline script (closing open menus) run.
        page = await template.render_async(dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
                                                menu_links=lambda: [], csp_nonce=nonce_of(request)))
        return Response.html(page, status=status)
    return respond
