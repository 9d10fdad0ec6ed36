"""Partial ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD) as day ranges.

"2021-06" means some day from 2021-06-01 to 2021-06-30. Ordering rules compare
these bounds: certainly out of order is an error, possibly out of order a
warning. Bounds are computed once per column, when the column is typed.
"""

from __future__ import annotations

import numpy as np
import polars as pl

# ASCII digits: `\d` in the column engine's patterns is any script's digit.
PARTIAL_DATE = r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$"
PARTIAL_DATE_FORM = "a date written YYYY, YYYY-MM or YYYY-MM-DD"
NOT_A_DAY = np.datetime64("NaT", "D")


def partial_date_bounds(text: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Earliest day, latest day, and whether the text is an impossible date
    (such as 2019-02-30, or year 0000). Blank or malformed text gives null
    bounds and is not called impossible: the pattern check reports it."""
    parts = text.str.extract_groups(PARTIAL_DATE).struct
    year, month, day = (parts.field(str(i)).cast(pl.Float64, strict=False).to_numpy() for i in (1, 2, 3))
    earliest, latest, impossible = _bounds(year, month, day)
    return (pl.Series(text.name + "_from", earliest, dtype=pl.Date),
            pl.Series(text.name + "_to", latest, dtype=pl.Date),
            pl.Series(text.name, impossible, dtype=pl.Boolean))


def _bounds(year: np.ndarray, month: np.ndarray, day: np.ndarray):
    has_year, has_month, has_day = ~np.isnan(year), ~np.isnan(month), ~np.isnan(day)
    year_ok = ~has_year | (year >= 1)
    month_ok = ~has_month | ((month >= 1) & (month <= 12))
    first_month = np.where(has_month & month_ok, month, 1)
    safe_year = np.where(has_year & year_ok, year, 1970)
    months = ((safe_year - 1970) * 12 + first_month - 1).astype("int64")
    month_start = months.astype("datetime64[M]").astype("datetime64[D]")
    next_month = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    next_year = ((months // 12 + 1) * 12).astype("datetime64[M]").astype("datetime64[D]")

    days = np.nan_to_num(day, nan=1).astype("int64")
    exact = month_start + (days - 1)
    day_ok = ~has_day | ((days >= 1) & (exact < next_month))
    impossible = has_year & ~(year_ok & month_ok & day_ok)
    usable = has_year & ~impossible

    earliest = np.where(has_day, exact, month_start)
    latest = np.where(has_day, exact, np.where(has_month, next_month, next_year) - 1)
    return np.where(usable, earliest, NOT_A_DAY), np.where(usable, latest, NOT_A_DAY), impossible

