"""The release descriptor and the zip a consumer downloads.

The creation date comes from the last commit (or, outside git, the latest
date in the data), never from the clock, so that two publishes of the same
input give the same bytes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq

from datapackage.publish import deflate
from datapackage.package import Package, Resource
from datapackage.properties import published
from datapackage.publish.release_documents import DICTIONARY
from datapackage.read.stored import StoredTable
from datapackage.read.table import WRITTEN_DIALECT

# The Data Resource properties that describe a resource rather than its file.
ABOUT = ("title", "description", "homepage", "sources", "licenses")


def created(package: Package, tables: dict[str, StoredTable]) -> str:
    # Only the PATH that finds the user's git: no HOME (their settings, such as
    # log.showSignature, would change what it prints) and no GIT_ variables
    # (a hook's could name another repository).
    env = {"TZ": "UTC", "PATH": os.environ.get("PATH", os.defpath)}
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ"],
                               cwd=package.root, capture_output=True, text=True, env=env).stdout.strip()
    except OSError:
        stamp = ""
    if stamp:
        return stamp
    days = [tables[r.name].whole({s["name"]}).frame[s["name"] + "_to"].max() for r in package.resources
            for s in r.fields if s.get("partialDate") and r.name in tables]
    latest = max((d for d in days if d is not None), default=None)
    return f"{latest}T00:00:00Z" if latest is not None else "1980-01-01T00:00:00Z"


def file_facts(path: Path) -> dict:
    with open(path, "rb") as file:  # in pieces: a table's CSV can be gigabytes
        digest = hashlib.file_digest(file, "sha256")
    return {"bytes": path.stat().st_size, "hash": "sha256:" + digest.hexdigest()}


def descriptor(package: Package, out: Path, stamp: str) -> dict:
    release = {k: v for k, v in package.descriptor.items() if k != "resources"}
    release["created"] = stamp
    about = [_about(item) for item in package.descriptor["resources"]]
    resources = []
    for resource, told in zip(package.resources, about):
        csv_path = f"csv/{Path(resource.path).name}"
        resources.append({"name": resource.name, **told, "path": csv_path, "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "dialect": dict(WRITTEN_DIALECT), "schema": _csv_schema(resource),
                          **file_facts(out / csv_path)})
    for resource, told in zip(package.resources, about):
        parquet_path = f"parquet/{resource.name}.parquet"
        # A file resource: Frictionless reads Parquet through pandas (nulls
        # become NaN, lists fail), so it checks these by bytes and hash; the
        # typed schema and field descriptions are inside each Parquet file
        # and in the data dictionary beside it.
        resources.append({"name": f"{resource.name}-parquet", "type": "file", "path": parquet_path,
                          "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                          "title": f"{told.get('title', resource.name)} (typed Parquet)",
                          "description": _parquet_description(resource, out / parquet_path),
                          **file_facts(out / parquet_path)})
    release["resources"] = resources
    # The package holds only publishable properties already (load_package
    # leaves the others out); what is added here is held to the same list.
    return published(release, "package")[0]


def _parquet_description(resource: Resource, path: Path) -> str:
    derived = [name for name in pq.read_schema(path).names if resource.field(name) is None]
    added = f", plus {', '.join(derived)}" if derived else ""
    return (f"{resource.name} as typed Parquet (zstd): the columns of the CSV{added}. "
            f"Every column, with its type and description, is in {DICTIONARY}.")


def _about(item: dict) -> dict:
    """What the package says about a resource, beyond where and how it is stored."""
    return {key: item[key] for key in ABOUT if key in item}


def _csv_schema(resource: Resource) -> dict:
    schema = copy.deepcopy(resource.schema)
    schema.pop("description", None)
    return schema


def write_json(path: Path, value: dict) -> None:
    # Strict JSON: an infinity or NaN (which Python's json writes as bare
    # Infinity or NaN, and no other reader accepts) is a bug to report, not a file to ship.
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")


STORED = {".parquet", ".png", ".zip"}


def write_zip(path: Path, root: Path, stamp: str, last: Path | None = None, ready=lambda: None) -> str | None:
    """Same files, same bytes: sorted entries, fixed times and permissions.
    `last`, when given, is written after all the others, once `ready()` has
    returned (so the zip can be written while that file is still being made);
    its SHA-256, taken as it is read for the zip, is returned."""
    when = tuple(int(x) for x in (stamp[:4], stamp[5:7], stamp[8:10], stamp[11:13], stamp[14:16], stamp[17:19]))
    with zipfile.ZipFile(path, "w") as archive, deflate.pool() as pool, deflate.checksums():
        for file in sorted(p for p in root.rglob("*") if p.is_file() and p not in (path, last)):
            _add(archive, file, f"{path.stem}/{file.relative_to(root).as_posix()}", when, pool)
        ready()
        if last is None:
            return None
        digest = hashlib.sha256()
        with ThreadPoolExecutor(1, thread_name_prefix="hash") as hashing:
            _add(archive, last, f"{path.stem}/{last.relative_to(root).as_posix()}", when, pool,
                 lambda file: _Hashed(file, digest, hashing))
        return digest.hexdigest()


class _Hashed:
    """A file whose pieces are hashed, in order, on a thread of their own as
    they are read, beside the checksum and the deflating (the hash lets go of
    the interpreter's lock), so that nothing reads the database a second time
    to hash it; its cost is in benchmarks/RESULTS.md ("The database's hash")."""

    def __init__(self, file, digest, hashing: ThreadPoolExecutor):
        self.file, self.digest, self.hashing = file, digest, hashing
        self.pending: deque[Future] = deque()

    def read(self, size: int = -1) -> bytes:
        piece = self.file.read(size)
        self.pending.append(self.hashing.submit(self.digest.update, piece))
        while len(self.pending) > 2:  # a few pieces held, however far the hash falls behind
            self.pending.popleft().result()
        return piece


def _add(archive: zipfile.ZipFile, file: Path, name: str, when: tuple, pool, reading=lambda file: file) -> None:
    info = zipfile.ZipInfo(name, date_time=max(when, (1980, 1, 1, 0, 0, 0)))
    # Parquet and PNG are compressed already; the rest deflates at a fast level.
    info.compress_type = zipfile.ZIP_STORED if file.suffix in STORED else zipfile.ZIP_DEFLATED
    info._compresslevel = deflate.LEVEL  # (named compress_level from Python 3.13)
    info.external_attr = 0o644 << 16
    large = file.stat().st_size >= zipfile.ZIP64_LIMIT  # a streamed entry must say so up front
    with open(file, "rb") as source, archive.open(info, "w", force_zip64=large) as target:
        if info.compress_type == zipfile.ZIP_DEFLATED:
            # A raw deflate stream as zipfile would write, from zlib-ng on every
            # core: the database is deflated last, while the whole release waits.
            target._compressor = deflate.Deflate(pool)
        shutil.copyfileobj(reading(source), target, deflate.PIECE)
