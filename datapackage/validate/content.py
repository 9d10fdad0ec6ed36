"""Cell and cross-row findings of the typed tables.

Per resource: the cells that failed type conversion, then one lazy Pandera
validation of the derived column checks (those that every cell passes found
first in one query and left out, see check_screen) plus the rules across
rows and tables (errors and warnings apart). Failure cases come back as row indexes;
a message is written for each failing row only, so the cost of wording is
proportional to the findings, not to the rows.
"""

from __future__ import annotations

import datetime
from typing import Callable

import polars as pl

from datapackage.validate import messages
from datapackage.validate.check_screen import checks_nothing, without_passing_checks
from datapackage.findings import ERROR, WARNING, Finding, shown
from datapackage.package import Package
from datapackage.validate.pandera_schemas import pandera_module, pandera_schema
from datapackage.privacy import withheld
from datapackage.validate.rules import Rule, first_rows, rule_tables, rules_for, withheld_through
from datapackage.read.table import Table

pa = pandera_module("polars")
PANDERA_CHECKS = {"not_nullable": "required", "field_uniqueness": "unique"}


def cell_findings(table: Table) -> list[Finding]:
    """The cells of one table that did not convert or break a column check."""
    return _cell_findings(table, lambda: _column_schema(table, unique=True, others=True))


def piece_findings(table: Table, schemas: dict) -> list[Finding]:
    """`cell_findings` of one piece of a table, but for repeated values,
    which a piece cannot tell (see `unique_findings`). `schemas` keeps the
    checks made for a resource's first piece for the next ones."""
    name = table.resource.name
    return _cell_findings(table, lambda: schemas.get(name) or schemas.setdefault(
        name, _column_schema(table, unique=False, others=True)))


def unique_findings(table: Table) -> list[Finding]:
    """The repeated values of the unique columns alone, for a table whose
    other cell checks were made a piece at a time. A cell that did not
    convert is empty in the typed column, so it is not reported twice."""
    if not table.resource.checkable or not len(table):
        return []
    return _column_findings(table, _column_schema(table, unique=True, others=False))


def _cell_findings(table: Table, schema: Callable) -> list[Finding]:
    if not table.resource.checkable or not len(table):
        return []
    failed = _conversion_findings(table)
    skip = {(f.line, f.field) for f in failed}
    return failed + [f for f in _column_findings(table, schema()) if (f.line, f.field) not in skip]


def rule_findings(package: Package, tables: dict[str, Table], today: datetime.date,
                  done: set[str] = frozenset()) -> list[Finding]:
    """The rules across rows and tables, but for the tables in `done`; they
    read only the columns that `rules.rule_columns` names."""
    hidden = withheld(package, tables)
    return [f for name, table in tables.items() if name not in done
            for f in _table_rule_findings(table, tables, package, today, hidden)]


def early_rule_findings(package: Package, tables: dict[str, Table], name: str,
                        today: datetime.date) -> list[Finding] | None:
    """The rule findings of the table `name` before the tables after it are
    read, or None when they must wait for all of them. `tables` holds the
    tables read so far. They are the same findings as at the end when every
    table the rules read is there, and the withheld rows of the table and of
    those it refers to follow from tables there alone: references that only
    point back, to tables read before, never to the table itself or ahead."""
    order = {resource.name: number for number, resource in enumerate(package.resources)}
    resource = package.resource(name)
    if not rule_tables(resource) <= set(tables):
        return None
    behind, waiting = {name}, [resource]
    while waiting:
        referring = waiting.pop()
        for target in withheld_through(referring):
            if target not in tables or order.get(target, len(order)) >= order[referring.name]:
                return None
            if target not in behind:
                behind.add(target)
                waiting.append(package.resource(target))
    hidden = withheld(package, {n: tables[n] for n in behind})
    return _table_rule_findings(tables[name], tables, package, today, hidden)


def _table_rule_findings(table: Table, tables: dict[str, Table], package: Package, today: datetime.date,
                         hidden: dict[str, pl.Series]) -> list[Finding]:
    if not table.resource.checkable or not len(table):
        return []
    rules = rules_for(table, tables, package, today, hidden)
    return [f for severity in (ERROR, WARNING)
            for f in _rule_findings(table, [r for r in rules if r.severity == severity])]


def _finding(table: Table, row: int, field: str, check: str, severity: str, message: str) -> Finding:
    column = table.columns.index(field) + 1
    return Finding(table.resource.path, int(table.lines[row]), column, field, shown(table.cell(field, row)),
                   check, severity, message)


def _conversion_findings(table: Table) -> list[Finding]:
    findings = []
    for field, results in table.failures.items():
        for result in results:
            for row in result.failed.arg_true():
                value = table.cell(field, row)
                message = messages.cell(result.check, table.resource, field, value, expected=result.reason)
                findings.append(_finding(table, row, field, result.check, ERROR, message))
    return findings


def _failure_cases(schema, frame: pl.DataFrame) -> pl.DataFrame:
    try:
        if not checks_nothing(schema):
            schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return cases.filter(pl.col("index").is_not_null())
    return pl.DataFrame({"column": [], "check": [], "check_number": [], "index": []})


def _column_findings(table: Table, schema) -> list[Finding]:
    frame = table.frame.select(c for c in table.frame.columns if c in schema.columns)
    schema = without_passing_checks(schema, frame)
    cases = _failure_cases(schema, frame).select("column", "check", "check_number", "index").unique(maintain_order=True)
    findings = []
    firsts = {}
    for field, check, number, row in cases.iter_rows():
        spec_checks = schema.columns[field].checks
        name = PANDERA_CHECKS.get(check) or (spec_checks[number].name if number is not None else check)
        earlier = None
        if name == "unique":
            if field not in firsts:
                firsts[field] = first_rows(frame.select(field))
            first = firsts[field][row]
            if first == row or frame[field][row] is None:
                continue  # the first of equal values, or an empty cell, is not a duplicate
            earlier = int(table.lines[first])
        message = messages.cell(name, table.resource, field, table.cell(field, row), earlier)
        findings.append(_finding(table, row, field, name, ERROR, message))
    return findings


def _column_schema(table: Table, unique: bool, others: bool):
    """The resource's Pandera schema with the uniqueness checks, the other
    column checks or both."""
    schema = pandera_schema(table.resource)
    if not others:
        schema = schema.remove_columns([name for name, column in schema.columns.items() if not column.unique])
        schema = schema.update_columns({name: {"checks": [], "nullable": True} for name in schema.columns})
    # Pandera hashes a unique column whole (0.6 s for two million ids); one in
    # order is known to have no duplicate without it.
    # A column of datetimes with and without zones: its repeats are a rule (see `rules._zone_unique_rule`).
    repeats_unseen = {name: {"unique": False} for name, column in schema.columns.items()
                      if column.unique and (not unique or name in table.frame.columns and in_order(table.frame[name])
                                            or table.zone_mixed(name) is not None)}
    return schema.update_columns(repeats_unseen) if repeats_unseen else schema


def in_order(values: pl.Series) -> bool:
    """True when each value comes after the one before: text shorter first,
    then alphabetically (ids grow that way: v-999, v-1000), integers by value.
    Such a column holds no value twice. False for any other type or an empty cell."""
    if values.null_count() or not (values.dtype == pl.String or values.dtype.is_integer()):
        return False
    value = pl.col("value")
    size = value.str.len_bytes() if values.dtype == pl.String else value
    later = (size > size.shift()) | ((size == size.shift()) & (value > value.shift()))
    return bool(values.to_frame("value").select(later.slice(1).all()).item())


def _rule_findings(table: Table, rules: list[Rule]) -> list[Finding]:
    # Each rule's outcome is worked out once; Pandera is given only the
    # rules some row breaks (its run of a check costs queries of its own).
    outcomes = [rule.passes() for rule in rules]
    broken = [(number, outcome) for number, outcome in enumerate(outcomes) if not outcome.all()]
    if not broken:
        return []
    checks = [pa.Check(_as_check(rules[number].check, outcome), name=f"rule-{number}") for number, outcome in broken]
    cases = _failure_cases(pa.DataFrameSchema(checks=checks), table.frame)
    findings = []
    for check, row in cases.select("check", "index").unique(maintain_order=True).iter_rows():
        rule = rules[int(check.removeprefix("rule-"))]
        findings.append(_finding(table, row, rule.field, rule.check, rule.severity, rule.message(row)))
    return findings


def _as_check(name: str, outcome: pl.Series):
    """A Pandera DataFrame check from a rule's outcome: one boolean per row."""
    return lambda data: pl.LazyFrame({name: outcome})
