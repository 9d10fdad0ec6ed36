"""Checks across rows and tables, over whole typed columns, run by Pandera.

Table Schema's own: foreign keys (self-references included) and composite
primary keys. Ours, declared on fields in the schemas:
- `notAfter: other`: this field <= other (dates by their bounds, numbers by
  value), reported on `other`;
- `notBefore: resource.field` on a date (partial or not): not before the
  date (partial or not) of the row each foreign key to that resource points
  at (read as `references` reads every key);
- every partial date: not after today;
- `sourceList`: every entry non-empty and present in the referenced resource;
- `personName`: names that fold to the same key are a possible duplicate;
- every text key (a primary key of one field, or a unique field): keys that
  differ only in how their accents are written are a warning.

A rule gives True for rows that pass. Certainly wrong is an error; possibly
wrong (a partial date that may fall either side) is a warning. Messages are
written only for the rows that fail.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Callable

import polars as pl

from datapackage.validate import messages
from datapackage.validate.nearest import Nearest, did_you_mean
from datapackage.read.convert import convert, missing_values, zone_free, zoned
from datapackage.read.patterns import whole
from datapackage.findings import ERROR, WARNING, accents_apart
from datapackage.folding import fold
from datapackage.package import Package, Resource
from datapackage.privacy import mark_field, marked, references_withheld
from datapackage.read.table import Table
from datapackage.validate.pandera_schemas import BOUNDS as LIMITS, typed_values
from datapackage.validate.references import key_sides


@dataclass
class Rule:
    check: str
    field: str  # the field a finding points at
    severity: str
    passes: Callable[[], pl.Series]
    message: Callable[[int], str]  # row index -> what is wrong and what was expected


def rules_for(table: Table, tables: dict[str, Table], package: Package, today: datetime.date,
              hidden: dict[str, pl.Series]) -> list[Rule]:
    resource, frame = table.resource, table.frame
    rules = _key_rules(table, tables, package) + _visibility_rules(table, tables, hidden)
    for spec in resource.fields:
        name = spec["name"]
        if name not in frame.columns:
            continue
        other = spec.get("notAfter")
        if other in frame.columns:
            rules += _order_rules(table, spec, resource.field(other))
        if spec.get("notBefore"):
            rules += _not_before_rules(table, name, spec["notBefore"], tables, package)
        if spec.get("partialDate"):
            rules += _future_rules(table, name, today)
        if spec.get("sourceList"):
            rules += _source_rules(table, name, spec["sourceList"], tables, package)
            rules += _withheld_source_rules(table, name, spec["sourceList"], tables, hidden)
        if spec.get("personName"):
            rules.append(_duplicate_person_rule(table, name))
        if zone_free(spec):
            rules += _zone_rules(table, spec) + _zone_unique_rule(table, spec) + _zone_enum_rule(table, spec)
        if spec.get("constraints", {}).get("unique") or resource.primary_key == [name]:
            rules += _look_alike_key_rules(table, name)
    return rules


def rule_columns(package: Package) -> dict[str, set[str]]:
    """Per resource, the fields any rule reads, its own or another table's
    (a date bound counts with its field). Keep this beside the rules: a
    rule that reads a field not named here fails on a table kept lean."""
    needed: dict[str, set[str]] = {r.name: set(r.primary_key) for r in package.resources}
    for resource in package.resources:
        own = needed[resource.name]
        for key in resource.foreign_keys:
            own.update(key["fields"])
            needed.setdefault(key["reference"]["resource"], set()).update(key["reference"]["fields"])
        mark = mark_field(resource)
        if mark:
            own.update(n for n in (mark["name"], mark["withholdsRow"].get("reason")) if n)
        for spec in resource.fields:
            name = spec["name"]
            if spec.get("notAfter"):
                own.update((name, spec["notAfter"]))
            if spec.get("notBefore"):
                own.add(name)
                other, field = spec["notBefore"].split(".", 1)
                needed.setdefault(other, set()).add(field)
            if spec.get("partialDate") or spec.get("personName") or zone_free(spec):
                own.add(name)
            if spec.get("constraints", {}).get("unique"):  # keys that look alike
                own.add(name)
            if spec.get("sourceList"):
                own.add(name)
                needed.setdefault(spec["sourceList"]["resource"], set()).add(spec["sourceList"]["field"])
    return needed


def rule_tables(resource: Resource) -> set[str]:
    """The resources whose tables the resource's rules read, itself
    included when a foreign key refers to it (what `rule_columns` reads
    from other tables, by table)."""
    names = {key["reference"]["resource"] for key in resource.foreign_keys}
    for spec in resource.fields:
        if spec.get("notBefore"):
            names.add(spec["notBefore"].split(".", 1)[0])
        if spec.get("sourceList"):
            names.add(spec["sourceList"]["resource"])
    return names


def withheld_through(resource: Resource) -> list[str]:
    """The resources whose withheld rows the resource's rules read: those its
    foreign keys (a row referring to a withheld row is withheld) and its
    source lists (a row may not cite a withheld row) point at."""
    return [key["reference"]["resource"] for key in resource.foreign_keys] + \
        [spec["sourceList"]["resource"] for spec in resource.fields if spec.get("sourceList")]


def first_rows(keys: pl.DataFrame) -> pl.Series:
    """For every row, the index of the first row with the same key."""
    return keys.with_row_index("__row").select(pl.col("__row").first().over(keys.columns)).to_series()


def _key_rules(table: Table, tables: dict[str, Table], package: Package) -> list[Rule]:
    resource, frame = table.resource, table.frame
    rules = []
    keys = [k for k in resource.primary_key if k in frame.columns]
    if len(keys) > 1:
        # A datetime with its zone is never the same key as one without (see Table.zone_mixed).
        zones = [flags.alias(f"__zone_{k}") for k in keys if (flags := table.zone_mixed(k)) is not None]
        key = pl.struct([pl.col(k) for k in keys] + [pl.lit(flags) for flags in zones])
        firsts = first_rows(frame.select(key.alias("key")))

        def unique():
            return frame.select(pl.any_horizontal(pl.col(keys).is_null()) | key.is_first_distinct()).to_series()

        def says(row):
            value = ", ".join(table.cell(k, row) for k in keys)
            return messages.cell("unique", resource, keys[0], value, int(table.lines[firsts[row]]))

        rules.append(Rule("unique", keys[0], ERROR, unique, says))
    # Not named `key`: the uniqueness check above reads that name when it runs.
    for foreign in resource.foreign_keys:
        target = tables.get(foreign["reference"]["resource"])
        if target is not None and all(f in frame.columns for f in foreign["fields"]) \
                and all(f in target.frame.columns for f in foreign["reference"]["fields"]):
            rules.append(_foreign_key_rule(table, target, foreign))
    return rules


def _visibility_rules(table: Table, tables: dict[str, Table], hidden: dict[str, pl.Series]) -> list[Rule]:
    """A withheld row says why; a row marked public may not refer to a
    withheld one (a public death of a withheld person would publish them)."""
    spec = mark_field(table.resource)
    if spec is None or spec["name"] not in table.frame.columns:
        return []
    mark, reason = spec["name"], spec["withholdsRow"].get("reason")
    own = marked(table)
    rules = []
    if reason in table.frame.columns:
        unexplained = own & table.frame[reason].is_null()
        rules.append(Rule("withheld-reason", reason, ERROR, lambda: ~unexplained,
                          lambda row: f"{reason} is empty; a withheld row must say why it is withheld"))
    for key in table.resource.foreign_keys:
        leaks = references_withheld(table, key, tables, hidden) & ~own
        if leaks.any():
            def says(row, key=key):
                field = key["fields"][0]
                return (f"{mark} is not withheld but {field} '{table.cell(field, row)}' refers to a withheld row of "
                        f"{key['reference']['resource']}; mark this row withheld too")

            rules.append(Rule("withheld-reference", mark, ERROR, lambda leaks=leaks: ~leaks, says))
    return rules


def _foreign_key_rule(table: Table, target: Table, key: dict) -> Rule:
    local, remote = key["fields"], key["reference"]["fields"]

    def passes():
        sides = key_sides(table, target, local, remote)
        # As they are: repeated keys change nothing in an anti join, and making them distinct costs a pass.
        theirs = sides.theirs
        ragged = [row for row in target.ragged if all(r in row for r in remote)]
        if ragged:  # rows with a wrong number of cells are findings of their own; their keys exist
            theirs = pl.concat([theirs, _ragged_keys(target, ragged, local, remote, sides.zones)])
        # A cell not of its type is a finding of its own, and its key is not also looked for.
        mine = sides.mine if len(local) == 1 else sides.mine.filter(~_unread(table, local))
        unmatched = sides.join(sides.keyed(mine), theirs, "anti")["__row"]
        return pl.Series(~pl.int_range(len(table), eager=True).is_in(unmatched.implode(), nulls_equal=False))

    # Only a single-field key is suggested: a composite one's slip could be in any of its cells.
    known = Nearest(lambda: _well_formed(target, remote[0]))

    def says(row):
        value = table.cell(local[0], row)
        suggestion = known.of(value) if len(local) == 1 else None
        return messages.cell("foreign-key", table.resource, local[0], value, suggestion=suggestion)

    return Rule("foreign-key", local[0], ERROR, passes, says)


def _unread(table: Table, names: list[str]) -> pl.Series:
    """Rows with a cell of these fields that is not of its type (no value,
    but not a missing value either): the cell is its own finding, and its
    key is not also looked for (as a single field's is not)."""
    unread = pl.repeat(False, len(table), eager=True)
    for name in names:
        spec = table.resource.field(name) or {"name": name}
        missing = missing_values(table.resource.schema, spec)
        unread = unread | (table.frame[name].is_null() & ~table.text_of(name).is_in(missing))
    return unread


def _ragged_keys(target: Table, ragged: list[dict], local: list[str], remote: list[str], zones) -> pl.DataFrame:
    """The keys of the target's ragged rows, typed as its columns are."""
    columns = {}
    for l, r in zip(local, remote):
        spec = target.resource.field(r) or {"name": r}
        written = pl.Series(r, [row[r] for row in ragged], dtype=pl.String)
        columns[l] = convert(spec, written, missing_values(target.resource.schema, spec))[0].values.cast(pl.String)
        if (l, r) in zones:
            columns[f"__zone_{l}"] = zoned(written)
    return pl.DataFrame(columns)


def _well_formed(table: Table, name: str) -> pl.Series:
    """A key column's values that are in their field's form: a key written
    `V-001` is a finding of its own, and not a value to suggest elsewhere."""
    values = table.frame[name].cast(pl.String).drop_nulls().unique(maintain_order=True)
    pattern = ((table.resource.field(name) or {}).get("constraints") or {}).get("pattern")
    return values.filter(values.str.contains(whole(pattern))) if pattern else values


def dated(spec: dict) -> bool:
    """A field `notAfter` compares by its first and last possible day."""
    return bool(spec.get("partialDate")) or spec.get("type") == "date"


def _day_bounds(frame: pl.DataFrame, spec: dict) -> tuple[pl.Series, pl.Series]:
    """A partial date's first and last possible day; a date is both."""
    name = spec["name"]
    if spec.get("partialDate"):
        return frame[f"{name}_from"], frame[f"{name}_to"]
    return frame[name], frame[name]


def _order_rules(table: Table, first_spec: dict, second_spec: dict) -> list[Rule]:
    """`first` not after `second`; schema_check has made sure both are
    dates (partial or not), or neither."""
    frame = table.frame
    first, second = first_spec["name"], second_spec["name"]
    if dated(first_spec):
        (a_from, a_to), (b_from, b_to) = _day_bounds(frame, first_spec), _day_bounds(frame, second_spec)
        certain = (a_from > b_to).fill_null(False)
        possible = (a_to > b_from).fill_null(False) & ~certain

        def says(word):
            return lambda row: (f"{second} {table.cell(second, row)} {word} before "
                                f"{first} {table.cell(first, row)}")

        return [Rule("date-order", second, ERROR, lambda: ~certain, says("is")),
                Rule("date-order", second, WARNING, lambda: ~possible, says("may be"))]
    wrong = (frame[first] > frame[second]).fill_null(False)
    return [Rule("value-order", second, ERROR, lambda: ~wrong,
                 lambda row: (f"{second} {table.cell(second, row)} is less than {first} "
                              f"{table.cell(first, row)}; expected {second} >= {first}"))]


def _not_before_rules(table: Table, name: str, target: str, tables: dict[str, Table], package: Package) -> list[Rule]:
    """Not before the date of each row that a foreign key to the resource
    points at: with two keys to it (a witness and a victim), each is checked."""
    other_name, other_field = target.split(".", 1)
    other = tables.get(other_name)
    theirs_spec = other.resource.field(other_field) if other is not None else None
    if theirs_spec is None or not (dated(theirs_spec) and dated(table.resource.field(name) or {})):
        return []  # a schema finding
    return [rule for key in table.resource.foreign_keys if key["reference"]["resource"] == other_name
            for rule in _not_before_key_rules(table, name, key, other, theirs_spec, package.resource(other_name).path)]


def _not_before_key_rules(table: Table, name: str, key: dict, other: Table, theirs_spec: dict, path: str) -> list[Rule]:
    local, remote = key["fields"], key["reference"]["fields"]
    if any(f not in table.frame.columns for f in local) or any(f not in other.frame.columns for f in remote):
        return []
    other_field = theirs_spec["name"]
    # The row each key points at, read as the foreign-key rule reads it: by every field of the key.
    sides = key_sides(table, other, local, remote)
    first, last = _day_bounds(other.frame, theirs_spec)
    theirs = sides.keyed(sides.theirs.with_columns(first.alias("__first"), last.alias("__last"),
                                                   other.frame[other_field].alias("__began")))
    began = sides.join(sides.mine, theirs.unique(sides.on, keep="first"), "left", maintain_order="left")
    mine_from, mine_to = _day_bounds(table.frame, table.resource.field(name))
    certain = (mine_to < began["__first"]).fill_null(False)
    possible = (mine_from < began["__last"]).fill_null(False) & ~certain

    def says(word):
        return lambda row: (f"{name} {table.cell(name, row)} {word} before "
                            f"{', '.join(f'{field} {table.cell(field, row)}' for field in local)} "
                            f"began ({other_field} {began['__began'][row]} in {path})")

    return [Rule("date-order", name, ERROR, lambda: ~certain, says("is")),
            Rule("date-order", name, WARNING, lambda: ~possible, says("may be"))]


def _future_rules(table: Table, name: str, today: datetime.date) -> list[Rule]:
    certain = (table.frame[f"{name}_from"] > today).fill_null(False)
    possible = (table.frame[f"{name}_to"] > today).fill_null(False) & ~certain

    def says(word):
        return lambda row: f"{name} {table.cell(name, row)} {word} after today ({today.isoformat()})"

    return [Rule("date-future", name, ERROR, lambda: ~certain, says("is")),
            Rule("date-future", name, WARNING, lambda: ~possible, says("may be"))]


def _zone_rules(table: Table, spec: dict) -> list[Rule]:
    """A column of datetimes names the time zone of every value or of none:
    Parquet and SQLite hold a column of instants (UTC) or of local times,
    not both, and a time without its zone is not to be guessed to be UTC."""
    name = spec["name"]
    present = table.frame[name].is_not_null()
    with_zone = zoned(table.text_of(name)) & present
    bound = next(((b, v) for b, v in spec.get("constraints", {}).items() if b in LIMITS and isinstance(v, str)), None)
    if bound is not None:
        return [_bound_zone_rule(table, name, present, with_zone, *bound)]
    if not with_zone.any() or with_zone.sum() == present.sum():
        return []
    first = int(table.lines[with_zone.arg_true()[0]])
    without = present & ~with_zone
    return [Rule("datetime-zone", name, ERROR, lambda: ~without,
                 lambda row: (f"{name} {table.cell(name, row)} has no time zone, but the one on line {first} has; "
                              "expected every date and time of the column with its zone (Z or +hh:mm), or none"))]


def _zone_unique_rule(table: Table, spec: dict) -> list[Rule]:
    """Repeats in a unique column of datetimes with and without zones, each
    compared with the zone: Frictionless, like Python, never takes a time
    with its zone for one without, and the column is a `datetime-zone`
    finding already, not also a repeat where there is none."""
    name = spec["name"]
    with_zone = table.zone_mixed(name)
    if with_zone is None or not (spec.get("constraints", {}).get("unique") or table.resource.primary_key == [name]):
        return []
    keys = pl.DataFrame({"value": table.frame[name], "zoned": with_zone})
    firsts = first_rows(keys)

    def unique():
        return keys.select(pl.col("value").is_null() | pl.struct("value", "zoned").is_first_distinct()).to_series()

    return [Rule("unique", name, ERROR, unique,
                 lambda row: messages.cell("unique", table.resource, name, table.cell(name, row),
                                           int(table.lines[firsts[row]])))]


def _zone_enum_rule(table: Table, spec: dict) -> list[Rule]:
    """An allowed datetime written with its zone is no cell written without
    one, nor the reverse, as in Frictionless; the column check compares
    instants, so a cell equal to an allowed value only as an instant is the
    enum finding here."""
    name = spec["name"]
    allowed = (spec.get("constraints") or {}).get("enum")
    if not isinstance(allowed, list) or name not in table.frame.columns:
        return []
    texts = [value for value in allowed if isinstance(value, str)]
    flags = zoned(pl.Series(texts, dtype=pl.String)).to_list()
    values, dtype = table.frame[name], table.frame[name].dtype

    def typed(keep: bool) -> pl.Series:
        return pl.Series(typed_values(spec, [t for t, flag in zip(texts, flags) if flag == keep]), dtype=dtype).implode()

    with_zone, without = typed(True), typed(False)
    cells_zoned = zoned(table.text_of(name))
    mismatched = (cells_zoned & values.is_in(without) & ~values.is_in(with_zone)) | \
        (~cells_zoned & values.is_in(with_zone) & ~values.is_in(without))
    if not mismatched.any():
        return []
    return [Rule("enum", name, ERROR, lambda: ~mismatched.fill_null(False),
                 lambda row: messages.cell("enum", table.resource, name, table.cell(name, row)))]


def _bound_zone_rule(table: Table, name: str, present: pl.Series, with_zone: pl.Series, said: str, value: str) -> Rule:
    """A declared bound (minimum...) is compared with the cells, so it sets
    the column's way: cells written the other way are no instants (or local
    times) to compare with it."""
    if zoned(pl.Series([value])).item():
        odd, cell_has, bound_has, way = present & ~with_zone, "no time zone", "one", "with its zone (Z or +hh:mm)"
    else:
        odd, cell_has, bound_has, way = with_zone, "a time zone", "none", "without a zone"
    return Rule("datetime-zone", name, ERROR, lambda: ~odd,
                lambda row: (f"{name} {table.cell(name, row)} has {cell_has}, but the field's {said} {value} has "
                             f"{bound_has}; expected every date and time of the column {way}, as its bounds are "
                             "written"))


def _source_rules(table: Table, name: str, reference: dict, tables: dict[str, Table], package: Package) -> list[Rule]:
    separator = reference.get("separator", ";")
    entries = table.lists[name]
    empty = entries.list.eval(pl.element() == "").list.any().fill_null(False)
    rules = [Rule("source-empty", name, ERROR, lambda: ~empty,
                  lambda row: (f"{name} '{table.cell(name, row)}' has an empty entry; "
                               f"expected source ids separated by '{separator}'"))]
    known = tables.get(reference["resource"])
    if known is None or reference["field"] not in known.frame.columns:
        return rules
    ids = known.frame[reference["field"]].cast(pl.String).drop_nulls()  # repeats do no harm to a membership test
    # One membership test over all entries (a list-wise test would copy the
    # ids once per row), then back to rows.
    cited = entries.rename("cited").to_frame().with_row_index("__row").explode("cited")
    unknown_entries = cited.filter(pl.col("cited").is_not_null() & (pl.col("cited") != "")
                                   & ~pl.col("cited").is_in(ids.implode()))
    missing = pl.int_range(len(entries), eager=True).is_in(unknown_entries["__row"].implode())
    unknown = unknown_entries.group_by("__row", maintain_order=True).agg("cited")
    unknown = dict(zip(unknown["__row"].to_list(), unknown["cited"].to_list()))
    path = package.resource(reference["resource"]).path

    known = Nearest(lambda: ids.unique(maintain_order=True))

    def meant(entry: str) -> str | None:
        # Ids joined by ',' or a space, as one writes a list elsewhere, are the list with its separator.
        parts = [p for p in re.split(r"[,\s]+", entry) if p]
        if len(parts) > 1 and ids.is_in(parts).sum() == len(set(parts)):
            return separator.join(parts)
        return known.of(entry)

    def says(row):
        cited = ", ".join(repr(m) + did_you_mean(meant(m)) for m in unknown[row])
        return (f"{name} cites {cited}, not found in {path}; "
                f"expected existing {reference['field']} values separated by '{separator}'"
                + accents_apart(table.cell(name, row)))

    return rules + [Rule("unknown-source", name, ERROR, lambda: ~missing, says)]


def _withheld_source_rules(table: Table, name: str, reference: dict, tables: dict[str, Table],
                           hidden: dict[str, pl.Series]) -> list[Rule]:
    """A published row may not cite a withheld row: the id it cites would be
    published in the list and in `citations`. Withholding follows foreign
    keys only, so the contributor decides: drop the entry or withhold the row."""
    target = tables.get(reference["resource"])
    if target is None or reference["field"] not in target.frame.columns or not hidden[reference["resource"]].any():
        return []
    secret = target.frame.filter(hidden[reference["resource"]])[reference["field"]].cast(pl.String).drop_nulls()
    cited = table.lists[name].rename("cited").to_frame().with_row_index("__row").explode("cited")
    citing = cited.filter(pl.col("cited").is_in(secret.implode()))["__row"]
    leaks = pl.int_range(len(table), eager=True).is_in(citing.implode()) & ~hidden[table.resource.name]
    if not leaks.any():
        return []

    def says(row):
        return (f"{name} '{table.cell(name, row)}' cites a withheld row of {reference['resource']}; "
                "remove that entry, or withhold this row too")

    return [Rule("withheld-reference", name, ERROR, lambda: ~leaks, says)]


def _look_alike_key_rules(table: Table, name: str) -> list[Rule]:
    """Keys that differ only in how their accents are written (a letter and a
    separate accent, as macOS and some keyboards type them, or one letter)
    are two keys to Table Schema, and look like one on every page and in
    every spreadsheet: a warning on each, naming the other's line."""
    written = table.frame[name]
    if written.dtype != pl.String or not written.str.contains(r"[^\x00-\x7F]").any():
        return []  # ASCII has one way of writing: nothing to compare (ids, mostly)
    folded = written.str.normalize("NFC")
    clash = (folded.is_duplicated() & ~written.is_duplicated()).fill_null(False)
    if not clash.any():
        return []
    rows = pl.DataFrame({"folded": folded, "written": written}).with_row_index("__row").filter(clash)
    alike = dict(zip(*rows.group_by("folded").agg("__row").to_dict(as_series=False).values()))

    def says(row):
        other = next(r for r in alike[folded[row]] if written[r] != written[row])
        return (f"{name} '{table.cell(name, row)}' looks the same as '{table.cell(name, other)}' on line "
                f"{table.lines[other]} but is other text: their accented letters are written differently "
                "(as one letter, or as a letter and a separate accent); expected each key written one way")

    return [Rule("look-alike-key", name, WARNING, lambda: ~clash, says)]


def _duplicate_person_rule(table: Table, name: str) -> Rule:
    keys = fold(table.frame[name])
    firsts = first_rows(keys.to_frame("key"))
    duplicate = (keys.is_not_null() & (keys != "") & ~keys.is_first_distinct()).fill_null(False)

    def says(row):
        first = firsts[row]
        return (f"{name} '{table.cell(name, row)}' may be the same person as '{table.cell(name, first)}' "
                f"on line {table.lines[first]}")

    return Rule("possible-duplicate", name, WARNING, lambda: ~duplicate, says)
