"""Checks Table Schema cannot state, declared in the schemas and run by Pandera.

- `notAfter: other` on a field: this field <= other (dates by their bounds,
  integers by value), reported on `other`;
- `notBefore: resource.field` on a date: not before the referenced row's date,
  joined through the foreign key to that resource;
- every partial date: not after today;
- `sourceList`: every entry non-empty and present in the referenced resource;
- `personName`: names that fold to the same key are a possible duplicate.

A rule returns True for rows that pass. Certainly wrong is an error; possibly
wrong (a partial date that may fall either side) is a warning.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from datapackage.dates import bounds
from datapackage.findings import ERROR, WARNING
from datapackage.names import fold
from datapackage.package import Package, Resource

RowMessage = Callable[[pd.DataFrame, int], str]


@dataclass
class Rule:
    check: str
    field: str  # the field a finding points at
    severity: str
    passes: Callable[[pd.DataFrame], pd.Series]
    message: RowMessage

    @property
    def key(self) -> str:
        return f"{self.check}|{self.field}|{self.severity}|{id(self)}"


def rules_for(resource: Resource, package: Package, frames: dict[str, pd.DataFrame], today: datetime.date) -> list[Rule]:
    frame = frames[resource.name]
    present = set(frame.columns)
    rules: list[Rule] = []
    for spec in resource.fields:
        name = spec["name"]
        if name not in present:
            continue
        other = spec.get("notAfter")
        if other in present:
            rules += _order_rules(name, other, spec, resource.field(other) or {})
        if spec.get("notBefore"):
            rules += _not_before_rules(resource, name, spec["notBefore"], package, frames)
        if spec.get("partialDate"):
            rules += _future_rules(name, today)
        if spec.get("sourceList"):
            rules += _source_rules(name, spec["sourceList"], package, frames)
        if spec.get("personName"):
            rules.append(_duplicate_person_rule(name))
    return rules


def _order_rules(first: str, second: str, spec: dict, second_spec: dict) -> list[Rule]:
    if spec.get("partialDate") and second_spec.get("partialDate"):
        def certain(df):
            return ~(bounds(df[first])[0] > bounds(df[second])[1])

        def possible(df):
            return ~(bounds(df[first])[1] > bounds(df[second])[0]) | ~certain(df)

        def says(word):
            return lambda df, i: f"{second} {df.at[i, second]} {word} before {first} {df.at[i, first]}"

        return [Rule("date-order", second, ERROR, certain, says("is")),
                Rule("date-order", second, WARNING, possible, says("may be"))]

    def ordered(df):
        low, high = pd.to_numeric(df[first], errors="coerce"), pd.to_numeric(df[second], errors="coerce")
        return ~(low > high)

    return [Rule("value-order", second, ERROR, ordered,
                 lambda df, i: f"{second} {df.at[i, second]} is less than {first} {df.at[i, first]}; expected {second} >= {first}")]


def _not_before_rules(resource, name, target: str, package: Package, frames) -> list[Rule]:
    other_name, other_field = target.split(".")
    other = package.resource(other_name)
    key = next((k for k in resource.foreign_keys if k["reference"].get("resource") == other_name), None)
    if other is None or key is None or other_name not in frames or other_field not in frames[other_name]:
        return []
    local, remote = key["fields"][0], key["reference"]["fields"][0]
    if local not in frames[resource.name]:
        return []
    table = frames[other_name].drop_duplicates(remote).set_index(remote)[other_field]

    def began(df):
        return df[local].map(table).fillna("")

    def certain(df):
        return ~(bounds(df[name])[1] < bounds(began(df))[0])

    def possible(df):
        return ~(bounds(df[name])[0] < bounds(began(df))[1]) | ~certain(df)

    def says(word):
        return lambda df, i: (f"{name} {df.at[i, name]} {word} before {local} {df.at[i, local]} began "
                              f"({other_field} {began(df).at[i]} in {other.path})")

    return [Rule("date-order", name, ERROR, certain, says("is")),
            Rule("date-order", name, WARNING, possible, says("may be"))]


def _future_rules(name: str, today: datetime.date) -> list[Rule]:
    day = np.datetime64(today, "D")

    def certain(df):
        return ~(bounds(df[name])[0] > day)

    def possible(df):
        return ~(bounds(df[name])[1] > day) | ~certain(df)

    def says(word):
        return lambda df, i: f"{name} {df.at[i, name]} {word} after today ({today.isoformat()})"

    return [Rule("date-future", name, ERROR, certain, says("is")),
            Rule("date-future", name, WARNING, possible, says("may be"))]


def _source_rules(name: str, reference: dict, package: Package, frames) -> list[Rule]:
    separator = reference.get("separator", ";")
    target = package.resource(reference["resource"])
    known = frames.get(reference["resource"])
    path = target.path if target else reference["resource"]

    def entries(df):
        cells = df[name]
        return cells[cells != ""].str.split(separator, regex=False).explode().str.strip()

    def no_empty(df):
        empty = entries(df) == ""
        return ~df.index.isin(empty[empty].index)

    rules = [Rule("source-empty", name, ERROR, no_empty,
                  lambda df, i: f"{name} '{df.at[i, name]}' has an empty entry; expected source ids separated by '{separator}'")]
    if known is None or reference["field"] not in known:
        return rules
    ids = known[reference["field"]]

    def unknown(df):
        items = entries(df)
        return items[(items != "") & ~items.isin(ids)]

    def all_known(df):
        return ~df.index.isin(unknown(df).index)

    def says(df, i):
        missing = unknown(df.loc[[i]]).tolist()
        return (f"{name} cites {', '.join(repr(m) for m in missing)}, not found in {path}; "
                f"expected existing {reference['field']} values separated by '{separator}'")

    return rules + [Rule("unknown-source", name, ERROR, all_known, says)]


def _duplicate_person_rule(name: str) -> Rule:
    def keys(df):
        return fold(df[name])

    def unique(df):
        k = keys(df)
        return (k == "") | ~k.duplicated()

    def says(df, i):
        k = keys(df)
        first = k[k == k.at[i]].index[0]
        return (f"{name} '{df.at[i, name]}' may be the same person as '{df.at[first, name]}' "
                f"on line {df.attrs['lines'][first]}")

    return Rule("possible-duplicate", name, WARNING, unique, says)
