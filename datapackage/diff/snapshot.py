"""One version of the package, read for comparing: its descriptor, schemas and
every resource's rows as text, from a directory or from a git revision of the
repository containing the current directory."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from datapackage.package import NUL_IN_PATH, SPECIAL, Resource, leaves, read_dialect, special
from datapackage.read.csvfile import Dialect, stripped_labels
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

    def read(self, relative: str, what: str = "") -> bytes | None:
        """The file's bytes, or None when there is no such file. A file that
        leaves the package through a symbolic link is never read: the diff
        prints what it reads, and a link in a pull request could otherwise
        have the CI machine's files printed. `what` says why it is read."""
        if self.directory is None:
            link = self._link_on_the_way(relative)
            if link is not None:
                where = "is" if link == relative else f"is in the folder '{link}', which is"
                raise SnapshotError(f"{self.name(relative)}: {where} a symbolic link in {self.label}{what}; "
                                    "the diff follows no link in a git revision, where one could lead out of "
                                    "the package; expected the file itself")
            result = _git("cat-file", "blob", f"{self.commit}:./{relative}")
            return result.stdout if result.returncode == 0 else None
        if leaves(self.directory, relative):
            raise SnapshotError(f"{self.name(relative)}: leaves the package{what}; "
                                "expected a file inside the package folder, not a link out of it")
        if special(self.directory / relative):
            raise SnapshotError(f"{self.name(relative)}: {SPECIAL}")
        try:
            return (self.directory / relative).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        except OSError as error:
            raise SnapshotError(f"{self.name(relative)}: cannot be read ({error.strerror})")

    def _link_on_the_way(self, relative: str) -> str | None:
        """The first symbolic link on the way to `relative` in the revision
        (the file itself or a folder it is in), None when there is none. Git
        keeps a link as a blob holding its target: `cat-file` would print the
        target as the file, and the target on disk is not the revision's."""
        parts = PurePosixPath(relative).parts
        steps = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        listed = _git("ls-tree", "-z", self.commit, "--", *steps, literal=True)
        if listed.returncode != 0:
            raise SnapshotError(f"{self.name(relative)}: cannot be read: "
                                f"{listed.stderr.decode('utf-8', 'replace').strip()}")
        links = {entry.split(b"\t", 1)[-1].decode("utf-8", "surrogateescape")
                 for entry in listed.stdout.split(b"\0") if entry.startswith(b"120000 ")}
        return next((step for step in steps if step in links), None)


PAST_THE_HEADER = re.compile(r"column \d+, past the header")


@dataclass(frozen=True)
class Columns:
    """How a diff names the cells of a table's rows: each by its column's
    name in the header, and by its position where a name cannot tell it
    apart (a name the header repeats, a cell past the end of the header).
    Every position has a name of its own, so that no cell hides another."""
    names: tuple[str, ...]  # one per column of the header

    @classmethod
    def of(cls, header: list[str]) -> "Columns":
        count = Counter(header)
        names = [name if count[name] == 1 else f"{name} (column {i})" for i, name in enumerate(header, 1)]
        if len(set(names)) < len(names) or any(PAST_THE_HEADER.fullmatch(name) for name in names):
            # A name that reads like one made here: every column by its position.
            names = [f"column {i}: {name}" for i, name in enumerate(header, 1)]
        return cls(tuple(names))

    @staticmethod
    def past(position: int) -> str:
        """The name of a cell past the header, 0-based `position`."""
        return f"column {position + 1}, past the header"


@dataclass(frozen=True, slots=True)  # millions of them in a large diff
class Row:
    line: int  # physical line where the record starts; the header is line 1
    record: list[str]  # the cells as read, before they are named
    columns: Columns  # the table's, shared by its rows

    @property
    def cells(self) -> dict[str, str]:
        """Column -> text, in header order; a missing cell is "", and a cell
        past the header is named by its position when it is not empty.
        Built only for the rows a diff reports: a dict per row is most of
        the memory of a large table."""
        record, names = self.record, self.columns.names
        cells = {name: record[i] if i < len(record) else "" for i, name in enumerate(names)}
        cells.update((Columns.past(i), record[i]) for i in range(len(names), len(record)) if record[i])
        return cells


@dataclass(frozen=True)
class Records:
    """A resource's file as rows of text."""
    header: list[str]
    rows: list[Row]


@dataclass(frozen=True)
class Table:
    """A resource's descriptor entry. Its file is read when compared, one
    resource at a time, and parsed only when the two sides' bytes differ (or
    are read with different dialects): neither side of a large package is
    held whole."""
    name: str
    path: str
    schema: dict
    origin: Origin
    dialect: Dialect = Dialect()
    unreadable: str | None = None  # why its rows cannot be read (a dialect this toolkit does not read)
    occurrence: int = 1  # 2 for the second resource of the descriptor with this name, and so on

    @property
    def identity(self) -> tuple[str, int]:
        """As a snapshot holds it: name and occurrence."""
        return self.name, self.occurrence

    def read(self) -> bytes:
        """The file's bytes, checked to be UTF-8."""
        return _utf8(self.origin, self.path, _listed(self.name, self.occurrence))

    def reads_as(self, other: "Table") -> bool:
        """The same bytes give the same rows on both sides."""
        return (self.dialect, self.unreadable) == (other.dialect, other.unreadable)

    def records(self, data: bytes) -> Records:
        """The rows, read with the resource's dialect as validation reads them."""
        if self.unreadable:
            raise SnapshotError(f"{self.origin.name(DESCRIPTOR)}: {self.unreadable}; "
                                f"the diff cannot read the rows of {self.path}")
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                            delimiter=self.dialect.delimiter, quotechar=self.dialect.quote)
        with _cells_of_any_length():
            return Records(*_rows(self.origin, self.path, reader))


def _listed(name: str, occurrence: int, part: str = "") -> str:
    """Why a file is read, as an error says it."""
    nth = f" (resource {occurrence} with this name)" if occurrence > 1 else ""
    return f" ({DESCRIPTOR} lists it as {part}resource '{name}'{nth})"


@dataclass(frozen=True)
class Snapshot:
    origin: Origin
    tables: dict[tuple[str, int], Table]  # by name and occurrence, in descriptor order


def open_origin(spec: str | None) -> Origin:
    """A package directory (one holding datapackage.json), else a git revision;
    no spec means the package in the current directory as it is on disk."""
    if spec is None:
        if not Path(DESCRIPTOR).is_file():
            raise SnapshotError(f"no {DESCRIPTOR} in the current directory; run this from the package directory")
        return Origin("working tree", WORKING_TREE, directory=Path("."))
    if (Path(spec) / DESCRIPTOR).is_file():
        return Origin(spec, DIRECTORY, directory=Path(spec))
    if special(Path(spec) / DESCRIPTOR):
        raise SnapshotError(f"{Path(spec) / DESCRIPTOR}: {SPECIAL}")
    return Origin(spec, REVISION, commit=_commit(spec))


def _git(*args: str, literal: bool = False) -> subprocess.CompletedProcess:
    """`literal`: paths are paths, never patterns or pathspec magic."""
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1"} if literal else None
    try:
        return subprocess.run(["git", *args], capture_output=True, env=env)
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


def load_snapshot(origin: Origin, name: str = DESCRIPTOR) -> Snapshot:
    """`name`: the descriptor's file name, when validation was given another one."""
    descriptor = _read_json(origin, name, missing="; run this from the package directory")
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: expected a JSON object with a 'resources' list")
    # Two resources of one name are told apart by their order, as two rows of one key are.
    tables, seen = {}, Counter()
    for item in descriptor["resources"]:
        table = _table(origin, item, seen)
        tables[(table.name, table.occurrence)] = table
    return Snapshot(origin, tables)


def _table(origin: Origin, item, seen: Counter) -> Table:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: every resource needs a 'path'")
    path = _inside(origin, item["path"])
    name = str(item.get("name", path))
    seen[name] += 1
    schema = schema_path = item.get("schema", {})
    if isinstance(schema, str):
        schema_path = _inside(origin, schema)
        schema = _read_json(origin, schema_path, _listed(name, seen[name], "the schema of "))
    if not isinstance(schema, dict):
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: the schema of resource '{name}' is not a JSON object")
    if _deeper(schema, SCHEMA_DEPTH):
        where = origin.name(schema_path if isinstance(schema_path, str) else DESCRIPTOR)
        raise SnapshotError(f"{where}: the schema of resource '{name}' is nested more than {SCHEMA_DEPTH} levels "
                            "deep, too deeply to compare; expected a plain Table Schema")
    # The dialect as validation reads it (datapackage/package.py); one it does
    # not read is an error only when the rows are needed.
    dialect, problems = read_dialect(Resource(name, path, None), item.get("dialect"))
    return Table(name, path, schema, origin, dialect, problems[0].message if problems else None, seen[name])


# A schema's values are printed as JSON; Python's indented JSON writer recurses
# twice a level, and a real Table Schema is a few levels deep.
SCHEMA_DEPTH = 100


def _deeper(value, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels in `value`,
    found without recursion."""
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        inner = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for item in inner:
            if isinstance(item, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((item, depth + 1))
    return False


def _inside(origin: Origin, relative: str) -> str:
    """Descriptor paths stay inside the package: the diff prints what it reads.
    What is written here is checked; where a link leads, when the file is read."""
    if "\x00" in relative:
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: path {relative!r} {NUL_IN_PATH}")
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or "\\" in relative or "://" in relative:
        raise SnapshotError(f"{origin.name(DESCRIPTOR)}: path '{relative}' leaves the package; "
                            "expected a relative path inside the package folder, without '..'")
    return str(path)  # "./data.csv" and "data//x.csv" as git reads them


def _text(origin: Origin, relative: str, what: str, missing: str) -> str:
    return _utf8(origin, relative, what, missing).decode("utf-8-sig")


def _utf8(origin: Origin, relative: str, what: str, missing: str = "") -> bytes:
    """The file's bytes, checked to be UTF-8. `what` says why it is read;
    `missing`, what to do when it is not there."""
    data = origin.read(relative, what)
    if data is None:
        raise SnapshotError(f"{origin.name(relative)}: not found{what}{missing}")
    problem = utf8_problem(data)
    if problem:
        raise SnapshotError(f"{origin.name(relative)}:{problem.line}:{problem.column}: "
                            f"byte 0x{problem.byte:02x} is not UTF-8")
    return data


def _read_json(origin: Origin, relative: str, what: str = "", missing: str = ""):
    try:
        return json.loads(_text(origin, relative, what, missing))
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{origin.name(relative)}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}")
    except RecursionError:  # as validation says it (datapackage/package.py)
        raise SnapshotError(f"{origin.name(relative)}: nested too deeply to read; expected a plain JSON document")


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
        header = stripped_labels(next(reader, []))  # as validation reads the header
        columns = Columns.of(header)
        rows, line = [], reader.line_num + 1
        for record in reader:
            if record:  # a blank line is no row
                rows.append(Row(line, record, columns))
            line = reader.line_num + 1
    except csv.Error as error:
        raise SnapshotError(f"{origin.name(relative)}:{reader.line_num}: cannot be read as CSV: {error}")
    return header, rows
