"""Counts and facet tallies of the served release, kept once computed.

A table page counts its rows and tallies each of its facets over the whole
filtered table: at a million rows, a few hundred milliseconds per facet.
Every other page of the same selection (the next page, another sort order,
one more facet) asks the same questions again, and the database never
changes while it is served, so the answers are kept, keyed by the exact SQL
and parameters. Only small answers of these two shapes are kept, whoever
asked: any other query, and anything larger, runs every time.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from contextvars import ContextVar

# The shapes of Datasette's own count and facet queries (datasette/views/table.py, facets.py).
TALLY = re.compile(r"\s*select (count\(\*\)|\S+ as value, count\(\*\) as count) from ", re.IGNORECASE)
MAX_ROWS = 101
MAX_KEPT = 4096
# Set while the site asks its own tables in the background (`site_warm`):
# those queries get the site's SQL time limit (1 s) instead of the 200 ms of
# a facet, so that a facet too slow for a visitor's page (that of
# `citations`, 8.4 million rows at 1M victims: 0.53 s) is kept all the same.
WARMING: ContextVar[bool] = ContextVar("warming", default=False)


class Tallies:
    def __init__(self):
        self.kept: OrderedDict[tuple, object] = OrderedDict()

    @staticmethod
    def key(sql: str, params) -> tuple | None:
        if not TALLY.match(sql):
            return None
        if isinstance(params, dict):
            return sql, tuple(sorted((str(k), repr(v)) for k, v in params.items()))
        return sql, tuple(repr(v) for v in params or ())

    def get(self, key: tuple | None):
        if key is None or key not in self.kept:
            return None
        self.kept.move_to_end(key)
        return self.kept[key]

    def keep(self, key: tuple | None, results) -> None:
        if key is None or len(getattr(results, "rows", ())) > MAX_ROWS:
            return
        self.kept[key] = results
        while len(self.kept) > MAX_KEPT:
            self.kept.popitem(last=False)
