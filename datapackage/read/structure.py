"""Structural findings of one CSV: the header against the schema, blank
rows and rows with the wrong number of cells, and a delimiter the
descriptor does not declare. Header labels are compared with the fields by
position, as Frictionless does."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import numpy as np

from datapackage.read.csvfile import Dialect, Records, open_quote_at_end, sample_lines, stripped_labels
from datapackage.findings import ERROR, Finding, accents_apart, shown
from datapackage.package import Resource

OTHER_DELIMITERS = (";", "\t", "|")
# A cell too many is most often a comma typed in a text cell of a row written by hand.
QUOTE_A_COMMA = ("; a cell that holds a comma must be in double quotes (\"Held, then released\"), "
                 "or it is read as two cells")
TRAILING_COMMA = "; or, if the line ends with a comma too many, remove it"
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def header_findings(resource: Resource, header: list[str]) -> list[Finding]:
    names = resource.field_names
    findings = []

    def add(column, field, value, check, message):
        findings.append(Finding(resource.path, 1, column, field, value, check, ERROR, message))

    expected = f"expected the columns {', '.join(names)}" if names else ""
    for position, label in enumerate(header, start=1):
        twice = bool(label.strip()) and header.index(label) != position - 1
        if names and position > len(names):  # past the schema's columns first, as in Frictionless
            said = (f"column {position} has no name in the header and is past the schema's columns" if not label.strip()
                    else f"column '{label}' appears twice in the header, the second time past the schema's columns"
                    if twice else f"column '{label}' is not in the schema")
            add(position, label.strip() and label or None, label.strip() and label or None, "extra-column",
                f"{said}; {expected}")
        elif not label.strip():
            add(position, None, None, "header", f"column {position} has no name in the header; {expected or 'expected a name'}")
        elif twice:
            add(position, label, label, "header", f"column '{label}' appears twice in the header; expected each column once")
        elif names and label != names[position - 1]:
            add(position, names[position - 1], label, "header",
                f"column {position} is '{label}' but the schema expects '{names[position - 1]}' there; {expected}"
                + accents_apart(label))
    for position in range(len(header) + 1, len(names) + 1):
        name = names[position - 1]
        add(position, name, None, "missing-column", f"column '{name}' is missing; {expected}")
    if resource.descriptor.get("schema") is None:  # a schema's fields are checked by name already
        findings += _case_only_differences(resource, header)
    return findings


def moved_columns(resource: Resource, header: list[str]) -> list[Finding]:
    """A header whose columns the schema names, some of them out of their
    place: a column moved, inserted or deleted in a spreadsheet, perhaps
    renamed too. Its cells would be checked as the fields of their position,
    a finding in nearly every row, so the one finding is the header, at the
    first column out of place. A column renamed in its place, or added or
    left out at the end, moves no other: those are found column by column
    and the rows are checked."""
    names = resource.field_names
    if not names or header == names or len(set(names)) != len(names) or len(set(header)) != len(header) \
            or not all(label.strip() for label in header):
        return []
    if all(position == names.index(label) for position, label in enumerate(header) if label in names):
        return []
    # A known column out of its place: the header and the names part before either ends.
    position = next(i for i, (label, name) in enumerate(zip(header, names), start=1) if label != name)
    label, name = header[position - 1], names[position - 1]
    return [Finding(resource.path, 1, position, name, label, "header", ERROR,
                    f"{_header_changes(header, names, position)}: {', '.join(names)}. "
                    "The rows are checked once they are")]


def _header_changes(header: list[str], names: list[str], position: int) -> str:
    """What sets a header apart from the schema's names, in a few words."""
    unknown = [label for label in header if label not in names]
    missing = [name for name in names if name not in header]
    said = [f"column {position} is '{header[position - 1]}' where '{names[position - 1]}' is expected"]
    if unknown:
        said.append(f"{_listed(unknown)} {'is' if len(unknown) == 1 else 'are'} not in the schema")
    if missing:
        said.append(f"{_listed(missing)} {'is' if len(missing) == 1 else 'are'} missing"
                    + (", perhaps renamed" if len(unknown) == len(missing) else ""))
    if not unknown and not missing:
        return f"the columns are in another order than the schema's ({said[0]}); put them back in this order"
    return f"the columns are not where the schema has them ({'; '.join(said)}); name and order them as it does"


def _listed(labels: list[str]) -> str:
    return ", ".join(f"'{label}'" for label in labels)


def sqlite_case(name: str) -> str:
    """A name as SQLite compares names: ASCII letters without case, every
    other character as it is (Kelvin's K and k, or Ä and ä, are two names)."""
    return name.translate(ASCII_LOWER)


def _case_only_differences(resource: Resource, header: list[str]) -> list[Finding]:
    """Labels that differ only in case: the columns of a resource without a
    schema are named by its header, and SQLite takes such names for one."""
    first: dict[str, str] = {}
    findings = []
    for position, label in enumerate(header, start=1):
        earlier = first.setdefault(sqlite_case(label), label)
        if earlier != label:  # the same label exactly is a finding of its own
            findings.append(Finding(resource.path, 1, position, label, label, "header", ERROR,
                                    f"columns '{earlier}' and '{label}' differ only in case, which the release's "
                                    "database does not tell apart; rename one of them"))
    return findings


def undeclared_delimiter(resource: Resource, header: list[str]) -> Finding | None:
    """Frictionless guesses the delimiter; we read what the descriptor says.
    A header of one cell that holds another usual delimiter is a finding."""
    if resource.descriptor.get("dialect") is not None or len(header) != 1:
        return None
    found = next((d for d in OTHER_DELIMITERS if d in header[0]), None)
    if found is None:
        return None
    shown_as = {"\t": "a tab"}.get(found, f"'{found}'")
    return Finding(resource.path, 1, 1, None, None, "dialect", ERROR,
                   f"the header has no commas but has {shown_as} between names; separate cells with commas, "
                   f"or declare \"dialect\": {{\"delimiter\": \"{found}\"}} for this resource in datapackage.json")


def guessed_dialect(resource: Resource, path: Path) -> Finding | None:
    """Frictionless guesses what the dialect leaves out (the delimiter among
    `,`, tab, `;` and `|`, and whether spaces after a delimiter are skipped)
    from the file's first lines, with Python's `csv.Sniffer`; we read Table
    Dialect's defaults. Where its guess would read the file otherwise, the
    cells are not the same to everyone who reads the package: a finding."""
    declared = _declared_dialect(resource)
    delimiter, quote = declared.get("delimiter", ","), declared.get("quoteChar", '"')
    sample = sample_lines(path)
    if not sample or "skipInitialSpace" in declared and "delimiter" in declared:
        return None
    try:
        guess = csv.Sniffer().sniff(sample, delimiter if "delimiter" in declared else ",\t;|")
    except csv.Error:
        return None  # Frictionless then reads Python's default, ours
    if "delimiter" not in declared and guess.delimiter != delimiter:
        shown_as = {"\t": "a tab"}.get(guess.delimiter, f"'{guess.delimiter}'")
        return Finding(resource.path, 1, None, None, None, "dialect", ERROR,
                       f"the first lines look separated by {shown_as} to readers that guess the delimiter "
                       "(Frictionless among them), where this toolkit reads commas, as the descriptor says "
                       f"nothing; declare \"dialect\": {{\"delimiter\": \"{delimiter}\"}} for this resource in "
                       "datapackage.json, or the delimiter the file is written with")
    # The sniffer also counts spaces after characters that are no delimiter (`: "` in JSON).
    line = guess.skipinitialspace and "skipInitialSpace" not in declared and \
        _first_skipped_space(path, delimiter, quote)
    if not line:
        return None
    return Finding(resource.path, line, None, None, None, "dialect", ERROR,
                   "a cell starts with a space after the delimiter, which readers that guess the dialect from "
                   "the file's first lines (Frictionless among them) would drop here, where this toolkit keeps "
                   "it, as Table Dialect says by default; remove the space, or declare \"dialect\": "
                   "{\"skipInitialSpace\": false} for this resource in datapackage.json to keep it")


def _first_skipped_space(path: Path, delimiter: str, quote: str) -> int | None:
    """The line of the first row that reads otherwise when spaces after a
    delimiter are skipped. Only run where the sniffer guesses they are,
    which the files we have met never lead it to."""
    def rows(skip: bool):
        file = open(path, encoding="utf-8-sig", errors="replace", newline="")
        return file, csv.reader(file, delimiter=delimiter, quotechar=quote, skipinitialspace=skip)

    (kept_file, kept), (skipped_file, skipped) = rows(False), rows(True)
    with kept_file, skipped_file:
        line = 1
        for as_written, as_skipped in zip(kept, skipped):
            if as_written != as_skipped and (line > 1 or stripped_labels(as_written) != stripped_labels(as_skipped)):
                return line  # (labels are read without the spaces around them)
            line = kept.line_num + 1
    return None


def _declared_dialect(resource: Resource) -> dict:
    """The dialect's CSV properties as the descriptor gives them (at its top
    level or in its `csv` part)."""
    dialect = resource.descriptor.get("dialect")
    if not isinstance(dialect, dict):
        return {}
    part = dialect.get("csv")
    return {**dialect, **part} if isinstance(part, dict) else dialect


def row_findings(resource: Resource, data: bytes, records: Records, columns: int, dialect: Dialect) -> list[Finding]:
    """Empty lines and ragged rows, one finding each (the cells of a ragged
    row are not checked: which column is which cannot be known)."""
    findings = []
    names = resource.field_names
    for record in np.flatnonzero(records.blank[1:]) + 1:
        findings.append(Finding(resource.path, int(records.start_line[record]), None, None, None, "blank-row", ERROR,
                                "the row is empty; remove the blank line"))
    ragged = np.flatnonzero(~records.blank & (records.cells != columns))
    split = set()
    for record in ragged[ragged > 0]:
        if record in split:
            continue  # the second half of a row cut by a line break, said with its first half
        cells = _cells(data, records, int(record), dialect)
        line, count = int(records.start_line[record]), len(cells)
        message = (f"the row has {count} cell{'s' * (count != 1)} but the header has {columns} "
                   f"column{'s' * (columns != 1)}; expected one cell per column")
        if _cut_by_line_break(data, records, int(record), columns, dialect.quote.encode()):
            split.add(record + 1)
            field = names[count - 1] if count <= len(names) else None
            findings.append(Finding(resource.path, line, count, field, shown(cells[-1]), "missing-cell", ERROR,
                                    f"the row ends in cell {count}{f' ({field})' if field else ''} and the next line "
                                    "holds the rest of it: a line "
                                    "break in this cell cuts the row in two; remove the line break, or put the "
                                    "whole cell in double quotes"))
        elif count < columns:
            field = names[count] if count < len(names) else None
            findings.append(Finding(resource.path, line, count + 1, field, None, "missing-cell", ERROR, message))
        else:
            # Empty cells past the last column may be a comma left at the end of the line, or a comma in a
            # cell shifting an empty last cell out (a row's last cell, withheld_reason say, is often empty).
            hint = QUOTE_A_COMMA + (TRAILING_COMMA if not any(cells[columns:]) else "")
            findings.append(Finding(resource.path, line, columns + 1, None, shown(cells[columns]), "extra-cell", ERROR,
                                    message + hint))
    if open_quote_at_end(data, records, dialect):
        findings.append(_unclosed_quote(resource, records))
    return findings


def _cut_by_line_break(data: bytes, records: Records, record: int, columns: int, quote: bytes) -> bool:
    """A row too short followed by one whose cells make up the rest of it,
    the cell cut in two counted in both: a line break typed in a cell that
    is not in quotes. A cell in quotes on either side of the break was
    whole: the rows are then two rows, each of them short or long."""
    following = record + 1
    if record + 1 >= len(records.cells) or records.blank[following]:
        return False
    end = int(records.start[record] + records.length[record])
    if data[end - 1:end] == quote or data[int(records.start[following]):int(records.start[following]) + 1] == quote:
        return False
    # A break in the first cell leaves a whole row after it: that is a short row and a row.
    return bool(1 < records.cells[record] < columns and records.cells[record] + records.cells[following] - 1 == columns)


def ragged_keys(resource: Resource, data: bytes, records: Records, columns: int, dialect: Dialect) -> list[dict]:
    """The key cells of each ragged row, by position as far as the row has
    cells. The row itself is one finding and is not checked, but its key is
    there: a row elsewhere that refers to it is not told it does not exist
    (one comma left unquoted in a summary would be a finding in every table)."""
    names = resource.field_names
    keys = [i for i, name in enumerate(names) if name in resource.primary_key
            or (resource.field(name) or {}).get("constraints", {}).get("unique")]
    ragged = np.flatnonzero(~records.blank & (records.cells != columns))
    found = []
    for record in ragged[ragged > 0]:
        cells = _cells(data, records, int(record), dialect)
        found.append({names[i]: cells[i] for i in keys if i < len(cells)})
    return found


def _unclosed_quote(resource: Resource, records: Records) -> Finding:
    """The last record's last cell opens a quote that is never closed: every
    line after it was read into that cell, rows lost without a word."""
    column = int(records.cells[-1])
    names = resource.field_names
    return Finding(resource.path, int(records.start_line[-1]), column, names[column - 1] if column <= len(names) else None,
                   None, "unclosed-quote", ERROR,
                   f"a quote opens cell {column} of this row and is never closed, so every line after it to the end "
                   "of the file is read into that cell; close the quote, or write a quote that is part of the text "
                   "as two quotes (\"\")")


def _cells(data: bytes, records: Records, record: int, dialect: Dialect) -> list[str]:
    start = int(records.start[record])
    raw = data[start:start + int(records.length[record])].decode("utf-8", errors="replace")
    return next(csv.reader(io.StringIO(raw, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote), [])


def blank_row_findings(resource: Resource, empty_rows: np.ndarray, lines: np.ndarray,
                       written: np.ndarray) -> list[Finding]:
    """Rows whose every cell stands for no value (such as a line of commas);
    `written`: those of them with a missing value written out (`NA,NA`)."""
    said = set(written.tolist())
    return [Finding(resource.path, int(lines[row]), None, None, None, "blank-row", ERROR,
                    "every cell of the row is a missing value; remove the row" if row in said
                    else "the row is empty; remove the blank line") for row in empty_rows]
