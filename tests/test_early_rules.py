"""A table's rules run as soon as the tables they read have been read, while
the next ones are read, and tables are read ahead by size: the findings are
exactly those of every rule run at the end, one table read at a time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import datapackage.validate.content as content
import datapackage.read.table as table_module
from conftest import FIXTURES, copy_package
from test_bad_inputs import CASES as BAD_INPUTS
from test_privacy import add_rows, cited_people_package
from datapackage.validate.check import check

ACROSS_TABLES = [m for m in BAD_INPUTS if m.__name__ in {
    "death_before_arrest", "unknown_source", "empty_source_entry", "duplicate_id", "dangling_foreign_key",
    "future_date", "min_above_max"}]


def both_ways(descriptor: Path, monkeypatch) -> tuple[list, list, set[str]]:
    """Findings with the rules run early, the tables early ones ran for, and
    the findings with every rule at the end and no table read ahead but one."""
    early, ran = content.early_rule_findings, set()

    def spied(package, tables, name, today):
        found = early(package, tables, name, today)
        if found is not None:
            ran.add(name)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(content, "early_rule_findings", spied)
        patch.setattr(table_module, "AHEAD_BYTES", 1 << 40)  # every table read ahead
        soon = check(descriptor, lean=True).findings
    with monkeypatch.context() as patch:
        patch.setattr(content, "early_rule_findings", lambda *args: None)
        patch.setattr(table_module, "AHEAD_BYTES", 0)
        late = check(descriptor, lean=True).findings
    return soon, late, ran


@pytest.mark.parametrize("mutate", ACROSS_TABLES, ids=[c.__name__ for c in ACROSS_TABLES])
def test_rules_run_early_find_what_they_find_at_the_end(package, mutate, monkeypatch):
    mutate(package)
    soon, late, ran = both_ways(package / "datapackage.json", monkeypatch)
    assert soon == late and any(f.severity == "error" for f in soon)
    assert {"victims", "deaths", "trials", "statements"} <= ran


def test_a_public_row_referring_to_a_withheld_one_is_found_early(small_package, monkeypatch):
    add_rows(small_package, "withheld")
    path = small_package / "seeds" / "deaths.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('withheld,"living witness, no consent"', "public,"),
                    encoding="utf-8")
    soon, late, ran = both_ways(small_package / "datapackage.json", monkeypatch)
    assert soon == late and [f.check for f in soon] == ["withheld-reference"] and "deaths" in ran


def test_a_public_row_citing_a_withheld_one_is_found_early(tmp_path, monkeypatch):
    package = cited_people_package(tmp_path / "p")
    soon, late, ran = both_ways(package / "datapackage.json", monkeypatch)
    assert soon == late and [f.check for f in soon] == ["withheld-reference"] and "events" in ran


def test_a_self_reference_waits_for_the_end(tmp_path, monkeypatch):
    package = shutil.copytree(FIXTURES / "conformance" / "self-reference", tmp_path / "p")
    soon, late, ran = both_ways(package / "datapackage.json", monkeypatch)
    assert soon == late and soon and ran == set()


def test_a_reference_ahead_waits_for_the_end(tmp_path, monkeypatch):
    """deaths listed before the victims it refers to: its rules wait."""
    package = copy_package(tmp_path, FIXTURES / "small")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    deaths = descriptor["resources"].pop(names.index("deaths"))
    descriptor["resources"].insert(names.index("victims"), deaths)
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    add_rows(package, "withheld")
    path = package / "seeds" / "deaths.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('withheld,"living witness, no consent"', "public,"),
                    encoding="utf-8")
    soon, late, ran = both_ways(package / "datapackage.json", monkeypatch)
    assert soon == late and "withheld-reference" in [f.check for f in soon]
    assert "deaths" not in ran and "victims" in ran
