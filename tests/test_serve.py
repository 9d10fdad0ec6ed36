"""`datapackage serve` follows a republish without a restart, whether `dist` is
a symlink to a release folder or a folder replaced by rename; `--allow-robots`
lets robots in and leaves no temporary file."""

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.request

import pytest

from conftest import FIXTURES, ROOT, copy_package, run

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import Server  # noqa: E402

MARKER = "Republished0marker"


def changed_copy(package):
    """The package with the first victim's account replaced by MARKER."""
    path = package / "seeds" / "victims.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0]["what_happened"] = MARKER
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows[0]["victim_id"]


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two releases published side by side: the small package and a changed
    copy; the changed copy's package comes first."""
    root = tmp_path_factory.mktemp("serve")
    packages = []
    for name in ("a", "b"):
        (root / name).mkdir()
        packages.append(copy_package(root / name, FIXTURES / "small"))
    victim = changed_copy(packages[1])
    runs = [subprocess.Popen([sys.executable, "-m", "datapackage", "publish", "--out", str(root / f"release-{p.name}")],
                             cwd=p, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in packages]
    for process in runs:
        assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    return packages[1], root / "release-a", root / "release-b", victim


def account(url, database, victim):
    with urllib.request.urlopen(f"{url}/{database}/victims/{victim}.json?_shape=array", timeout=30) as response:
        return json.loads(response.read())[0]["what_happened"]


def download(url):
    with urllib.request.urlopen(f"{url}/downloads/datapackage.json", timeout=30) as response:
        return response.read()


def replace_by_rename(dist, release, scratch):
    """A copy of `release` renamed into place where the `dist` symlink was:
    `dist` is a plain folder from then on, as publish wrote it before symlinks."""
    building = scratch / "building"
    shutil.copytree(release, building)
    dist.unlink()
    building.rename(dist)


def test_serve_follows_each_republish_without_a_restart(releases, tmp_path):
    changed, first, second, victim = releases
    database = json.loads((first / "datapackage.json").read_text(encoding="utf-8"))["name"]
    dist, scratch = tmp_path / "dist", tmp_path / "tmp"
    dist.symlink_to(first)
    scratch.mkdir()
    # One server for both checks: a start takes seconds.
    server = Server(dist, "--allow-robots", env={**os.environ, "TMPDIR": str(scratch)})
    with server as url:
        before = account(url, database, victim)
        assert before != MARKER

        link = tmp_path / "dist.new"
        link.symlink_to(second)
        os.replace(link, dist)  # the symlink moved atomically to the new release
        assert account(url, database, victim) == MARKER
        assert download(url) == (second / "datapackage.json").read_bytes()

        replace_by_rename(dist, first, tmp_path)  # now a plain folder
        assert account(url, database, victim) == before
        assert download(url) == (first / "datapackage.json").read_bytes()

        result = run("publish", "--out", str(dist), cwd=changed)  # the real publish, over the served folder
        assert result.returncode == 0, result.stderr
        assert account(url, database, victim) == MARKER

        robots = urllib.request.urlopen(f"{url}/robots.txt", timeout=30).read().decode()
    assert "Allow: /" in robots and "Disallow: /" not in robots  # --allow-robots, after a republish too
    assert list(scratch.iterdir()) == []  # no temporary file left


def test_serve_without_a_release_is_a_clear_error(tmp_path):
    result = run("serve", "--dist", str(tmp_path / "nothing"), cwd=tmp_path)
    assert result.returncode == 2
    assert "no published release here" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("damage", ["database cut short", "no database", "settings cut short", "settings a list"])
def test_serve_of_a_damaged_release_is_a_clear_error(small_release, tmp_path, damage):
    """One line and exit 2, before the site starts (its workers failed one
    after the other, each with a traceback)."""
    dist = tmp_path / "dist"
    shutil.copytree(small_release.folder, dist)
    database, settings = dist / f"{small_release.name}.db", dist / "metadata.json"
    if damage == "database cut short":
        with open(database, "r+b") as file:
            file.truncate(database.stat().st_size // 2)
    elif damage == "no database":
        database.write_bytes(b"not a database" * 100)
    else:
        settings.write_text(settings.read_text(encoding="utf-8")[:50] if damage == "settings cut short" else "[]")
    result = run("serve", "--dist", str(dist), "--port", "1", cwd=tmp_path)
    assert result.returncode == 2
    damaged = database if "database" in damage else settings
    assert result.stderr.startswith(f"Error: {damaged}: the ") and result.stderr.count("\n") == 1
    assert "publish the release again" in result.stderr and "Traceback" not in result.stderr


def test_the_site_shows_the_database_hash_that_publishing_recorded(releases, tmp_path):
    from conftest import serving
    from datapackage.publish.release_folder import hash_name

    release = releases[1]
    database = next(release.glob("*.db"))
    recorded = (release / hash_name(database)).read_text(encoding="utf-8")
    assert recorded == f"{hashlib.sha256(database.read_bytes()).hexdigest()}  {database.name}\n"
    dist = tmp_path / "dist"
    shutil.copytree(release, dist)
    # A hash no one could compute from the file: the site must show the recorded one, not read gigabytes for it.
    (dist / hash_name(database)).write_text(f"{'0' * 64}  {database.name}\n", encoding="utf-8")
    with serving(dist) as url:
        assert databases(url)[database.stem]["hash"] == "0" * 64
        with urllib.request.urlopen(f"{url}/{database.name}", timeout=30) as response:
            assert response.headers["ETag"] == f'"{"0" * 64}"'
    (dist / hash_name(database)).unlink()  # a release published before hashes were recorded
    with serving(dist) as url:
        assert databases(url)[database.stem]["hash"] is None
        with urllib.request.urlopen(f"{url}/", timeout=30) as response:
            assert response.status == 200


def databases(url):
    with urllib.request.urlopen(f"{url}/.json", timeout=30) as response:
        return json.loads(response.read())
