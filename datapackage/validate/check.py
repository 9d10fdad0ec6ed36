"""Validation: the descriptor and schemas, then each CSV read once into a
typed table, then checks over whole columns. One ordered list of findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from datapackage.findings import Finding, deduplicate, one_per_cell, ordered
from datapackage.package import Package, load_package
from datapackage.read.table import Table

if TYPE_CHECKING:  # publishing's module, which validation alone does not load
    from datapackage.read.stored import Store, StoredTable


@dataclass
class Checked:
    package: Package
    tables: dict[str, Table]  # typed, one per resource whose file could be read
    findings: list[Finding]
    stored: dict[str, StoredTable] = field(default_factory=dict)  # every column of them, with a store


def validate(descriptor: Path, today: datetime.date | None = None) -> list[Finding]:
    """Raises PackageError when there is no package to look at. Each table
    is checked cell by cell as soon as it is read (a large one a piece at a
    time), then only the columns the rules across rows and tables read are
    kept: a million-row package is then not held in memory whole."""
    return check(descriptor, today, lean=True).findings


def check(descriptor: Path, today: datetime.date | None = None, lean: bool = False,
          store: Store | None = None) -> Checked:
    """The findings, and the typed tables: whole, or `lean` (only the
    columns the rules read). With a `store`, the tables are kept lean and
    every column of them goes to the store, as publishing needs them."""
    from datapackage.validate.content import cell_findings, early_rule_findings, piece_findings, rule_findings, unique_findings
    from datapackage.validate.rules import rule_columns
    from datapackage.validate.schema_check import schema_findings
    from datapackage.read.table import Table, read_tables

    package, findings = load_package(descriptor)
    findings += schema_findings(package)
    cells, needed, done, schemas = [], _kept_columns(package, rule_columns(package)), set(), {}
    today = today or datetime.date.today()
    lean = lean or store is not None

    def kept(table: Table) -> Table:
        return table.keeping(needed.get(table.resource.name, set())) if lean else table

    def piece(table: Table) -> tuple[Table, list[Finding]]:
        # In the reading thread: a piece of a large table, checked and cut
        # down to the columns kept, so the whole table is never held.
        if store is not None:
            store.add(table)
        return kept(table), piece_findings(table, schemas)

    def each(table: Table) -> Table:
        if table.checked is None:
            if store is not None:
                store.add(table, whole=True)
            cells.extend(cell_findings(table))
        else:  # read in pieces: what a piece cannot tell is left
            cells.extend(table.checked + unique_findings(table))
        return kept(table)

    def then(name: str, kept: dict[str, Table]) -> None:
        # A table's rules run as soon as what they read is there, while the
        # next tables are being read, rather than all at the end.
        early = early_rule_findings(package, kept, name, today)
        if early is not None:
            cells.extend(early)
            done.add(name)

    tables, file_findings = read_tables(package, each, then, piece if lean else None)
    findings += file_findings
    blank = {(f.path, f.line) for f in file_findings if f.check == "blank-row"}
    content = cells + rule_findings(package, tables, today, done)
    findings += [f for f in content if (f.path, f.line) not in blank]
    paths = [r.path for r in package.resources]
    stored = {name: store.table(table) for name, table in tables.items()} if store is not None else {}
    return Checked(package, tables, ordered(one_per_cell(deduplicate(findings)), paths), stored)


def _kept_columns(package: Package, rules: dict[str, set[str]]) -> dict[str, set[str]]:
    """The columns the rules read, and the unique ones: a table read in
    pieces has its repeated values found once the pieces are joined."""
    return {resource.name: rules.get(resource.name, set()) | {
        spec["name"] for spec in resource.fields
        if spec.get("constraints", {}).get("unique") or resource.primary_key == [spec["name"]]}
        for resource in package.resources}
