"""Reading datapackage.json and the Table Schemas it points to."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from datapackage.findings import ERROR, Finding


class PackageError(Exception):
    """There is no package to look at: the descriptor is missing or unreadable."""


@dataclass
class Resource:
    name: str
    path: str  # relative to the package directory, as written in the descriptor
    schema_path: str | None
    schema: dict = field(default_factory=dict)

    @property
    def fields(self) -> list[dict]:
        return self.schema.get("fields", [])

    def field(self, name: str) -> dict | None:
        return next((f for f in self.fields if f["name"] == name), None)

    @property
    def foreign_keys(self) -> list[dict]:
        return self.schema.get("foreignKeys", [])


@dataclass
class Package:
    root: Path
    descriptor: dict
    resources: list[Resource]

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


def load_descriptor(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageError(f"{path}: no such file; expected a datapackage.json descriptor")
    except (OSError, UnicodeDecodeError) as error:
        raise PackageError(f"{path}: cannot be read as UTF-8 text ({error})")
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        )
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageError(f"{path}: expected a JSON object with a 'resources' list")
    return descriptor


def load_package(path: Path) -> tuple[Package, list[Finding]]:
    """The package, plus findings for schemas that cannot be read."""
    descriptor = load_descriptor(path)
    root = path.parent
    resources, findings = [], []
    for item in descriptor["resources"]:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise PackageError(f"{path}: every resource needs a 'name' and a 'path'")
        resource = Resource(item.get("name", item["path"]), item["path"], None)
        schema = item.get("schema")
        if isinstance(schema, dict):
            resource.schema = schema
        elif isinstance(schema, str):
            resource.schema_path = schema
            resource.schema, problem = _read_schema(root, schema)
            if problem:
                findings.append(problem)
        resources.append(resource)
    return Package(root, descriptor, resources), findings


def _read_schema(root: Path, relative: str) -> tuple[dict, Finding | None]:
    def problem(line, column, message):
        return {}, Finding(relative, line, column, None, None, "schema", ERROR, message)

    try:
        schema = json.loads((root / relative).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return problem(None, None, "schema file not found")
    except UnicodeDecodeError:
        return problem(None, None, "schema file is not UTF-8 text")
    except json.JSONDecodeError as error:
        return problem(error.lineno, error.colno, f"schema is not valid JSON: {error.msg}")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return problem(1, 1, "schema must be a JSON object with a 'fields' list")
    return schema, None
