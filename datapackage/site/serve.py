"""Datasette, read-only, over a published release, following republishes.

`datapackage serve` runs `python -m datapackage.site.serve`, which builds the
Datasette application itself, so that it can swap in a new release (the `dist`
folder replaced by rename, or a `dist` symlink pointed at a new release folder)
without a restart, and so that uvicorn logs no visitor's address or query.
With more than one worker (the default on two cores), `serve_workers` starts
that many processes, each building the application, and they share the pages
they render (`PageCache`, `shared_pages`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import threading
from collections import OrderedDict
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qsl

from datapackage.site import search_plan
from datapackage.site.nonce import renewed
from datapackage.publish.release_folder import database_name, hash_name
from datapackage.site.tallies import WARMING, Tallies

HERE = Path(__file__).parent
# No facet suggestions: they cost one query per column on every table page,
# and the schemas already declare each table's facets.
SETTINGS = {"sql_time_limit_ms": 1000, "max_returned_rows": 1000, "default_allow_sql": True,
            "allow_download": True, "num_sql_threads": 3, "suggest_facets": False}
ROBOTS = "datasette-block-robots"
ALLOW_ROBOTS = {"literal": "User-agent: *\nAllow: /"}
# Parameters that carry SQL written by the visitor.
VISITOR_SQL = {"sql", "_where"}


def carries_visitor_sql(scope) -> bool:
    query = scope.get("query_string", b"").decode("latin-1")
    return any(key in VISITOR_SQL for key, _ in parse_qsl(query, keep_blank_values=True))


class NothingToServe(Exception):
    pass


def command(dist: Path, port: int, host: str, allow_robots: bool, workers: int | None = None) -> list[str]:
    """The command line that serves a published folder."""
    problem = release_problem(dist, release_name(dist))
    if problem:
        raise NothingToServe(f"{problem}; publish the release again")
    args = [sys.executable, "-m", "datapackage.site.serve", "--dist", str(dist), "--port", str(port), "--host", host]
    args += ["--workers", str(workers)] if workers else []
    return args + ["--allow-robots"] if allow_robots else args


def release_name(dist: Path) -> str:
    """The database name of the release in `dist`; NothingToServe when there is none."""
    try:
        name = database_name(json.loads((dist / "datapackage.json").read_text(encoding="utf-8")))
        if (dist / "metadata.json").is_file() and (dist / f"{name}.db").is_file():
            return name
    except (OSError, ValueError, KeyError, TypeError):
        pass
    raise NothingToServe(f"{dist}: no published release here; run 'datapackage publish --out {dist}' first")


def release_problem(dist: Path, name: str) -> str | None:
    """Why the release cannot be served (its site settings or its database
    cut short or of another kind), or None; found in a moment whatever its
    size, before the site starts, where its workers would each fail on it."""
    settings = dist / "metadata.json"
    try:
        if not isinstance(json.loads(settings.read_text(encoding="utf-8")), dict):
            return f"{settings}: the site's settings are not a JSON object"
    except (OSError, ValueError) as error:
        return f"{settings}: the site's settings cannot be read ({error})"
    database = dist / f"{name}.db"
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:  # SQLite finds a file cut short as it reads its header
        return f"{database}: the database cannot be read ({error})"
    return None


class Release:
    """What `dist` points at now: the release folder and its database file.

    Its identity is the database file's inode (and the time it was made, as
    a deleted release's inode number can be given to a new file), so both
    layouts are followed: a symlink moved to another folder and a folder
    replaced by rename.
    """

    def __init__(self, dist: Path, allow_robots: bool):
        self.dist = Path(os.path.abspath(dist))
        self.allow_robots = allow_robots
        self.name = release_name(self.dist)
        self.folder = Path(os.path.realpath(self.dist))
        self.identity = self._identity()

    def _identity(self) -> tuple[int, int, int] | None:
        # Asked before every request: one stat, which follows the symlink
        # itself (resolving the path first cost 7% of the serving thread).
        try:
            info = os.stat(os.path.join(self.dist, f"{self.name}.db"))
        except OSError:
            return None
        return info.st_dev, info.st_ino, info.st_ctime_ns

    def changed(self) -> bool:
        return self._identity() not in (None, self.identity)

    def reload(self) -> bool:
        """Moves to the release `dist` points at now; False while it is incomplete."""
        try:
            name = release_name(self.dist)
        except NothingToServe:
            return False
        self.name, self.folder = name, Path(os.path.realpath(self.dist))
        self.identity = self._identity()
        return True

    def metadata(self) -> dict:
        config = json.loads((self.folder / "metadata.json").read_text(encoding="utf-8"))
        if self.allow_robots:
            config.setdefault("plugins", {})[ROBOTS] = ALLOW_ROBOTS
        return config


def recorded_hash(database: Path) -> str | None:
    """The database's SHA-256 as publishing recorded it beside the file; None
    when it is not there (a release published before it was recorded)."""
    try:
        recorded = (database.parent / hash_name(database)).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return None
    if len(recorded) == 2 and recorded[1] == database.name and len(recorded[0]) == 64:
        return recorded[0]
    return None


def release_database(ds, release: Release):
    """A Datasette database over the release's file, with its own connections."""
    from datasette.database import Database, QueryInterrupted

    class ReleaseDatabase(Database):
        # Datasette keeps one connection per thread and database *name*; a new
        # release keeps the name, so connections are kept per database object
        # instead, and the old release's close when its object is dropped.
        def __init__(self):
            path = release.folder / f"{release.name}.db"
            super().__init__(ds, str(path), is_mutable=False)
            self.cached_hash = recorded_hash(path)
            self._local = threading.local()
            self.tallies = Tallies()  # per release: a new database starts empty
            self.ordered: dict[str, set[str]] = {}  # per table: the columns that lead an index
            self.rows: dict[str, int] = {}  # per table: how many rows it has at most

        @property
        def hash(self):
            # Datasette would read the whole file for it, on the loop that
            # answers every request (seconds for a database of gigabytes).
            return self.cached_hash

        async def execute_fn(self, fn):
            def in_thread():
                conn = getattr(self._local, "conn", None)
                if conn is None:
                    conn = self._local.conn = self.connect()
                    ds._prepare_connection(conn, self.name)
                return fn(conn)

            return await asyncio.get_running_loop().run_in_executor(ds.executor, in_thread)

        async def execute(self, sql, params=None, *args, **kwargs):
            if WARMING.get():
                kwargs.pop("custom_time_limit", None)  # the site's own limit
            # Datasette would log a failing query with its parameters: a
            # visitor's search or SQL is theirs, not the log's.
            kwargs["log_sql_errors"] = False
            *tried, sql = await self._planned(sql, params)
            for plan in tried:  # a plan that is fast unless the matches lie badly for it
                try:
                    return await super().execute(plan, params, *args, **{
                        **kwargs, "custom_time_limit": min(kwargs.get("custom_time_limit") or search_plan.PROBING_MS,
                                                           search_plan.PROBING_MS)})
                except QueryInterrupted:
                    continue
                except sqlite3.OperationalError as error:
                    # Stopped by its time limit while SQLite was opening the
                    # search index (the first query of a connection), which
                    # SQLite words as a failed constructor, not an interrupt.
                    if "vtable constructor failed" not in str(error):
                        raise
                    continue
            key = self.tallies.key(sql, params)
            kept = self.tallies.get(key)
            if kept is not None:
                return kept
            results = await super().execute(sql, params, *args, **kwargs)
            self.tallies.keep(key, results)
            return results

        async def _planned(self, sql, params) -> list[str]:
            """The query as `search_plan` plans a table's search, as written
            otherwise: the plans to try in turn, the last one run whatever
            its time."""
            counted = search_plan.index_count(sql)
            if counted:
                return [counted]
            facet = search_plan.facet_count(sql)
            if facet:
                if (await self._matches(facet, params) or 0) > search_plan.TALLIED:
                    raise QueryInterrupted(None, sql, params)  # what Datasette reports as a facet timed out
                return [sql]
            page = search_plan.walk(sql)
            matches = page and await self._matches(page.count, params)
            if not matches:
                return [sql]
            if page.table not in self.ordered:
                ordered = await super().execute(search_plan.ORDERED_SQL, {"table": page.table})
                rows = await super().execute(search_plan.ROWS_SQL.format(table=page.table))
                self.rows[page.table] = rows.rows[0][0] or 0
                self.ordered[page.table] = {row[0] for row in ordered.rows}
            return page.chosen(matches, self.ordered[page.table], self.rows[page.table]) or [sql]

        async def _matches(self, count: str, params) -> int | None:
            try:
                return (await self.execute(count, params)).rows[0][0]
            except Exception:  # noqa: BLE001 - the query as written reports its own error
                return None

    return ReleaseDatabase()


def use(ds, release: Release) -> None:
    """Serves `release`: its database under its name and its metadata."""
    db = release_database(ds, release)
    databases = {name: d for name, d in ds.databases.items() if d.is_memory}
    db.name = db.route = release.name
    ds.databases = {**databases, release.name: db}
    ds._metadata_local = release.metadata()  # where Datasette 0.65 keeps the metadata it was given


def following(app, ds, release: Release, pages: PageCache):
    """ASGI middleware: before each request, swap in a republished release."""
    async def asgi(scope, receive, send):
        if scope["type"] == "http" and release.changed() and release.reload():
            use(ds, release)
            pages.clear()
        await app(scope, receive, send)
    return asgi


class PageCache:
    """Finished answers to anonymous GETs, kept until the release changes.

    The database is immutable, so the same address gives the same answer
    until a republish; rendering a table page costs tens of milliseconds,
    replaying it almost nothing. Not kept: visitors' own SQL (the SQL guard
    plugin's business), answers that are not 200, set a cookie, or are larger
    than MAX_ANSWER, and requests with a cookie or credentials. With `shared`,
    answers are also written to, and looked for in, the store the site's
    other worker processes use (`shared_pages`); the release's identity is
    part of every key there, so a worker that has not yet seen a republish
    never replays the other release's pages.
    """

    # A canned query shows up to 1,000 rows: 1-2 MB of HTML, and the answers
    # most worth keeping (hundreds of milliseconds to render at a million rows).
    MAX_ANSWER = 4_000_000
    MAX_TOTAL = 128_000_000

    def __init__(self, release: Release | None = None, shared: Path | None = None):
        self.answers: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
        self.size = 0
        self.release = release
        self.shared = None
        if shared is not None:
            import sqlite3

            from datapackage.site.shared_pages import SharedPages

            try:
                self.shared = SharedPages(shared, self.MAX_TOTAL)
            except sqlite3.Error:
                pass  # this worker renders every page itself: slower, never wrong

    def clear(self) -> None:
        self.answers.clear()
        self.size = 0
        if self.shared is not None:
            self.shared.clear()

    def key(self, scope) -> tuple | None:
        headers = dict(scope.get("headers", []))
        query = scope.get("query_string", b"")
        if scope["method"] != "GET" or b"cookie" in headers or b"authorization" in headers \
                or carries_visitor_sql(scope):
            return None
        identity = self.release.identity if self.release is not None else None
        return identity, scope.get("scheme"), headers.get(b"host"), scope.get("raw_path") or scope["path"], query

    def keep(self, key: tuple, start: dict, body: bytes, share: bool = True) -> None:
        if any(name.lower() == b"set-cookie" for name, _ in start.get("headers", [])):
            return
        self.answers[key] = (start, body)
        self.size += len(body)
        while self.size > self.MAX_TOTAL:
            self.size -= len(self.answers.popitem(last=False)[1][1])
        if share and self.shared is not None:
            self.shared.put(key, start, body)

    def kept(self, key: tuple) -> tuple[dict, bytes] | None:
        if key in self.answers:
            self.answers.move_to_end(key)
            return self.answers[key]
        found = self.shared.get(key) if self.shared is not None else None
        if found is not None:
            self.keep(key, *found, share=False)
        return found

    def __call__(self, app):
        async def asgi(scope, receive, send):
            key = self.key(scope) if scope["type"] == "http" else None
            if key is None:
                return await app(scope, receive, send)
            found = self.kept(key)
            if found is not None:
                start, body = renewed(*found)
                await send(start)
                return await send({"type": "http.response.body", "body": body})
            start, chunks, size = {}, [], 0

            async def recording(message):
                nonlocal start, chunks, size
                if message["type"] == "http.response.start":
                    start = message
                elif chunks is not None and start.get("status") == 200:
                    chunks.append(message.get("body", b""))
                    size += len(chunks[-1])
                    if size > self.MAX_ANSWER:
                        chunks = None  # too large to keep: stop copying it
                    elif not message.get("more_body"):
                        self.keep(key, start, b"".join(chunks))
                await send(message)
            await app(scope, receive, recording)
        return asgi


def json1_asked_once() -> None:
    """Datasette asks whether SQLite has JSON1 on every table page (to offer
    the array facet and filters) by opening a new in-memory connection each
    time: 3% of the serving thread under load. The SQLite library does not
    change while the process runs, so the answer is found once."""
    import datasette.facets
    import datasette.filters
    from datasette.utils import detect_json1

    answer = detect_json1()

    def known(conn=None):
        return answer if conn is None else detect_json1(conn)

    datasette.facets.detect_json1 = datasette.filters.detect_json1 = known


def remembering_misses(loader):
    """A Jinja loader that answers "not found" from memory for a name already
    looked for in vain. Datasette asks for a page's template by several names
    (one per database and table first) and Jinja keeps only the templates it
    found, so each page searched every template folder for the missing names
    again: 3% of a first render."""
    from jinja2 import BaseLoader, TemplateNotFound

    class Remembering(BaseLoader):
        def __init__(self):
            self.missing: set[str] = set()

        def load(self, environment, name, globals=None):
            if name in self.missing:
                raise TemplateNotFound(name)
            try:
                return loader.load(environment, name, globals)
            except TemplateNotFound:
                self.missing.add(name)
                raise

        def list_templates(self):
            return loader.list_templates()

    return Remembering()


def site_class():
    """Datasette, with three costs of a first render taken out.

    Each cell's `render_cell` hook is called without pluggy's bookkeeping
    (`hook_calls.DirectCaller`). Datasette 0.65 answers every "view-table" check (two per table page) by
    deep-copying the whole metadata, about 1,500 objects here: 8% of a first
    render. The answer depends on the metadata alone, which changes only when
    `use` swaps in a release, so it is kept per metadata object.
    """
    from datasette.app import Datasette
    from datasette.plugins import pm

    from datapackage.site.hook_calls import call_directly

    class Site(Datasette):
        _allows_for, _allows = None, {}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            call_directly(pm.hook, "render_cell")
            json1_asked_once()
            # The templates are the package's own and never change while it
            # serves; Jinja would otherwise stat each one on every include,
            # and look again on every page for the names that do not exist.
            self.jinja_env.auto_reload = False
            self.jinja_env.loader = remembering_misses(self.jinja_env.loader)

        def absolute_url(self, request, path):
            # Datasette's URL strings look up dir(str) on every method call,
            # and urljoin makes dozens: each facet value's link cost 0.1 ms.
            return super().absolute_url(request, str(path))

        def _table_permission_allows(self, database, table):
            if self._allows_for is not self._metadata_local:
                self._allows_for, self._allows = self._metadata_local, {}
            key = (database, table)
            if key not in self._allows:
                self._allows[key] = super()._table_permission_allows(database, table)
            return self._allows[key]

    return Site


def application(dist: Path, allow_robots: bool, shared: Path | None = None):
    release = Release(dist, allow_robots)
    ds = site_class()(immutables=[str(release.folder / f"{release.name}.db")], settings=SETTINGS,
                   static_mounts=[("downloads", str(release.dist)), ("assets", str(HERE / "static"))],
                   plugins_dir=str(HERE / "plugins"), template_dir=str(HERE / "templates"))
    use(ds, release)
    pages = PageCache(release, shared)
    return following(pages(ds.app()), ds, release, pages)


def uvicorn_settings() -> dict:
    # No access log: visitors' addresses and searches are not recorded.
    return {"log_level": "warning", "access_log": False, "server_header": False, "lifespan": "on"}


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    from datapackage.site.serve_workers import address_of, cannot_listen, default_workers, supervise

    parser = argparse.ArgumentParser(prog="python -m datapackage.site.serve")
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--allow-robots", action="store_true")
    parser.add_argument("--workers", type=int, default=default_workers())
    options = parser.parse_args(argv)
    try:
        app = application(options.dist, options.allow_robots)
    except NothingToServe as error:
        sys.exit(f"Error: {error}")
    if options.workers <= 1:
        try:
            address_of(options.host, options.port)  # taken: one clear line, not uvicorn's log and exit 3
        except OSError as error:
            print(cannot_listen(options.host, options.port, error), file=sys.stderr)
            sys.exit(2)
        return uvicorn.run(app, host=options.host, port=options.port, **uvicorn_settings())
    del app  # each worker builds its own
    sys.exit(supervise(options.dist, options.host, options.port, options.allow_robots, options.workers))


if __name__ == "__main__":
    main()
