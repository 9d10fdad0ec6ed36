"""Pandera column checks derived from a Table Schema field.

Pandera's own Frictionless import reads dates as text and drops foreign keys,
so the checks are built here from our schemas. Every cell is text and an
empty cell is "", so each check lets blanks pass except `required`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from datapackage.dates import bounds

INTEGER = r"[+-]?[0-9]+"


def column_checks(spec: dict, is_key: bool) -> list[pa.Check]:
    constraints = spec.get("constraints", {})
    checks = []
    if constraints.get("required") or is_key:
        checks.append(pa.Check(lambda s: s != "", name="required"))
    if spec.get("type") == "integer":
        checks.append(pa.Check(lambda s: (s == "") | s.str.fullmatch(INTEGER), name="type"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        checks.append(pa.Check(lambda s: (s == "") | s.isin(allowed), name="enum"))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        checks.append(pa.Check(lambda s: (s == "") | _matches(s, pattern), name="pattern"))
    for bound, op in (("minimum", "ge"), ("maximum", "le")):
        if bound in constraints:
            limit = constraints[bound]
            checks.append(pa.Check(lambda s, limit=limit, op=op: ~_number(s).pipe(_fails, op, limit), name=bound))
    if constraints.get("unique") or is_key:
        checks.append(pa.Check(lambda s: (s == "") | ~s.duplicated(), name="unique"))
    if spec.get("partialDate"):
        pattern = constraints.get("pattern", ".*")
        checks.append(pa.Check(lambda s: ~(bounds(s)[2] & _matches(s, pattern)), name="date-invalid"))
    return checks


def _matches(s: pd.Series, pattern: str) -> pd.Series:
    return s.str.fullmatch(pattern).fillna(False).astype(bool)


def _number(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(s.str.fullmatch(INTEGER)), errors="coerce")


def _fails(numbers: pd.Series, op: str, limit) -> pd.Series:
    return (numbers < limit) if op == "ge" else (numbers > limit)
