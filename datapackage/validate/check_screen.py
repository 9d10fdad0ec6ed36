"""Which of a Pandera schema's column checks every cell passes, in one query.

Pandera runs each column check as queries of its own (the check, whether it
passed, its failure cases): a table of twenty text fields has about a hundred
checks, so a small table costs hundreds of queries whatever its size, and a
large one read in pieces pays that per piece. Yet a pull request's data
mostly passes. Here every check's own expression, as Pandera's polars
backend builds it, is reduced to "all passed", and so are the required and
unique marks; the lot runs as one query. Pandera then runs only what some
cell fails, and reports its failure cases as before; when nothing fails it
is not run at all.
"""

from __future__ import annotations

import polars as pl

from datapackage.validate.pandera_schemas import NEVER, pandera_module

pandera_module("polars")  # first: Pandera imported as in a polars-only install
import pandera.backends.polars.builtin_checks  # noqa: E402, F401  (gives each built-in check its polars function)
from pandera.api.polars.types import PolarsData  # noqa: E402
from pandera.backends.polars.checks import PolarsCheckBackend  # noqa: E402
from pandera.constants import CHECK_OUTPUT_KEY  # noqa: E402


def without_passing_checks(schema, frame: pl.DataFrame):
    """`schema` without what every row of `frame` passes: its column checks
    that no cell fails, and the required and unique marks of columns with
    no empty cell and no repeat."""
    screened = _screened(schema, frame)
    if not screened:
        return schema
    passed = pl.concat([query for _, _, query in screened], how="horizontal").collect().row(0)
    dropped = {(name, one) for (name, what, _), ok in zip(screened, passed) if ok
               for one in (what if isinstance(what, tuple) else (what,))}
    changed = {}
    for name, column in schema.columns.items():
        if not any(n == name for n, _ in dropped):
            continue
        changed[name] = {"checks": [c for number, c in enumerate(column.checks) if (name, number) not in dropped]}
        if (name, REQUIRED) in dropped:
            changed[name]["nullable"] = True
        if (name, UNIQUE) in dropped:
            changed[name]["unique"] = False
    return schema.update_columns(changed) if changed else schema


def checks_nothing(schema) -> bool:
    """True when validating with `schema` cannot report anything: no check,
    no required or unique column, nothing about the frame as a whole."""
    return not schema.checks and not schema.unique and all(
        not column.checks and column.nullable and not column.unique and column.dtype is None
        for column in schema.columns.values())


REQUIRED, UNIQUE = "required", "unique"  # what is screened besides the numbered checks


def _screened(schema, frame: pl.DataFrame) -> list[tuple[str, int | tuple | str, pl.LazyFrame]]:
    """(column, number of the check or REQUIRED or UNIQUE, one-row query of
    whether every row passes) for each check of a column of `frame` that
    gives one boolean per row, and for its required and unique marks. Empty
    cells count as Pandera counts them (a NaN is empty too). The checks that
    a pattern never occurs are screened together, as the numbers of them all:
    one search of each cell for any of the patterns (for a text column's
    checks of formulas, invisible characters and blank names, about half
    the time of three searches)."""
    lazy = frame.lazy()
    screened = []

    def screen(name, what, query: pl.LazyFrame, passes: pl.Expr):
        screened.append((name, what, query.select(passes.alias(f"check_{len(screened)}"))))

    for name, column in schema.columns.items():
        if name not in frame.columns:
            continue
        never = {number: check.statistics[NEVER] for number, check in enumerate(column.checks)
                 if NEVER in (check.statistics or {})}
        if never:
            found = pl.col(name).str.contains("|".join(f"(?:{p})" for p in never.values()))
            screen(name, tuple(never), lazy, ~found.fill_null(False).any())
        for number, check in enumerate(column.checks):
            if check.element_wise or number in never:
                continue  # a Python call per cell: nothing to gain; or screened above
            output = PolarsCheckBackend(check).apply(PolarsData(lazy, name))
            if isinstance(output, bool):
                continue
            result = pl.col(CHECK_OUTPUT_KEY)
            screen(name, number, output, (result | result.is_null() if check.ignore_na else result.fill_null(False)).all())
        value = pl.col(name)
        if not column.nullable:
            filled = value.is_not_null() & value.is_not_nan() if frame.schema[name].is_float() else value.is_not_null()
            screen(name, REQUIRED, lazy, filled.all())
        if column.unique:
            screen(name, UNIQUE, lazy, ~value.is_duplicated().any())
    return screened
