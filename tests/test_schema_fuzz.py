"""Random values in the descriptor and the schemas, one property at a time:
never a traceback, and a package validate accepts publishes.

Each example copies the package's descriptor and schemas with the small
fixture seeds and sets one property (of the package, a resource, a schema, a
field or a field's constraints, known or made up) to a value of any JSON kind: text that looks like a type, a format,
a pattern, a date or a field name; numbers of every size; nested lists and
objects. The suite runs FUZZ_EXAMPLES of them (25 by default); the full run
of 1,000 is `FUZZ_EXAMPLES=1000 scripts/test tests/test_schema_fuzz.py`.
"""

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, copy_package, invoke

TABLES = ["sources", "cases", "victims", "deaths", "trials", "statements"]
SCHEMA_KEYS = ["primaryKey", "foreignKeys", "missingValues", "page", "labelField", "search", "tableColumns",
               "fieldsMatch", "uniqueKeys", "fields", "description", "made-up"]
FIELD_KEYS = ["name", "type", "format", "example", "description", "constraints", "missingValues", "trueValues",
              "falseValues", "bareNumber", "groupChar", "decimalChar", "categories", "partialDate", "sourceList",
              "personName", "timeline", "label", "withholdsRow", "notAfter", "notBefore", "allowFormula", "arrayItem",
              "made-up"]
PACKAGE_KEYS = ["name", "version", "$schema", "profile", "resources", "licenses", "sources", "contributors",
                "homepage", "title", "description", "created", "keywords", "image", "made-up"]
RESOURCE_KEYS = ["name", "path", "schema", "dialect", "encoding", "format", "mediatype", "bytes", "hash", "sources",
                 "licenses", "title", "description", "profile", "type", "data", "scheme", "compression", "made-up"]
CONSTRAINT_KEYS = ["required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength",
                   "exclusiveMinimum", "exclusiveMaximum", "jsonSchema"]
WORDS = st.sampled_from(["", "x", "string", "integer", "date", "datetime", "any", "geopoint", "duration", "default",
                         "%Y-%m-%d", "^(", "[a-z]+", "v-001", "2017-05-13", "2017-05-13T00:00:00Z", "victim_id",
                         "source_id", "sources", "victims.victim_id", ";", "∑\u202e", "a" * 300, "time", "%H:%M",
                         "12:30:00", "47.11, 40.35", "object", "array", "list", "geojson", "topojson", "NA"])
SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
           | WORDS)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(WORDS | st.sampled_from(CONSTRAINT_KEYS + ["resource", "field", "fields",
                                                                                "reference", "value", "label"]),
                                        inner, max_size=3), max_leaves=6)


KEYS = {"package": PACKAGE_KEYS, "resource": RESOURCE_KEYS, "schema": SCHEMA_KEYS, "field": FIELD_KEYS,
        "constraint": CONSTRAINT_KEYS}


@st.composite
def mutations(draw):
    table, value = draw(st.sampled_from(TABLES)), draw(VALUES)
    place = draw(st.sampled_from(list(KEYS)))
    key = draw(st.sampled_from(KEYS[place]))
    return table, place, draw(st.integers(0, 40)), key, value


def mutate(root: Path, table: str, place: str, index: int, key: str, value) -> None:
    """Sets one property of the descriptor (package or resource) or of a schema file."""
    path = root / ("datapackage.json" if place in ("package", "resource") else f"schemas/{table}.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    if place == "package":
        document[key] = value
    elif place == "resource":
        next(r for r in document["resources"] if r["name"] == table)[key] = value
    elif place == "schema":
        document[key] = value
    else:
        field = document["fields"][index % len(document["fields"])]
        if place == "field":
            field[key] = value
        elif isinstance(field.setdefault("constraints", {}), dict):
            field["constraints"][key] = value
    path.write_text(json.dumps(document), encoding="utf-8")


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations())
def test_a_random_property_never_crashes_and_a_valid_package_publishes(tmp_path_factory, mutation):
    root = copy_package(tmp_path_factory.mktemp("schema-fuzz"), FIXTURES / "small")
    mutate(root, *mutation)
    # The command as a user runs it: 0 valid, 1 findings, 2 a package it cannot read at all;
    # 3 is a bug, and an exception escaping it would be a traceback.
    validated = invoke("validate", "datapackage.json", "--format", "json", cwd=root)
    assert validated.returncode in (0, 1, 2), validated.stderr
    event({0: "valid", 1: "findings", 2: "unreadable"}[validated.returncode])
    if validated.returncode == 0:  # valid means publishable
        published = invoke("publish", "datapackage.json", "--out", "dist", cwd=root)
        assert published.returncode == 0, published.stderr
