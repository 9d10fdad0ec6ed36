"""The site served by several worker processes (`serve --workers`): a page
rendered by one is replayed by the others, never across a republish; the
visitors' SQL lanes stay a site-wide bound; and the workers end with the
process that started them, however it ends."""

import asyncio
import os
import signal
import socket
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from conftest import FIXTURES, ROOT, copy_package, invoke, run

from datapackage.site.serve import PageCache
from datapackage.site.shared_pages import SharedPages

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import Server  # noqa: E402


class Counting:
    """An ASGI page that says how many times it was rendered."""

    def __init__(self):
        self.renders = 0

    async def __call__(self, scope, receive, send):
        self.renders += 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": f"{scope['path']} render {self.renders}".encode()})


def ask(cache_app, path):
    answer = {}

    async def send(message):
        answer.setdefault("status", message.get("status"))
        if message["type"] == "http.response.body":
            answer["body"] = message["body"]

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"127.0.0.1")], "scheme": "http"}
    asyncio.run(cache_app(scope, None, send))
    return answer["status"], answer["body"]


def test_a_page_rendered_by_one_worker_is_replayed_by_the_other(tmp_path):
    SharedPages.create(tmp_path)
    release = SimpleNamespace(identity=(1, 2, 3))
    first, second = Counting(), Counting()
    one, other = PageCache(release, tmp_path), PageCache(release, tmp_path)
    assert ask(one(first), "/db/victims") == (200, b"/db/victims render 1")
    assert ask(other(second), "/db/victims") == (200, b"/db/victims render 1")  # replayed, with its headers
    assert second.renders == 0
    assert ask(other(second), "/db/deaths") == (200, b"/db/deaths render 1")
    assert ask(one(first), "/db/deaths") == (200, b"/db/deaths render 1") and first.renders == 1


def test_a_republished_release_never_replays_the_pages_of_the_one_before(tmp_path):
    SharedPages.create(tmp_path)
    old, new = SimpleNamespace(identity=(1, 2, 3)), SimpleNamespace(identity=(1, 2, 4))
    stale, current = Counting(), Counting()
    ask(PageCache(old, tmp_path)(stale), "/db/victims")  # a worker still on the old release
    assert ask(PageCache(new, tmp_path)(current), "/db/victims") == (200, b"/db/victims render 1")
    assert current.renders == 1


def test_a_worker_without_the_shared_pages_renders_every_page_itself(tmp_path):
    release, page = SimpleNamespace(identity=(1, 2, 3)), Counting()
    alone = PageCache(release, tmp_path)  # no store was made there
    assert alone.shared is None
    ask(alone(page), "/db/victims")
    assert ask(alone(page), "/db/victims") == (200, b"/db/victims render 1")  # its own pages still kept


def test_the_shared_pages_keep_within_their_limit(tmp_path):
    SharedPages.create(tmp_path)
    shared = SharedPages(tmp_path, limit=250)
    start = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]}
    for n in range(5):
        shared.put(("page", n), start, bytes(100))
    kept = [n for n in range(5) if shared.get(("page", n)) is not None]
    assert kept == [3, 4]  # the oldest went first
    assert shared.get(("page", 4)) == (start, bytes(100))


def test_visitors_sql_lanes_are_shared_out_among_the_workers():
    from datapackage.site.plugins.guard_sql import QUEUE, SLOTS, Lanes

    for processes in (1, 2, 3, 8):
        lanes = Lanes(3, processes)
        try:
            assert 1 <= lanes.lanes and lanes.lanes * processes <= max(SLOTS, processes)
            assert 1 <= lanes.queue and lanes.queue * processes <= max(QUEUE, processes)
        finally:
            lanes.shutdown()
    alone = Lanes(3, 1)
    assert (alone.lanes, alone.queue) == (SLOTS, QUEUE)
    alone.shutdown()


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def replaced(server, before: list[int]) -> list[int]:
    """The live workers, once the first of `before` has been replaced."""
    now = [p for p in children(server.process.pid) if alive(p)]
    return now if before[0] not in now and len(set(now) - set(before)) == 1 else []


def refused(url: str) -> bool:
    host, port = url.rsplit("/", 1)[-1].split(":")
    with socket.socket() as s:
        return s.connect_ex((host, int(port))) != 0


def test_two_workers_serve_and_end_with_the_process_that_started_them(tmp_path):
    package = copy_package(tmp_path, FIXTURES / "small")
    assert invoke("publish", "--out", str(tmp_path / "dist"), cwd=package).returncode == 0
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    server = Server(tmp_path / "dist", "--workers", "2", env=env)
    with server as url:
        workers = [p for p in children(server.process.pid) if alive(p)]
        assert len(workers) == 2
        assert list(scratch.iterdir())  # the shared pages' folder
        os.kill(workers[0], signal.SIGKILL)  # a worker that dies is replaced
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (alive(workers[0]) or len(replaced(server, workers)) < 2):
            time.sleep(0.1)
        workers = replaced(server, workers)
        assert len(workers) == 2
        for _ in range(8):
            assert urllib.request.urlopen(f"{url}/", timeout=30).status == 200
    assert "Traceback" not in server.stop()
    assert list(scratch.iterdir()) == []  # removed with the site
    assert not any(alive(p) for p in workers)

    server = Server(tmp_path / "dist", "--workers", "2", env=env)
    url = server.__enter__()
    workers = [p for p in children(server.process.pid) if alive(p)]
    server.process.send_signal(signal.SIGKILL)  # no time to stop its workers
    server.process.wait()
    deadline = time.monotonic() + 20
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in workers)
    assert refused(url)
    server.stop()


def nodelay_of_accepted(sock: socket.socket) -> int:
    """TCP_NODELAY on a connection that an asyncio server accepted on `sock`."""
    async def main():
        seen = asyncio.get_running_loop().create_future()

        def accepted(reader, writer):
            seen.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(accepted, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        value = await asyncio.wait_for(seen, 10)
        writer.close()
        server.close()
        return value

    return asyncio.run(main())


def test_the_workers_socket_turns_off_nagles_algorithm_on_each_connection():
    # Otherwise an answer sent in two writes waits 40 ms for a delayed acknowledgement.
    from datapackage.site.serve_workers import address_of, worker_socket

    assert nodelay_of_accepted(worker_socket(*address_of("127.0.0.1", 0))) != 0


def test_a_port_already_taken_is_one_clear_error(tmp_path):
    package = copy_package(tmp_path, FIXTURES / "small")
    assert invoke("publish", "--out", str(tmp_path / "dist"), cwd=package).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            result = run("serve", "--dist", str(tmp_path / "dist"), "--port", str(port), "--workers", workers,
                         cwd=tmp_path)
            assert result.returncode == 2, result.stderr
            assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_without_a_temporary_folder_the_workers_serve_unshared(tmp_path, monkeypatch, capsys):
    import tempfile

    from datapackage.site.serve_workers import _shared_pages

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "nowhere"))
    with _shared_pages() as pages:
        assert pages is None  # each worker then keeps its own pages (PageCache without `shared`)
    assert "Warning: the workers will not share their pages" in capsys.readouterr().err
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with _shared_pages() as pages:
        assert (Path(pages) / "pages.sqlite").is_file()
    assert not Path(pages).exists()


def test_workers_that_keep_ending_stop_the_site_with_the_reason(tmp_path):
    package = copy_package(tmp_path, FIXTURES / "small")
    assert invoke("publish", "--out", str(tmp_path / "dist"), cwd=package).returncode == 0
    server = Server(tmp_path / "dist", "--workers", "2")
    with server as url:
        workers = [p for p in children(server.process.pid) if alive(p)]
        (tmp_path / "dist").rename(tmp_path / "gone")  # a new worker finds nothing to serve
        os.kill(workers[0], signal.SIGKILL)
        server.process.wait(timeout=60)
        assert server.process.returncode == 1
        assert refused(url)
    log = server.stop()
    assert "Error: workers ended 6 times within 60 s" in log and "the site stops" in log
    assert "Traceback" not in log
    assert not any(alive(p) for p in workers)
