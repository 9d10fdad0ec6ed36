"""Validation: the descriptor and schemas, then each CSV read once into a
typed table, then checks over whole columns. One ordered list of findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from datapackage.findings import Finding, deduplicate, ordered
from datapackage.package import Package, load_package
from datapackage.table import Table


@dataclass
class Checked:
    package: Package
    tables: dict[str, Table]  # typed, one per resource whose file could be read
    findings: list[Finding]


def validate(descriptor: Path, today: datetime.date | None = None) -> list[Finding]:
    """Raises PackageError when there is no package to look at."""
    return check(descriptor, today).findings


def check(descriptor: Path, today: datetime.date | None = None) -> Checked:
    from datapackage.content import content_findings
    from datapackage.schema_check import schema_findings
    from datapackage.table import read_tables

    package, findings = load_package(descriptor)
    findings += schema_findings(package)
    tables, file_findings = read_tables(package)
    findings += file_findings
    blank = {(f.path, f.line) for f in file_findings if f.check == "blank-row"}
    content = content_findings(package, tables, today or datetime.date.today())
    findings += [f for f in content if (f.path, f.line) not in blank]
    paths = [r.path for r in package.resources]
    return Checked(package, tables, ordered(deduplicate(findings), paths))
