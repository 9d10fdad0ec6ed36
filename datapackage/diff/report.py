"""A package diff as text, Markdown (for a pull-request summary) or JSON."""

from __future__ import annotations

import json
import re
import unicodedata

from datapackage.report import markdown_text, shown_char
from datapackage.diff.rows import ADDED, REMOVED, CellChange, ChangedRow, Key, KeyedRow, PackageDiff, ResourceDiff
from datapackage.diff.excerpt import excerpt, first_difference
from datapackage.diff.schema_diff import SchemaChange
from datapackage.diff.snapshot import WORKING_TREE, Origin

DIFF_FORMATS = ("text", "markdown", "json")

CHANGES = {
    "field-added": "field {field} added (type {new})",
    "field-removed": "field {field} removed (type {old})",
    "type": "field {field}: type {old} -> {new}",
    "format": "field {field}: format {old} -> {new}",
    "constraint-added": "field {field}: constraint {constraint} added: {new}",
    "constraint-removed": "field {field}: constraint {constraint} removed (was {old})",
    "constraint-changed": "field {field}: constraint {constraint} {old} -> {new}",
    "enum-value-added": "field {field}: enum value added: {new}",
    "enum-value-removed": "field {field}: enum value removed: {old}",
    "enum-order": "field {field}: enum values reordered: {old} -> {new}",
    "field-order": "field order {old} -> {new}",
    "primary-key": "primary key {old} -> {new}",
    "foreign-keys": "foreign keys {old} -> {new}",
}


def render_diff(diff: PackageDiff, form: str) -> str:
    return {"text": text, "markdown": markdown, "json": as_json}[form](diff)


def _quote(value: str) -> str:
    """A text value in double quotes, every character visible."""
    return '"' + "".join("\\" + c if c in '"\\' else shown_char(c) for c in value) + '"'


def _plain(value: str) -> str:
    """A name or key as it is when it shows as written, else quoted: empty,
    with a space at an end, or with a character that does not show."""
    return value if value and value == value.strip() and value.isprintable() else _quote(value)


def _show(value) -> str:
    if isinstance(value, str):
        return _quote(value)
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def describe(change: SchemaChange) -> str:
    field = None if change.field is None else _plain(change.field)
    return CHANGES[change.change].format(field=field, constraint=change.constraint,
                                         old=_show(change.old), new=_show(change.new))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def counts(diff: PackageDiff) -> dict[str, int]:
    resources = diff.resources
    return {
        "rows_added": sum(len(r.added) for r in resources),
        "rows_removed": sum(len(r.removed) for r in resources),
        "rows_changed": sum(len(r.changed) for r in resources),
        "schema_changes": sum(len(r.schema) for r in resources),
        "resources_added": sum(r.status == ADDED for r in resources),
        "resources_removed": sum(r.status == REMOVED for r in resources),
    }


def summary(diff: PackageDiff) -> str:
    if not diff.resources:
        return "No differences."
    n = counts(diff)
    parts = [f"{_count(n['rows_' + kind], 'row')} {kind}" for kind in ("added", "removed", "changed")]
    optional = [(n["schema_changes"], "schema change", ""), (n["resources_added"], "resource", " added"),
                (n["resources_removed"], "resource", " removed")]
    parts += [_count(number, noun) + tail for number, noun, tail in optional if number]
    return ", ".join(parts) + "."


def _key(r: ResourceDiff, key: Key) -> str:
    """How a row is named: its key, or just "row" in a resource without one."""
    if not r.key:
        return "row"
    # Quoted where bare text would hide what it is.
    shown = ", ".join(_plain(value) for value in key.values)
    return shown + (f" (row {key.occurrence} with this key)" if key.occurrence > 1 else "")


def _heading(r: ResourceDiff) -> str:
    status = f": resource {r.status}" if r.status in (ADDED, REMOVED) else ""
    moved = f", moved from {_plain(r.base_path)}" if r.base_path and r.base_path != r.path else ""
    moved += f", renamed from {_plain(r.base_name)}" if r.base_name and r.base_name != r.name else ""
    nth = f", resource {r.occurrence} with this name" if r.occurrence > 1 else ""
    return f"{_plain(r.name)} ({_plain(r.path)}{moved}{nth}){status}"


def _withheld(where: str, line: int, row: ChangedRow | None = None) -> str:
    """A withheld row as every report names it: where it is, never what it holds."""
    fields = f"; fields {', '.join(_plain(c.field) for c in row.cells)}" if row else ""
    return f"a withheld row ({where} {line}{fields}): its values are not shown"


def _side(origin: Origin, markdown: bool = False) -> str:
    if origin.kind == WORKING_TREE:
        return "the working tree"
    # A full commit id (what CI passes) is shortened the way git shows it.
    label = origin.commit[:12] if origin.label == origin.commit else origin.label
    shown = "".join(shown_char(c) for c in label)
    return _code(shown) if markdown else shown


def _code(text: str) -> str:
    """Text as one Markdown code span whatever backticks it holds (a branch
    may be named so): fenced by a run of backticks longer than any in it."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{'`' * (longest + 1)}{pad}{text}{pad}{'`' * (longest + 1)}"


# Text ------------------------------------------------------------------------

def text(diff: PackageDiff) -> str:
    out = [f"Comparing {_side(diff.base)} with {_side(diff.head)}."]
    for r in diff.resources:
        out.append(_heading(r))
        out += [f"  schema: {describe(c)}" for c in r.schema]
        out += _text_rows(r, "added", r.added, "line")
        out += _text_rows(r, "removed", r.removed, "was line")
        out += [line for row in r.changed for line in _text_changed(r, row)]
    out.append(summary(diff))
    return "\n".join(out) + "\n"


def _text_cell(value: str, start: int = 0) -> str:
    part = excerpt(value, start)
    shown = _show(part.text)
    return f"{shown} [{part.note}]" if part.note else shown


def _text_rows(r: ResourceDiff, kind: str, rows: list[KeyedRow], where: str) -> list[str]:
    out = []
    for row in rows:
        if row.withheld:
            out.append(f"  {kind} {_withheld(where, row.line)}")
            continue
        out.append(f"  {kind} {_key(r, row.key)} ({where} {row.line}){_text_rekeyed(r, row)}")
        out += [f"    {_plain(column)}: {_text_cell(value)}" for column, value in row.cells.items()]
    return out


def _text_rekeyed(r: ResourceDiff, row: KeyedRow) -> str:
    return f": the row removed as {_key(r, row.rekeyed)}, with its key changed" if row.rekeyed else ""


def _text_changed(r: ResourceDiff, row: ChangedRow) -> list[str]:
    if row.withheld:
        return [f"  changed {_withheld('line', row.line, row)}"]
    out = [f"  changed {_key(r, row.key)} (line {row.line})"]
    return out + [f"    {_plain(c.field)}: {_text_cell(c.old, _at(c))} -> {_text_cell(c.new, _at(c))}{_text_note(c)}"
                  for c in row.cells]


def _text_note(change: CellChange) -> str:
    note = _lookalike(change)
    return f" [{note}]" if note else ""


def _lookalike(change: CellChange) -> str:
    """A note when old and new would look the same to a reviewer: another
    Unicode form of a letter (NFC "ş" and NFD "s" + cedilla), a no-break or
    zero-width space, spaces at an end or in a run (which Markdown collapses).
    It names the code points that differ, so that the change is not taken
    for no change at all. "" when the values look different."""
    old, new = change.old, change.new
    if _seen(old) != _seen(new):
        return ""
    at = first_difference(old, new)
    same_end = first_difference(old[at:][::-1], new[at:][::-1])
    parts = old[at:len(old) - same_end], new[at:len(new) - same_end]
    if max(map(len, parts)) > 4:  # several differences apart: the first one alone
        parts = _cluster(old, at), _cluster(new, at)
    return f"looks the same; first difference at character {at + 1:,}: " + " -> ".join(map(_code_points, parts))


def _seen(value: str) -> str:
    """What a reader sees of a value."""
    shown = "".join(c for c in unicodedata.normalize("NFKC", value) if unicodedata.category(c) not in ("Cf", "Cc"))
    return " ".join(shown.split())


def _cluster(value: str, at: int) -> str:
    """The character at `at` with the combining marks that follow it."""
    end = at + 1 if at < len(value) else at
    while end < len(value) and unicodedata.combining(value[end]):
        end += 1
    return value[at:end]


def _code_points(part: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in part) or "(nothing)"


def _at(change: CellChange) -> int:
    """Long old and new values are both shown from where they start to differ."""
    return first_difference(change.old, change.new)


# Markdown ----------------------------------------------------------------------

def _md(value) -> str:
    """A value as literal Markdown; a line break inside a cell becomes <br>,
    another character that does not show an escape."""
    escaped = "".join(c if c in "\r\n" else shown_char(c) for c in markdown_text("" if value is None else str(value)))
    return escaped.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def _md_cell(value: str, start: int = 0) -> str:
    part = excerpt(value, start)
    return _md(part.text) + (f"<br>{_md(f'[{part.note}]')}" if part.note else "")


def _md_note(change: CellChange) -> str:
    note = _lookalike(change)
    return f"<br>{_md(f'[{note}]')}" if note else ""


def _table(header: list[str], rows: list[list[str]], numeric: int = 1) -> list[str]:
    """A Markdown table of cells already written as Markdown; the first
    `numeric` columns are right-aligned."""
    align = ["---:"] * numeric + ["---"] * (len(header) - numeric)
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def markdown(diff: PackageDiff) -> str:
    out = ["## Data diff", "",
           f"Comparing {_side(diff.base, True)} with {_side(diff.head, True)}: {summary(diff)}", ""]
    for r in diff.resources:
        out += [f"### {_md(_heading(r))}", ""]
        if r.schema:
            out += ["Schema changes:", ""] + [f"- {_md(describe(c))}" for c in r.schema] + [""]
        out += _md_rows(r, "Rows added", r.added, "line")
        out += _md_rows(r, "Rows removed", r.removed, "was line")
        out += _md_changed(r)
    return "\n".join(out)


def _md_rows(r: ResourceDiff, title: str, rows: list[KeyedRow], where: str) -> list[str]:
    hidden = [f"- {_md(_withheld(where, row.line))}" for row in rows if row.withheld]
    rows = [row for row in rows if not row.withheld]
    if not rows:
        return [f"{title}:", ""] + hidden + [""] if hidden else []
    # Rows of one file have the same columns, but not the same cells past its header.
    columns = list(dict.fromkeys(column for row in rows for column in row.cells))
    body = [[str(row.line)] + [_md_cell(row.cells.get(c, "")) for c in columns] for row in rows]
    notes = [f"- {_md(f'line {row.line}: the row removed as {_key(r, row.rekeyed)}, with its key changed')}"
             for row in rows if row.rekeyed]
    return [f"{title}:", ""] + _table([where] + columns, body) + (notes + hidden + [""] if notes or hidden else [])


def _md_changed(r: ResourceDiff) -> list[str]:
    hidden = [f"- {_md(_withheld('line', row.line, row))}" for row in r.changed if row.withheld]
    shown = [row for row in r.changed if not row.withheld]
    if not shown:
        return ["Cells changed:", ""] + hidden + [""] if hidden else []
    body = [[str(row.line), _md(_key(r, row.key)), _md(c.field), _md_cell(c.old, _at(c)),
             _md_cell(c.new, _at(c)) + _md_note(c)] for row in shown for c in row.cells]
    key = ", ".join(r.key) if r.key else "row"
    return ["Cells changed:", ""] + _table(["line", key, "field", "old", "new"], body) + \
        (hidden + [""] if hidden else [])


# JSON --------------------------------------------------------------------------

def as_json(diff: PackageDiff) -> str:
    document = {
        "base": _origin_json(diff.base),
        "head": _origin_json(diff.head),
        "summary": counts(diff),
        "resources": [_resource_json(r) for r in diff.resources],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _origin_json(origin: Origin) -> dict:
    return {"label": origin.label, "kind": origin.kind, "commit": origin.commit}


def _key_json(r: ResourceDiff, key: Key) -> dict:
    return {"values": dict(zip(r.key, key.values)), "occurrence": key.occurrence}


def _resource_json(r: ResourceDiff) -> dict:
    return {
        "name": r.name,
        "occurrence": r.occurrence,
        "status": r.status,
        "path": r.path,
        "base_path": r.base_path,
        "base_name": r.base_name,
        "primary_key": r.key,
        "schema_changes": [c.to_dict() | {"message": describe(c)} for c in r.schema],
        "added": [_row_json(r, row) for row in r.added],
        "removed": [_row_json(r, row) for row in r.removed],
        "changed": [_changed_json(r, row) for row in r.changed],
    }


# A withheld row has its line and, when changed, the names of its changed
# fields; its key, row and values are null.

def _row_json(r: ResourceDiff, row: KeyedRow) -> dict:
    if row.withheld:
        return {"withheld": True, "key": None, "line": row.line, "row": None}
    rekeyed = {"rekeyed": _key_json(r, row.rekeyed)} if row.rekeyed else {}
    return {"withheld": False, "key": _key_json(r, row.key), "line": row.line, "row": row.cells} | rekeyed


def _changed_json(r: ResourceDiff, row: ChangedRow) -> dict:
    cells = [{"field": c.field, "old": None, "new": None} if row.withheld else {"field": c.field, "old": c.old, "new": c.new}
             for c in row.cells]
    return {"withheld": row.withheld, "key": None if row.withheld else _key_json(r, row.key), "line": row.line,
            "base_line": row.base_line, "cells": cells}
