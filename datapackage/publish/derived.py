"""The derived tables of the database (`derived.sql`): what the site says
about each, and the SQL that computes it, read from that one file."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

SQL = Path(__file__).with_name("derived.sql")
CREATE = re.compile(r"CREATE TABLE (\w+) AS\s", re.IGNORECASE)
# Each derived table's facets (each one indexed) and the canned query that
# presents it, whose description it shares.
DERIVED = {
    "deaths_timeline": {"facets": ["rank", "case_id"], "query": "deaths-timeline"},
    "contested_figures": {"facets": ["metric", "organisation", "case_id"], "query": "contested-figures"},
}


# Tables the database has besides the resources and those of derived.sql,
# written by `datapackage.publish.database`.
BUILT = ("citations", "vocabularies")


def reserved_names() -> set[str]:
    """Table names the release's database gives its own tables: no resource may have one."""
    return set(BUILT) | {name for name, _ in derived_statements()}


def derived_statements() -> list[tuple[str, str]]:
    """(table, its CREATE TABLE ... AS SELECT statement), in the file's order."""
    found = []
    for statement in statements(SQL.read_text(encoding="utf-8")):
        match = CREATE.search(statement)
        if match:
            found.append((match.group(1), statement))
    return found


def derived_select(statement: str) -> str:
    """The SELECT that computes a derived table, as a reader would run it."""
    return statement[CREATE.search(statement).end():].strip().rstrip(";")


def statements(script: str):
    """The complete SQL statements of a script, each with the comments before it."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""
