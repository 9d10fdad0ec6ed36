"""The Pandera pass: column checks from the Table Schemas plus the rules
Table Schema cannot state, one lazy validation per resource and severity."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pandera.pandas as pa

from datapackage import messages
from datapackage.columns import column_checks
from datapackage.findings import ERROR, WARNING, Finding
from datapackage.package import Package, Resource
from datapackage.rules import Rule, rules_for


def content_findings(package: Package, frames: dict[str, pd.DataFrame], today: datetime.date) -> list[Finding]:
    findings = []
    for resource in package.resources:
        if resource.name not in frames:
            continue
        frame = frames[resource.name]
        rules = rules_for(resource, package, frames, today)
        findings += _column_findings(resource, frame)
        for severity in (ERROR, WARNING):
            chosen = [rule for rule in rules if rule.severity == severity]
            findings += _rule_findings(resource, frame, chosen)
    return findings


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    plain = frame.copy(deep=False)
    plain.attrs = {}  # pandas compares attrs when concatenating failure cases
    try:
        schema.validate(plain, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return cases[cases["index"].notna()]
    return pd.DataFrame(columns=["column", "check", "index", "failure_case"])


def _column_findings(resource: Resource, frame: pd.DataFrame) -> list[Finding]:
    keys = resource.schema.get("primaryKey", [])
    single_key = keys if isinstance(keys, list) and len(keys) == 1 else []
    columns = {
        spec["name"]: pa.Column(None, checks=column_checks(spec, spec["name"] in single_key), nullable=True)
        for spec in resource.fields if spec["name"] in frame.columns
    }
    failures = _failures(pa.DataFrameSchema(columns), frame)
    lines = frame.attrs["lines"]
    header = list(frame.columns)
    findings = []
    for column, check, index, value in failures[["column", "check", "index", "failure_case"]].itertuples(index=False):
        index = int(index)
        earlier = None
        if check == "unique":
            same = frame.index[frame[column] == value]
            earlier = int(lines[same[0]])
        message = messages.cell(check, resource, column, value, earlier)
        findings.append(Finding(resource.path, int(lines[index]), header.index(column) + 1, column,
                                value if value != "" else None, check, ERROR, message))
    return findings


def _as_series(rule: Rule):
    """Pandera reports row indexes only for a boolean Series."""
    return lambda df: pd.Series(np.asarray(rule.passes(df), dtype=bool), index=df.index)


def _rule_findings(resource: Resource, frame: pd.DataFrame, rules: list[Rule]) -> list[Finding]:
    if not rules:
        return []
    by_key = {rule.key: rule for rule in rules}
    schema = pa.DataFrameSchema(checks=[pa.Check(_as_series(rule), name=rule.key) for rule in rules])
    failures = _failures(schema, frame)[["check", "index"]].drop_duplicates()
    lines = frame.attrs["lines"]
    header = list(frame.columns)
    findings = []
    for key, index in failures.itertuples(index=False):
        rule, index = by_key[key], int(index)
        value = frame.at[index, rule.field]
        findings.append(Finding(resource.path, int(lines[index]), header.index(rule.field) + 1, rule.field,
                                value or None, rule.check, rule.severity, rule.message(frame, index)))
    return findings
