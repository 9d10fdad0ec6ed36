"""Frictionless pass + Pandera pass -> one ordered list of findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from datapackage.content import content_findings
from datapackage.csvfile import Records, header, read_table, records
from datapackage.encoding import utf8_problem
from datapackage.findings import ERROR, Finding, deduplicate, ordered
from datapackage.package import Package, load_package
from datapackage.structure import structural_findings


@dataclass
class Checked:
    package: Package
    frames: dict[str, pd.DataFrame]  # every cell as text, "" when empty
    findings: list[Finding]


def validate(descriptor: Path, today: datetime.date | None = None) -> list[Finding]:
    """Raises PackageError when there is no package to look at."""
    return check(descriptor, today).findings


def check(descriptor: Path, today: datetime.date | None = None) -> Checked:
    package, findings = load_package(descriptor)
    findings += schema_findings(package)
    usable, frames, file_findings = read_resources(package)
    findings += file_findings
    structural = structural_findings(package, usable)
    content = content_findings(package, frames, today or datetime.date.today())
    blank = {(f.path, f.line) for f in structural if f.check == "blank-row"}
    content = [f for f in content if (f.path, f.line) not in blank]
    paths = [r.path for r in package.resources]
    return Checked(package, frames, ordered(deduplicate(findings + structural + content), paths))


def read_resources(package: Package) -> tuple[dict[str, Records], dict[str, pd.DataFrame], list[Finding]]:
    """Record maps and text tables of every readable resource file; one
    finding for a file that is missing or not UTF-8."""
    usable, frames, findings = {}, {}, []
    for resource in package.resources:
        if not resource.schema:
            continue
        try:
            data = (package.root / resource.path).read_bytes()
        except OSError:
            findings.append(Finding(resource.path, None, None, None, None, "file-missing", ERROR,
                                    f"file not found; datapackage.json lists it as resource '{resource.name}'"))
            continue
        problem = utf8_problem(data)
        if problem:
            findings.append(Finding(resource.path, problem.line, problem.column, None, f"0x{problem.byte:02x}",
                                    "encoding", ERROR,
                                    f"byte 0x{problem.byte:02x} is not UTF-8; save the file as UTF-8"))
            continue
        usable[resource.name] = map_ = records(data)
        columns = header(data)
        frame = read_table(data, columns)
        frame.attrs["lines"] = map_.data_lines(len(columns))
        if len(frame.attrs["lines"]) != len(frame):
            findings.append(Finding(resource.path, None, None, None, None, "format", ERROR,
                                    "the rows cannot be matched to lines (unusual quoting?); "
                                    "expected standard CSV with quotes around whole cells"))
            continue
        frames[resource.name] = frame
    return usable, frames, findings


def schema_findings(package: Package) -> list[Finding]:
    """A field's `categories` must list exactly its enum, in order."""
    findings = []
    for resource in package.resources:
        for spec in resource.fields:
            categories = spec.get("categories")
            enum = spec.get("constraints", {}).get("enum")
            if categories is not None and [c.get("value") for c in categories] != enum:
                findings.append(Finding(resource.schema_path or "datapackage.json", None, None, spec["name"], None,
                                        "schema", ERROR,
                                        f"field {spec['name']}: categories must list the enum values in the same order"))
    return findings
