"""Partial ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD) as day ranges.

"2021-06" means some day from 2021-06-01 to 2021-06-30. Ordering rules compare
these bounds: certainly out of order is an error, possibly out of order a
warning. Everything works on whole columns with numpy datetime64.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PARTIAL_DATE = r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$"
NOT_A_DAY = np.datetime64("NaT", "D")


def bounds(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Earliest day, latest day, and whether the text is an impossible date
    (such as 2019-02-30). Blank or malformed text gives NaT bounds and is
    not called impossible: the pattern check reports it."""
    parts = column.astype(str).str.extract(PARTIAL_DATE)
    year = pd.to_numeric(parts[0]).to_numpy(dtype=float)
    month = pd.to_numeric(parts[1]).to_numpy(dtype=float)
    day = pd.to_numeric(parts[2]).to_numpy(dtype=float)
    has_year, has_month, has_day = ~np.isnan(year), ~np.isnan(month), ~np.isnan(day)

    month_ok = ~has_month | ((month >= 1) & (month <= 12))
    first_month = np.where(has_month & month_ok, month, 1)
    months = ((np.nan_to_num(year, nan=1970) - 1970) * 12 + first_month - 1).astype("int64")
    month_start = months.astype("datetime64[M]").astype("datetime64[D]")
    next_month = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    next_year = ((months // 12 + 1) * 12).astype("datetime64[M]").astype("datetime64[D]")

    days = np.nan_to_num(day, nan=1).astype("int64")
    exact = month_start + (days - 1)
    day_ok = ~has_day | ((days >= 1) & (exact < next_month))
    impossible = has_year & ~(month_ok & day_ok)
    usable = has_year & ~impossible

    earliest = np.where(has_day, exact, month_start)
    latest = np.where(has_day, exact, np.where(has_month, next_month, next_year) - 1)
    earliest = np.where(usable, earliest, NOT_A_DAY)
    latest = np.where(usable, latest, NOT_A_DAY)
    return earliest, latest, impossible
