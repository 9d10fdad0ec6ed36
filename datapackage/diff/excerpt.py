"""Cells too long to read in a review, shown as an excerpt with their length
and sha256. A reviewer still sees that a long cell changed, where, and which
exact text it holds (the hash), without a page that is megabytes long."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

LIMIT = 1000  # a value up to this many characters is shown whole
WIDTH = 200  # characters of a longer value that are shown
BEFORE = 50  # of those, how many come before the first difference


@dataclass(frozen=True)
class Excerpt:
    text: str  # the part shown
    note: str  # "" when the value is shown whole


def excerpt(value: str, start: int = 0) -> Excerpt:
    """`value`, whole when short; else WIDTH characters from about `start`."""
    if len(value) <= LIMIT:
        return Excerpt(value, "")
    start = min(max(0, start - BEFORE), len(value) - WIDTH)
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    note = (f"shortened: characters {start + 1:,} to {start + WIDTH:,} of {len(value):,}; "
            f"sha256 {digest}")
    return Excerpt(value[start:start + WIDTH], note)


def first_difference(old: str, new: str) -> int:
    """Where two values stop being the same, so that both excerpts show it."""
    return len(os.path.commonprefix([old, new]))
