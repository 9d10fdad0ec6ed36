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
  from choosing the plan; the term still filters, but SQLite first gathers
  every match in a set to test the rows against (0.1 s for 700,000 matches,
  0.4 s for two million). When the matches are a large share of the table,
  each row walked is instead asked of the index on its own (`exists`, about
  15 microseconds a row), and the page is full after about `DENSE` times its
  rows. That holds when the matches are spread through the order; when they
  sit together at its far end (a case's name searched, sorted by case), the
  walk could ask about most of the table first, so it is given `PROBING_MS`
  and the gathering plan runs when it is not done by then. When the matches
  are few, looking them up stays the faster plan. Which plan runs is chosen
  by the count and the table's size.

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
# When at least one row in this many matches, each row walked is asked of the
# index: a page of 101 rows then takes at most about 800 questions (12 ms),
# where gathering the matches takes 45 ms at a quarter of a million and more
# above. Below that share, gathering them is the cheaper.
DENSE = 8
# How long the walk that asks about each row may take before the walk that
# gathers the matches first runs instead: four times a page of evenly spread
# matches at one in eight rows.
PROBING_MS = 50
# A facet tallies about a million matches a second on the benchmark machine
# (`benchmarks/RESULTS.md`, "Searches for common words at a million rows"):
# past this many it would not finish within the 200 ms facet time limit.
TALLIED = 100_000

# Datasette's own queries are a few thousand characters at most; anything
# longer is a visitor's SQL, run as written without being read here.
LONGEST = 20_000
# Every pattern is anchored where it is tried and has no nested or adjacent
# open-ended repeats, so reading a query is linear in its length: this runs on
# the server's event loop, and a visitor writes the SQL it reads.
_FTS = re.compile(r"rowid in \(select rowid from (?P<fts>\[?(?P<indexed>\w+)_fts\]?) where (?P=fts) match "
                  r"(?P<match>escape_fts\(:search\)|:search)\)", re.IGNORECASE)
_COUNT = re.compile(r"select count\(\*\) from \[?(?P<table>\w+)\]? where ", re.IGNORECASE)
_FACET_HEAD = re.compile(r"\s*select \S+ as value, count\(\*\) as count from \(", re.IGNORECASE)
_FACET_TAIL = re.compile(r"group by \S+ order by count desc, value limit \d+\s*", re.IGNORECASE)
_TABLE = re.compile(r"\[?(?P<table>\w+)\]? where ", re.IGNORECASE)
_ORDER = re.compile(r"\[?(?P<order>\w+)\]?(?: desc)?(?:, [^()]*)? limit \d+(?: offset \d+)?\s*", re.IGNORECASE)


def index_count(sql: str) -> str | None:
    """The count of a table's search, read from its index alone; None for any
    other query."""
    found = _COUNT.match(sql) if len(sql) <= LONGEST else None
    search = found and _FTS.match(sql, found.end())
    if not search or found["table"] != search["indexed"] or sql[search.end():].strip():
        return None
    return _count(search)


@dataclass(frozen=True)
class Walk:
    """A page of a table's search that may walk the index of its order."""
    table: str
    order: str  # the first column of the order
    count: str  # how many rows match (the index's own count)
    walking: str  # the same query, planned to walk the order's index and test each row against the matches
    probing: str  # the same, asking the index about each row walked

    def chosen(self, matches: int, ordered: set[str], rows: int) -> list[str]:
        """The walking plans to try in turn when the matches are many and the
        order has an index (`ordered`: the columns that lead an index, rowid
        included), none otherwise; `rows`: how many rows the table has, or
        more. Every plan but the last is tried for `PROBING_MS` at most."""
        if matches <= MANY or self.order not in ordered:
            return []
        return [self.probing, self.walking] if matches * DENSE >= rows else [self.walking]


def facet_count(sql: str) -> str | None:
    """For a facet of a table's search, the count of its matches (read from
    the index alone); None for any other query."""
    if len(sql) > LONGEST or not _FACET_HEAD.match(sql):
        return None
    tail = sql.lower().rfind("group by ")
    if tail < 0 or not _FACET_TAIL.fullmatch(sql, tail):
        return None
    searches = list(_FTS.finditer(sql))
    return _count(searches[0]) if len(searches) == 1 else None


def walk(sql: str) -> Walk | None:
    """A table page's rows query with one search filter and an order; None
    for any other query."""
    lower = sql.lower()
    if len(sql) > LONGEST or not lower.startswith("select ") or " group by " in lower:
        return None
    # The first FROM: Datasette quotes a column named like a keyword ([from]).
    table = _TABLE.match(sql, lower.find(" from ") + len(" from ")) if " from " in lower else None
    order_at = lower.rfind(" order by ")
    order = _ORDER.fullmatch(sql, order_at + len(" order by ")) if table and order_at > table.end() else None
    if not order:
        return None
    searches = list(_FTS.finditer(sql, table.end(), order_at))
    if len(searches) != 1 or searches[0]["indexed"] != table["table"]:
        return None
    search = searches[0]
    probe = (f"exists (select 1 from {search['fts']} where {search['fts']} match {search['match']} "
             f"and {search['fts']}.rowid = [{table['table']}].rowid)")
    return Walk(table["table"], order["order"], _count(search), sql[:search.start()] + "+" + sql[search.start():],
                sql[:search.start()] + probe + sql[search.end():])


def _count(search: re.Match) -> str:
    return f"select count(*) from {search['fts']} where {search['fts']} match {search['match']}"


# How many rows a table has at most: its largest rowid, read from the end of
# the table in a moment (a count would read every row).
ROWS_SQL = "select max(rowid) from [{table}]"
ORDERED_SQL = ("select ii.name from pragma_index_list(:table) il, pragma_index_info(il.name) ii "
               "where ii.seqno = 0 union select name from pragma_table_info(:table) where pk = 1 and "
               "lower(type) = 'integer' union select 'rowid'")
