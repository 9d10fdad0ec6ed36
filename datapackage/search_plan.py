"""Datasette's table search, planned for tables of a million rows.

A table page with `?_search=` runs two queries that read every match: its
count, `select count(*) from T where rowid in (select rowid from T_fts where
T_fts match ...)`, and its rows, the same filter ordered and limited. SQLite
answers both by looking every match up in the table and, for the rows,
sorting them all: for a word found in a third of two million rows, half a
second each. Two plans give the same answers for less:

- the count is the index's own count, since the index holds one entry per
  row of its table (`search_index` builds it from exactly those rows);
- when the matches are many, walking the index of the page's order and
  keeping the rows that match reaches the first page after a few hundred
  rows. A unary `+` on `rowid` is SQLite's documented way to keep a term
  from choosing the plan; the term still filters. When the matches are few,
  looking them up stays the faster plan, so the walk is chosen by the count.

A facet of such a search tallies every match the same way, and past a few
hundred thousand matches cannot finish within Datasette's facet time limit
(200 ms): five facets on the `statements` page spent a second timing out.
Past `TALLIED` matches a facet of a search is reported as timed out at once.

Only these shapes, as Datasette writes them, are planned; every other query
(canned queries, a visitor's SQL, facets of a table without a search) runs as
written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Above this many matches, walking the order's index beats looking each match
# up; at 2 million rows the two plans cross near a few thousand matches, and
# at the crossing both take milliseconds.
MANY = 5_000
# A facet tallies about a million matches a second on the benchmark machine
# (`benchmarks/RESULTS.md`, "Searches for common words at a million rows"):
# past this many it would not finish within the 200 ms facet time limit.
TALLIED = 100_000

_FTS = (r"rowid in \(select rowid from (?P<fts>\[?(?P<indexed>\w+)_fts\]?) where (?P=fts) match "
        r"(?P<match>escape_fts\(:search\)|:search)\)")
_COUNT = re.compile(rf"select count\(\*\) from \[?(?P<table>\w+)\]? where {_FTS}\s*", re.IGNORECASE)
_FACET = re.compile(r"\s*select \S+ as value, count\(\*\) as count from \(\s*select .+\)\s*where .+"
                    r"group by .+ order by count desc, value limit \d+\s*", re.IGNORECASE | re.DOTALL)
_ROWS = re.compile(r"select (?:(?!\bfrom\b).)+? from \[?(?P<table>\w+)\]? where (?P<where>.+?)"
                   r"order by \[?(?P<order>\w+)\]?(?: desc)?(?:, [^()]*)? limit \d+(?: offset \d+)?\s*",
                   re.IGNORECASE | re.DOTALL)


def index_count(sql: str) -> str | None:
    """The count of a table's search, read from its index alone; None for any
    other query."""
    found = _COUNT.fullmatch(sql)
    if not found or found["table"] != found["indexed"]:
        return None
    return f"select count(*) from {found['fts']} where {found['fts']} match {found['match']}"


@dataclass(frozen=True)
class Walk:
    """A page of a table's search that may walk the index of its order."""
    table: str
    order: str  # the first column of the order
    count: str  # how many rows match (the index's own count)
    walking: str  # the same query, planned to walk the order's index

    def chosen(self, matches: int, ordered: set[str]) -> str | None:
        """The walking plan when the matches are many and the order has an
        index (`ordered`: the columns that lead an index, rowid included)."""
        return self.walking if matches > MANY and self.order in ordered else None


def facet_count(sql: str) -> str | None:
    """For a facet of a table's search, the count of its matches (read from
    the index alone); None for any other query."""
    if not _FACET.fullmatch(sql):
        return None
    searches = list(re.finditer(_FTS, sql, re.IGNORECASE))
    if len(searches) != 1:
        return None
    fts, match = searches[0]["fts"], searches[0]["match"]
    return f"select count(*) from {fts} where {fts} match {match}"


def walk(sql: str) -> Walk | None:
    """A table page's rows query with one search filter and an order; None
    for any other query."""
    found = _ROWS.fullmatch(sql)
    if not found or " group by " in sql.lower():
        return None
    searches = list(re.finditer(_FTS, found["where"], re.IGNORECASE))
    if len(searches) != 1 or searches[0]["indexed"] != found["table"]:
        return None
    fts, match = searches[0]["fts"], searches[0]["match"]
    start = found.start("where") + searches[0].start()
    return Walk(found["table"], found["order"], f"select count(*) from {fts} where {fts} match {match}",
                sql[:start] + "+" + sql[start:])


ORDERED_SQL = ("select ii.name from pragma_index_list(:table) il, pragma_index_info(il.name) ii "
               "where ii.seqno = 0 union select name from pragma_table_info(:table) where pk = 1 and "
               "lower(type) = 'integer' union select 'rowid'")
