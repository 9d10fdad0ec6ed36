"""What changes between two Table Schemas: fields, types, constraints, enum
values and keys."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class SchemaChange:
    field: str | None  # None for a change to the table: field order, keys
    change: str  # see describe() in diff_report for every kind
    old: Any = None
    new: Any = None
    constraint: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def schema_changes(old: dict, new: dict) -> list[SchemaChange]:
    before, after = _fields(old), _fields(new)
    changes = [SchemaChange(name, "field-removed", before[name].get("type"), None)
               for name in before if name not in after]
    changes += [SchemaChange(name, "field-added", None, after[name].get("type"))
                for name in after if name not in before]
    for name in (name for name in after if name in before):
        changes += field_changes(name, before[name], after[name])
    return changes + table_changes(old, new, before, after)


def _fields(schema: dict) -> dict[str, dict]:
    fields = schema.get("fields")
    if not isinstance(fields, list):
        return {}
    return {str(f["name"]): f for f in fields if isinstance(f, dict) and "name" in f}


def field_changes(name: str, old: dict, new: dict) -> list[SchemaChange]:
    changes = [SchemaChange(name, prop, old.get(prop), new.get(prop))
               for prop in ("type", "format") if old.get(prop) != new.get(prop)]
    before, after = _constraints(old), _constraints(new)
    for constraint in sorted(before.keys() | after.keys()):
        changes += constraint_changes(name, constraint, before.get(constraint), after.get(constraint))
    return changes


def _constraints(spec: dict) -> dict:
    constraints = spec.get("constraints")
    return constraints if isinstance(constraints, dict) else {}


def constraint_changes(name: str, constraint: str, old, new) -> list[SchemaChange]:
    if old == new:
        return []
    if constraint == "enum" and isinstance(old, list) and isinstance(new, list):
        return enum_changes(name, old, new)
    if old is None:
        return [SchemaChange(name, "constraint-added", None, new, constraint)]
    if new is None:
        return [SchemaChange(name, "constraint-removed", old, None, constraint)]
    return [SchemaChange(name, "constraint-changed", old, new, constraint)]


def enum_changes(name: str, old: list, new: list) -> list[SchemaChange]:
    changes = [SchemaChange(name, "enum-value-removed", value, None, "enum") for value in old if value not in new]
    changes += [SchemaChange(name, "enum-value-added", None, value, "enum") for value in new if value not in old]
    kept_old = [value for value in old if value in new]
    kept_new = [value for value in new if value in old]
    if kept_old != kept_new:  # order can carry meaning, e.g. the rank ladder
        changes.append(SchemaChange(name, "enum-order", kept_old, kept_new, "enum"))
    return changes


def table_changes(old: dict, new: dict, before: dict, after: dict) -> list[SchemaChange]:
    changes = []
    kept_old = [name for name in before if name in after]
    kept_new = [name for name in after if name in before]
    if kept_old != kept_new:  # the CSV header must follow the field order
        changes.append(SchemaChange(None, "field-order", kept_old, kept_new))
    for prop, change in (("primaryKey", "primary-key"), ("foreignKeys", "foreign-keys")):
        if old.get(prop) != new.get(prop):
            changes.append(SchemaChange(None, change, old.get(prop), new.get(prop)))
    return changes
