"""Which of a Pandera schema's column checks every cell passes, in one query.

Pandera runs each column check as queries of its own (the check, whether it
passed, its failure cases): a table of twenty text fields has about a hundred
checks, so a small table costs hundreds of queries whatever its size, and a
large one read in pieces pays that per piece. Yet a pull request's data
mostly passes. Here every check's own expression, as Pandera's polars
backend builds it, is reduced to "all passed" and the lot run as one query;
Pandera then runs only the checks that some cell fails, and still reports
their failure cases, types, required cells and repeats as before.
"""

from __future__ import annotations

import polars as pl

from datapackage.pandera_schemas import pandera_module

pandera_module("polars")  # first: Pandera imported as in a polars-only install
import pandera.backends.polars.builtin_checks  # noqa: E402, F401  (gives each built-in check its polars function)
from pandera.api.polars.types import PolarsData  # noqa: E402
from pandera.backends.polars.checks import PolarsCheckBackend  # noqa: E402
from pandera.constants import CHECK_OUTPUT_KEY  # noqa: E402


def without_passing_checks(schema, frame: pl.DataFrame):
    """`schema` without the column checks that every row of `frame` passes."""
    screened = _screened(schema, frame)
    if not screened:
        return schema
    passed = pl.concat([query for _, _, query in screened], how="horizontal").collect().row(0)
    dropped = {(name, number) for (name, number, _), ok in zip(screened, passed) if ok}
    changed = {name: {"checks": [c for number, c in enumerate(column.checks) if (name, number) not in dropped]}
               for name, column in schema.columns.items() if any(n == name for n, _ in dropped)}
    return schema.update_columns(changed) if changed else schema


def _screened(schema, frame: pl.DataFrame) -> list[tuple[str, int, pl.LazyFrame]]:
    """(column, number of the check, one-row query of whether every row passes) for each
    check that can be screened: a check on a column of `frame` that gives
    one boolean per row. Null outcomes count as Pandera counts them."""
    lazy = frame.lazy()
    screened = []
    for name, column in schema.columns.items():
        if name not in frame.columns:
            continue
        for number, check in enumerate(column.checks):
            if check.element_wise:
                continue  # a Python call per cell: nothing to gain
            output = PolarsCheckBackend(check).apply(PolarsData(lazy, name))
            if isinstance(output, bool):
                continue
            result = pl.col(CHECK_OUTPUT_KEY)
            passes = result | result.is_null() if check.ignore_na else result.fill_null(False)
            screened.append((name, number, output.select(passes.all().alias(f"check_{len(screened)}"))))
    return screened
