"""The wording of every cell finding: what is wrong, and what was expected."""

from __future__ import annotations

import json
import re

from datapackage.dates import PARTIAL_DATE_FORM
from datapackage.findings import accents_apart, shown
from datapackage.package import Resource
from datapackage.read.convert import COUNTED, EXACT_CHECKS, missing_entries, missing_labels
from datapackage.validate.nearest import Nearest, did_you_mean, folded, iso_date, plain_integer
from datapackage.validate.pandera_schemas import DEFAULT_MAX_LENGTH



# Checks that compare a cell's text with other text: where its accents are
# written apart from their letters, it looks like the text it fails to match.
COMPARED = {"enum", "pattern", "foreign-key", "unique", "primary-key", "unknown-source"}


def cell(check: str, resource: Resource, field: str | None, value, earlier: int | None = None,
         expected: str | None = None, suggestion: str | None = None) -> str:
    message = _cell(check, resource, field, value, earlier, expected, suggestion)
    return message + accents_apart(value) if check in COMPARED else message


def _cell(check: str, resource: Resource, field: str | None, value, earlier: int | None,
          expected: str | None, suggestion: str | None) -> str:
    spec = (resource.field(field) or {}) if field else {}
    constraints = spec.get("constraints", {})
    value = shown(value) or ""
    if check == "required":
        if value:  # written, but one of the declared missing values
            label = missing_labels(missing_entries(resource.schema, spec)).get(value)
            said = f"missingValues, where it stands for '{label}'" if label else "missingValues"
            return f"{field} '{value}' is declared a missing value ({said}); a value is required"
        return f"{field} is empty; a value is required"
    if check == "enum":
        allowed = [v if isinstance(v, str) else json.dumps(v) for v in constraints["enum"]]  # true, not True
        return (f"{field} '{value}' is not an allowed value{did_you_mean(Nearest(lambda: allowed).of(value))}; "
                f"expected one of: {', '.join(allowed)}")
    if check in ("pattern", "partial-date"):  # partial-date: a partialDate field without a pattern refusing it
        form = PARTIAL_DATE_FORM if spec.get("partialDate") else f"text matching {constraints['pattern']}"
        if isinstance(spec.get("example"), str):  # the schema checks that it matches
            form += f", such as '{spec['example']}'"
        repaired = iso_date(value) if spec.get("partialDate") else _repaired(value, constraints["pattern"])
        return f"{field} '{value}' is not in the expected form{did_you_mean(repaired)}; expected {form}"
    if check == "type" and spec.get("type") == "integer":
        return f"{field} '{value}' is not {expected}{did_you_mean(plain_integer(value))}"
    if check == "type" or check in EXACT_CHECKS:
        return f"{field} '{value}' is not {expected}"
    if check in ("minimum", "maximum"):
        word = "below the minimum" if check == "minimum" else "above the maximum"
        return f"{field} {value} is {word} {constraints[check]}"
    if check in ("exclusiveMinimum", "exclusiveMaximum"):
        # The bound itself fails too ("at"), unlike a minimum or maximum.
        word, side = ("at or below", "above") if check == "exclusiveMinimum" else ("at or above", "below")
        bound = constraints[check]
        return f"{field} {value} is {word} the {check} {bound}; expected a value {side} {bound}"
    if check in ("minLength", "maxLength") and spec.get("type") in COUNTED:
        unit = COUNTED[spec["type"]]
        word = f"fewer {unit} than the minimum" if check == "minLength" else f"more {unit} than the maximum"
        return f"{field} '{value}' has {word}, {constraints[check]}"
    if check in ("minLength", "maxLength", "cell-too-long"):
        limit = constraints.get(check, DEFAULT_MAX_LENGTH)  # cell-too-long: no maxLength declared
        word = "shorter than the minimum" if check == "minLength" else "longer than the maximum"
        return f"{field} '{value}' is {word} of {limit} characters"
    if check == "unique":
        where = f" on line {earlier}" if earlier else ""
        return f"{field} '{value}' is already used{where}; each {field} must be unique"
    if check == "foreign-key":
        key = next(k for k in resource.foreign_keys if field in k["fields"])
        reference = key["reference"]
        return (f"{field} '{value}' does not exist{did_you_mean(suggestion)}; "
                f"expected an existing {reference['resource']}.{reference['fields'][0]}")
    if check == "formula":
        first = repr(value[:1])[1:-1]
        return (f"{field} '{value}' starts with '{first}', which a spreadsheet runs as a formula; reword it, "
                f"or declare \"allowFormula\": true on this field")
    if check == "invisible-character":
        return (f"{field} {value!r} contains an invisible or direction-changing character; "
                "expected visible text only")
    if check == "whitespace-only":
        return f"{field} holds only spaces; leave it empty or write the value"
    if check == "date-invalid":
        return f"{field} '{value}' is not a real calendar date"
    return f"{field} '{value}' fails the {check} check"


def _repaired(value: str, pattern: str) -> str | None:
    """The value in the expected form when only its case, a space at an end
    or a separator ('_' for '-') kept it out: `V-003 ` for `v-003`."""
    for candidate in (value.strip(), value.strip().lower(), folded(value)):
        try:
            if candidate != value and re.fullmatch(pattern, candidate):
                return candidate
        except re.error:  # a pattern Python does not read: nothing to suggest
            return None
    return None
