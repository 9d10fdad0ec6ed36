"""Publishing swaps a complete release in atomically, cleans up after killed
runs, and reports an output folder it cannot write as one message, exit 2.

The kill test runs this file as a script: a server process that imports
the toolkit and publishes once (imports and first use take about 1.5 s of
the 2 s the command takes on the small package), then forks a fresh
`datapackage publish` for each attempt and SIGKILLs it at the delay it is
given. The kill points are thus spread over the publish's own work, and 30
kills take about 15 publish durations.
"""

import errno
import gc
import hashlib
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, copy_package, run

KILLS = 30  # stratified over a publish: enough to land in every stage, and a test run under 5 minutes


def small_package_in(folder: Path) -> Path:
    folder.mkdir()
    return copy_package(folder, FIXTURES / "small")


def release_problems(dist: Path) -> list[str]:
    """What is wrong with the release `dist` points to right now; [] when it
    is complete and every file listed in its descriptor has its hash."""
    target = os.readlink(dist)  # FileNotFoundError when dist is missing
    folder = dist.parent / target
    try:
        release = json.loads((folder / "datapackage.json").read_bytes())
        problems = [f"{target}/{r['path']}: wrong hash" for r in release["resources"]
                    if "sha256:" + hashlib.sha256((folder / r["path"]).read_bytes()).hexdigest() != r["hash"]]
        if not (folder / f"{release['name']}-{release['version']}.zip").is_file():
            problems.append(f"{target}: no zip")
    except (OSError, ValueError) as error:
        problems = [f"{target}: {error}"]
    # A release replaced meanwhile may be removed under the reader: only the
    # one still current counts.
    return problems if os.readlink(dist) == target else []


class Watcher(threading.Thread):
    """Checks `dist` over and over until stopped; records every problem.
    That `dist` exists is checked every 2 ms; the hashes, which cost more
    and would slow the publishes on a small machine, every 25th time."""

    def __init__(self, dist: Path):
        super().__init__(daemon=True)
        self.dist, self.checks, self.problems, self.stop = dist, 0, [], threading.Event()

    def run(self):
        looks = 0
        while not self.stop.is_set():
            try:
                (self.dist / "datapackage.json").stat()
                if looks % 25 == 0:
                    self.problems += release_problems(self.dist)
                    self.checks += 1
            except OSError as error:
                self.problems.append(f"dist unreadable: {error}")
            looks += 1
            time.sleep(0.002)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.join()


class PublishServer:
    """This file run as a script (see `serve` below), over a pipe."""

    def __init__(self, package: Path):
        self.process = subprocess.Popen([sys.executable, __file__, str(package)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def publish(self, kill_after: float | None = None) -> tuple[str, float]:
        """('killed' or the exit code, seconds the publish ran)."""
        self.process.stdin.write(f"{-1 if kill_after is None else kill_after}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "publish server died: " + self.process.stderr.read()
        outcome, seconds = line.split()
        return outcome, float(seconds)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def serve(package: Path) -> None:
    """Publishes `package` to its dist once per line read; a line is the
    delay after which to SIGKILL that publish (negative: never)."""
    os.chdir(package)
    from datapackage.cli import cli
    import datapackage.publish.build  # noqa: F401  (imported, never run: the column engine's
    # thread pools start on first use and do not survive a fork, so each publish
    # starts them in its own child)
    for line in sys.stdin:
        delay, start = float(line), time.monotonic()
        child = os.fork()
        if child == 0:
            _publish_and_exit(cli)
        handle = os.pidfd_open(child)
        finished, _, _ = select.select([handle], [], [], delay if delay >= 0 else 120)
        if not finished:
            signal.pidfd_send_signal(handle, signal.SIGKILL)
        status = os.waitpid(child, 0)[1]
        os.close(handle)
        outcome = "killed" if os.WIFSIGNALED(status) else str(os.waitstatus_to_exitcode(status))
        print(outcome, round(time.monotonic() - start, 4), flush=True)


def _publish_and_exit(cli) -> None:
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    try:
        cli.main(["publish", "--out", "dist"])
    except SystemExit as done:
        os._exit(done.code if isinstance(done.code, int) else 1)
    os._exit(0)


def test_dist_is_always_a_complete_release_while_publishes_are_killed(tmp_path):
    package = small_package_in(tmp_path / "package")
    dist = package / "dist"
    server = PublishServer(package)
    try:
        outcome, duration = server.publish()
        assert outcome == "0"
        killed, left_building, attempts = 0, 0, 0
        with Watcher(dist) as watcher:
            while killed < KILLS and attempts < 3 * KILLS:
                # Stratified: attempt i is killed somewhere in the i-th
                # KILLS-th part of a publish's duration.
                outcome, seconds = server.publish(duration * ((attempts % KILLS) + random.random()) / KILLS)
                attempts += 1
                if outcome == "killed":
                    killed += 1
                    left_building += any(package.glob(".dist.building-*"))
                    assert release_problems(dist) == []
                else:
                    assert outcome == "0"
                    duration = seconds  # the machine's load changes: follow it
        assert watcher.problems == []
        assert killed == KILLS
        assert watcher.checks > KILLS
        assert left_building > 0, "no kill landed while a release was being built"
        assert server.publish()[0] == "0"
    finally:
        server.close()
    assert release_problems(dist) == []
    assert not list(package.glob(".dist.building-*")) and not list(package.glob(".dist.link-*"))
    assert len(list((package / ".dist.releases").iterdir())) == 2


def publish_in_process(package: Path, out: Path) -> Path:
    from datapackage.publish.build import publish
    publish(package / "datapackage.json", out)
    return Path(os.path.realpath(out))


def test_the_previous_release_is_kept_until_the_next_publish_and_leftovers_go(small_package):
    dist, releases = small_package / "dist", small_package / ".dist.releases"
    first = publish_in_process(small_package, dist)
    # What killed runs leave: a half-built folder, a temporary link, and a
    # release moved in but never linked.
    (small_package / ".dist.building-99999").mkdir()
    (small_package / ".dist.building-99999" / "half.parquet").write_bytes(b"PAR1")
    (small_package / ".dist.link-99999").symlink_to(".dist.releases/never-finished")
    (releases / "never-finished").mkdir()
    second = publish_in_process(small_package, dist)
    assert dist.is_symlink() and {first, second} == set(releases.iterdir())
    assert sorted(p.name for p in small_package.iterdir()) == [".dist.releases", "datapackage.json", "dist",
                                                               "schemas", "seeds"]
    assert release_problems(dist) == []


def test_a_plain_dist_folder_is_replaced_without_a_moment_missing(small_package):
    dist = small_package / "dist"
    (dist / "csv").mkdir(parents=True)
    (dist / "datapackage.json").write_text('{"name": "tartar-case", "resources": []}', encoding="utf-8")
    (dist / "csv" / "victims.csv").write_text("victim_id\n", encoding="utf-8")
    old = {p.relative_to(dist): p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    gaps = []
    watching = threading.Event()

    def watch():
        while not watching.is_set():
            if not dist.exists():
                gaps.append(time.monotonic())
            time.sleep(0.0005)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        current = publish_in_process(small_package, dist)
    finally:
        watching.set()
        watcher.join()
    assert gaps == [] and dist.is_symlink() and release_problems(dist) == []
    kept = [p for p in (small_package / ".dist.releases").iterdir() if p != current]
    assert len(kept) == 1
    assert {p.relative_to(kept[0]): p.read_bytes() for p in kept[0].rglob("*") if p.is_file()} == old


def cli_publish(package: Path, out: Path):
    from datapackage.cli import cli
    return CliRunner().invoke(cli, ["publish", str(package / "datapackage.json"), "--out", str(out)])


def assert_one_clear_message(result, *words):
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_a_file_where_a_folder_should_be_is_one_message(small_package):
    (small_package / "notes.txt").write_text("not a folder\n")
    result = cli_publish(small_package, small_package / "notes.txt" / "dist")
    assert_one_clear_message(result, "notes.txt is a file, not a folder")


@pytest.mark.parametrize("target, words", [
    (".", "the package's own folder"),
    ("schemas", "holds no published release"),
])
def test_a_folder_that_is_not_a_release_is_never_replaced(small_package, target, words):
    before = sorted(p.relative_to(small_package) for p in small_package.rglob("*"))
    assert_one_clear_message(cli_publish(small_package, small_package / target), words)
    assert sorted(p.relative_to(small_package) for p in small_package.rglob("*")) == before


@pytest.mark.parametrize("target", [".", "seeds"])
def test_a_link_to_a_folder_that_is_not_a_release_is_never_replaced(small_package, tmp_path, target):
    link = tmp_path / "out"
    link.symlink_to(small_package / target)
    before = sorted(p.relative_to(small_package) for p in small_package.rglob("*"))
    assert_one_clear_message(cli_publish(small_package, link), "not to a release published there")
    assert os.readlink(link) == str(small_package / target)
    assert sorted(p.relative_to(small_package) for p in small_package.rglob("*")) == before


def run_unprivileged(package: Path, *args) -> subprocess.CompletedProcess:
    """Root writes through any permission bits: as root the command runs
    without the capabilities that override them."""
    if os.geteuid() != 0:
        return run(*args, cwd=package)
    return subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", sys.executable,
                           "-m", "datapackage", *args], cwd=package, capture_output=True, text=True)


def test_an_unwritable_output_folder_is_one_message_and_dist_is_unchanged(small_package, tmp_path):
    locked = tmp_path / "locked"
    before = publish_in_process(small_package, locked / "dist")
    locked.chmod(0o555)
    try:
        result = run_unprivileged(small_package, "publish", "--out", str(locked / "dist"))
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines() == [f"Error: {locked / 'dist'}: not published, permission denied "
                                          f"({locked / 'dist'} is unchanged)"]
    assert Path(os.path.realpath(locked / "dist")) == before and release_problems(locked / "dist") == []


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB tmpfs, mounted for the test (root, or sudo without a password)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    options = f"size=2m,uid={os.getuid()},gid={os.getgid()},mode=0755"
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    mounted = subprocess.run([*sudo, "mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        gc.collect()  # a failed publish's SQLite connection, still open in a traceback
        subprocess.run([*sudo, "umount", str(mount_point)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Fills the disk but for about `leave` bytes."""
    stats = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(stats.f_bavail * stats.f_frsize - leave, 0))
    return filler


def test_a_full_disk_is_one_message_and_dist_is_unchanged(small_package, small_disk):
    dist = small_disk / "dist"
    before = publish_in_process(small_package, dist)
    # Little room fails in the Parquet writer, more in the copies, more
    # still in SQLite: each must end the same way.
    for leave in (4096, 64 * 1024, 160 * 1024):
        filler = fill(small_disk, leave)
        result = cli_publish(small_package, dist)
        assert_one_clear_message(result, "no space left on the device", "is unchanged")
        assert Path(os.path.realpath(dist)) == before and release_problems(dist) == []
        assert not list(small_disk.glob(".dist.building-*")) and not list(small_disk.glob(".dist.store-*"))
        filler.unlink()


def test_a_full_disk_under_the_bulk_writer_is_an_os_error(small_disk):
    from datapackage.publish.bulk import append
    path = small_disk / "rows.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table t (a text)")
    conn.close()
    fill(small_disk, 16 * 1024)
    with pytest.raises(OSError) as raised:
        append(path, "t", pa.table({"a": ["x" * 1000] * 1000}))
    assert raised.value.errno == errno.ENOSPC


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
