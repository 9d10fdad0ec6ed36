"""Response times of the Datasette site over a published release.

    python benchmarks/site.py --dist DIR [--requests 50] [--budget 600]

Serves DIR with `datapackage serve` on a free 127.0.0.1 port, then requests,
one after another, the home page, the search of all tables, the first person's and
case's pages, every table page, each facet, each search, a row page per table, every
canned query and every view, N times each. Prints the first
request's time (the render) and p50/p95 of the rest per page and writes them as the Datasette section of benchmarks/RESULTS.md.
The server is stopped at the end; the whole run stops itself at --budget
seconds, and a request gives up after --request-timeout.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from results_file import write_section

from datapackage.site.metadata import PLUGIN

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float) -> tuple[int, float, bytes]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except (TimeoutError, urllib.error.URLError):
        body, status = b"", 0  # no answer within the timeout
    return status, time.perf_counter() - start, body


def serve(dist: Path, port: int, wait: float) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "datapackage", "serve", "--dist", str(dist), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + wait
    while get(f"http://127.0.0.1:{port}/-/versions.json", 2)[0] != 200:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit("datasette did not start: " + server.stderr.read().decode(errors="replace")[-2000:])
        time.sleep(0.3)
    return server


def pages(dist: Path) -> list[tuple[str, str]]:
    """(what, path) for every page to time, found from the release's metadata."""
    db = json.loads((dist / "datapackage.json").read_text(encoding="utf-8"))["name"]
    meta = json.loads((dist / "metadata.json").read_text(encoding="utf-8"))["databases"][db]
    release = {r["name"]: r for r in json.loads((dist / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    found, names = [], []
    for table, about in meta["tables"].items():
        if about.get("hidden"):
            continue
        found.append((f"table {table}", f"/{db}/{table}"))
        found += [(f"facet {table}.{column}", f"/{db}/{table}?_facet={column}") for column in about.get("facets", [])]
        first = _first_row(dist, db, table)
        if table in release and first:
            key = release[table]["schema"]["primaryKey"]
            key = [key] if isinstance(key, str) else key
            found.append((f"row {table}", f"/{db}/{table}/" + ",".join(urllib.parse.quote(str(first[k]), safe="")
                                                                      for k in key)))
        if about.get("fts_table") and first:
            term = first_word(first.get(about.get("label_column", ""), ""))
            names += [term] if about.get("label_column") == "name" else []
            found.append((f"search {table}", f"/{db}/{table}?_search=" + urllib.parse.quote(term)))
    for name, query in meta.get("queries", {}).items():
        params = sorted(set(re.findall(r"(?<!:):(\w+)", query["sql"])))
        value = names[0] if names else "a"  # a query's parameter is a person's name
        found.append((f"query {name}", f"/{db}/{name}?" + urllib.parse.urlencode({p: value for p in params})))
    found += [(f"view {name}", f"/{db}/{name}") for name in _views(dist, db)]
    return _site_pages(dist, db, meta, names) + found


def _site_pages(dist: Path, db: str, meta: dict, names: list[str]) -> list[tuple[str, str]]:
    """The pages the site adds: the home page, the search of every table,
    and the page of the first row of each table that has pages (person, case)."""
    config = json.loads((dist / "metadata.json").read_text(encoding="utf-8")).get("plugins", {}).get(PLUGIN, {})
    resources = config.get("resources", {})
    found = [("home", "/"), ("search all tables", "/search?" + urllib.parse.urlencode({"q": names[0] if names else "a"}))]
    for table, about in resources.items():
        first = _first_row(dist, db, table) if about.get("page") else None
        if first:
            found.append((f"{about['page']} page", f"/{about['page']}/" + urllib.parse.quote(str(first[about["key"]]), safe="")))
    return found


def first_word(text: str | None) -> str:
    """The first word of a label, letters only: a search term the row matches."""
    words = re.findall(r"[^\W\d_]+", text or "")
    return words[0] if words else "a"


def _views(dist: Path, db: str) -> list[str]:
    connection = sqlite3.connect(f"file:{dist / (db + '.db')}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("select name from sqlite_master where type = 'view'")]
    finally:
        connection.close()


def _first_row(dist: Path, db: str, table: str) -> dict | None:
    """The table's first row, read from the file itself: asking the site
    would warm its caches before the pages are timed."""
    connection = sqlite3.connect(f"file:{dist / (db + '.db')}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        row = connection.execute(f"select * from [{table}] limit 1").fetchone()
    finally:
        connection.close()
    return dict(row) if row else None


def time_pages(base: str, found: list[tuple[str, str]], requests: int, timeout: float, deadline: float) -> list[dict]:
    results = []
    for what, path in found:
        seconds, statuses = [], {}
        # The first request renders the page; the site keeps the answer for
        # the visitors after it until the release changes.
        _, first, _ = get(base + path, timeout)
        for _ in range(requests):
            if time.monotonic() > deadline:
                break
            status, took, _ = get(base + path, timeout)
            seconds.append(took)
            statuses[status] = statuses.get(status, 0) + 1
        if seconds:
            results.append({"page": what, "path": path, "n": len(seconds), "statuses": statuses, "first": first * 1000,
                            "p50": statistics.median(seconds) * 1000,
                            "p95": statistics.quantiles(seconds, n=20)[-1] * 1000 if len(seconds) > 1
                            else seconds[0] * 1000})
        print(f"{what}: " + (f"first {first * 1000:.0f} ms, p50 {results[-1]['p50']:.0f} ms, p95 {results[-1]['p95']:.0f} ms, {statuses}"
                             if seconds else "not timed (budget spent)"), flush=True)
    return results


def section(dist: Path, results: list[dict], args) -> str:
    db = next(dist.glob("*.db"))
    lines = ["## Datasette", "",
             "The site keeps each finished answer to an anonymous GET until the release changes (a read-only "
             "database gives the same answer to the same address), so 'first' is what the first visitor of an "
             "address waits for and p50/p95 what everyone after them waits for; `benchmarks/LOAD.md` measures a "
             "mixed load. Pages are visited in the order below, table page first: the counts and facet tallies a "
             "page computes are kept for the pages after it that ask the same (`datapackage/site/tallies.py`), as a "
             "visitor clicking from a table to its facets would find, and the site asks each table for them in the "
             "background when it starts (`datapackage/site/plugins/site_warm.py`, from its first request on). The rows "
             "and names the pages are built from are read from the database file, not asked of the site.", "",
             f"Command: `python benchmarks/site.py --dist {args.dist} --requests {args.requests}` "
             f"(sequential requests on 127.0.0.1; 'first' is the first request to a page, which renders it; p50 and "
             f"p95 are over the requests after it; the server's SQL time limit applies). "
             f"Database: `{db.name}`, {db.stat().st_size / 1e6:,.1f} MB. {args.label}", "",
             "| page | path | first | requests | p50 | p95 | HTTP statuses |", "|---|---|---|---|---|---|---|"]
    for r in results:
        statuses = ", ".join(f"{code or 'no answer'} x{count}" for code, count in sorted(r["statuses"].items()))
        lines.append(f"| {r['page']} | `{r['path']}` | {r['first']:.0f} ms | {r['n']} | {r['p50']:.0f} ms "
                     f"| {r['p95']:.0f} ms | {statuses} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, required=True, help="a folder written by `datapackage publish`")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--budget", type=float, default=600, help="seconds for the whole run")
    parser.add_argument("--request-timeout", type=float, default=30)
    parser.add_argument("--label", default="", help="a sentence saying what was published")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.budget
    port = free_port()
    server = serve(args.dist, port, wait=min(120, args.budget))
    try:
        base = f"http://127.0.0.1:{port}"
        results = time_pages(base, pages(args.dist), args.requests, args.request_timeout, deadline)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    write_section(RESULTS, "site", section(args.dist, results, args))
    print(f"wrote the Datasette section of {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
