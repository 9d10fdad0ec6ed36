"""The kind of value each schema property holds, where the code reads it as
that kind: a value of another kind (`"type": []`, `"maxLength": null`,
`"foreignKeys": 1`) is one schema finding, before any code reads it.

The Data Package profile says so too for the standard properties, in its own
words; but it does not know the properties this project declares, and the
checks that follow would read a list as a name. Which objects hold which
properties is in datapackage/properties.py; this says only what kind of
value each one is.
"""

from __future__ import annotations

TEXT, TEXTS, TEXT_OR_TEXTS, FLAG, WHOLE, OBJECT, LIST = "text", "texts", "text or texts", "flag", "whole", "object", "list"
# A bound: a number, or a date or datetime written as its field writes them (schema_check reads it).
BOUND = "bound"

EXPECTED = {TEXT: "text", TEXTS: "a list of texts", TEXT_OR_TEXTS: "text or a list of texts", FLAG: "true or false",
            WHOLE: "a whole number", OBJECT: "an object", LIST: "a list",
            BOUND: "a number or text"}

# Per kind of object: property -> kind of value, and the objects inside it
# (property -> kind of object, for one object or, in a list, for each).
KINDS: dict[str, dict[str, str]] = {
    "schema": {"fields": LIST, "primaryKey": TEXT_OR_TEXTS, "foreignKeys": LIST, "missingValues": LIST,
               "uniqueKeys": LIST, "fieldsMatch": TEXT, "description": TEXT, "labelField": TEXT, "citeFields": TEXTS,
               "tableColumns": TEXTS, "page": TEXT, "search": OBJECT},
    "search": {"name": TEXTS, "text": TEXTS},
    "foreignKey": {"fields": TEXT_OR_TEXTS, "reference": OBJECT},
    "reference": {"resource": TEXT, "fields": TEXT_OR_TEXTS},
    "field": {"name": TEXT, "title": TEXT, "description": TEXT, "type": TEXT, "format": TEXT, "rdfType": TEXT,
              "missingValues": LIST, "trueValues": TEXTS, "falseValues": TEXTS, "bareNumber": FLAG, "groupChar": TEXT,
              "decimalChar": TEXT, "categoriesOrdered": FLAG, "delimiter": TEXT, "itemType": TEXT, "partialDate": FLAG,
              "personName": FLAG, "notAfter": TEXT, "notBefore": TEXT, "allowFormula": FLAG, "constraints": OBJECT,
              "categories": LIST, "sourceList": OBJECT, "withholdsRow": OBJECT, "timeline": OBJECT},
    "constraints": {"required": FLAG, "unique": FLAG, "minLength": WHOLE, "maxLength": WHOLE, "pattern": TEXT,
                    "enum": LIST, "minimum": BOUND, "maximum": BOUND, "exclusiveMinimum": BOUND,
                    "exclusiveMaximum": BOUND},
    "category": {"label": TEXT, "az": TEXT, "az_naval": TEXT, "ru": TEXT, "group": TEXT, "measure": TEXT},
    "sourceList": {"resource": TEXT, "field": TEXT, "separator": TEXT},
    "withholdsRow": {"reason": TEXT},
    "timeline": {"label": TEXT, "marker": TEXT, "colour": TEXT},
}
INSIDE = {"schema": {"fields": "field", "foreignKeys": "foreignKey", "search": "search"},
          "foreignKey": {"reference": "reference"},
          "field": {"constraints": "constraints", "categories": "category", "sourceList": "sourceList",
                    "withholdsRow": "withholdsRow", "timeline": "timeline"}}


def kind_problems(schema: dict) -> list[tuple[str | None, str]]:
    """(field name or None, message) for each value of the wrong kind."""
    return list(_walk(schema, "schema", "the schema", None))


def _walk(value: dict, kind: str, where: str, field: str | None):
    for key, expected in KINDS[kind].items():
        if key in value and not _is(value[key], expected):
            found = value[key]
            odd = next((v for v in found if not isinstance(v, str)), None) if isinstance(found, list) else None
            said = f"holds {_described(odd)}" if expected in (TEXTS, TEXT_OR_TEXTS) and isinstance(found, list) \
                else f"is {_described(found)}"
            yield field, f"{where}: '{key}' {said}; expected {EXPECTED[expected]}"
    for key, inner in INSIDE.get(kind, {}).items():
        items = value.get(key)
        for item in items if isinstance(items, list) else [items] if items is not None else []:
            if not isinstance(item, dict):
                # A lone object of the wrong kind is said above; categories
                # written as plain values are a form of their own (not supported).
                if isinstance(items, list) and key != "categories":
                    yield field, f"{where}: '{key}' holds {_described(item)}; expected objects"
                continue
            if inner == "field":
                name = item.get("name") if isinstance(item.get("name"), str) else None
                yield from _walk(item, inner, f"field {name}" if name else "a field without a name", name)
            else:
                yield from _walk(item, inner, f"{where}, {key}", field)


def _is(value, expected: str) -> bool:
    if expected == TEXT:
        return isinstance(value, str)
    if expected == TEXTS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected == TEXT_OR_TEXTS:
        return _is(value, TEXT) or _is(value, TEXTS)
    if expected == FLAG:
        return isinstance(value, bool)
    if expected == WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == BOUND:
        return isinstance(value, (int, float, str)) and not isinstance(value, bool)
    return isinstance(value, dict if expected == OBJECT else list)


def _described(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object"}[type(value)]
