"""Table Schema errors injected into a generated package, and their manifest.

Each kind goes where the schemas make it possible: `type` in an integer
field, `enum` in an enum field, and so on. Our schemas state no maximum,
minLength or maxLength, so those constraints are added to the generated copy
(`EXTRA_CONSTRAINTS`) at values the clean rows satisfy. Our keys are single
fields, so composite keys are left to the corpus packages of the conformance
test (tests/fixtures/conformance/composite-keys). Structural errors and
duplicate keys go in resources no foreign key points to, so one injection
makes exactly one error. No row gets two injections.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from generate import id_prefix, row_bytes

CELL_KINDS = ["type", "required", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength",
              "unique", "foreign-key"]
ROW_KINDS = ["missing-cell", "extra-cell", "blank-row"]
# Added to the generated schemas when errors are injected: (kind, limit, bad value).
EXTRA_CONSTRAINTS = {"maximum": (100000, "100001"), "minLength": (3, "ab"), "maxLength": (200, "N" * 201)}


@dataclass
class Plan:
    fields: dict[str, list[str]]
    schemas: dict[str, dict]
    cells: dict = field(default_factory=lambda: defaultdict(dict))  # (resource, field) -> {row: value}
    rows: dict = field(default_factory=lambda: defaultdict(dict))  # resource -> {row: kind}
    constraints: dict = field(default_factory=lambda: defaultdict(dict))  # (resource, field) -> {name: limit}
    relabel: tuple | None = None  # (resource, field, label)
    entries: list = field(default_factory=list)  # (resource, row, field, kind)

    def schema(self, name: str, schema: dict) -> dict:
        schema = json.loads(json.dumps(schema))
        for spec in schema["fields"]:
            extra = self.constraints.get((name, spec["name"]))
            if extra:
                spec.setdefault("constraints", {}).update(extra)
        return schema

    def header(self, name: str, table: pa.Table) -> bytes | None:
        if not self.relabel or self.relabel[0] != name:
            return None
        labels = [self.relabel[2] if c == self.relabel[1] else c for c in table.column_names]
        return row_bytes(labels)

    def edits(self, name: str, table: pa.Table) -> dict[int, bytes | None]:
        out = {}
        for row, kind in self.rows.get(name, {}).items():
            cells = list(table.slice(row, 1).to_pylist()[0].values())
            out[row] = None if kind == "blank-row" else row_bytes(cells[:-1] if kind == "missing-cell"
                                                                   else cells + ["surplus"])
        return out

    def manifest(self, name: str, path: str, lines: np.ndarray) -> list[dict]:
        names = self.fields[name]
        out = []
        for resource, row, field_name, kind in self.entries:
            if resource != name:
                continue
            line = 1 if kind == "header" else int(lines[row]) - (kind == "blank-row")
            column = None if kind == "blank-row" else (len(names) + 1 if kind == "extra-cell"
                                                       else names.index(field_name) + 1)
            out.append({"path": path, "line": line, "column": column, "field": field_name, "kind": kind})
        return sorted(out, key=lambda e: (e["line"], e["column"] or 0))


def targets(schemas: dict[str, dict]) -> dict[str, list[tuple[str, dict]]]:
    """(resource, field spec) pairs where each cell kind can be injected."""
    referenced = {k["reference"]["resource"] for s in schemas.values() for k in s.get("foreignKeys", [])}
    found = defaultdict(list)
    for name, schema in schemas.items():
        keys = schema.get("primaryKey", [])
        foreign = {f for k in schema.get("foreignKeys", []) for f in k["fields"]}
        for spec in schema["fields"]:
            c, plain = spec.get("constraints", {}), spec["name"] not in keys and spec["name"] not in foreign
            if spec["type"] == "integer" and plain:
                found["type"].append((name, spec))
                found["maximum"].append((name, spec))
            if c.get("required") and plain:
                found["required"].append((name, spec))
            if "enum" in c:
                found["enum"].append((name, spec))
            if "pattern" in c and plain:
                found["pattern"].append((name, spec))
            if "minimum" in c and plain:
                found["minimum"].append((name, spec))
            if spec.get("personName"):
                found["maxLength"].append((name, spec))
            if c.get("required") and plain and spec["type"] == "string" and not ({"pattern", "enum"} & set(c)) \
                    and not spec.get("sourceList"):
                found["minLength"].append((name, spec))
            if spec["name"] in keys and len(keys) == 1 and name not in referenced:
                found["unique"].append((name, spec))
            if spec["name"] in foreign and spec["name"] not in keys:
                found["foreign-key"].append((name, spec))
        if name not in referenced:
            found["rows"].append((name, None))
    return found


BAD = {"type": "twelve", "required": None, "enum": "unlisted", "pattern": "??"}


def inject(rng, schemas: dict[str, dict], tables: dict[str, pa.Table], count: int) -> Plan:
    plan = Plan({name: [f["name"] for f in s["fields"]] for name, s in schemas.items()}, schemas)
    where = targets(schemas)
    used: dict[str, set[int]] = defaultdict(set)
    kinds = CELL_KINDS + ROW_KINDS
    for i in range(count - 1):  # one error is the header
        kind = kinds[i % len(kinds)]
        choices = where["rows" if kind in ROW_KINDS else kind]
        resource, spec = choices[(i // len(kinds)) % len(choices)]
        row = _free_row(rng, tables[resource].num_rows, used[resource])
        if row is None:
            continue
        if kind in ROW_KINDS:
            plan.rows[resource][row] = kind
            plan.entries.append((resource, row, schemas[resource]["fields"][-1]["name"], kind))
            continue
        plan.cells[(resource, spec["name"])][row] = _bad_value(rng, plan, kind, resource, spec, tables, used[resource], row)
        plan.entries.append((resource, row, spec["name"], kind))
    if count:
        _relabel(plan, schemas)
    for (resource, name), values in plan.cells.items():
        tables[resource] = _set_cells(tables[resource], name, values)
    return plan


def _free_row(rng, rows: int, used: set[int]) -> int | None:
    if len(used) >= rows - 1:
        return None
    while True:
        row = int(rng.integers(1, rows))
        if row not in used:
            used.add(row)
            return row


def _bad_value(rng, plan: Plan, kind: str, resource: str, spec: dict, tables, used, row: int) -> str | None:
    if kind in EXTRA_CONSTRAINTS:
        limit, value = EXTRA_CONSTRAINTS[kind]
        plan.constraints[(resource, spec["name"])][kind] = limit
        return value
    if kind == "foreign-key":
        return _unknown_key(plan.schemas, resource, spec, tables)
    if kind == "minimum":
        return str(spec["constraints"]["minimum"] - 1)
    if kind == "unique":  # the value of an earlier row no injection touches
        earlier = [r for r in rng.integers(0, row, 20) if r not in used] or [0]
        used.add(int(earlier[0]))
        return tables[resource].column(spec["name"])[int(earlier[0])].as_py()
    return BAD[kind]


def _unknown_key(schemas: dict[str, dict], resource: str, spec: dict, tables) -> str:
    """An id of the referenced table's form that no row has: prefix and nines."""
    (key,) = [k for k in schemas[resource]["foreignKeys"] if k["fields"] == [spec["name"]]]
    target = key["reference"]["resource"]
    pattern = next(f for f in schemas[target]["fields"] if f["name"] == key["reference"]["fields"][0])
    digits = max(3, len(str(tables[target].num_rows)) + 1) if tables[target].num_rows >= 999 else 3
    return id_prefix(pattern["constraints"]["pattern"]) + "9" * digits


def _relabel(plan: Plan, schemas: dict[str, dict]) -> None:
    """Rename the first unconstrained column of a resource in its header
    (a length limit, which every text field has, is no constraint here)."""
    for name, schema in schemas.items():
        for spec in schema["fields"]:
            if set(spec.get("constraints", {})) <= {"maxLength"} and spec["type"] == "string" \
                    and not spec.get("personName"):
                plan.relabel = (name, spec["name"], spec["name"] + "_renamed")
                plan.entries.append((name, 0, spec["name"], "header"))
                return


def _set_cells(table: pa.Table, name: str, values: dict[int, str | None]) -> pa.Table:
    column = table.column(name).to_numpy(zero_copy_only=False).astype(object)
    for row, value in values.items():
        column[row] = value
    return table.set_column(table.column_names.index(name), name, pa.array(column, pa.string()))
