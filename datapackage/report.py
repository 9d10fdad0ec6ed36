"""Findings as text, JSON, GitHub workflow commands or Markdown."""

from __future__ import annotations

import json
import re

from dataclasses import replace

from datapackage.findings import ERROR, WARNING, Finding

FORMATS = ("text", "json", "github", "markdown")


def render(findings: list[Finding], form: str) -> str:
    return {"text": text, "json": as_json, "github": github, "markdown": markdown}[form](findings)


def summary(findings: list[Finding]) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    warnings = sum(f.severity == WARNING for f in findings)
    if not findings:
        return "No errors or warnings."
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."


# How a message names another row of the same file (a duplicate, a first use).
ANOTHER_ROW = re.compile(r"\bon line (\d+)\b")


def conceal_withheld(findings: list[Finding], hidden: dict[str, set[int]]) -> list[Finding]:
    """The findings as a pull request may show them: a finding on a withheld
    row, or whose message quotes one, keeps its place and check, not its
    value or message. `hidden`: the lines of withheld rows by resource path."""
    def concealed(f: Finding) -> bool:
        lines = hidden.get(f.path, ())
        return f.line in lines or any(int(n) in lines for n in ANOTHER_ROW.findall(f.message))

    def conceal(f: Finding) -> Finding:
        about = f" in {f.field}" if f.field else ""
        return replace(f, value=None, message=f"{f.check}{about}, about a withheld row: not shown here where it "
                                              "would be public; run scripts/datapackage validate to read it")

    return [conceal(f) if concealed(f) else f for f in findings]


def _location(f: Finding) -> str:
    return ":".join(str(part) for part in (f.path, f.line, f.column) if part is not None)


def text(findings: list[Finding]) -> str:
    lines = [f"{_location(f)}: {f.severity}: {f.message} [{f.check}]" for f in findings]
    return "\n".join(lines + [summary(findings)]) + "\n"


def as_json(findings: list[Finding]) -> str:
    """A JSON list, one finding per line: readable in a diff, and each line
    written by the C encoder (`indent` would switch to the pure-Python one,
    seconds for the tens of thousands of warnings a large package can have)."""
    if not findings:
        return "[]\n"
    lines = ",\n".join("  " + json.dumps(f.to_dict(), ensure_ascii=False) for f in findings)
    return f"[\n{lines}\n]\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands, shown as annotations on the lines."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.path)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f.check)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)


# Backslash-escaping every character Markdown could read as syntax keeps each
# value literal: the report goes to a pull request's summary, where a cell's
# `<img ...>` or `[link](...)` must stay text. The data diff escapes alike.
MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~<>&])")


def markdown_text(value: str) -> str:
    return MARKDOWN_SYNTAX.sub(r"\\\1", value)


# A character that would act on a terminal or a page instead of showing
# (a line break, an escape sequence, a bidi override, a zero-width space) is
# written as an escape, so that a value can neither forge a line of a report
# nor reorder or hide what a reviewer reads.
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown_char(c: str) -> str:
    return ESCAPES.get(c) or (c if c.isprintable() else f"\\u{ord(c):04x}")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "".join(" " if c in "\r\n" else shown_char(c) for c in markdown_text(text))


def markdown(findings: list[Finding]) -> str:
    out = ["## Validation report", "", summary(findings), ""]
    if findings:
        out += ["| File | Line | Column | Field | Value | Check | Severity | Message |",
                "| --- | ---: | ---: | --- | --- | --- | --- | --- |"]
        for f in findings:
            cells = (f.path, f.line, f.column, f.field, f.value, f.check, f.severity, f.message)
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out)
