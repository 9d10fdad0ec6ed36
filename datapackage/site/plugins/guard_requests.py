"""What a visitor may ask of a read-only site, and what the site tells about itself.

Only GET and HEAD: nothing on this site is written, and Datasette's write and
debug endpoints otherwise answer some POSTs with a 500. Addresses longer than
MAX_TARGET are refused before any parsing, and so is a `?_through=` filter
that Datasette would read as an object naming a table and column without
checking that it is one (`?_through=1` answered 500). The debug pages that show the
server's threads, tasks and file paths are gone; `/-/databases` and
`/-/versions` answer without paths or build details.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from datasette import Response, hookimpl

METHODS = {"GET", "HEAD"}
MAX_TARGET = 16_384


async def _refuse(send, status: int, text: str, headers: list) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers]})
    await send({"type": "http.response.body", "body": text.encode("utf-8")})


def _through_unusable(query: bytes) -> bool:
    """Whether a `_through` is JSON but not an object whose table and column
    are text (what is not JSON at all, Datasette refuses itself)."""
    for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if key != "_through":
            continue
        try:
            through = json.loads(value)
        except ValueError:
            continue
        if not isinstance(through, dict) or not all(isinstance(through.get(k, ""), str) for k in ("table", "column")):
            return True
    return False


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if scope["method"] not in METHODS:
                return await _refuse(send, 405, "This site is read-only: only GET and HEAD.",
                                     [(b"allow", b"GET, HEAD")])
            if len(scope.get("raw_path") or b"") + len(scope.get("query_string", b"")) > MAX_TARGET:
                return await _refuse(send, 414, "This address is too long.", [])
            if b"_through" in scope.get("query_string", b"") and _through_unusable(scope["query_string"]):
                return await _refuse(send, 400, "This _through filter must name a table and a column.", [])
            await app(scope, receive, send)
        return read_only
    return wrap


def _databases(datasette):
    return [{"name": d.name, "route": d.route, "is_mutable": d.is_mutable, "is_memory": d.is_memory}
            for d in datasette.databases.values() if d.name != "_internal"]


def _versions(datasette):
    versions = datasette._versions()
    versions["python"].pop("full", None)
    versions["sqlite"].pop("compile_options", None)
    return versions


@hookimpl
def register_routes(datasette):
    # Plugin routes are matched before Datasette's own, so these replace them.
    async def gone(request):
        return Response.text("Not found", status=404)

    async def databases(request):
        return Response.json(_databases(datasette))

    async def versions(request):
        return Response.json(_versions(datasette))

    return [(r"^/-/threads(\.json)?$", gone), (r"^/-/databases(\.json)?$", databases),
            (r"^/-/versions(\.json)?$", versions)]
