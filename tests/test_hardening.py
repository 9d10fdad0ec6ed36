"""The site as an attacker would try it, over real HTTP on 127.0.0.1: security
headers, 4xx for unusable requests, no paths or environment in any answer,
visitors' SQL bounded in time, memory and concurrency, pages answering while
abusive SQL runs, and nothing about visitors in the log."""

import http.client
import json
import os
import re
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import ABUSIVE_SQL, Server, percentile, run  # noqa: E402

SECURITY_HEADERS = {"content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"}
SLOW_SQL = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
MORE_BOMBS = [  # one step each, where no time limit can stop them
    "select length(printf('%.*c', 9e8, 'x'))", "select length(format('%.*c', '900000000', 'x'))",
    "select instr(printf('%.*c', 900000, 'a'), printf('%.*c', 450000, 'a') || 'b')",
    "select length(replace(printf('%.*c', 900000, 'a'), printf('%.*c', 450000, 'a') || 'b', ''))",
    "select printf('%.*c', 900000, 'a') like '%' || printf('%.*c', 40000, 'a') || 'b%'",
    "select length(zeroblob(900000000))",
]
MARKER = "Zqxvisitor"


@pytest.fixture(scope="module")
def server(published):
    """The site on the real published package; the last test of this file stops it."""
    server = Server(published)
    with server:
        yield server


@pytest.fixture(scope="module")
def db(published):
    return json.loads((published / "datapackage.json").read_text(encoding="utf-8"))["name"]


def fetch(url, path, method="GET", timeout=30):
    """Status, lower-cased headers and body, whatever the status."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=b"a=1" if method == "POST" else None,
                     headers={"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def sql(db, query, form=".json"):
    return f"/{db}{form}?sql={urllib.parse.quote(query)}"


def test_security_headers_on_every_answer(server, db):
    answers = [fetch(server.url, path) for path in
               ("/", f"/{db}/victims", f"/{db}/victims.json", "/-/static/app.css", "/downloads/datapackage.json",
                "/nope", f"/{db}/victims?_sort=nope", "/" + "a" * 20000, sql(db, "select 1", ""))]
    answers.append(fetch(server.url, f"/{db}/victims", method="POST"))
    assert {status for status, _, _ in answers} >= {200, 400, 404, 405, 414}
    for status, headers, _ in answers:
        assert SECURITY_HEADERS <= set(headers), status
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "server" not in headers


def test_too_many_sql_queries_are_refused_not_queued(server, db):
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: fetch(server.url, sql(db, SLOW_SQL)), range(12)))
    statuses = [status for status, _, _ in answers]
    assert statuses.count(429) >= 1 and statuses.count(400) >= 1, statuses
    refused = next(headers for status, headers, _ in answers if status == 429)
    assert SECURITY_HEADERS <= set(refused) and "retry-after" in refused


MALFORMED = [
    "/{db}/victims?_sort=nope", "/{db}/victims?_sort_desc=nope", "/{db}/victims?_size=abc",
    "/{db}/victims?_size=-1", "/{db}/victims.json?_size=1.5", "/{db}/victims?_size=100000",
    "/{db}/victims?_facet=nope", "/{db}/victims?_facet_array=nope", "/{db}/victims?_facet_date=nope",
    "/{db}/victims?_facet_size=abc", "/{db}/victims?_next=garbage", "/{db}/victims?_sort=rowid&_next=abc",
    "/{db}/victims?_next=1&_sort_desc=rowid", "/{db}/victims?_search=%22", "/{db}/victims?_searchmode=raw&_search=a%20OR",
    "/{db}/victims?_where=nope", "/{db}/victims?_col=nope", "/{db}/victims?_nocol=nope", "/{db}/victims.json?_shape=nope",
    "/{db}/victims?_through=garbage", '/{db}/victims?_through={"table":"nope","column":"x","value":"1"}',
    "/{db}/victims?_through=1", "/{db}/victims.json?_through=[1]", '/{db}/victims?_through={"table":1,"column":"x","value":"1"}',
    "/{db}/victims?_timelimit=abc", "/{db}/victims?name__in=[", "/{db}/victims?name__nope=1",
    "/{db}/victims?name__gt=99999999999999999999", "/{db}/victims.csv?_timelimit=-1", "/{db}.csv?sql=select%201&_timelimit=-1", "/{db}/victims.json?_where=1&name__lte=99999999999999999999",
    "/{db}/victims?_filter_column_1=name&_filter_op_1=nope&_filter_value_1=x", "/{db}/victims/nope",
    "/{db}/victims/%00", "/{db}/nope", "/nope/victims", "/{db}?sql=nope", "/{db}.json?sql=select%20*%20from%20nope",
    "/{db}?sql=pragma%20table_info(victims)", "/{db}?sql=attach%20'x'%20as%20y", "/{db}?sql=select%201&_timelimit=abc",
    "/downloads/../../etc/passwd", "/downloads/%2e%2e/%2e%2e/etc/passwd", "/-/static-plugins/nope/x", "/-/threads.json",
    "/-/permissions", "/-/allow-debug?actor=%7B&allow=%7B", "/" + "a" * 20000, "/{db}/victims?" + "x=1&" * 5000,
]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_every_write_or_unknown_method_is_refused(server, db, method):
    for path in ("/", f"/{db}", f"/{db}/victims", f"/{db}/victims/-/insert", f"/{db}/person", "/-/messages"):
        assert fetch(server.url, path, method=method)[0] == 405


def test_malformed_requests_are_the_visitors_error_never_the_servers(server, db):
    # Some are answered as if the bad part were absent (200) or redirected (302): never a 5xx.
    statuses = {path[:60]: fetch(server.url, path.replace("{db}", db))[0] for path in MALFORMED}
    assert {path: status for path, status in statuses.items() if status >= 500} == {}
    assert sum(400 <= status < 500 for status in statuses.values()) > len(MALFORMED) * 3 // 4


def test_no_path_or_environment_in_any_answer(server, db, published):
    secrets = {str(published), str(published.resolve()), sys.prefix, sys.base_prefix, sys.executable, str(ROOT),
               os.getcwd(), "site-packages", str(Path.home())} - {"/"}
    tables = [t["name"] for t in json.loads(fetch(server.url, f"/{db}.json")[2])["tables"] if not t["hidden"]]
    paths = ["/", "/.json", f"/{db}", f"/{db}.json", "/-/metadata.json", "/-/versions.json", "/-/plugins.json?all=1",
             "/-/settings.json", "/-/databases.json", "/-/threads.json", "/-/actor.json", "/-/databases", "/-/versions",
             "/nope", f"/{db}/victims?_sort=nope", sql(db, "select * from nope"), sql(db, "select 1", ""),
             f"/{db}/victims?_timelimit=abc", "/_internal", "/_memory", "/-/static-plugins/nope/x",
             sql(db, "select * from pragma_database_list"), sql(db, "select file from pragma_database_list()", ".csv"),
             f"/{db}/victims.json?_where=" + urllib.parse.quote("name in (select file from pragma_database_list)")]
    paths += [f"/{db}/{t}{form}" for t in tables for form in ("", ".json")]
    for path in paths:
        status, _, body = fetch(server.url, path)
        assert status < 500 and [s for s in secrets if s in body.decode("utf-8", "replace")] == [], path


def test_the_database_page_answers_an_empty_query_or_a_where_filter(server, db):
    # Datasette lists the attached databases there, in the lane of visitors' SQL.
    for path in (f"/{db}?sql=", f"/{db}.json?_where=1"):
        assert fetch(server.url, path)[0] == 200, path


def test_memory_and_cpu_bombs_stop_at_once(server, db):
    for query in ABUSIVE_SQL + MORE_BOMBS:
        start = time.monotonic()
        status, _, body = fetch(server.url, sql(db, query))
        assert status in (200, 400) and time.monotonic() - start < 4, (query, status, body[:200])
        assert status == 400 or json.loads(body)["rows"] == [[None]]  # printf's NULL: "result too big"
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    assert peak < 400_000, f"the site peaked at {peak // 1024} MB"  # unbounded, randomblob alone takes 500 MB


def test_inline_scripts_carry_the_nonce_of_their_own_response(server, db):
    # The browser test shows that these scripts run and that no other does.
    victim = json.loads(fetch(server.url, f"/{db}/victims.json?_shape=array&_size=1")[2])[0]["victim_id"]
    nonces = []
    paths = ("/", f"/{db}", f"/{db}/victims", f"/{db}/victims/{victim}", sql(db, "select 1", ""), "/nope")
    for path in [path for path in paths for _ in range(2)]:  # a second time: the page kept, answered again
        _, headers, body = fetch(server.url, path)
        script_src = next(d for d in headers["content-security-policy"].split("; ") if d.startswith("script-src "))
        nonce = re.fullmatch(r"script-src 'self' 'nonce-([\w-]{20,})'", script_src).group(1)  # no 'unsafe-inline'
        inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", body.decode("utf-8"))
        assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline), path
        style_src = next(d for d in headers["content-security-policy"].split("; ") if d.startswith("style-src "))
        assert re.fullmatch(rf"style-src 'self' 'nonce-{nonce}'( 'sha256-[\w+/]+=*')+", style_src), path
        blocks = re.findall(r"<style([^>]*)>", body.decode("utf-8"))
        assert all(f'nonce="{nonce}"' in attributes for attributes in blocks), path
        assert not re.search(r"<[^>]*\sstyle\s*=", body.decode("utf-8")), path  # no style attribute
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", body.decode("utf-8")), path  # no inline event handler
        nonces.append(nonce)
    assert len(set(nonces)) == len(nonces)


def test_pages_keep_answering_while_abusive_sql_runs(server):
    # Every address is new, so each page runs its SQL: no cached answer hides a stall.
    results = run(server.url, requests=120, clients=8, abusers=6, limit=20, fresh=True)
    assert results.errors == []
    assert results.abusive.get(400, 0) >= 1  # abusive queries were running, and were stopped
    assert percentile(results.normal, 50) < 0.5, results.latencies


def test_the_log_records_no_visitor(server, db):
    """Runs last: stops the server to read everything it logged."""
    for path in (f"/{db}/victims?_search={MARKER}", sql(db, f"select '{MARKER}' from nope"), f"/{MARKER}"):
        fetch(server.url, path)
    log = server.stop()
    assert MARKER not in log and not re.search(r"\d+\.\d+\.\d+\.\d+:\d+ - ", log)  # no access-log line
