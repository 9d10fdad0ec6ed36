"""The Frictionless pass: structure, types, constraints, keys, foreign keys.

Frictionless numbers rows by record (a quoted cell spanning lines counts
once); every position is turned into a physical line with the file's record map.
"""

from __future__ import annotations

import re

from frictionless import FrictionlessException
from frictionless import Package as FrictionlessPackage

from datapackage import messages
from datapackage.csvfile import Records
from datapackage.findings import ERROR, Finding
from datapackage.package import Package, Resource

# Frictionless error type -> our check name.
CHECKS = {
    "type-error": "type",
    "unique-error": "unique",
    "primary-key": "unique",
    "foreign-key": "foreign-key",
    "extra-label": "extra-column",
    "missing-label": "missing-column",
    "incorrect-label": "header",
    "blank-label": "header",
    "duplicate-label": "header",
    "blank-row": "blank-row",
    "extra-cell": "extra-cell",
    "missing-cell": "missing-cell",
}
CONSTRAINT = re.compile(r'constraint "(\w+)"')
POSITION = re.compile(r'position "?(\d+)')


def structural_findings(
    package: Package, usable: dict[str, Records]
) -> list[Finding]:
    """Validate the resources whose files could be read (keys of `usable`)."""
    descriptor = _descriptor_for(package, usable)
    try:
        report = FrictionlessPackage(descriptor, basepath=str(package.root)).validate()
    except FrictionlessException as error:
        return [Finding("datapackage.json", None, None, None, None, "schema", ERROR, str(error.error.message))]
    findings = []
    for task in report.tasks:
        resource = package.resource(task.name)
        for error in task.errors:
            findings.append(_finding(resource, usable[resource.name], error.to_dict()))
    return _one_per_ragged_row(findings)


def _one_per_ragged_row(findings: list[Finding]) -> list[Finding]:
    """A row with too few or too many cells is one problem: keep its first
    missing-cell or extra-cell finding and drop what follows from it (the
    missing cells also fail `required`)."""
    ragged = {}
    for finding in findings:
        if finding.check in ("missing-cell", "extra-cell"):
            ragged.setdefault((finding.path, finding.line), finding)
    return [f for f in findings if (f.path, f.line) not in ragged or ragged[(f.path, f.line)] is f]


def _descriptor_for(package: Package, usable: dict[str, Records]) -> dict:
    """The package as Frictionless should see it: only readable files, and no
    foreign keys into files that cannot be read (those are reported already)."""
    resources = []
    for resource in package.resources:
        if resource.name not in usable:
            continue
        schema = dict(resource.schema)
        schema["foreignKeys"] = [
            key for key in resource.foreign_keys
            if key.get("reference", {}).get("resource", resource.name) in usable
        ]
        resources.append({"name": resource.name, "path": resource.path, "format": "csv",
                          "encoding": "utf-8", "schema": schema})
    return {"name": package.descriptor.get("name", "package"), "resources": resources}


def _finding(resource: Resource, records: Records, error: dict) -> Finding:
    kind = error["type"]
    row = error.get("rowNumber")
    line = records.line_of_record(row) if row else 1
    column = error.get("fieldNumber")
    field = error.get("fieldName") or None
    value = error.get("cell")
    if kind == "constraint-error":
        match = CONSTRAINT.search(error.get("note", ""))
        check = match.group(1) if match else "constraint"
    else:
        check = CHECKS.get(kind, kind)
    if kind in ("primary-key", "foreign-key"):
        names = error.get("fieldNames") or resource.schema.get("primaryKey", [])
        field = names[0] if names else None
        column = _position(resource, field)
        cells = error.get("fieldCells")
        value = cells[0] if cells else _cell(error, column)
    if kind.endswith("-label"):
        value = error.get("label")
        field = field or value
    where = POSITION.search(error.get("note", ""))
    earlier = records.line_of_record(int(where.group(1))) if where else None
    message = messages.structural(check, resource, field, value, earlier, error)
    return Finding(resource.path, line, column, field, value or None, check, ERROR, message)


def _position(resource: Resource, field: str | None) -> int | None:
    names = [f["name"] for f in resource.fields]
    return names.index(field) + 1 if field in names else None


def _cell(error: dict, column: int | None) -> str | None:
    cells = error.get("cells") or []
    return cells[column - 1] if column and column <= len(cells) else None
