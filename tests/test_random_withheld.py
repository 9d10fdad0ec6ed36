"""Random withholding marks across foreign keys: what is published is
exactly every row that reaches no withheld row, and a row marked public
that does reach one is a finding.

Each package has people (marked), events referring to a person by one field
or by two (a key partly empty is read as the foreign-key rule reads it), and
notes referring to an event and to a parent note; events and notes carry a
mark of their own or none. The rows to withhold are worked out here from the
marks, by following the keys until nothing changes, and compared with the
SQLite tables and the Parquet files of the release. The suite runs
FUZZ_EXAMPLES packages (25 by default)."""

import json
import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import invoke
from test_conformance import v2_package
from test_hostile_inputs import published

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def mark() -> list[dict]:
    return [{"name": "vis", "type": "string", "constraints": {"enum": ["public", "withheld"]},
             "withholdsRow": {"value": "withheld", "reason": "why"}}, {"name": "why", "type": "string"}]


def schemas(two: bool, marked_events: bool, marked_notes: bool) -> list[dict]:
    people = {"fields": [{"name": "pid", "type": "string"}, {"name": "grp", "type": "integer"}] + mark(),
              "primaryKey": ["pid"]}
    events = {"fields": [{"name": "eid", "type": "string"}, {"name": "ppid", "type": "string"},
                         {"name": "pgrp", "type": "integer"}] + (mark() if marked_events else []),
              "primaryKey": ["eid"],
              "foreignKeys": [{"fields": ["ppid", "pgrp"] if two else ["ppid"],
                               "reference": {"resource": "people", "fields": ["pid", "grp"] if two else ["pid"]}}]}
    notes = {"fields": [{"name": "nid", "type": "string"}, {"name": "eid", "type": "string"},
                        {"name": "parent", "type": "string"}] + (mark() if marked_notes else []),
             "primaryKey": ["nid"],
             "foreignKeys": [{"fields": ["eid"], "reference": {"resource": "events", "fields": ["eid"]}},
                             {"fields": ["parent"], "reference": {"resource": "", "fields": ["nid"]}}]}
    return [{"name": n, "path": f"{n}.csv", "schema": s} for n, s in
            (("people", people), ("events", events), ("notes", notes))]


@st.composite
def packages(draw):
    """(resources in any order, rows per table with the header first, two-field key?)"""
    two, marked_events, marked_notes = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    marks = st.sampled_from([["withheld", "no consent"], ["public", ""], ["public", ""]])
    people = [[f"p{i}", draw(st.sampled_from(["1", "2", ""])), *draw(marks)] for i in range(draw(st.integers(1, 4)))]
    events = []
    for i in range(draw(st.integers(0, 5))):
        person = draw(st.sampled_from(people + [None]))
        key = person[:2] if person else ["", ""]
        events.append([f"e{i}", key[0], key[1] if two else draw(st.sampled_from(["1", ""]))]
                      + (draw(marks) if marked_events else []))
    count = draw(st.integers(0, 5))
    notes = [[f"n{i}", draw(st.sampled_from([e[0] for e in events] + [""])),
              draw(st.sampled_from([f"n{j}" for j in range(count)] + [""]))] + (draw(marks) if marked_notes else [])
             for i in range(count)]
    resources = schemas(two, marked_events, marked_notes)
    tables = {r["path"]: [[f["name"] for f in r["schema"]["fields"]]] + rows
              for r, rows in zip(resources, (people, events, notes))}
    return draw(st.permutations(resources)), tables, two


def withheld_here(tables: dict, two: bool) -> set[tuple[str, str]]:
    """(table, id) of every row marked withheld or referring to one, transitively."""
    rows = {name[:-4]: [dict(zip(t[0], row)) for row in t[1:]] for name, t in tables.items()}
    hidden = {(name, row[next(iter(row))]) for name, table in rows.items() for row in table
              if row.get("vis") == "withheld"}
    people = {(p["pid"], p["grp"]) if two else p["pid"]: p["pid"] for p in rows["people"]}
    while True:
        grown = set(hidden)
        for e in rows["events"]:
            key = (e["ppid"], e["pgrp"]) if two else e["ppid"]
            if key not in ("", ("", "")) and ("people", people.get(key)) in hidden:
                grown.add(("events", e["eid"]))
        for n in rows["notes"]:
            if ("events", n["eid"]) in hidden or ("notes", n["parent"]) in hidden:
                grown.add(("notes", n["nid"]))
        if grown == hidden:
            return hidden
        hidden = grown


@FUZZ
@given(package=packages())
def test_exactly_the_rows_reaching_no_withheld_row_are_published(tmp_path_factory, package):
    resources, tables, two = package
    root = tmp_path_factory.mktemp("withheld")
    v2_package(root, resources, tables)
    result = invoke("validate", "--format", "json", cwd=root)
    errors = {f["check"] for f in json.loads(result.stdout) if f["severity"] == "error"}
    hidden = withheld_here(tables, two)
    leaking = [(name, key) for name, key in hidden
               if dict(zip(tables[f"{name}.csv"][0], next(r for r in tables[f"{name}.csv"][1:] if r[0] == key)))
               .get("vis") == "public"]
    assert ("withheld-reference" in errors) == bool(leaking), (leaking, errors)
    event("published" if result.returncode == 0 else "refused")
    if result.returncode != 0:
        return
    parquet, db = published(root)
    for name in ("people", "events", "notes"):
        public = [row[0] for row in tables[f"{name}.csv"][1:] if (name, row[0]) not in hidden]
        assert [row[0] for row in db.execute(f"select * from {name} order by rowid")] == public
        assert [row[tables[f"{name}.csv"][0][0]] for row in parquet[name]] == public
