"""Edits to a package's CSVs and schemas, and temporary git repositories
holding a package and the scripts, for the tests of diff, check-pr and the
documented commands."""

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Tests write cells longer than the csv module's default limit (131,072).
csv.field_size_limit(sys.maxsize)

# Fixed identity and no user or system configuration: commits work on any machine.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def init(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def borrowed_venv(repo: Path) -> None:
    """A .venv that runs this interpreter, stamped as up to date so that
    scripts/env.sh installs nothing (no network in tests)."""
    bin_ = repo / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name, command in (("python", f'"{sys.executable}"'), ("datapackage", f'"{sys.executable}" -m datapackage')):
        (bin_ / name).write_text(f'#!/bin/sh\nexec {command} "$@"\n', encoding="utf-8")
        (bin_ / name).chmod(0o755)
    stamp = hashlib.sha256((repo / "pyproject.toml").read_bytes() + (repo / "requirements.lock").read_bytes())
    (repo / ".venv" / ".installed").write_text(stamp.hexdigest() + "\n", encoding="utf-8")


def with_scripts(repo: Path, root: Path) -> Path:
    """The scripts and the files that pin the environment, copied into `repo`."""
    shutil.copytree(root / "scripts", repo / "scripts")
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy(root / name, repo / name)
    (repo / ".gitignore").write_text(".venv/\ndist/\n", encoding="utf-8")
    return repo


def _read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(package: Path, resource: str, key: str, column: str, value: str) -> None:
    """Set one cell of the row whose first cell is `key`."""
    path = package / "seeds" / f"{resource}.csv"
    rows = _read(path)
    index = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == key:
            row[index] = value
    _write(path, rows)


def remove_row(package: Path, resource: str, key: str) -> None:
    path = package / "seeds" / f"{resource}.csv"
    _write(path, [row for row in _read(path) if row[0] != key])


def append_row(package: Path, resource: str, row: list[str]) -> None:
    path = package / "seeds" / f"{resource}.csv"
    _write(path, _read(path) + [row])


def add_enum_value(package: Path, resource: str, field: str, value: str, label: str) -> None:
    """Append an allowed value, with its category (validation wants both)."""
    path = package / "schemas" / f"{resource}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    spec = next(f for f in schema["fields"] if f["name"] == field)
    spec["constraints"]["enum"].append(value)
    if "categories" in spec:
        spec["categories"].append({"value": value, "label": label})
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False), encoding="utf-8")
