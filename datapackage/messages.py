"""The wording of every finding: what is wrong, and what was expected."""

from __future__ import annotations

from datapackage.package import Resource

PARTIAL_DATE_FORM = "a date written YYYY, YYYY-MM or YYYY-MM-DD"
TYPE_NAMES = {"integer": "a whole number", "number": "a number", "boolean": "true or false"}


def cell(check: str, resource: Resource, field: str | None, value, earlier: int | None = None) -> str:
    """Messages for the checks both passes make on single cells."""
    spec = resource.field(field) or {} if field else {}
    constraints = spec.get("constraints", {})
    if check == "required":
        return f"{field} is empty; a value is required"
    if check == "enum":
        return f"{field} '{value}' is not an allowed value; expected one of: {', '.join(constraints['enum'])}"
    if check == "pattern":
        form = PARTIAL_DATE_FORM if spec.get("partialDate") else f"text matching {constraints['pattern']}"
        return f"{field} '{value}' is not in the expected form; expected {form}"
    if check == "type":
        return f"{field} '{value}' is not {TYPE_NAMES.get(spec.get('type'), 'a ' + str(spec.get('type')))}"
    if check in ("minimum", "maximum"):
        word = "below the minimum" if check == "minimum" else "above the maximum"
        return f"{field} {value} is {word} {constraints[check]}"
    if check == "unique":
        where = f" on line {earlier}" if earlier else ""
        return f"{field} '{value}' is already used{where}; each {field} must be unique"
    if check == "foreign-key":
        key = next(k for k in resource.foreign_keys if field in k["fields"])
        reference = key["reference"]
        target = f"{reference.get('resource') or resource.name}.{reference['fields'][0]}"
        return f"{field} '{value}' does not exist; expected an existing {target}"
    if check == "date-invalid":
        return f"{field} '{value}' is not a real calendar date"
    return f"{field} '{value}' fails the {check} check"


def structural(check: str, resource: Resource, field, value, earlier, error: dict) -> str:
    expected = [f["name"] for f in resource.fields]
    if check == "extra-column":
        return f"column '{value}' is not in the schema; expected the columns {', '.join(expected)}"
    if check == "missing-column":
        return f"column '{field}' is missing; expected the columns {', '.join(expected)}"
    if check == "blank-row":
        return "the row is empty; remove the blank line"
    if check in ("extra-cell", "missing-cell"):
        cells = len(error.get("cells") or [])
        return f"the row has {cells} cells but the header has {len(expected)} columns; expected one cell per column"
    if check in ("required", "enum", "pattern", "type", "minimum", "maximum", "unique", "foreign-key"):
        return cell(check, resource, field, value, earlier)
    return error.get("message", check)
