"""What a visitor may ask of a read-only site, and what the site tells about itself.

Only GET and HEAD: nothing on this site is written, and Datasette's write and
debug endpoints otherwise answer some POSTs with a 500. Addresses longer than
MAX_TARGET are refused before any parsing. The debug pages that show the
server's threads, tasks and file paths are gone; `/-/databases` and
`/-/versions` answer without paths or build details.
"""

from __future__ import annotations

from datasette import Response, hookimpl

METHODS = {"GET", "HEAD"}
MAX_TARGET = 16_384


async def _refuse(send, status: int, text: str, headers: list) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers]})
    await send({"type": "http.response.body", "body": text.encode("utf-8")})


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
