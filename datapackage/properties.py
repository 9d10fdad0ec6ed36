"""The properties a descriptor or Table Schema may carry into a release, in one place.

A descriptor or schema may hold any property. This toolkit reads and publishes
only those in KNOWN: the standard ones of Data Package, Data Resource, Table
Schema and its fields (v1 and v2), and the ones this project declares and its
code reads (`partialDate`, `sourceList`, `search`, the names of a rank in
other languages ...). Anything else, such as a maintainer's private note in a
custom property, stays in the curated files: `load_package` leaves it out of
the package that every check and output reads, so no published file holds
it, and validation warns that it will not be published.

A new property that the code reads must be added here, or it is dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from datapackage.findings import WARNING, Finding

CHECK = "unpublished-property"

# For each kind of object, its known properties and how to read each value:
# None keeps the value as it is; a kind reads it as an object of that kind;
# [kind] as a list of them.
KNOWN: dict[str, dict] = {
    "package": {
        **dict.fromkeys(["$schema", "profile", "name", "id", "title", "description", "homepage", "image", "version",
                         "created", "keywords"]),
        "licenses": ["license"], "sources": ["source"], "contributors": ["contributor"], "resources": ["resource"],
    },
    "resource": {
        **dict.fromkeys(["$schema", "profile", "name", "path", "data", "type", "title", "description", "homepage",
                         "format", "mediatype", "encoding", "bytes", "hash", "dialect"]),
        "compression": None,  # Frictionless's; read to refuse a compressed file
        "sources": ["source"], "licenses": ["license"], "schema": "schema",
    },
    "license": dict.fromkeys(["name", "path", "title"]),
    # source_id: the row of seeds/sources.csv that a source of the package is.
    "source": dict.fromkeys(["title", "path", "email", "version", "source_id"]),
    "contributor": dict.fromkeys(["title", "givenName", "familyName", "path", "email", "role", "roles",
                                  "organization"]),
    "schema": {
        **dict.fromkeys(["$schema", "primaryKey", "missingValues", "fieldsMatch", "uniqueKeys"]),
        # Declared here: the table's description, the field that names a row,
        # how a source is cited, the columns a table page opens on, and the
        # page of its own each row has on the site (person or case).
        **dict.fromkeys(["description", "labelField", "citeFields", "tableColumns", "page"]),
        "fields": ["field"], "foreignKeys": ["foreignKey"], "search": "search",
    },
    "search": dict.fromkeys(["name", "text"]),
    "foreignKey": {"fields": None, "reference": "reference"},
    "reference": dict.fromkeys(["resource", "fields"]),
    "field": {
        **dict.fromkeys(["name", "title", "description", "example", "type", "format", "rdfType", "missingValues",
                         "trueValues", "falseValues", "bareNumber", "groupChar", "decimalChar", "categoriesOrdered",
                         "delimiter", "itemType"]),
        # Declared here: the rules validation adds and the site reads.
        **dict.fromkeys(["partialDate", "personName", "notAfter", "notBefore", "allowFormula"]),
        # Constraints are kept as written: the Table Schema profile allows no
        # other, so an unknown one is an error before anything is published.
        "constraints": None, "categories": ["category"], "sourceList": "sourceList", "withholdsRow": "withholdsRow",
        # Declared here: a partial date drawn on the timelines, how its marks look.
        "timeline": "timeline",
        "arrayItem": None,  # Frictionless's; read to refuse it (its checks of each item are not applied)
    },
    # A value, its label and, declared here, other names of it (a rank in
    # Azerbaijani, naval and Russian terms, its group) and what a metric counts.
    "category": dict.fromkeys(["value", "label", "az", "az_naval", "ru", "group", "measure"]),
    "sourceList": dict.fromkeys(["resource", "field", "separator"]),
    "withholdsRow": dict.fromkeys(["value", "reason"]),
    "timeline": dict.fromkeys(["label", "marker", "colour"]),
}
# How a warning names each kind of object.
WHAT = {"package": "the package", "resource": "resource", "license": "a licence", "source": "a source",
        "contributor": "a contributor", "schema": "the schema", "search": "the search",
        "foreignKey": "a foreign key", "reference": "the reference", "field": "field", "category": "a category",
        "sourceList": "the sourceList", "withholdsRow": "the withholdsRow", "timeline": "the timeline"}


@dataclass(frozen=True)
class Unknown:
    holder: dict  # the object, as read, that has the property
    key: str
    what: str  # the object, in words
    field: str | None  # the field it belongs to, if any


def published(value, kind: str, within: str = "", field: str | None = None):
    """The value with only known properties, and every property left out.
    `within` names the object that holds this one, for the warnings."""
    if not isinstance(value, dict):
        return value, []
    what = _named(kind, value, within)
    field = value.get("name") if kind == "field" and isinstance(value.get("name"), str) else field
    kept, left = {}, []
    for key, item in value.items():
        if key not in KNOWN[kind]:
            left.append(Unknown(value, key, what, field))
            continue
        kept[key], more = _published_value(item, KNOWN[kind][key], what, field)
        left += more
    return kept, left


def _named(kind: str, value: dict, within: str) -> str:
    """`resource victims`, `field rank`, `a category of field rank` ..."""
    if kind in ("resource", "field"):
        return f"{WHAT[kind]} {value.get('name')}"
    return f"{WHAT[kind]} of {within}" if within else WHAT[kind]


def _published_value(item, how, within: str, field: str | None):
    if how is None:
        return item, []
    if isinstance(how, list):
        if not isinstance(item, list):
            return item, []
        pairs = [published(entry, how[0], within, field) for entry in item]
        return [kept for kept, _ in pairs], [unknown for _, found in pairs for unknown in found]
    return published(item, how, within, field)


def unpublished_findings(document, left: list[Unknown], where: str, path: Path) -> list[Finding]:
    """A warning for each property left out, at its line and column in the file."""
    if not left:
        return []
    text = _text(path)
    offsets = _key_offsets(document, text)
    findings = []
    for unknown in left:
        offset = offsets.get((id(unknown.holder), unknown.key))
        line, column = (None, None) if offset is None else _line_and_column(text, offset)
        message = (f"property '{unknown.key}' of {unknown.what} is neither a standard property nor one this "
                   f"toolkit declares: it stays in {where} and will not be published")
        findings.append(Finding(where, line, column, unknown.field, None, CHECK, WARNING, message))
    return findings


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


# A JSON string and, when it names a property, the colon after it. Outside
# strings JSON has no quotes, so matching from the start finds every string.
STRING = re.compile(r'("(?:[^"\\]|\\.)*")(\s*:)?')


def _key_offsets(document, text: str) -> dict[tuple[int, str], int]:
    """(id of an object, property name) -> where the name starts in the text.
    Both walks take properties in the order of the text; empty when the text
    does not match the document (a file changed since it was read)."""
    try:
        found = [(m.start(), json.loads(m.group(1))) for m in STRING.finditer(text) if m.group(2)]
    except ValueError:
        return {}
    keys = list(_keys_in_order(document))
    if [name for _, name in found] != [name for _, name in keys]:
        return {}
    return {key: offset for key, (offset, _) in zip(keys, found)}


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _keys_in_order(document):
    """(id of an object, property name) for every property, in the order of
    the text. Without recursion: any depth JSON can be read at is walked."""
    stack = [(None, document)]  # (property to yield first, value to walk)
    while stack:
        key, value = stack.pop()
        if key is not None:
            yield key
        if isinstance(value, dict):
            stack.extend(((id(value), name), item) for name, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((None, item) for item in reversed(value))
