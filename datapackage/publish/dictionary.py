"""The data dictionary, generated from the schemas: every resource and
field with its type, how its cells are written, constraints, allowed values
and their meanings, and how missing values are written. Rendered as Markdown (docs/) and HTML (the site)."""

from __future__ import annotations

import html
import json
import re
from pathlib import PurePosixPath

from datapackage.package import Package, Resource
from datapackage.read.convert import COUNTED, CUSTOM_FORMATS, missing_labels, missing_texts
from datapackage.validate.pandera_schemas import DEFAULT_MAX_LENGTH

MISSING = ("A blank cell means the sources give no value (unknown or not stated). In Parquet and "
           "SQLite a blank cell is NULL. Nothing else (no 'n/a', no '-') stands for a missing value.")
DATES = ("Dates are ISO 8601 and may be partial: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the "
         "source. Parquet and SQLite add two columns per date, FIELD_from and FIELD_to: the earliest and latest "
         "day it can mean (2021-06 gives 2021-06-01 and 2021-06-30).")
DECLARED = ("A blank cell means the sources give no value (unknown or not stated); so does a cell holding "
            "one of the missing values a schema or field declares, listed here ('' is a blank cell, and where "
            "it is not listed a blank cell is empty text). In Parquet and SQLite such a cell is NULL; the CSV "
            "keeps it as written.")
LENGTHS = ("A text field accepts values up to the length its rules give (at most N characters); "
           "a longer cell is an error.")


def _type(spec: dict) -> str:
    if spec.get("partialDate"):
        return "partial date"
    if spec.get("sourceList"):
        return "list of source ids"
    return spec.get("type", "string")


def _is_text(spec: dict) -> bool:
    return spec.get("type", "string") in ("string", "any")


def _missing(package: Package) -> str:
    """What stands for no value: a blank cell, unless a schema or a field
    declares its own missingValues."""
    declared = []
    for resource in package.resources:
        own = resource.schema.get("missingValues", [""])
        if own != [""]:
            declared.append((resource.name, own))
        declared += [(f"{resource.name}.{spec['name']}", spec["missingValues"]) for spec in resource.fields
                     if isinstance(spec.get("missingValues"), list) and spec["missingValues"] != own]
    if not declared:
        return MISSING
    return DECLARED + " " + "; ".join(f"{where}: {_missing_list(entries)}" for where, entries in declared) + "."


def _missing_list(entries: list) -> str:
    labels = missing_labels(entries)
    return ", ".join(repr(text) + (f" ({labels[text]})" if text in labels else "")
                     for text in missing_texts(entries)) or "none"


def _lengths(package: Package) -> str:
    """How long text may be, and where the limits come from."""
    if all("maxLength" in spec.get("constraints", {}) for r in package.resources for spec in r.fields if _is_text(spec)):
        return f"{LENGTHS} Every text field of this package declares its limit (maxLength in its schema)."
    return f"{LENGTHS} A field that declares no maxLength accepts up to {DEFAULT_MAX_LENGTH:,} characters."


def _written(spec: dict) -> list[str]:
    """How a field declares its cells are written, where not as Table Schema
    writes them by default: the CSV keeps each cell as written."""
    out = [f"{word} written {', '.join(map(str, spec[key]))}" for key, word in (("trueValues", "true"),
           ("falseValues", "false")) if isinstance(spec.get(key), list)]
    if spec.get("type") == "number" and spec.get("decimalChar", ".") != ".":
        out.append(f"decimal mark '{spec['decimalChar']}'")
    if spec.get("type") == "number" and spec.get("groupChar"):  # an integer's is not read (Table Schema)
        out.append(f"digits grouped by '{spec['groupChar']}'")
    if spec.get("bareNumber", True) is False:
        out.append("may have text before or after the number (such as % or €)")
    if spec.get("type") == "geopoint":
        out.append("longitude, then latitude, in decimal degrees (a pair lon, lat in Parquet)")
    if spec.get("type") == "list":
        out.append(f"a list of {spec.get('itemType', 'string')} items separated by '{spec.get('delimiter', ',')}' "
                   "(a list in Parquet)")
    if spec.get("type") in CUSTOM_FORMATS and spec.get("format", "default") != "default":
        out.append(f"written in the form {spec['format']}")
    return out


def _rules(resource: Resource, spec: dict) -> list[str]:
    c = spec.get("constraints", {})
    rules = _written(spec)
    if c.get("required") or spec["name"] in resource.schema.get("primaryKey", []):
        rules.append("required")
    if c.get("unique") or resource.schema.get("primaryKey") == [spec["name"]]:
        rules.append("unique")
    if "pattern" in c and not spec.get("partialDate"):
        example = f" (such as {spec['example']})" if isinstance(spec.get("example"), str) else ""
        rules.append(f"matches {c['pattern']}{example}")
    for bound, word in (("minimum", ">="), ("maximum", "<="), ("exclusiveMinimum", ">"), ("exclusiveMaximum", "<")):
        if bound in c:
            rules.append(f"{word} {c[bound]}")
    counted = COUNTED.get(spec.get("type", "string"))  # items or keys, not characters
    if "minLength" in c:
        rules.append(f"at least {c['minLength']:,} {counted or 'characters'}")
    if counted and "maxLength" in c:
        rules.append(f"at most {c['maxLength']:,} {counted}")
    if _is_text(spec):
        # The limit validation applies: declared, or the default for a field that declares none.
        rules.append(f"at most {c.get('maxLength', DEFAULT_MAX_LENGTH):,} characters")
    if "enum" in c:
        rules.append("one of the values below" + (", ordered lowest to highest" if spec.get("categoriesOrdered") else ""))
    rules += [_refers(spec["name"], key) for key in resource.foreign_keys if spec["name"] in key["fields"]]
    if spec.get("sourceList"):
        ref = spec["sourceList"]
        rules.append(f"each entry refers to {ref['resource']}.{ref['field']}, separated by '{ref.get('separator', ';')}'")
    if spec.get("notAfter"):
        rules.append(f"not after {spec['notAfter']}")
    if spec.get("notBefore"):
        rules.append(f"not before {spec['notBefore']}")
    if spec.get("partialDate"):
        rules.append("not after today")
    if spec.get("personName"):
        rules.append("names equal after folding spellings are flagged as possible duplicates")
    return rules


def _refers(name: str, key: dict) -> str:
    """What a field of a foreign key refers to: its own field of the other
    table, and with which of its fields where the key has more than one."""
    table, targets = key["reference"]["resource"], dict(zip(key["fields"], key["reference"]["fields"]))
    others = ", ".join(f"{field} to {table}.{target}" for field, target in targets.items() if field != name)
    return f"refers to {table}.{targets[name]}" + (f", with {others}" if others else "")


def value_text(value) -> str:
    """An allowed value as the schema and the CSV write it (true, not True)."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _values(spec: dict) -> list[tuple[str, str]]:
    """Each category as (value, meaning), both text. `docs` reads schemas
    that were never validated: a category written as a bare value, or with
    a label that is not text, still gets its line."""
    out = []
    for category in spec.get("categories") or []:
        category = category if isinstance(category, dict) else {"value": category}
        label = category.get("label")
        extra = ", ".join(f"{k}: {v}" for k, v in category.items() if k not in ("value", "label") and v)
        out.append((value_text(category.get("value", "")), (label if isinstance(label, str) else "")
                    + (f" ({extra})" if extra else "")))
    return out


def table_cell(text: str) -> str:
    """Text as one cell of a Markdown table row: a `|` would end the cell
    there, and a line break the row."""
    return re.sub(r"\r\n|[\r\n\u2028\u2029]", "<br>", text.replace("|", "\\|"))


def code_cell(text: str) -> str:
    """Text as code in one cell of a Markdown table, whatever backticks it
    holds: the code span is fenced by more backticks than any run inside."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return table_cell(f"{fence}{pad}{text}{pad}{fence}")


def _file(resource: Resource, folder: str | None) -> str:
    """Where the resource's CSV is (in `folder` of a release) and its key."""
    path = f"{folder}/{PurePosixPath(resource.path).name}" if folder else resource.path
    keys = resource.primary_key
    key = f"Primary key: {code_cell(', '.join(keys))}." if keys else "No primary key."
    return f"File: `{path}`. {key}"


def markdown(package: Package, folder: str | None = None) -> str:
    """The dictionary of the package; `folder` is where a release holds the
    CSVs (the package's own paths are named otherwise)."""
    lines = ["# Data dictionary", "", "Generated from `schemas/` by `datapackage docs`; do not edit by hand.", "",
             _missing(package), "", DATES, "", _lengths(package), ""]
    for resource in package.resources:
        lines += [f"## {resource.name}", "", resource.schema.get("description", ""), "",
                  _file(resource, folder), "",
                  "| field | type | rules | description |", "| --- | --- | --- | --- |"]
        for spec in resource.fields:
            rules = table_cell("; ".join(_rules(resource, spec)))
            lines.append(f"| {code_cell(spec['name'])} | {_type(spec)} | {rules} | "
                         f"{table_cell(spec.get('description', ''))} |")
        for spec in resource.fields:
            if spec.get("categories"):
                lines += ["", f"Values of `{spec['name']}`:", "", "| value | meaning |", "| --- | --- |"]
                lines += [f"| {code_cell(value)} | {table_cell(meaning)} |" for value, meaning in _values(spec)]
        lines.append("")
    return "\n".join(lines)


# The page's only style, the same on every page: the site's policy allows it
# by its hash (`plugins/guard_headers.py`), as the page is served there too.
STYLE = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;text-align:left}")


def html_page(package: Package) -> str:
    e = html.escape
    parts = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Data dictionary</title>",
             f"<style>{STYLE}</style></head><body><h1>Data dictionary</h1>",
             f"<p>{e(_missing(package))}</p><p>{e(DATES)}</p><p>{e(_lengths(package))}</p>"]
    for resource in package.resources:
        parts.append(f"<h2 id=\"{e(resource.name)}\">{e(resource.name)}</h2><p>{e(resource.schema.get('description', ''))}</p>")
        parts.append("<table><tr><th>field</th><th>type</th><th>rules</th><th>description</th></tr>")
        for spec in resource.fields:
            parts.append(f"<tr><td><code>{e(spec['name'])}</code></td><td>{e(_type(spec))}</td>"
                         f"<td>{e('; '.join(_rules(resource, spec)))}</td><td>{e(spec.get('description', ''))}</td></tr>")
        parts.append("</table>")
        for spec in resource.fields:
            if spec.get("categories"):
                parts.append(f"<p>Values of <code>{e(spec['name'])}</code>:</p><table><tr><th>value</th><th>meaning</th></tr>")
                parts += [f"<tr><td><code>{e(v)}</code></td><td>{e(m)}</td></tr>" for v, m in _values(spec)]
                parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
