"""The site served by several worker processes, each on a socket of its own.

A first render is Python work on the one thread that runs a worker's event
loop, and under load that thread is the bottleneck: a second process renders
while the first does, and the pages one renders the other replays
(`shared_pages`). Every worker listens on a socket of its own bound to the same
port (SO_REUSEPORT), and the kernel spreads new connections over them. With
one socket shared by all workers (uvicorn's own way), whichever woke first
took a whole burst of connections: the load test's 26 clients split 19 to 7.

The starting process makes the sockets, starts one `python -m
datapackage.site.serve_workers FD` per socket, restarts a worker that dies (at
most RESTARTS within RESTART_WINDOW seconds), and on SIGTERM, SIGINT or SIGHUP stops them all and
removes the shared pages' folder. A worker ends with it even when it is
killed outright (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from datapackage import cores
from datapackage.site.shared_pages import SharedPages

MAX_WORKERS = 2
SETTINGS = "DATAPACKAGE_SERVE_WORKER"  # what each worker serves, as JSON
RESTARTS = 5  # at most this many workers replaced within RESTART_WINDOW seconds
RESTART_WINDOW = 60.0
PR_SET_PDEATHSIG = 1
STOP_WAIT = 10.0


def default_workers() -> int:
    """One worker per core, at most MAX_WORKERS: more would mostly share
    the same two lanes for visitors' SQL (`guard_sql`)."""
    return max(1, min(MAX_WORKERS, cores.usable()))


def workers_here() -> int:
    """How many worker processes serve the site this process belongs to."""
    settings = os.environ.get(SETTINGS)
    return json.loads(settings)["workers"] if settings else 1


def address_of(host: str, port: int) -> tuple:
    """The address to bind, checked free: a plain bind fails when anything
    listens there, an older site of ours with SO_REUSEPORT included, which
    the workers' own sockets would otherwise share the port with."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         proto=socket.IPPROTO_TCP)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
        if port == 0:  # a free port chosen by the system, then kept for every worker
            address = probe.getsockname()
    return family, kind, proto, address


def cannot_listen(host: str, port: int, error: OSError) -> str:
    return f"Error: cannot listen on {host}:{port} ({error.strerror or error})"


def worker_socket(family: int, kind: int, proto: int, address: tuple) -> socket.socket:
    """A listening socket of one worker. Made as a TCP socket by name, so
    that asyncio turns Nagle's algorithm off on its connections (an answer
    sent in two writes would otherwise wait 40 ms for the client's delayed
    acknowledgement); listening at once, so that connections wait for a
    worker that is still starting rather than being refused."""
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(2048)
    return sock


def supervise(dist: Path, host: str, port: int, allow_robots: bool, workers: int) -> int:
    """Runs `workers` worker processes until told to stop; the exit code."""
    try:
        where = address_of(host, port)
    except OSError as error:
        print(cannot_listen(host, port, error), file=sys.stderr)
        return 2
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda *_: stop.set())
    with _shared_pages() as pages:
        env = {**os.environ, SETTINGS: json.dumps({
            "dist": str(dist), "allow_robots": allow_robots, "pages": pages, "workers": workers,
            "parent": os.getpid()})}
        running = [_start(where, env) for _ in range(workers)]
        ended: deque[float] = deque(maxlen=RESTARTS + 1)  # when workers ended, the latest last
        code = 0
        while not stop.wait(0.5):
            for number, process in enumerate(running):
                if process.poll() is not None:
                    ended.append(time.monotonic())
                    code = _restart(running, number, where, env, ended)
                    if code:
                        stop.set()
                        break
        _stop(running)
    return code


def _restart(running: list[subprocess.Popen], number: int, where: tuple, env: dict, ended: deque) -> int:
    """Replaces the worker that ended; 1 (and the reason said) when workers
    keep ending, or a new one cannot listen: restarting would only loop."""
    process = running[number]
    if len(ended) > RESTARTS and ended[-1] - ended[0] < RESTART_WINDOW:
        print(f"Error: workers ended {len(ended)} times within {RESTART_WINDOW:.0f} s (the last with exit code "
              f"{process.returncode}); the site stops", file=sys.stderr)
        return 1
    try:
        running[number] = _start(where, env)
    except OSError as error:
        print(cannot_listen(where[3][0], where[3][1], error), file=sys.stderr)
        return 1
    return 0


@contextmanager
def _shared_pages() -> Iterator[str | None]:
    """The folder of the pages the workers share, removed at the end; None
    when no temporary folder can be made (each worker then keeps its own)."""
    try:
        folder = tempfile.TemporaryDirectory(prefix="datapackage-pages-")
        SharedPages.create(Path(folder.name))
    except (OSError, sqlite3.Error) as error:
        print(f"Warning: the workers will not share their pages ({error})", file=sys.stderr)
        yield None
        return
    with folder:
        yield folder.name


def _start(where: tuple, env: dict) -> subprocess.Popen:
    sock = worker_socket(*where)
    try:
        return subprocess.Popen([sys.executable, "-m", "datapackage.site.serve_workers", str(sock.fileno())],
                                pass_fds=[sock.fileno()], env=env)
    finally:
        sock.close()  # the worker holds it now: if the worker ends, so does its socket and its share


def _stop(running: list[subprocess.Popen]) -> None:
    for process in running:
        if process.poll() is None:
            process.terminate()
    for process in running:
        try:
            process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _end_with(parent: int) -> None:
    # The starting process killed outright (SIGKILL) cannot stop its workers,
    # which would keep serving the port: Linux sends them SIGTERM when it ends.
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it ended before the line above
        sys.exit(0)


def worker(fd: int) -> None:
    import uvicorn

    from datapackage.site.serve import NothingToServe, application, uvicorn_settings

    settings = json.loads(os.environ[SETTINGS])
    _end_with(settings["parent"])
    sock = socket.socket(fileno=fd)
    try:
        shared = Path(settings["pages"]) if settings["pages"] else None
        app = application(Path(settings["dist"]), settings["allow_robots"], shared)
    except NothingToServe as error:
        sys.exit(f"Error: {error}")
    uvicorn.Server(uvicorn.Config(app, **uvicorn_settings())).run(sockets=[sock])


if __name__ == "__main__":
    worker(int(sys.argv[1]))
