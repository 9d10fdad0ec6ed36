"""Pandera schemas derived from the Table Schemas.

Each field becomes a Pandera column with Pandera's own checks: required
(not nullable), unique, enum (isin), pattern (the whole value must match),
minimum/maximum, minLength/maxLength, and a length limit on every text cell.
The schemas are public, for the typed columns of a resource, with the
polars backend (what `datapackage validate` runs) or the pandas backend (for
pandas, Dask or Modin frames, e.g. the Parquet release read back):

    from datapackage import pandera_schema
    schema = pandera_schema("victims", "datapackage.json")
    schema.validate(polars.read_parquet("dist/parquet/victims.parquet"), lazy=True)

Checks across rows and tables (foreign keys, composite keys, our declared
rules) need the other tables and are added by validation (see rules.py).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from datapackage.convert import convert
from datapackage.package import Resource, load_package

# A cell of text longer than this is an error unless its field declares a
# larger maxLength: no dataset of this kind needs a longer cell, and every
# output (review diffs, spreadsheets, the site) must stay usable.
DEFAULT_MAX_LENGTH = 20_000
BACKENDS = {"polars": "pandera.polars", "pandas": "pandera.pandas"}


def pandera_schema(resource: str | Resource, descriptor: str | Path = "datapackage.json", backend: str = "polars"):
    """The Pandera DataFrameSchema of one resource's typed columns."""
    if isinstance(resource, str):
        package, _ = load_package(Path(descriptor))
        found = package.resource(resource)
        if found is None:
            raise KeyError(f"{descriptor} has no resource named {resource!r}")
        resource = found
    pa = importlib.import_module(BACKENDS[backend])
    single_key = resource.primary_key if len(resource.primary_key) == 1 else []
    columns = {spec["name"]: pa.Column(None, checks=column_checks(pa, spec), nullable=not _required(spec, single_key),
                                       unique=_unique(spec, single_key), name=spec["name"], required=False)
               for spec in resource.fields}
    return pa.DataFrameSchema(columns, name=resource.name, strict=False)


def _required(spec: dict, single_key: list[str]) -> bool:
    return bool(spec.get("constraints", {}).get("required")) or spec["name"] in single_key


def _unique(spec: dict, single_key: list[str]) -> bool:
    return bool(spec.get("constraints", {}).get("unique")) or spec["name"] in single_key


def column_checks(pa, spec: dict) -> list:
    """Pandera checks of one field, each named by the Table Schema constraint
    it enforces (the name findings report)."""
    constraints = spec.get("constraints", {})
    kind = spec.get("type", "string")
    text = kind in ("string", "any")
    checks = []
    if "enum" in constraints:
        checks.append(pa.Check.isin(typed_values(spec, constraints["enum"]), name="enum"))
    if "pattern" in constraints and text:
        checks.append(pa.Check.str_matches(f"^(?:{constraints['pattern']})$", name="pattern"))
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"], name="minimum"))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"], name="maximum"))
    if text and "minLength" in constraints:
        checks.append(pa.Check.str_length(min_value=constraints["minLength"], name="minLength"))
    if text and "maxLength" in constraints:
        checks.append(pa.Check.str_length(max_value=constraints["maxLength"], name="maxLength"))
    elif text:
        checks.append(pa.Check.str_length(max_value=DEFAULT_MAX_LENGTH, name="cell-too-long"))
    return checks


def typed_values(spec: dict, values: list) -> list:
    """Enum values as the typed column holds them (an integer enum may be
    written [1, 2] or ["1", "2"])."""
    import polars as pl

    text = pl.Series("enum", [v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
                              for v in values])
    return convert(spec, text, [])[0].values.drop_nulls().to_list()
