"""Is each Table Schema sound enough to check cells against?

Frictionless is the authority on the Data Package and Table Schema profiles;
its messages are passed on as they are. The checks here cover what the
profiles do not: names that must point somewhere (keys, our declared rules),
patterns both regular-expression engines read alike, and features this toolkit does not read. A
resource whose schema has an error is still checked for structure (header,
ragged rows, encoding), but not cell by cell.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

import polars as pl

from datapackage.findings import ERROR, Finding
from datapackage.package import Package, Resource
from datapackage.publish.release_names import release_name_findings
from datapackage.publish.search_index import KEYS as SEARCH_KEYS
from datapackage.site.metadata import PAGE_KINDS
from datapackage.read.convert import CUSTOM_FORMATS, ITEM_TYPES, JSON_KINDS, WHAT, zone_free, zoned
from datapackage.read.formats import format_problem
from datapackage.read.patterns import pattern_problem, whole
from datapackage.validate.pandera_schemas import BOUNDS, typed_values, unreadable
from datapackage.validate.rules import dated
from datapackage.read.structure import sqlite_case
from datapackage.read.table import added_columns

TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time", "year", "yearmonth", "geopoint",
         "duration", "list", "object", "array", "geojson", "any"}
# The default format of each type that has formats; a kind written in a form also reads custom (%) ones.
FORMATS = {kind: {"default"} for kind in ("string", "duration", "list", "object", "array", *WHAT)}
FORMATS["geopoint"] = {"default", "array", "object"}
FORMATS["geojson"] = {"default", "topojson"}
NUMERIC_BOUNDS = {"integer", "number", "year"}


def schema_findings(package: Package) -> list[Finding]:
    findings = _profile_findings(package) + release_name_findings(package) + _link_findings(package)
    for resource in package.resources:
        problems = list(_resource_problems(package, resource))
        where = resource.schema_path or "datapackage.json"
        own = [Finding(where, None, None, field, None, check, ERROR, message) for check, field, message in problems]
        findings += own
        if own or not resource.schema:
            resource.checkable = False
    return findings


# Schemes a published link may have: the site and the data dictionary make
# each of these links a link (a `javascript:` one would be a link that runs,
# however the site's policy stops it), and a path without one is a file of
# the package.
LINK_SCHEMES = ("http", "https", "mailto")
SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def _link_findings(package: Package) -> list[Finding]:
    """A homepage or the path of a licence, source or contributor, of the
    package or of a resource, whose scheme is not a web or mail address."""
    owners = [("", package.descriptor)] + [(f"resource '{r.name}': ", r.descriptor) for r in package.resources]
    findings = []
    for prefix, owner in owners:
        links = [("homepage", owner.get("homepage"))] + [
            (f"{kind}[{number}].path", item.get("path"))
            for kind in ("licenses", "sources", "contributors") if isinstance(owner.get(kind), list)
            for number, item in enumerate(owner[kind]) if isinstance(item, dict)]
        for where, link in links:
            scheme = SCHEME.match(link) if isinstance(link, str) else None
            if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
                findings.append(Finding("datapackage.json", None, None, None, link, "descriptor", ERROR,
                                        f"{prefix}{where} is a {scheme.group(1)}: address; expected an http(s) or "
                                        "mailto address, or the path of a file in the package"))
    return findings


# The marks a timeline can draw (matplotlib's filled markers).
MARKERS = set("ov^<>spP*hHXDd")
# What SQLite calls a row's id; a column of that name hides it.
ROW_ID_NAMES = {"rowid", "oid", "_rowid_"}


def _profile_findings(package: Package) -> list[Finding]:
    """The descriptor, schemas inlined, against the Data Package profile.
    The verdict depends only on that JSON and the Frictionless version, so
    it is kept in a cache: a pull request that changes only CSVs does not
    pay for loading Frictionless."""
    descriptor = json.loads(json.dumps(package.descriptor))
    for item, resource in zip((r for r in descriptor["resources"] if isinstance(r, dict)), package.resources):
        if resource.schema_path and resource.schema:
            item["schema"] = resource.schema
        elif isinstance(item.get("schema"), dict) and item["schema"] and not resource.schema:
            del item["schema"]  # set aside for values of the wrong kind, which the package says once
    text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False)
    cache = _cache_file(text)
    try:
        messages = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        messages = _profile_messages(descriptor)
        _store(cache, messages)
    return [Finding("datapackage.json", None, None, None, None, "descriptor", ERROR,
                    f"the descriptor does not follow the Data Package profile: {message}") for message in messages
            if not SAID_HERE.search(message)]


# Frictionless stops reading a descriptor with a property of the wrong kind in
# some places; the checks here say which property (a foreign key's reference).
MISREAD = "a property has the wrong kind of value, so Frictionless cannot read the descriptor"


def _profile_messages(descriptor: dict) -> list[str]:
    from frictionless import FrictionlessException
    from frictionless import Package as FrictionlessPackage

    try:
        report = FrictionlessPackage.validate_descriptor(descriptor)
    except (FrictionlessException, RecursionError, TypeError, ValueError) as error:
        return [str(error)]
    except (AttributeError, KeyError):  # its reading of a shape it does not expect, such as "reference": null
        return [MISREAD]
    return [error.note or error.message for error in report.errors]


def _cache_file(text: str) -> Path:
    # The messages depend on Frictionless and on the code here that words
    # them: a cache kept by another version of either is not read.
    version = metadata.version("frictionless")
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    digest = hashlib.sha256(f"{version}\n{code}\n{text}".encode("utf-8")).hexdigest()
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "tartar-datapackage" / f"profile-{digest}.json"


def _store(cache: Path, messages: list[str]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(messages), encoding="utf-8")
        os.replace(temporary, cache)
    except OSError:
        pass  # no cache folder: the check simply runs every time


def _resource_problems(package: Package, resource: Resource):
    schema = resource.schema
    if not schema:
        return
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        yield "schema", None, "'fields' must be a list of objects"
        return
    names = [f.get("name") for f in fields]
    for number, name in enumerate(names, start=1):
        if not isinstance(name, str) or not name.strip():
            yield "schema", None, f"field {number} has no name; expected a non-empty 'name'"
        elif names.index(name) != number - 1:
            yield "schema", name, f"field name '{name}' is used twice; expected unique field names"
        elif "]" in name:  # Datasette writes column names in SQL as [name]
            yield "not-supported", name, f"not supported: field name '{name}' has a ']', which the site cannot show"
        elif sqlite_case(name) in ROW_ID_NAMES:  # the column would hide the row id the search index is keyed by
            yield "not-supported", name, f"not supported: field name '{name}' is SQLite's name for a row's id"
    for spec in fields:
        taken = [c for c in added_columns(spec) if c in names] if isinstance(spec.get("name"), str) else []
        if taken:
            yield "schema", spec["name"], (f"field {spec['name']} gains the column {taken[0]} in the release, "
                                           f"and a field has that name; rename one of them")
    yield from _table_shape_problems(schema, fields)
    known = {n for n in names if isinstance(n, str)}
    for spec in fields:
        if isinstance(spec.get("name"), str):
            yield from _field_problems(package, resource, spec, known)
    yield from _key_problems(package, resource, known)
    yield from _site_problems(schema, known)
    yield from _publishable_problems(resource, fields)


def _table_shape_problems(schema: dict, fields: list[dict]):
    """What the profile allows but no table can hold: no columns at all,
    names the release's database takes for one, missing values not text."""
    if not fields:
        yield "schema", None, "the schema lists no fields; expected at least one field, one for each column"
    yield from _case_collisions(fields)
    yield from _missing_values_problems(schema.get("missingValues", []))
    yield from _unapplied_problems(schema)


def _unapplied_problems(schema: dict):
    """Table Schema properties this toolkit reads but does not apply: left
    unsaid, a table would pass what they forbid (rows repeating a unique
    key) or be read otherwise than they say (columns matched by name)."""
    if schema.get("uniqueKeys"):
        yield "not-supported", None, ("not supported: uniqueKeys; expected a primaryKey, or \"unique\": true "
                                      "in a field's constraints")
    match = schema.get("fieldsMatch", "exact")
    if match != "exact":
        yield "not-supported", None, (f"not supported: fieldsMatch {match!r}; the columns are matched to the "
                                      "fields in order, as \"exact\" says")


def _case_collisions(fields: list[dict]):
    """SQLite does not tell column names apart by case: fields X and x, or a
    field D_from beside the D_from a partial date d gains, are one column."""
    columns: dict[str, tuple[str, str]] = {}  # the column's name in lowercase: the column, its field
    for spec in fields:
        name = spec.get("name")
        if not isinstance(name, str):
            continue
        for column in [name] + added_columns(spec):
            first = columns.setdefault(sqlite_case(column), (column, name))
            if first[0] != column:  # the same name exactly is a finding of its own
                yield "schema", name, (f"{_column(*first)} and {_column(column, name)} differ only in case, which "
                                       "the release's database does not tell apart; rename one of them")


def _column(column: str, field: str) -> str:
    return f"field {field}" if column == field else f"the column {column} that field {field} gains in the release"


def _missing_values_problems(missing, field: str | None = None):
    """What makes a schema's missingValues, or a field's own (`field`), unusable."""
    said = "'missingValues'" if field is None else f"field {field}: 'missingValues'"
    if not isinstance(missing, list):
        yield "schema", field, f"{said} must be a list of strings"
    elif any(isinstance(value, dict) for value in missing):
        yield from _labelled_missing_problems(missing, field, said)
    elif not all(isinstance(value, str) for value in missing):
        # A cell is text: a number here would never match one, and the column engine refuses the mix.
        odd = next(value for value in missing if not isinstance(value, str))
        yield "schema", field, (f"{said} has {json.dumps(odd)}, which is not text; "
                                "expected a list of strings, such as [\"\", \"NA\"]")


def _labelled_missing_problems(missing: list, field: str | None, said: str):
    """missingValues written as objects (Table Schema 2): every entry one,
    each with a text value and at most a text label, values and labels
    each used once (as Frictionless has them)."""
    form = '[{"value": "-99", "label": "refused to answer"}]'
    odd = next((entry for entry in missing if not isinstance(entry, dict) or not isinstance(entry.get("value"), str)
                or not isinstance(entry.get("label", ""), str)), None)
    if odd is not None:
        yield "schema", field, (f"{said} has {json.dumps(odd)}; expected every entry an object with a text value "
                                f"and, if any, a text label, such as {form}")
        return
    for key in ("value", "label"):
        written = [entry[key] for entry in missing if key in entry]
        twice = next((text for number, text in enumerate(written) if text in written[:number]), None)
        if twice is not None:
            yield "schema", field, f"{said} has the {key} {json.dumps(twice)} twice; expected each {key} once"


def _field_problems(package: Package, resource: Resource, spec: dict, known: set[str]):
    name, kind = spec["name"], spec.get("type", "string")
    if kind not in TYPES:
        yield "not-supported", name, f"not supported: field {name} has type {kind!r}; this toolkit reads {', '.join(sorted(TYPES))}"
        return
    form = spec.get("format", "default")
    if kind in FORMATS and form not in FORMATS[kind] and not (kind in CUSTOM_FORMATS and "%" in str(form)):
        yield "not-supported", name, f"not supported: field {name} has format {form!r}"
    elif kind in CUSTOM_FORMATS and form != "default" and (problem := format_problem(kind, str(form))):
        yield "schema", name, f"field {name}: format {form!r} {problem}"
    if kind in ("integer", "number"):
        yield from _number_char_problems(name, spec)
    if kind == "list":
        yield from _list_problems(name, spec)
    if kind in JSON_KINDS:
        yield from _json_problems(name, kind, spec)
    if "arrayItem" in spec:  # Frictionless's own property, which checks each item of an array
        yield "not-supported", name, (f"not supported: arrayItem (field {name}); declare a field of type list with "
                                      "its itemType")
    if "missingValues" in spec:
        yield from _missing_values_problems(spec["missingValues"], name)
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        yield "schema", name, f"field {name}: 'constraints' must be an object"
        return
    yield from _constraint_problems(spec, kind, constraints)
    yield from _version_problems(package, name, constraints)
    yield from _rule_problems(package, resource, spec, known)
    categories = spec.get("categories")
    if categories is not None and (not isinstance(categories, list)
                                   or [c.get("value") if isinstance(c, dict) else c for c in categories]
                                   != constraints.get("enum")):
        yield "schema", name, f"field {name}: categories must list the enum values in the same order"


# The constraints read on JSON fields: an object's keys or an array's items are
# counted, as Frictionless counts them; an enum (Frictionless compares values
# read from JSON) would need a vocabulary of values no release column holds.
JSON_CONSTRAINTS = {"object": {"required", "minLength", "maxLength"}, "array": {"required", "minLength", "maxLength"},
                    "geojson": {"required"}}


def _json_problems(name: str, kind: str, spec: dict):
    constraints = spec.get("constraints")
    told = sorted(set(constraints) - JSON_CONSTRAINTS[kind]) if isinstance(constraints, dict) else []
    if told:
        yield "not-supported", name, f"not supported: {', '.join(told)} on a field of type {kind} (field {name})"


# Characters a number is written with: as a group or decimal character they
# would be taken out of, or read into, a number (1-000 as 1000, 1e5 as 1.5).
NUMBER_CHARS = set("0123456789+-eE")


def _number_char_problems(name: str, spec: dict):
    """groupChar and decimalChar are one character each (Table Schema), and
    neither may be a character of a number nor the other one."""
    chars = {"groupChar": spec.get("groupChar"), "decimalChar": spec.get("decimalChar", ".")}
    for key, char in chars.items():
        if key in spec and not (isinstance(char, str) and len(char) == 1 and char not in NUMBER_CHARS):
            yield "schema", name, (f"field {name}: {key} is {json.dumps(char)}; expected one character that is "
                                   "not a digit, a sign (+ or -), e or E")
    if chars["groupChar"] == chars["decimalChar"]:
        yield "schema", name, (f"field {name}: groupChar and decimalChar are both {json.dumps(chars['groupChar'])}; "
                               "expected two different characters, such as groupChar \",\" and decimalChar \".\"")


def _constraint_problems(spec: dict, kind: str, constraints: dict):
    name, example = spec["name"], spec.get("example")
    enum = constraints.get("enum")
    if enum is not None and (not isinstance(enum, list) or not enum):
        yield "schema", name, f"field {name}: 'enum' must be a non-empty list"
    elif enum and kind == "geopoint":  # the column engine's checks take no point (a pair) as a value
        yield "not-supported", name, (f"not supported: an enum of points (field {name}); "
                                      "declare a pattern of a text field")
    elif enum and kind == "duration":  # kept as written: PT60M would not be PT1H, as Frictionless has it
        yield "not-supported", name, (f"not supported: an enum of durations (field {name}); "
                                      "declare the field as string, with its enum")
    elif enum and kind == "string" and not all(isinstance(value, str) for value in enum):
        # Frictionless compares a cell with each value as given: "2" is not 2, and no cell is null.
        odd = next(value for value in enum if not isinstance(value, str))
        yield "schema", name, f"field {name}: enum value {json.dumps(odd)} is not text; expected the values as strings"
    pattern = constraints.get("pattern")
    if pattern is not None:
        problem = pattern_problem(pattern)
        if problem:
            yield "schema", name, f"field {name}: pattern {pattern!r} {problem}"
        elif isinstance(example, str) and not pl.select(pl.lit(example).str.contains(whole(pattern))).item():
            # The example is what a finding about the pattern shows as the form to follow.
            yield "schema", name, f"field {name}: example {example!r} does not match its pattern {pattern!r}"
    for bound in ("minLength", "maxLength"):
        value = constraints.get(bound)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            yield "schema", name, f"field {name}: '{bound}' must be a whole number, 0 or more"
    for bound in BOUNDS:
        value = constraints.get(bound)
        if value is None:
            continue
        if kind in WHAT:
            if not isinstance(value, str) or not typed_values(spec, [value]):
                yield "schema", name, (f"field {name}: '{bound}' {json.dumps(value)} is not a {WHAT[kind]} as the "
                                       f"field writes them (format {spec.get('format', 'default')!r})")
        elif kind not in NUMERIC_BOUNDS:
            yield "not-supported", name, f"not supported: '{bound}' on a field of type {kind}"
        elif not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            # An infinity (Infinity, or 1e999 read as one) is no bound, and no strict JSON either.
            yield "schema", name, f"field {name}: '{bound}' must be a finite number"
    written = [constraints[b] for b in BOUNDS if isinstance(constraints.get(b), str)]
    if zone_free(spec) and len(set(zoned(pl.Series(written, dtype=pl.String)).to_list())) > 1:
        # Each cell is compared with both: a column holds times with zones or without (datetime-zone).
        yield "schema", name, (f"field {name}: bounds {', '.join(written)} are written with and without a time "
                               "zone; expected all with their zone (Z or +hh:mm), or all without")


# Types whose enum values are read as values (text as a cell, or a JSON number or boolean).
READ_VALUES = ("integer", "number", "boolean", "year", *WHAT)


# Constraints Table Schema added in v2, and the profile a package declares to use them.
V2_CONSTRAINTS = ("exclusiveMinimum", "exclusiveMaximum")
V2_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# Frictionless's note for them under v1: said here once, with the field's name.
V2_GATE = re.compile(r'constraint "(?:exclusiveMinimum|exclusiveMaximum)" requires datapackage v2')
# Profile notes the checks here make too, naming the schema file and field:
# the v1 gate of exclusive bounds, a foreign key whose reference names
# another number of fields, and missingValues of the wrong shape or repeated.
SAID_HERE = re.compile(V2_GATE.pattern + r'|^foreign key fields ".*" does not match the reference fields ".*"$'
                       r"|is not valid under any of the given schemas at property 'missingValues'$"
                       r'|^missing value (?:label )?".*" is not unique$')


def datapackage_version(descriptor: dict) -> str:
    """v1, v2 or unknown, as Frictionless resolves the package's `$schema`:
    none is v1 (the standard says so; a legacy `profile` does not count), a
    datapackage.org profile its major version, any other profile unknown."""
    declared = descriptor.get("$schema")
    if not declared:
        return "v1"
    url = urlparse(declared) if isinstance(declared, str) else None
    major = re.search(r"/profiles/(\d+)\.\d+/", url.path) if url and url.netloc == "datapackage.org" else None
    return {"1": "v1", "2": "v2"}.get(major.group(1) if major else "", "unknown")


def _version_problems(package: Package, name: str, constraints: dict):
    if datapackage_version(package.descriptor) != "v1":
        return  # an unknown profile accepts v1 and v2 alike, as in Frictionless
    for bound in V2_CONSTRAINTS:
        if bound in constraints:
            yield "schema", name, (f"field {name}: '{bound}' is a Data Package v2 constraint, and the package is v1 "
                                   f"(it declares no v2 \"$schema\"); expected \"$schema\": \"{V2_PROFILE}\" "
                                   "in datapackage.json")


def _rule_problems(package: Package, resource: Resource, spec: dict, known: set[str]):
    name = spec["name"]
    other = spec.get("notAfter")
    if other is not None and (not isinstance(other, str) or other not in known):
        yield "schema", name, f"field {name}: notAfter names {other!r}, which is not a field of {resource.name}"
    target = spec.get("notBefore")
    if target is not None:
        yield from _not_before_problems(package, resource, name, target)
    for rule in ("partialDate", "sourceList", "personName"):  # rules that read text
        if spec.get(rule) and spec.get("type", "string") != "string":
            yield "schema", name, f"field {name}: {rule} needs type string"
    sources = spec.get("sourceList")
    if sources is not None:
        yield from _source_list_problems(package, name, sources)
    timeline = spec.get("timeline")
    if timeline is not None and not (isinstance(timeline, dict) and spec.get("partialDate")
                                     and isinstance(timeline.get("label"), str) and timeline["label"]
                                     and timeline.get("marker") in MARKERS
                                     and re.fullmatch(r"#[0-9a-fA-F]{6}", str(timeline.get("colour"))) is not None):
        yield "schema", name, (f"field {name}: timeline must be on a partialDate field and give a 'label', a 'marker' "
                               f"(one of {' '.join(sorted(MARKERS))}) and a 'colour' written #rrggbb")
    mark = spec.get("withholdsRow")
    if mark is not None:
        enum = spec.get("constraints", {}).get("enum", [])
        if not isinstance(mark, dict) or mark.get("value", "withheld") not in enum \
                or not isinstance(mark.get("reason"), str) or mark["reason"] not in known:
            yield "schema", name, (f"field {name}: withholdsRow must give a 'value' from the field's enum and a "
                                   "'reason' field of this resource")


def _not_before_problems(package: Package, resource: Resource, name: str, target):
    other_name, _, other_field = str(target).partition(".")
    other = package.resource(other_name)
    if not other_field or other is None or other_field not in _names(other):
        yield "schema", name, (f"field {name}: notBefore {target!r} must name an existing resource.field, "
                               "such as cases.began_on")
        return
    keys = [k for k in resource.schema.get("foreignKeys", []) if isinstance(k, dict)
            and k.get("reference", {}).get("resource") == other_name]
    if not keys:
        yield "schema", name, f"field {name}: notBefore {target!r} needs a foreign key to {other_name}"
    mine, theirs = resource.field(name) or {}, other.field(other_field) or {}
    if not (dated(mine) and dated(theirs)):
        yield "schema", name, (f"field {name}: notBefore {target!r} compares {name}, which is {_order_kind(mine)}, "
                               f"with {other_field}, which is {_order_kind(theirs)}; expected two dates "
                               "(partial or not)")


def _source_list_problems(package: Package, name: str, sources):
    if not isinstance(sources, dict) or not isinstance(sources.get("resource"), str):
        yield "schema", name, f"field {name}: sourceList must be an object naming a resource and a field"
        return
    target = package.resource(sources["resource"])
    if not isinstance(sources.get("field"), str):
        yield "schema", name, f"field {name}: sourceList needs a 'field', the key of {sources['resource']} it names"
    elif target is None or sources["field"] not in _names(target):
        yield "schema", name, (f"field {name}: sourceList names {sources.get('resource')}.{sources.get('field')}, "
                               "which does not exist")
    separator = sources.get("separator", ";")
    if not isinstance(separator, str) or not separator:
        yield "schema", name, f"field {name}: sourceList separator must be non-empty text"
    first = _cited_source(package)
    if first != (sources.get("resource"), sources.get("field")):
        yield "schema", name, (f"field {name}: sourceList names {sources.get('resource')}.{sources.get('field')}, "
                               f"and another sourceList field names {first[0]}.{first[1]}; the release's citations "
                               "table holds the ids of one table, so expected every sourceList field to name "
                               f"{first[0]}.{first[1]}")


def _cited_source(package: Package) -> tuple:
    """The resource and field the release's `citations` table references:
    the first sourceList of the package, as publish reads it."""
    for resource in package.resources:  # the schemas as written: a resource with a finding has no `fields`
        fields = (resource.schema or {}).get("fields")
        for spec in fields if isinstance(fields, list) else []:
            sources = spec.get("sourceList") if isinstance(spec, dict) else None
            if sources and isinstance(sources, dict):
                return sources.get("resource"), sources.get("field")
    return None, None


# Schema properties of this toolkit that name fields: what the site shows and searches.
NAMING = {"labelField": "a field name", "tableColumns": "a list of field names", "citeFields": "a list of field names"}


def _site_problems(schema: dict, known: set[str]):
    """`labelField`, `tableColumns`, `citeFields` and `search` must name fields."""
    for key, expected in NAMING.items():
        value = schema.get(key)
        named = [value] if key == "labelField" else value
        if value is not None and not (isinstance(named, list) and all(n in known for n in named)):
            yield "schema", None, f"'{key}' is {json.dumps(value)}; expected {expected} of this schema"
    page = schema.get("page")
    if page is not None and page not in PAGE_KINDS:
        yield "schema", None, f"'page' is {json.dumps(page)}; expected one of: {', '.join(PAGE_KINDS)}"
    search = schema.get("search")
    if search is None:
        return
    if not isinstance(search, dict) or not all(isinstance(search.get(part, []), list) for part in ("name", "text")):
        yield "schema", None, "'search' must be an object with lists of field names under 'name' and 'text'"
        return
    for part in ("name", "text"):
        for field in search.get(part, []):
            if field not in known:
                yield "schema", None, f"'search' {part} names {json.dumps(field)}, which is not a field of this schema"


def _names(resource: Resource) -> list[str]:
    fields = resource.schema.get("fields")
    return [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []


def _key_problems(package: Package, resource: Resource, known: set[str]):
    keys = resource.schema.get("primaryKey", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        yield "schema", None, "'primaryKey' must be a field name or a list of field names"
    else:
        for key in keys:
            if key not in known:
                yield "schema", key, f"primaryKey names '{key}', which is not a field"
    foreign = resource.schema.get("foreignKeys", [])
    if not isinstance(foreign, list):
        yield "schema", None, "'foreignKeys' must be a list"
        return
    for key in foreign:
        yield from _foreign_key_problems(package, resource, key, known)


def _foreign_key_problems(package: Package, resource: Resource, key, known: set[str]):
    if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
        yield "schema", None, "each foreign key needs 'fields' and a 'reference'"
        return
    fields, reference = key.get("fields"), key["reference"]
    target_name = reference.get("resource")
    target = package.resource(target_name)
    if not isinstance(fields, list) or not fields or any(f not in known for f in fields):
        yield "schema", None, f"foreign key fields {fields!r} must be fields of {resource.name}"
    elif target is None:
        yield "schema", fields[0], f"foreign key on {fields[0]} refers to resource '{target_name}', which does not exist"
    elif not isinstance(reference.get("fields"), list) or len(reference["fields"]) != len(fields):
        named = reference.get("fields") if isinstance(reference.get("fields"), list) else []
        yield "schema", fields[0], (f"foreign key on {', '.join(fields)} names {len(named)} field(s) of {target_name} "
                                    f"in its reference; expected {len(fields)}, one for each field of the key")
    elif any(f not in _names(target) for f in reference["fields"]):
        missing = next(f for f in reference["fields"] if f not in _names(target))
        yield "schema", fields[0], (f"foreign key on {fields[0]} refers to {target_name}.{missing}, "
                                    f"which {target_name} does not have; expected one of its fields")
    else:
        yield from _key_type_problems(resource, fields, target, reference["fields"])


def _key_type_problems(resource: Resource, fields: list[str], target: Resource, remote: list[str]):
    """A key and the fields it refers to are of one type each: values of two
    types match in Frictionless only by Python's equality (the number 1.0
    the integer 1, true the integer 1, never the text "1"), and the release
    links rows only where the stored values are equal."""
    for mine, theirs in zip(fields, remote):
        kinds = [_type_of(resource, mine), _type_of(target, theirs)]
        if kinds[0] != kinds[1]:
            yield "schema", mine, (f"foreign key on {mine} ({kinds[0]}) refers to {target.name}.{theirs} "
                                   f"({kinds[1]}); expected fields of the same type, so that equal values match")
            return


def _type_of(resource: Resource, name: str):
    spec = next((f for f in resource.schema.get("fields", []) if isinstance(f, dict) and f.get("name") == name), {})
    return spec.get("type", "string")


def _publishable_problems(resource: Resource, fields: list[dict]):
    """Declarations the profiles accept but this toolkit could not honour
    when publishing: each one finding here, before a row is read."""
    yield from _withholding_problems(fields)
    yield from _search_problems(resource)
    yield from _order_problems(fields)
    for spec in fields:
        if isinstance(spec.get("name"), str) and spec.get("type", "string") in TYPES \
                and isinstance(spec.get("constraints", {}), dict):
            yield from _enum_repeat_problems(spec)
            yield from _category_shape_problems(spec)


def _withholding_problems(fields: list[dict]):
    """One field per schema marks rows as withheld: every reader of the mark
    (privacy.mark_field) takes one, and a second mark silently ignored would
    publish the rows it hides."""
    marks = [f["name"] for f in fields if isinstance(f.get("name"), str) and "withholdsRow" in f]
    for name in marks[1:]:
        yield "not-supported", name, (f"not supported: field {name} is a second withholdsRow mark (after {marks[0]}); "
                                      "expected one field per schema that marks rows as withheld")


def _search_problems(resource: Resource):
    """The full-text index has a column per searched field, beside columns
    of its own; SQLite reads column names without regard to case."""
    search = resource.schema.get("search")
    if not isinstance(search, dict):
        return  # reported by _site_problems
    listed = [f for part in ("name", "text") if isinstance(search.get(part), list)
              for f in search[part] if isinstance(f, str)]
    own = {"rank", sqlite_case(f"{resource.name}_fts"), *SEARCH_KEYS}
    seen = set()
    for field in listed:
        if sqlite_case(field) in seen:
            yield "schema", field, (f"'search' lists {field} twice; expected each field once, "
                                    "under 'name' or under 'text'")
        elif sqlite_case(field) in own:
            yield "not-supported", field, (f"not supported: searching field {field}, whose name the full-text "
                                           f"index uses itself ({', '.join(sorted(own))}); rename the field")
        seen.add(sqlite_case(field))


def _list_problems(name: str, spec: dict):
    item, delimiter = spec.get("itemType", "string"), spec.get("delimiter", ",")
    if item not in ITEM_TYPES:
        yield "not-supported", name, (f"not supported: field {name} has items of type {item!r}; this toolkit reads "
                                      f"lists of {', '.join(ITEM_TYPES)}")
    if not isinstance(delimiter, str) or not delimiter:
        yield "schema", name, f"field {name}: 'delimiter' must be text of one character or more, such as \",\""
    constraints = spec.get("constraints")
    told = sorted(set(constraints) - {"required", "minLength", "maxLength"}) if isinstance(constraints, dict) else []
    if told:  # (the others compare a list's items with nothing Table Schema says)
        yield "not-supported", name, f"not supported: {', '.join(told)} on a list (field {name})"


def _enum_repeat_problems(spec: dict):
    """An enum is a vocabulary, published coded in schema order: each value
    once, as the column holds it (an integer enum's 1 and "1" are one
    value), and each one a value of the field: one no cell could match
    would otherwise make the enum silently stricter than declared."""
    enum = spec.get("constraints", {}).get("enum")
    if not isinstance(enum, list) or not enum or not all(isinstance(v, (str, int, float, bool)) for v in enum) \
            or spec.get("type") == "geopoint":
        return  # reported by _constraint_problems, or values no cell can hold
    if spec.get("type") in READ_VALUES:
        for value in enum:
            reason = unreadable(spec, value)
            if reason:
                yield "schema", spec["name"], (f"field {spec['name']}: enum value {json.dumps(value)} is not a value "
                                               f"of the field; expected {reason}")
                return
    seen = set()
    for value, typed in ((v, typed_values(spec, [v])) for v in enum):
        if typed and typed[0] in seen:
            yield "schema", spec["name"], (f"field {spec['name']}: enum lists {json.dumps(value)} more than once; "
                                           "expected each allowed value once")
            return
        seen.update(typed)


def _category_shape_problems(spec: dict):
    """Categories as this toolkit publishes them: objects with a value and,
    if given, a label in text (Table Schema's label is a string)."""
    name, categories = spec["name"], spec.get("categories")
    if not isinstance(categories, list):
        return  # reported by _field_problems
    if not all(isinstance(c, dict) for c in categories):
        yield "not-supported", name, (f"not supported: categories of field {name} written as plain values; "
                                      'expected each as an object, such as {"value": "a", "label": "..."}')
        return
    label = next((c["label"] for c in categories if "label" in c and not isinstance(c["label"], str)), "")
    if label != "":
        yield "schema", name, f"field {name}: a category has the label {json.dumps(label)}; expected text"


def _order_kind(spec: dict) -> str:
    """What `notAfter` compares a field as: dates (partial or not) by their
    days, numbers by value, anything else only with its own type."""
    kind = spec.get("type", "string")
    return "a date" if dated(spec) else "a number" if kind in NUMERIC_BOUNDS else f"of type {kind}"


def _order_problems(fields: list[dict]):
    specs = {f["name"]: f for f in fields if isinstance(f.get("name"), str)}
    for name, spec in specs.items():
        target = spec.get("notAfter")
        other = specs.get(target) if isinstance(target, str) else None  # no field: reported by _rule_problems
        if other is not None and _order_kind(spec) != _order_kind(other):
            yield "schema", name, (f"field {name}: notAfter names {other['name']}, which is {_order_kind(other)}, "
                                   f"while {name} is {_order_kind(spec)}; expected two fields that compare: "
                                   "two dates (partial or not), two numbers, or two fields of one type")
