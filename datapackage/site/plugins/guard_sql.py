"""Visitors' own SQL stays open, but cannot starve the pages.

A request carrying SQL written by the visitor (`?sql=`, or `?_where=` on a
table) runs its queries in a lane of its own: SLOTS threads at a lower CPU
priority, with SQLite limits that keep any one value small, so that the
functions whose cost grows with the square of their input (instr, replace,
LIKE, GLOB) stay cheap and `randomblob`/`printf` memory bombs fail at once.
The `file` column of `pragma_database_list`, which Datasette allows, reads as
NULL there: it gives the database file's path on the server.
Datasette's time limit still stops each query. At most SLOTS such requests run
and QUEUE wait, each no longer than WAIT seconds; the others are answered 429
at once. Tables, rows, facets, search and canned queries use the other threads.
SLOTS and QUEUE are for the whole site: a site served by several worker
processes gives each its share, at least one.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

from datasette import hookimpl

from datapackage.site.serve import carries_visitor_sql
from datapackage.site.serve_workers import workers_here

SLOTS = 2
QUEUE = 4
WAIT = 2.0
LANE = "visitor-sql"
# Largest string, blob or row a visitor's query may make or read, and longest
# LIKE/GLOB pattern: quadratic functions then cost well under a second.
VISITOR_LIMITS = {sqlite3.SQLITE_LIMIT_LENGTH: 100_000, sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 500,
                  sqlite3.SQLITE_LIMIT_ATTACHED: 0}
PAGE_LIMITS = {sqlite3.SQLITE_LIMIT_LENGTH: 16_000_000, sqlite3.SQLITE_LIMIT_ATTACHED: 0}
BUSY = "Too many SQL queries are running; please try again in a few seconds."

visitor_sql = contextvars.ContextVar("visitor_sql", default=False)


def _lower_priority() -> None:
    # Linux gives each thread its own nice value: a visitor's query then
    # yields the CPU to the threads answering pages.
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


class Lanes(ThreadPoolExecutor):
    """Datasette's SQL threads, with a separate lane for visitors' own SQL
    and the count of requests admitted to it or waiting for it."""

    def __init__(self, workers: int, processes: int = 1):
        super().__init__(max_workers=workers, thread_name_prefix="sql")
        self.lanes, self.queue = max(1, SLOTS // processes), max(1, QUEUE // processes)
        self.visitors = ThreadPoolExecutor(max_workers=self.lanes, thread_name_prefix=LANE,
                                           initializer=_lower_priority)
        self.slots = asyncio.Semaphore(self.lanes)
        self.waiting = 0

    def submit(self, fn, /, *args, **kwargs):
        if visitor_sql.get():
            return self.visitors.submit(fn, *args, **kwargs)
        return super().submit(fn, *args, **kwargs)

    def shutdown(self, wait=True, *, cancel_futures=False):
        self.visitors.shutdown(wait, cancel_futures=cancel_futures)
        super().shutdown(wait, cancel_futures=cancel_futures)


@hookimpl
def prepare_connection(conn, database, datasette):
    in_lane = threading.current_thread().name.startswith(LANE)
    for limit, value in (VISITOR_LIMITS if in_lane else PAGE_LIMITS).items():
        conn.setlimit(limit, value)
    if in_lane:
        for name in ("printf", "format"):
            conn.create_function(name, -1, _bounded_printf, deterministic=True)
        conn.set_authorizer(_no_file_paths)


def _no_file_paths(action, table, column, *_) -> int:
    """SQLite's answer to each thing a visitor's statement would do: reading
    the file of the list of databases is left out (NULL), everything else
    allowed. Only that column: Datasette itself asks `PRAGMA database_list`
    for the attached databases, on the database page the lane also serves."""
    if action == sqlite3.SQLITE_READ and (table or "").lower() == "pragma_database_list" \
            and (column or "").lower() == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


# A conversion: flags, width, precision; `*` takes the number from the arguments.
CONVERSION = re.compile(r"%[-+ 0#,!]*(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")
_builtin = threading.local()


def _bounded_printf(form=None, *args):
    """SQLite's printf, NULL (as SQLite's own answer for a result over the
    length limit) for a width or precision above that limit without running
    it: `printf('%.*c', 900000000, 'x')` loops 900 million times inside one
    step, where no time limit can stop it."""
    if isinstance(form, str):
        taken = 0
        for width, precision, _ in CONVERSION.findall(form):
            for part in (width, precision):
                number = args[taken] if part == "*" and taken < len(args) else part
                taken += part == "*"
                if _too_large(number):
                    return None
    if not hasattr(_builtin, "conn"):
        _builtin.conn = sqlite3.connect(":memory:")
        for limit, value in VISITOR_LIMITS.items():
            _builtin.conn.setlimit(limit, value)
    placeholders = ", ".join("?" * (len(args) + 1))
    return _builtin.conn.execute(f"select printf({placeholders})", (form, *args)).fetchone()[0]


def _too_large(number) -> bool:
    """Whether SQLite would read `number` (int, real or text) as a width or
    precision above the length limit."""
    try:
        return abs(int(float(number))) > VISITOR_LIMITS[sqlite3.SQLITE_LIMIT_LENGTH]
    except OverflowError:
        return True
    except (TypeError, ValueError):
        return False


async def _busy(scope, send) -> None:
    as_json = scope["path"].endswith(".json")
    body = json.dumps({"ok": False, "error": BUSY, "status": 429}) if as_json else BUSY
    kind = b"application/json; charset=utf-8" if as_json else b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", kind), (b"retry-after", b"2")]})
    await send({"type": "http.response.body", "body": body.encode("utf-8")})


def _lanes(datasette) -> Lanes:
    # Datasette builds its application more than once (its internal client
    # has one): every copy shares the same lanes.
    if not isinstance(datasette.executor, Lanes):
        unused, datasette.executor = datasette.executor, Lanes(datasette.setting("num_sql_threads"), workers_here())
        if unused is not None:
            unused.shutdown(wait=False)
    return datasette.executor


@hookimpl
def asgi_wrapper(datasette):
    lanes = _lanes(datasette)

    def wrap(app):
        async def gate(scope, receive, send):
            if scope["type"] != "http" or not carries_visitor_sql(scope):
                return await app(scope, receive, send)
            if lanes.slots.locked() and lanes.waiting >= lanes.queue:
                return await _busy(scope, send)
            lanes.waiting += 1
            try:
                await asyncio.wait_for(lanes.slots.acquire(), WAIT)
            except asyncio.TimeoutError:
                return await _busy(scope, send)
            finally:
                lanes.waiting -= 1
            token = visitor_sql.set(True)
            try:
                await app(scope, receive, send)
            finally:
                visitor_sql.reset(token)
                lanes.slots.release()
        return gate
    return wrap
