"""Unique columns: one in order is known to be unique without hashing it;
a duplicate is found whether the column is in order or not."""

import polars as pl
import pytest

from conftest import copy_package, FIXTURES
from datapackage.validate.content import in_order
from datapackage.validate.check import check
from seedrepo import append_row


@pytest.mark.parametrize("values, expected", [
    (["v-998", "v-999", "v-1000"], True),   # ids grow: shorter first
    (["x"], True),
    ([1, 2, 30], True),
    (["v-001", "v-002", "v-002"], False),   # a value twice, side by side
    (["v-1000", "v-999"], False),
    (["v-001", None], False),
    ([1, 3, 3], False),
    ([2.0, 3.0], False),                    # not a type ids come in
])
def test_in_order(values, expected):
    assert in_order(pl.Series(values)) is expected


def victim(victim_id: str) -> list[str]:
    return [victim_id, "case-tartar", f"Person {victim_id}", "", "serviceman", "", "", "x", "",
            "src-wikipedia-tartar-case", "public", ""]


@pytest.mark.parametrize("added, repeat", [
    (["v-003", "v-004", "v-004"], 3),  # in order up to the duplicate beside its twin
    (["v-004", "v-003", "v-004"], 3),  # out of order
    (["v-999", "v-1000"], None),       # in order, each once
])
def test_duplicates_found_in_order_or_not(tmp_path, added, repeat):
    """`repeat`: which of the added rows repeats an id (1 is the first added)."""
    package = copy_package(tmp_path, FIXTURES / "small")
    before = len((package / "seeds" / "victims.csv").read_text(encoding="utf-8").splitlines())
    for victim_id in added:
        append_row(package, "victims", victim(victim_id))
    findings = [f for f in check(package / "datapackage.json").findings if f.check == "unique"]
    assert [(f.field, f.line - before) for f in findings] == ([("victim_id", repeat)] if repeat else [])
