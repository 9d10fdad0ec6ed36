"""One version of the package, read for comparing: its descriptor, schemas and
every resource's rows as text, from a directory or from a git revision of the
repository containing the current directory."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from datapackage.read.encoding import utf8_problem

DESCRIPTOR = "datapackage.json"
WORKING_TREE = "working-tree"
DIRECTORY = "directory"
REVISION = "revision"


class SnapshotError(Exception):
    """A revision or path cannot be read."""


@dataclass(frozen=True)
class Origin:
    """Where one version's files come from."""

    label: str  # as the user wrote it
    kind: str  # WORKING_TREE, DIRECTORY or REVISION
    directory: Path | None = None
    commit: str | None = None

    def name(self, relative: str) -> str:
        """A file as an error names it: a path on disk, or REV:path as git writes it."""
        if self.directory is not None:
            return str(self.directory / relative) if self.kind == DIRECTORY else relative
        return f"{self.label}:{relative}"

    def read(self, relative: str) -> bytes | None:
        """The file's bytes, or None when there is no such file."""
        if self.directory is None:
            result = _git("cat-file", "blob", f"{self.commit}:./{relative}")
            return result.stdout if result.returncode == 0 else None
        try:
            return (self.directory / relative).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        except OSError as error:
            raise SnapshotError(f"{self.name(relative)}: cannot be read ({error.strerror})")


@dataclass(frozen=True, slots=True)  # millions of them in a large diff
class Row:
    line: int  # physical line where the record starts; the header is line 1
    record: list[str]  # the cells as read, before they are named
    header: list[str]  # the table's, shared by its rows

    @property
    def cells(self) -> dict[str, str]:
        """Column -> text, in header order; a missing cell is "". Built only
        for the rows a diff reports: a dict per row is most of the memory of
        a large table."""
        record = self.record
        return {column: record[i] if i < len(record) else "" for i, column in enumerate(self.header)}


@dataclass(frozen=True)
class Records:
    """A resource's file as rows of text."""
    header: list[str]
    rows: list[Row]


@dataclass(frozen=True)
class Table:
    """A resource's descriptor entry. Its file is read when compared, one
    resource at a time, and parsed only when the two sides' bytes differ:
    neither side of a large package is held whole."""
    name: str
    path: str
    schema: dict
    origin: Origin

    def read(self) -> bytes:
        """The file's bytes, checked to be UTF-8."""
        return _utf8(self.origin, self.path, f" ({DESCRIPTOR} lists it as resource '{self.name}')")

    def records(self, data: bytes) -> Records:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        with _cells_of_any_length():
            return Records(*_rows(self.origin, self.path, reader))


@dataclass(frozen=True)
class Snapshot:
    origin: Origin
    tables: dict[str, Table]  # in descriptor order


def open_origin(spec: str | None) -> Origin:
    """A package directory (one holding datapackage.json), else a git revision;
    no spec means the package in the current directory as it is on disk."""
    if spec is None:
        if not Path(DESCRIPTOR).is_file():
            raise SnapshotError(f"no {DESCRIPTOR} in the current directory; run this from the package directory")
        return Origin("working tree", WORKING_TREE, directory=Path("."))
    if (Path(spec) / DESCRIPTOR).is_file():
        return Origin(spec, DIRECTORY, directory=Path(spec))
    return Origin(spec, REVISION, commit=_commit(spec))


def _git(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], capture_output=True)
    except FileNotFoundError:
        raise SnapshotError("git is not installed; give two package directories instead of revisions")


def _commit(spec: str) -> str:
    top = _git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise SnapshotError(f"'{spec}' is not a package directory (with a {DESCRIPTOR}), "
                            f"and {Path.cwd()} is not in a git repository")
    # --end-of-options: a spec starting with "-" is a revision name, never an option.
    result = _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
    if result.returncode != 0:
        raise SnapshotError(f"'{spec}' is neither a package directory (with a {DESCRIPTOR}) "
                            f"nor a revision of the git repository at {top.stdout.decode().strip()}")
    return result.stdout.decode().strip()


def load_snapshot(origin: Origin) -> Snapshot:
    descriptor = _read_json(origin, DESCRIPTOR, "; run this from the package directory")
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: expected a JSON object with a 'resources' list")
    tables = [_table(origin, item) for item in descriptor["resources"]]
    return Snapshot(origin, {table.name: table for table in tables})


def _table(origin: Origin, item) -> Table:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: every resource needs a 'path'")
    path = _inside(origin, item["path"])
    name = str(item.get("name", path))
    schema = item.get("schema", {})
    if isinstance(schema, str):
        schema = _read_json(origin, _inside(origin, schema))
    if not isinstance(schema, dict):
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: the schema of resource '{name}' is not a JSON object")
    return Table(name, path, schema, origin)


def _inside(origin: Origin, relative: str) -> str:
    """Descriptor paths stay inside the package: the diff prints what it reads."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or "://" in relative:
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: path '{relative}' must be relative to the package, without '..'")
    return relative


def _text(origin: Origin, relative: str, what: str) -> str:
    return _utf8(origin, relative, what).decode("utf-8-sig")


def _utf8(origin: Origin, relative: str, what: str) -> bytes:
    """The file's bytes, checked to be UTF-8."""
    data = origin.read(relative)
    if data is None:
        raise SnapshotError(f"{origin.name(relative)}: not found{what}")
    problem = utf8_problem(data)
    if problem:
        raise SnapshotError(f"{origin.name(relative)}:{problem.line}:{problem.column}: "
                            f"byte 0x{problem.byte:02x} is not UTF-8")
    return data


def _read_json(origin: Origin, relative: str, what: str = ""):
    try:
        return json.loads(_text(origin, relative, what))
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{origin.name(relative)}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}")


@contextmanager
def _cells_of_any_length():
    """Python's csv module refuses a cell over 131,072 characters, and validation
    accepts longer ones: a diff that stopped there would hide the rest of a change."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _rows(origin: Origin, relative: str, reader) -> tuple[list[str], list[Row]]:
    try:
        header = next(reader, [])
        rows, line = [], reader.line_num + 1
        for record in reader:
            if record:  # a blank line is no row
                rows.append(Row(line, record, header))
            line = reader.line_num + 1
    except csv.Error as error:
        raise SnapshotError(f"{origin.name(relative)}:{reader.line_num}: cannot be read as CSV: {error}")
    return header, rows
