import contextlib
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import settings

# Random tests draw the same examples on every run, so a red suite is the doing
# of the change under test, never of a new draw; FUZZ_RANDOM=1 draws new ones
# to look for bugs (FUZZ_EXAMPLES=N, where a test reads it, draws more).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("random", derandomize=False)
settings.load_profile("random" if os.environ.get("FUZZ_RANDOM") else "fixed")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_package(target: Path, seeds: Path = ROOT / "seeds") -> Path:
    """A copy of the real package (descriptor, schemas) with the given seeds."""
    shutil.copy(ROOT / "datapackage.json", target / "datapackage.json")
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copytree(seeds, target / "seeds")
    return target


@pytest.fixture
def package(tmp_path) -> Path:
    return copy_package(tmp_path)


@pytest.fixture
def small_package(tmp_path) -> Path:
    return copy_package(tmp_path, FIXTURES / "small")


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "datapackage", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")


def invoke(*args, cwd: Path) -> subprocess.CompletedProcess:
    """The same command in the test's own process, for tests of what it does
    rather than of the process: start-up (imports) was most of their time."""
    from click.testing import CliRunner

    from datapackage.cli import cli  # imported late: the module is under test

    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, list(args), prog_name="datapackage")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # escaped the command's own handling: a process would print a traceback
    return subprocess.CompletedProcess(["datapackage", *args], result.exit_code, result.stdout, result.stderr)


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def resources() -> list[dict]:
    return json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """The real package, published once for the whole session."""
    root = copy_package(tmp_path_factory.mktemp("package"))
    result = run("publish", "--out", "dist", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "dist"


@pytest.fixture(scope="session")
def small_release(tmp_path_factory):
    """The small fixture package, published once, as `datapackage serve` reads it."""
    from datapackage.site.serve import Release

    package = copy_package(tmp_path_factory.mktemp("small-release"), FIXTURES / "small")
    result = invoke("publish", "--out", "dist", cwd=package)
    assert result.returncode == 0, result.stderr
    return Release(package / "dist", allow_robots=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(dist: Path):
    """`datapackage serve` of a published folder on a free 127.0.0.1 port; stopped on exit."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "datapackage", "serve", "--dist", str(dist),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("datasette did not start: " + server.stderr.read().decode())
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a connection kept open delays a graceful stop
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def site(published) -> str:
    """The real package's site, for the whole session."""
    with serving(published) as url:
        yield url


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())
