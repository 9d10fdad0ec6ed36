"""Mixed load on the site while abusive clients send expensive SQL.

    python benchmarks/load.py --dist dist            # full run, writes benchmarks/LOAD.md

Serves `dist` with `datapackage serve` on a free 127.0.0.1 port (or uses
`--url`), then CLIENTS threads send REQUESTS requests in total, mixing table,
facet, search and row pages and canned queries, while ABUSERS threads send
queries built to exhaust time, memory or CPU. Everything is bounded: the
request count, a deadline, and a timeout on every request. The pages to visit
are read from the site itself, so any published package can be used.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from datasette.utils import tilde_encode

HERE = Path(__file__).resolve().parent
ROWS, WORDS = 40, 20  # row pages per table, search words per table and query
ABUSIVE_SQL = [
    "select length(randomblob(500000000))",
    "select length(printf('%.*c', 900000000, 'x'))",
    "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c",
    "with recursive c(x) as (select 1 union all select x + 1 from c) select length(group_concat(hex(randomblob(1000)))) from c",
    "with recursive c(x) as (select 1 union all select x + 1 from c) select x from c order by random() limit 1",
]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    firsts: list[float] = field(default_factory=list)  # first answer for each address
    replays: list[float] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    abusive: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    addresses: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int | None, seconds: float, path: str) -> None:
        with self.lock:
            if status == 200:
                self.latencies.setdefault(kind, []).append(seconds)
                # The first answer for an address is rendered; later ones are replayed.
                (self.replays if path in self.asked else self.firsts).append(seconds)
                self.asked.add(path)
            else:
                self.errors.append(f"{status} {path}")

    def count_abusive(self, status: int) -> None:
        with self.lock:
            self.abusive[status] = self.abusive.get(status, 0) + 1

    @property
    def normal(self) -> list[float]:
        return [s for values in self.latencies.values() for s in values]


class Client:
    """One keep-alive HTTP/1.1 connection, reopened after a failure."""

    def __init__(self, url: str, timeout: float):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn = None

    def get(self, path: str) -> int | None:
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.close()
            return None

    def json(self, path: str):
        self.conn = self.conn or http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.request("GET", path)
        return json.loads(self.conn.getresponse().read())

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def pages(url: str) -> dict[str, list[str]]:
    """Normal pages of every kind, read from the site's own JSON."""
    client = Client(url, 30)
    database = next(d["name"] for d in client.json("/-/databases.json") if not d["is_memory"])
    info = client.json(f"/{database}.json")
    metadata = client.json("/-/metadata.json")["databases"][database]
    kinds: dict[str, list[str]] = {"table": [], "facet": [], "search": [], "row": [], "query": []}
    words = []
    for table in info["tables"]:
        if table["hidden"]:
            continue
        name, base = table["name"], f"/{database}/{urllib.parse.quote(table['name'])}"
        sorts = [""] + [f"_sort{way}={urllib.parse.quote(c)}" for c in table["columns"][:6] for way in ("", "_desc")]
        kinds["table"] += [f"{base}?{sort}" for sort in sorts]
        for facet in metadata["tables"].get(name, {}).get("facets", [])[:2]:
            kinds["facet"] += [f"{base}?_facet={urllib.parse.quote(facet)}&{sort}" for sort in sorts]
        rows = client.json(f"{base}.json?_shape=objects&_size={ROWS}")
        for row in rows.get("rows", []):
            if table["primary_keys"]:
                key = ",".join(tilde_encode(str(row[k])) for k in table["primary_keys"])
                kinds["row"].append(f"{base}/{key}")
            words += [w for v in row.values() if isinstance(v, str) for w in v.split() if w.isalpha() and len(w) > 4][:1]
        if table["fts_table"] or metadata["tables"].get(name, {}).get("fts_table"):
            kinds["search"] += [f"{base}?_search={urllib.parse.quote(w)}" for w in words[-WORDS:]]
    for name, query in metadata.get("queries", {}).items():
        base, params = f"/{database}/{urllib.parse.quote(name)}", sorted(set(re.findall(r":(\w+)", query["sql"])))
        kinds["query"] += [base + "?" + "&".join(f"{p}={urllib.parse.quote(w)}" for p in params) for w in words[:WORDS]]
    client.close()
    return {kind: list(dict.fromkeys(paths)) for kind, paths in kinds.items() if paths}


def normal_client(url, mix, counter, results, deadline, timeout, fresh):
    client = Client(url, timeout)
    while time.monotonic() < deadline:
        with counter["lock"]:
            if counter["left"] <= 0:
                break
            counter["left"] -= 1
            kind, path = mix[counter["left"] % len(mix)]
            if fresh:  # an address never asked before: rendered, not replayed from the page cache
                path += f"{'&' if '?' in path else '?'}_fresh={counter['left']}"
        start = time.perf_counter()
        status = client.get(path)
        results.record(kind, status, time.perf_counter() - start, path)
    client.close()


def abusive_client(url, database, stop, results, timeout, index):
    client = Client(url, timeout)
    n = index
    while not stop.is_set():
        sql = ABUSIVE_SQL[n % len(ABUSIVE_SQL)]
        n += 1
        status = client.get(f"/{database}.json?sql={urllib.parse.quote(sql)}")
        results.count_abusive(status or 0)
        if status == 429:
            # A client told to come back later, as a script hammering the site would:
            # without a pause, 429s would only measure how fast they are refused.
            stop.wait(0.05)
    client.close()


def run(url: str, requests: int, clients: int, abusers: int, limit: float, timeout: float = 30.0,
        fresh: bool = False) -> Results:
    """Sends the mixed load; returns latencies of normal pages and every error.
    `fresh` makes every address new, so that each page is rendered."""
    kinds = pages(url)
    # Interleave kinds so that each kind is spread over the whole run.
    longest = max(len(p) for p in kinds.values())
    mix = [(kind, paths[i % len(paths)]) for i in range(longest) for kind, paths in kinds.items()]
    database = kinds["table"][0].split("/")[1]
    results, stop = Results(), threading.Event()
    results.addresses = len(set(mix))
    counter = {"left": requests, "lock": threading.Lock()}
    deadline = time.monotonic() + limit
    bad = [threading.Thread(target=abusive_client, args=(url, database, stop, results, timeout, i), daemon=True)
           for i in range(abusers)]
    good = [threading.Thread(target=normal_client, args=(url, mix, counter, results, deadline, timeout, fresh),
                             daemon=True)
            for _ in range(clients)]
    for thread in bad:
        thread.start()
    time.sleep(0.5 if abusers else 0)  # abusive queries are running before the first page
    start = time.perf_counter()
    for thread in good:
        thread.start()
    for thread in good:
        thread.join(max(0.0, deadline - time.monotonic()) + timeout)
    results.seconds = time.perf_counter() - start
    stop.set()
    for thread in bad:
        thread.join(timeout)
    if counter["left"] > 0:
        results.errors.append(f"deadline: {counter['left']} requests not sent within {limit:.0f} s")
    return results


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, round(p / 100 * (len(ranked) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`datapackage serve` on a free 127.0.0.1 port, for the length of a `with`."""

    def __init__(self, dist: Path, *options: str, env: dict | None = None, startup: float = 60.0):
        self.dist, self.options, self.env, self.startup = dist, options, env, startup

    def __enter__(self) -> str:
        port = free_port()
        self.log = tempfile.TemporaryFile()  # a pipe nobody reads could fill and block the server
        self.process = subprocess.Popen([sys.executable, "-m", "datapackage", "serve", "--dist", str(self.dist),
                                         "--port", str(port), *self.options], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + self.startup
        while Client(self.url, 2).get("/-/versions.json") != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the site did not start: " + self.stop())
            time.sleep(0.2)
        return self.url

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> str:
        """Stops the server; returns what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version
    busy = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return [f"- machine: {os.cpu_count()} CPUs ({cpu}), {memory:.1f} GiB memory, {platform.platform()}; "
            f"load average before the run (other work on the machine): {busy}",
            f"- versions: Python {platform.python_version()}, Datasette {version('datasette')}, "
            f"uvicorn {version('uvicorn')}, SQLite {sqlite3.sqlite_version}"]


def report(results: Results, command: str, options, setting: list[str]) -> str:
    ms = lambda s: f"{s * 1000:.0f}"  # noqa: E731
    rows = [f"| {kind} | {len(v)} | {ms(percentile(v, 50))} | {ms(percentile(v, 95))} | {ms(percentile(v, 99))} |"
            for kind, v in sorted(results.latencies.items())]
    every = results.normal
    abusive = ", ".join(f"{n} answered {status or 'no answer'}" for status, n in sorted(results.abusive.items()))
    return "\n".join([
        "# Load test", "",
        f"{options.clients} clients sent {options.requests} requests (table, facet, search and row pages, canned "
        f"queries, {'each request a new address' if options.fresh else f'{results.addresses} different addresses'}) "
        f"while "
        f"{options.abusers} clients sent expensive SQL without pause. Produced by:", "",
        f"    {command}", "",
        *setting, "",
        f"- normal requests: {len(every)} answered 200 in {results.seconds:.1f} s, "
        f"{len(every) / results.seconds:.0f} requests/s; errors: {len(results.errors)}",
        f"- latency of normal pages (ms): p50 {ms(percentile(every, 50))}, p95 {ms(percentile(every, 95))}, "
        f"p99 {ms(percentile(every, 99))}, max {ms(max(every, default=float('nan')))}",
        f"- first answers for an address (rendered): {len(results.firsts)}, p50 {ms(percentile(results.firsts, 50))}, "
        f"p95 {ms(percentile(results.firsts, 95))}; later answers (replayed): {len(results.replays)}, "
        f"p50 {ms(percentile(results.replays, 50))}, p95 {ms(percentile(results.replays, 95))}",
        f"- abusive queries: {abusive}", "",
        "| page kind | requests | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: |", *rows,
        *(["", "Errors:", *[f"- {e}" for e in results.errors[:20]]] if results.errors else []), "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="published release to serve")
    parser.add_argument("--url", help="use a running site instead of serving --dist")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--abusers", type=int, default=6)
    parser.add_argument("--limit", type=float, default=600, help="seconds before the run stops itself")
    parser.add_argument("--fresh", action="store_true", help="never ask the same address twice (no cached page)")
    parser.add_argument("--workers", type=int, help="worker processes of the site (serve's default if not given)")
    parser.add_argument("--out", type=Path, default=HERE / "LOAD.md", help="Markdown report ('-' for none)")
    options = parser.parse_args(argv)
    command = "python benchmarks/load.py " + " ".join(argv if argv is not None else sys.argv[1:])
    setting = machine()
    if options.url:
        results = run(options.url, options.requests, options.clients, options.abusers, options.limit,
                      fresh=options.fresh)
    else:
        with Server(options.dist, *(["--workers", str(options.workers)] if options.workers else [])) as url:
            results = run(url, options.requests, options.clients, options.abusers, options.limit, fresh=options.fresh)
    text = report(results, command, options, setting)
    print(text)
    if str(options.out) != "-":
        options.out.write_text(text, encoding="utf-8")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
