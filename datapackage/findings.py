"""The one shape for everything validation reports."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

ERROR = "error"
WARNING = "warning"
SHOWN = 200  # characters of a value a finding repeats


def shown(value) -> str | None:
    """A value as a finding repeats it: text, long text shortened."""
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else str(value)
    if len(text) <= SHOWN:
        return text
    return f"{text[:SHOWN]}… ({len(text):,} characters)"


def accents_apart(value) -> str:
    """A note for text whose accented letters are each a letter and a separate
    accent (Unicode NFD, as macOS and some keyboards write them), or "": it
    looks like the text it fails to match."""
    if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
        return ("; some of its accented letters are written as a letter and a separate accent, which looks the "
                "same but is other text: type them again")
    return ""


@dataclass(frozen=True)
class Finding:
    path: str
    line: int | None
    column: int | None
    field: str | None
    value: str | None
    check: str
    severity: str
    message: str

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


FIELDS = tuple(f.name for f in fields(Finding))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def deduplicate(findings: list[Finding]) -> list[Finding]:
    """Keep the first finding for each (path, line, column, check): both passes
    report some problems, and the structural pass runs first. A finding with
    no line is about the descriptor or a schema, where one check can find
    several problems (one per field or name): each is kept."""
    seen: set[tuple] = set()
    kept = []
    for finding in findings:
        key = (finding.path, finding.line, finding.column, finding.check)
        if finding.line is None:
            key += (finding.field, finding.message)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


# A cell not in its field's form is one mistake: that it is then too long, or
# not a key of the table it refers to, follows from it and is not said again.
FORM_CHECKS = {"type", "pattern", "enum"}
FOLLOWING_CHECKS = {"maxLength", "minLength", "foreign-key"}


def one_per_cell(findings: list[Finding]) -> list[Finding]:
    """Drop a finding that follows from a cell's form when the form is found wrong."""
    wrong_form = {(f.path, f.line, f.column) for f in findings if f.check in FORM_CHECKS and f.line is not None}
    return [f for f in findings if not (f.check in FOLLOWING_CHECKS and (f.path, f.line, f.column) in wrong_form)]


def ordered(findings: list[Finding], paths: list[str]) -> list[Finding]:
    """Package order of files, then line, then column."""
    rank = {path: i for i, path in enumerate(paths)}
    return sorted(
        findings,
        key=lambda f: (rank.get(f.path, len(rank)), f.path, f.line or 0, f.column or 0, f.check),
    )
