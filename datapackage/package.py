"""Reading datapackage.json and the Table Schemas it points to.

Shorthands the specs allow are normalised here once (a `primaryKey` or
foreign-key `fields` given as a string, a reference to the resource itself
given as ""), so that every check and output reads one shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from datapackage.read.csvfile import Dialect
from datapackage.findings import ERROR, Finding
from datapackage.properties import published, unpublished_findings
from datapackage.value_kinds import kind_problems


class PackageError(Exception):
    """There is no package to look at: the descriptor is missing or unreadable."""


@dataclass
class Resource:
    name: str
    path: str  # relative to the package directory, as written in the descriptor
    schema_path: str | None
    schema: dict = field(default_factory=dict)
    descriptor: dict = field(default_factory=dict)
    dialect: Dialect = field(default_factory=Dialect)
    readable: bool = True  # the file is a local CSV this toolkit reads
    checkable: bool = True  # the schema is sound enough to check cells against

    @property
    def fields(self) -> list[dict]:
        return self.schema.get("fields", []) if self.checkable else []

    @property
    def field_names(self) -> list[str]:
        return [spec["name"] for spec in self.fields]

    def field(self, name: str) -> dict | None:
        return next((f for f in self.fields if f["name"] == name), None)

    @property
    def primary_key(self) -> list[str]:
        return self.schema.get("primaryKey", []) if self.checkable else []

    @property
    def foreign_keys(self) -> list[dict]:
        return self.schema.get("foreignKeys", []) if self.checkable else []

    @property
    def title(self) -> str:
        return self.descriptor.get("title", self.name)


@dataclass
class Package:
    root: Path
    descriptor: dict
    resources: list[Resource]

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


def load_descriptor(path: Path) -> dict:
    if special(path):
        raise PackageError(f"{path}: {SPECIAL}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageError(f"{path}: no such file; expected a datapackage.json descriptor")
    except IsADirectoryError:
        raise PackageError(f"{path}: is a folder; expected a datapackage.json descriptor")
    except (OSError, UnicodeDecodeError) as error:
        raise PackageError(f"{path}: cannot be read as UTF-8 text ({error})")
    if text.startswith("\ufeff"):
        raise PackageError(f"{path}: starts with a byte order mark (BOM), which JSON does not allow; "
                           "save it as UTF-8 without a BOM")
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageError(f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}")
    except RecursionError:
        raise PackageError(f"{path}: nested too deeply to read; expected a plain JSON document")
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageError(f"{path}: expected a JSON object with a 'resources' list")
    return descriptor


def load_package(path: Path) -> tuple[Package, list[Finding]]:
    """The package, plus findings for resources and schemas that cannot be
    used. The package holds only the properties a release may publish
    (datapackage/properties.py); a warning names each one left out."""
    read = load_descriptor(path)
    descriptor, left = published(read, "package")
    root = path.parent
    resources, findings = [], unpublished_findings(read, left, "datapackage.json", path)
    if not descriptor["resources"]:
        findings.append(_problem("datapackage.json", "the package lists no resources; expected at least one"))
    for number, item in enumerate(descriptor["resources"], start=1):
        if not isinstance(item, dict):
            findings.append(_problem("datapackage.json", f"resource {number} is not a JSON object"))
            continue
        resource, problems = _resource(root, item, number)
        resources.append(resource)
        findings += problems
    return Package(root, descriptor, resources), findings


def _problem(where: str, message: str, check: str = "descriptor", field_name: str | None = None) -> Finding:
    return Finding(where, None, None, field_name, None, check, ERROR, message)


def _unsupported(where: str, message: str) -> Finding:
    return _problem(where, f"not supported: {message}", "not-supported")


def _resource(root: Path, item: dict, number: int) -> tuple[Resource, list[Finding]]:
    name = item.get("name") if isinstance(item.get("name"), str) else f"resource-{number}"
    path = item.get("path")
    resource = Resource(name, path if isinstance(path, str) else f"<{name}>", None, descriptor=item)
    findings = _file_problems(root, resource, item)
    resource.readable = not findings
    schema = item.get("schema")
    if isinstance(schema, str):
        resource.schema_path = schema
        read, problem = _read_schema(root, schema)
        resource.schema, left = published(read, "schema")
        findings += [problem] if problem else unpublished_findings(read, left, schema, root / schema)
    elif isinstance(schema, dict):
        resource.schema = schema
    elif schema is not None:
        findings.append(_problem("datapackage.json", f"resource '{name}': schema must be a path or an object"))
    if resource.readable:
        resource.dialect, problems = read_dialect(resource, item.get("dialect"))
        findings += problems
        resource.readable = not problems
    kinds = kind_problems(resource.schema) if isinstance(resource.schema, dict) else []
    if kinds:  # no check reads a schema of values of the wrong kind, so the table is read as one without
        where = resource.schema_path or "datapackage.json"
        findings += [_problem(where, message, "schema", field) for field, message in kinds]
        resource.schema = {}
    resource.schema = _normalised(resource.schema, name)
    return resource, findings


# No file name holds a NUL: the operating system refuses the path outright.
NUL = "\x00"
NUL_IN_PATH = "has a NUL character, which no file name can hold; expected the path of a file in the package"


def special(path: Path) -> bool:
    """A named pipe, socket or device where a file should be: reading it
    could wait forever (nothing may ever write to a pipe)."""
    try:
        return path.exists() and not path.is_file() and not path.is_dir()
    except OSError:
        return False  # what cannot be looked at is said when it is read


SPECIAL = "is not a regular file (a named pipe, socket or device); expected a file"


def leaves(root: Path, relative: str) -> bool:
    """Whether a path of the descriptor points outside the package folder:
    absolute, through "..", or through a symbolic link (a link in a pull
    request could otherwise have the CI machine's files read and published)."""
    parts = PurePosixPath(relative)
    if parts.is_absolute() or ".." in parts.parts or "\\" in relative:
        return True
    try:
        return not (root / relative).resolve().is_relative_to(root.resolve())
    except (RuntimeError, OSError):  # a loop of links (RuntimeError before Python 3.13) leads to no file inside
        return True


def _file_problems(root: Path, resource: Resource, item: dict) -> list[Finding]:
    where, name, path = "datapackage.json", resource.name, item.get("path")
    if "data" in item and path is None:
        return [_unsupported(where, f"resource '{name}' has inline 'data'; expected a CSV file in 'path'")]
    if isinstance(path, list):
        return [_unsupported(where, f"resource '{name}' is split over several files; expected one CSV file")]
    if not isinstance(path, str) or not path:
        return [_problem(where, f"resource '{name}' has no 'path'; expected the path of its CSV file")]
    if "://" in path:
        return [_unsupported(where, f"resource '{name}' is remote ({path}); expected a file inside the package")]
    parts = PurePosixPath(path)
    if NUL in path:
        return [_problem(where, f"resource '{name}' path {path!r} {NUL_IN_PATH}")]
    if leaves(root, path):
        return [_problem(where, f"resource '{name}' path {path!r} leaves the package; "
                                "expected a relative path inside the package folder, not a link out of it")]
    if special(root / path):
        return [_problem(where, f"resource '{name}' path {path!r} {SPECIAL}")]
    form = str(item.get("format") or parts.suffix.lstrip(".") or "csv").lower()
    if form != "csv":
        return [_unsupported(where, f"resource '{name}' is {form}; expected CSV")]
    if item.get("compression") or parts.suffix.lower() in (".gz", ".zip", ".bz2", ".xz"):
        return [_unsupported(where, f"resource '{name}' is compressed; expected a plain CSV file")]
    encoding = str(item.get("encoding", "utf-8")).lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8", "utf-8-sig"):
        return [_unsupported(where, f"resource '{name}' is encoded as {encoding}; expected UTF-8")]
    return []


# Dialect properties and the value this toolkit reads; anything else is a finding.
# `headerRows` is Table Dialect's name; `headerRow` an older spelling still met.
FIXED_DIALECT = {"doubleQuote": True, "skipInitialSpace": False, "header": True, "headerRow": 1,
                 "headerRows": [1], "escapeChar": None, "commentChar": None, "nullSequence": None,
                 "commentRows": None, "headerJoin": None}


def read_dialect(resource: Resource, dialect) -> tuple[Dialect, list[Finding]]:
    if dialect is None:
        return Dialect(), []
    where = "datapackage.json"
    if isinstance(dialect, str) or not isinstance(dialect, dict):
        return Dialect(), [_unsupported(where, f"resource '{resource.name}' dialect must be an object")]
    csv_part = dialect.get("csv", dialect) if isinstance(dialect.get("csv"), dict) else dialect
    delimiter, quote = csv_part.get("delimiter", ","), csv_part.get("quoteChar", '"')
    for key, value in (("delimiter", delimiter), ("quoteChar", quote)):
        # (a NUL is no character of a text file, and Arrow refuses it)
        if not isinstance(value, str) or len(value.encode("utf-8")) != 1 or value in "\r\n\x00":
            return Dialect(), [_unsupported(where, f"resource '{resource.name}' dialect {key} {value!r}; "
                                                   "expected one ASCII character other than a line break or NUL")]
    if delimiter == quote:  # no cell could then be told from a quoted one
        return Dialect(), [_unsupported(where, f"resource '{resource.name}' dialect delimiter and quoteChar are "
                                               f"both {delimiter!r}; expected two different characters")]
    for key, value in FIXED_DIALECT.items():
        if csv_part.get(key, value) != value and not (key == "headerRow" and csv_part.get(key) == [1]):
            reads = f"files without {key}" if value is None else f"{key} {json.dumps(value)} only"
            return Dialect(), [_unsupported(where, f"resource '{resource.name}' dialect {key} "
                                                   f"{json.dumps(csv_part[key])}; this toolkit reads {reads}")]
    return Dialect(delimiter, quote), []


def _normalised(schema: dict, name: str) -> dict:
    """The spec's shorthands in one shape: keys as lists, self-references named."""
    if not isinstance(schema, dict):
        return {}
    schema = dict(schema)
    if isinstance(schema.get("primaryKey"), str):
        schema["primaryKey"] = [schema["primaryKey"]]
    keys = []
    for key in schema.get("foreignKeys") or []:
        if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
            keys.append(key)
            continue
        reference = dict(key["reference"])
        fields = key.get("fields")
        reference["resource"] = reference.get("resource") or name
        if isinstance(reference.get("fields"), str):
            reference["fields"] = [reference["fields"]]
        keys.append({**key, "fields": [fields] if isinstance(fields, str) else fields, "reference": reference})
    if "foreignKeys" in schema:
        schema["foreignKeys"] = keys
    return schema


def _read_schema(root: Path, relative: str) -> tuple[dict, Finding | None]:
    def problem(line, column, message):
        return {}, Finding(relative, line, column, None, None, "schema", ERROR, message)

    if "://" in relative:
        return problem(None, None, "not supported: a remote schema; expected a schema file inside the package")
    if not relative.strip():  # said in the descriptor: there is no file to name
        return {}, _problem("datapackage.json", "a resource's schema path is empty; expected the path of a "
                                                "Table Schema file, or the schema itself", "schema")
    if NUL in relative:  # said in the descriptor: the path itself cannot be printed as a file's name
        return {}, _problem("datapackage.json", f"the schema path {relative!r} {NUL_IN_PATH}", "schema")
    if leaves(root, relative):
        return problem(None, None, "the schema path leaves the package; expected a path inside the package folder, "
                                   "not a link out of it")
    if special(root / relative):
        return problem(None, None, f"the schema path {SPECIAL}")
    try:
        text = (root / relative).read_text(encoding="utf-8")
    except FileNotFoundError:
        return problem(None, None, "schema file not found")
    except UnicodeDecodeError:
        return problem(None, None, "schema file is not UTF-8 text")
    except OSError as error:
        return problem(None, None, f"schema file cannot be read ({error.strerror})")
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        return problem(error.lineno, error.colno, f"schema is not valid JSON: {error.msg}")
    except RecursionError:
        return problem(None, None, "schema is nested too deeply to read; expected a plain JSON document")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return problem(1, 1, "schema must be a JSON object with a 'fields' list")
    return schema, None
