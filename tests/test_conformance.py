"""Differential test: `datapackage validate` against Frictionless, the reference.

On every bad input of test_bad_inputs, on a generated package with injected
errors of every kind, and on a corpus of small standard-feature packages
(tests/fixtures/conformance/), both must give the same verdict and, for every
Table Schema rule, the same kind of error at the same physical line and column.
Our own rules (date-order, unknown-source, ...) are not compared. Deliberate
differences are read from the one table in docs/conformance.md.

Frictionless counts rows by record; a record's physical line is found here
with Python's csv module, independently of the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from frictionless import FrictionlessException
from frictionless import Package as Reference

from conftest import FIXTURES, ROOT, copy_package
from test_bad_inputs import CASES as BAD_INPUTS

CORPUS = FIXTURES / "conformance"
EXCEPTIONS = ROOT / "docs" / "conformance.md"

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
# What Frictionless notes on a primary-key error about a key with no value.
NO_KEY = 'cells composing the primary keys are all "None"'
# Frictionless error type -> the name our findings give the same rule.
KINDS = {
    "type-error": "type", "unique-error": "unique", "primary-key": "unique", "foreign-key": "foreign-key",
    "blank-row": "blank-row", "missing-cell": "missing-cell", "extra-cell": "extra-cell",
    "extra-label": "extra-column", "missing-label": "missing-column", "incorrect-label": "header",
    "blank-label": "header", "duplicate-label": "header", "encoding-error": "encoding",
    "scheme-error": "file-missing", "byte-count": "byte-count", "hash-count": "hash-count",
}
CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength",
               "exclusiveMinimum", "exclusiveMaximum"}
# Our checks that state a Table Schema rule; anything else is our own rule.
TABLE_SCHEMA = set(KINDS.values()) | CONSTRAINTS | {"format", "schema", "descriptor"}
CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)"')

# Corpus packages today's validator gets wrong; each flips to passing with the rewrite.
FAILS_TODAY: dict[str, str] = {}  # corpus packages a known defect still fails, with the reason


# ------------------------------------------------------------------ both sides

def ours(descriptor: Path) -> tuple[int, set[tuple], int]:
    """Our exit code, Table Schema errors, and how many errors our own rules
    found, from the command line's JSON output."""
    result = CliRunner().invoke(_cli(), ["validate", str(descriptor), "--format", "json"])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed and result.exit_code in (0, 1), f"exit {result.exit_code}: {result.exception!r}"
    errors = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    table_schema = {(f["path"], f["line"], f["column"], f["check"]) for f in errors if f["check"] in TABLE_SCHEMA}
    return result.exit_code, table_schema, sum(f["check"] not in TABLE_SCHEMA for f in errors)


def _cli():
    from datapackage.cli import cli  # imported late: the module is under test

    return cli


def reference(descriptor: Path) -> set[tuple]:
    """Frictionless's errors as (path, physical line, column, our kind)."""
    try:
        report = Reference(str(descriptor)).validate()
    except FrictionlessException as error:
        return {("datapackage.json", None, None, "descriptor:" + error.error.type)}
    resources = {r["name"]: r for r in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]}
    found = set()
    for task in report.tasks:
        resource = resources.get(task.name, {})
        lines = record_lines(descriptor.parent, resource)
        schema = schema_of(descriptor.parent, resource)
        errors = [error.to_dict() for error in task.errors]
        key = schema.get("primaryKey", [])
        # A key with a cell not of its type: its error is placed at that cell (see form_first).
        no_value = {e["rowNumber"]: e["fieldNumber"] for e in errors
                    if e["type"] == "type-error" and e.get("fieldName") in ([key] if isinstance(key, str) else key)}
        # A foreign key with a cell not of its type: placed at that cell too.
        unread = {(e["rowNumber"], e.get("fieldName")): e["fieldNumber"] for e in errors if e["type"] == "type-error"}
        for error in errors:
            if error["type"] == "foreign-key":
                error = {**error, "unread": next((unread[error["rowNumber"], name] for name in error["fieldNames"]
                                                  if (error["rowNumber"], name) in unread), None)}
            found.add(_position(resource.get("path", task.name), lines, schema, error, no_value))
    for error in report.errors:
        found.add(("datapackage.json", None, None, "descriptor:" + error.type))
    return found


def _position(path: str, lines: list[int], schema: dict, error: dict, no_value: dict) -> tuple:
    kind = error["type"]
    if kind == "primary-key" and NO_KEY in error["note"]:
        kind = "required"  # a key cell left empty (or of no value: see form_first), not a duplicate
    elif kind == "constraint-error":
        kind = CONSTRAINT_NOTE.search(error["note"]).group(1)
    else:
        kind = KINDS.get(kind, kind)
    row = error.get("rowNumber")
    line = (lines[row - 1] if row - 1 < len(lines) else None) if row else (1 if "label" in error["type"] else None)
    column = error.get("fieldNumber")
    if error["type"] in ("primary-key", "foreign-key"):  # a row error: our column is the key's first field
        fields = [f["name"] for f in schema.get("fields", [])]
        key = schema.get("primaryKey", []) if error["type"] == "primary-key" else error.get("fieldNames", [])
        key = [key] if isinstance(key, str) else key
        column = fields.index(key[0]) + 1 if key and key[0] in fields else None
    if error["type"] == "primary-key" and row in no_value:
        column = no_value[row]
    if error.get("unread"):
        column = error["unread"]
    return path, line, column, kind


def record_lines(root: Path, resource: dict) -> list[int]:
    """Physical line where each record starts (record 1 = the header)."""
    try:
        text = (root / resource["path"]).read_bytes().decode("utf-8", errors="replace")
    except (KeyError, OSError):
        return []
    dialect = resource.get("dialect", {})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.get("delimiter", ","),
                        quotechar=dialect.get("quoteChar", '"'))
    starts, line = [], 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


def schema_of(root: Path, resource: dict) -> dict:
    schema = resource.get("schema")
    if isinstance(schema, str):
        schema = json.loads((root / schema).read_text(encoding="utf-8"))
    return schema or {}


# ------------------------------------------------------------------ deliberate differences

def exceptions() -> list[dict]:
    """The rows of the table in docs/conformance.md. A row names a case (or
    `*` with a rule below for every case), the side that alone reports the
    finding, and the finding: path, line, column, kind; `*` matches anything."""
    block = EXCEPTIONS.read_text(encoding="utf-8").split("<!-- exceptions -->")[1].split("<!-- /exceptions -->")[0]
    names = ("case", "side", "path", "line", "column", "kind", "reason")
    return [dict(zip(names, (c.strip().strip("`") for c in row.strip().strip("|").split("|"))))
            for row in block.strip().splitlines()[2:]]


def rest_of_ragged_rows(found: set[tuple]) -> set[tuple]:
    """Keep a ragged row's first missing or extra cell, nothing else on that line."""
    first: dict[tuple, tuple] = {}
    for finding in sorted(found, key=lambda f: (f[0], f[1] or 0, f[2] or 0)):
        if finding[3] in ("missing-cell", "extra-cell"):
            first.setdefault(finding[:2], finding)
    return {f for f in found if f[:2] not in first or first[f[:2]] == f}


def blank_key_once(found: set[tuple]) -> set[tuple]:
    """An empty row is one finding (blank-row), not also a key with no value."""
    rows = {f[:2] for f in found if f[3] == "blank-row"}
    return {f for f in found if not (f[3] == "required" and f[:2] in rows)}


def form_first(found: set[tuple]) -> set[tuple]:
    """A cell not in its form (type, pattern, enum) is one finding: not also
    too long or too short, nor a foreign key that matches nothing, nor (not
    of its type, so of no value) a key left empty or a key like another."""
    wrong_form = {f[:3] for f in found if f[3] in ("type", "pattern", "enum")}
    no_value = {f[:3] for f in found if f[3] == "type"}
    return {f for f in found if not (f[3] in ("maxLength", "minLength", "foreign-key") and f[:3] in wrong_form
                                     or f[3] in ("required", "unique") and f[:3] in no_value)}


def ragged_not_blank(ours_found: set[tuple], reference_found: set[tuple]) -> tuple[set[tuple], set[tuple]]:
    """A row with too few or too many cells is that finding even when the
    cells under the header are empty; where Frictionless calls such a row
    blank, both findings of the line are left out of the comparison."""
    ragged = {f[:2] for f in ours_found if f[3] in ("missing-cell", "extra-cell")}
    both = {f[:2] for f in reference_found if f[3] == "blank-row"} & ragged
    return ({f for f in ours_found if not (f[:2] in both and f[3] in ("missing-cell", "extra-cell"))},
            {f for f in reference_found if not (f[:2] in both and f[3] == "blank-row")})


RULES = {"rest-of-ragged-row": rest_of_ragged_rows, "blank-key-once": blank_key_once, "form-first": form_first}
# Rules that compare the two sides' findings of a line (side `both` in the table).
PAIRED = {"ragged-not-blank": ragged_not_blank}


def _matches(row: dict, finding: tuple) -> bool:
    return all(want == "*" or want == ("-" if got is None else str(got))
               for want, got in zip((row["path"], row["line"], row["column"], row["kind"]), finding))


def for_every_case(rows: list[dict], ours_found: set[tuple], reference_found: set[tuple]
                   ) -> tuple[set[tuple], set[tuple]]:
    """Both sides' findings with the table's rules for every case (`*`) applied."""
    for row in (r for r in rows if r["case"] == "*"):
        if row["side"] == "both":
            ours_found, reference_found = PAIRED[row["kind"]](ours_found, reference_found)
        elif row["side"] == "reference":
            reference_found = RULES[row["kind"]](reference_found)
        else:
            ours_found = RULES[row["kind"]](ours_found)
    return ours_found, reference_found


def assert_conforms(case: str, descriptor: Path) -> None:
    (code, ours_found, own_rules), reference_found = ours(descriptor), reference(descriptor)
    rows = exceptions()
    # The verdict: what the reference rejects we reject; what it accepts we
    # accept unless one of our own rules finds an error.
    assert code == (1 if reference_found or ours_found or own_rules else 0)
    ours_found, reference_found = for_every_case(rows, ours_found, reference_found)
    only = {"ours": ours_found - reference_found, "reference": reference_found - ours_found}
    allowed = [row for row in rows if row["case"] == case]
    unexplained = {side: {f for f in found if not any(_matches(r, f) for r in allowed if r["side"] == side)}
                   for side, found in only.items()}
    assert unexplained == {"ours": set(), "reference": set()}
    stale = [r for r in allowed if not any(_matches(r, f) for f in only[r["side"]])]
    assert stale == [], "docs/conformance.md lists differences this case no longer shows"


def v2_package(root: Path, resources: list[dict], tables: dict[str, list]) -> Path:
    """A Data Package (v2) of `resources` in `root`, each file's rows (header
    first) in `tables`; its descriptor's path."""
    (root / "datapackage.json").write_text(json.dumps({"$schema": V2, "name": "random", "resources": resources}),
                                           encoding="utf-8")
    for name, rows in tables.items():
        with open(root / name, "w", newline="", encoding="utf-8") as file:
            csv.writer(file, lineterminator="\n").writerows(rows)
    return root / "datapackage.json"


# ------------------------------------------------------------------ the cases

@pytest.mark.parametrize("mutate", BAD_INPUTS, ids=[c.__name__ for c in BAD_INPUTS])
def test_bad_inputs_conform(package, mutate):
    mutate(package)
    assert_conforms(f"bad-input/{mutate.__name__}", package / "datapackage.json")


def _corpus() -> list:
    return [pytest.param(path.name, id=path.name, marks=[pytest.mark.xfail(strict=True, reason=FAILS_TODAY[path.name])]
                         if path.name in FAILS_TODAY else []) for path in sorted(CORPUS.iterdir())]


@pytest.mark.parametrize("name", _corpus())
def test_corpus_conforms(tmp_path, name):
    package = shutil.copytree(CORPUS / name, tmp_path / name)
    expected = {tuple(e) for e in json.loads((package / "expected.json").read_text(encoding="utf-8"))}
    # The package must exercise what it says: the reference finds the known errors.
    assert reference(package / "datapackage.json") >= expected
    assert_conforms(f"corpus/{name}", package / "datapackage.json")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    shape = copy_package(tmp_path_factory.mktemp("shape"))
    out = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--victims", "400", "--seed", "7",
                    "--errors", "300", "--package", str(shape), "--out", str(out)], check=True, capture_output=True)
    return out


def test_generated_errors_are_all_found_by_the_reference(generated):
    injected = {(e["path"], e["line"], e["column"], e["kind"])
                for e in json.loads((generated / "errors.json").read_text(encoding="utf-8"))}
    assert len(injected) == 300
    assert injected <= reference(generated / "datapackage.json")


def test_generated_package_conforms(generated):
    assert_conforms("generated", generated / "datapackage.json")


# `datapackage validate` keeps of each table only the columns the rules read;
# publishing keeps them whole. Both must find exactly the same.

def same_findings_lean_and_whole(descriptor: Path) -> list:
    """The findings of both, after checking that they are the same."""
    from datapackage.validate.check import check

    lean = check(descriptor, lean=True)
    whole = check(descriptor)
    assert lean.findings == whole.findings
    assert any(len(lean.tables[n].frame.columns) < len(t.frame.columns) for n, t in whole.tables.items())
    return lean.findings


def test_lean_validation_finds_what_whole_tables_do_on_the_generated_errors(generated):
    assert len(same_findings_lean_and_whole(generated / "datapackage.json")) >= 300


# The bad inputs that the rules across rows and tables find (the others are
# found before any column is dropped).
ACROSS_TABLES = [m for m in BAD_INPUTS if m.__name__ in {
    "death_before_arrest", "unknown_source", "empty_source_entry", "duplicate_id", "dangling_foreign_key",
    "future_date", "min_above_max"}]


@pytest.mark.parametrize("mutate", ACROSS_TABLES, ids=[c.__name__ for c in ACROSS_TABLES])
def test_lean_validation_finds_what_whole_tables_do_on_each_bad_input(package, mutate):
    mutate(package)
    assert same_findings_lean_and_whole(package / "datapackage.json")
