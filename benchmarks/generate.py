"""A seeded generator of packages shaped like ours, for benchmarks and tests.

    python benchmarks/generate.py --victims 100000 --seed 1 --out DIR [--errors N]

DIR gets a copy of the real `datapackage.json` and `schemas/`, and one CSV per
resource under `seeds/`. Row counts follow the real seeds' proportions to
victims, counted when the generator runs. Every value is synthetic: names are
built from common Azerbaijani name parts, dates are partial (year, month or
day), `source_ids` are lists of generated sources. Columns are built with
numpy and pyarrow and written by pyarrow's CSV writer: no per-row Python.

With `--errors N`, N Table Schema errors of every kind are injected and
`DIR/errors.json` lists each one (file, physical line, column, field, kind).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from names_parts import FEMALE, MALE, PREFIXES, ROOTS, SENTENCES, SUFFIXES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = np.datetime64("2017-01-01")
DAYS = int((np.datetime64("2025-06-30") - FIRST_DAY).astype(int))
# Cases begin (and end) before every other generated date, so
# `notBefore: cases.began_on` holds.
CASE_DAYS = (np.datetime64("2010-01-01"), 2000)
# Fields whose pattern is not an id or a date: values that match it.
PATTERNED = {"country": ["AZ", "RU", "GE", "TR"], "language": ["az", "en", "ru", "tr"]}
# A reserved example domain: generated sources are not real documents.
URL = "https://example.org/source/"
NEWLINE = 10
# The share of victims given a spelling variant of another victim's name
# (a realistic trickle of possible-duplicate warnings).
VARIANT_SHARE = 0.0005


# ---------------------------------------------------------------- the package

MADE_FROM = "made-from.json"
GENERATOR = ("generate.py", "inject.py", "names_parts.py")


def made_from(package: Path, seed: int, victims: int, errors: int = 0) -> dict:
    """What a generated package is made from: the source package's descriptor
    and schemas, the generator's modules, the seed, the size and the errors
    injected. A package made from
    other schemas is stale: its schemas lack what was declared since (a page,
    a timeline), so what is measured on it is not what would be published."""
    descriptor, _ = load(package)
    files = [package / "datapackage.json", *(package / r["schema"] for r in descriptor["resources"]),
             *(Path(__file__).resolve().parent / f for f in GENERATOR)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return {"sha256": digest.hexdigest(), "seed": seed, "victims": victims, "errors": errors}


def is_current(out: Path, package: Path, seed: int, victims: int) -> bool:
    """Whether `out` holds a whole package generated from `package` as it is now."""
    try:
        told = json.loads((out / MADE_FROM).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (out / "sizes.json").exists() and told == made_from(package, seed, victims)


def load(package: Path) -> tuple[dict, dict[str, dict]]:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: json.loads((package / r["schema"]).read_text(encoding="utf-8"))
               for r in descriptor["resources"]}
    return descriptor, schemas


def counts(package: Path, descriptor: dict, victims: int) -> dict[str, int]:
    """Rows per resource in the real seeds' proportion to victims."""
    real = {}
    for resource in descriptor["resources"]:
        with open(package / resource["path"], encoding="utf-8", newline="") as f:
            real[resource["name"]] = sum(1 for _ in csv.reader(f)) - 1
    return {name: max(1, round(victims * n / real["victims"])) for name, n in real.items()}


def order(schemas: dict[str, dict]) -> list[str]:
    """Resources so that every foreign key's target is built first."""
    done: list[str] = []
    while len(done) < len(schemas):
        for name, schema in schemas.items():
            targets = {k["reference"]["resource"] for k in schema.get("foreignKeys", [])} - {name, ""}
            if name not in done and targets <= set(done):
                done.append(name)
    return done


# ---------------------------------------------------------------- columns

def pick(rng, values: pa.Array, n: int, share: float = 0.0) -> pa.Array:
    """n values drawn at random, a share of them blank (null, written as empty)."""
    return values.take(pa.array(rng.integers(0, len(values), n), mask=rng.random(n) < share if share else None))


def choose(rng, words: list[str], n: int, share: float = 0.0) -> pa.Array:
    return pick(rng, pa.array(words), n, share)


def blank(rng, column: pa.Array, share: float) -> pa.Array:
    """Blank a share of the cells (written as empty)."""
    mask = pa.array(rng.random(len(column)) < share)
    return pc.if_else(mask, pa.nulls(len(column), pa.string()), column)


def join(*parts, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def ids(prefix: str, n: int) -> pa.Array:
    """prefix-001, prefix-002, ...: three digits at least, more as the table grows."""
    numbers = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
    return join(prefix, pc.utf8_lpad(numbers, 3, "0"))


def id_prefix(pattern: str) -> str:
    match = re.match(r"\^([a-z]+-)", pattern)
    if not match:
        raise SystemExit(f"cannot generate ids for pattern {pattern!r}")
    return match.group(1)


def partial_dates(rng, n: int, start=FIRST_DAY, days=DAYS, offset=None) -> tuple[pa.Array, np.ndarray]:
    """Dates written as a year, a month or a day; returns the text and the day
    used, so a later date can be built after it."""
    day = rng.integers(0, days, n) if offset is None else offset
    iso = pc.cast(pa.array(start + day.astype("timedelta64[D]")), pa.string())
    precision = pa.array(rng.choice(3, n, p=[0.1, 0.25, 0.65]).astype(np.int8))
    text = pc.choose(precision, pc.utf8_slice_codeunits(iso, 0, 4), pc.utf8_slice_codeunits(iso, 0, 7), iso)
    return text, day


def later(rng, day: np.ndarray, spread: int, days: int) -> np.ndarray:
    """Days up to `spread` after `day`, within the `days` the dates span."""
    return np.minimum(day + rng.integers(0, spread, len(day)), days - 1)


def person_names(rng, n: int) -> pa.Array:
    """First name, sometimes a patronymic, and a surname from a prefix, a root
    and a suffix: about two million first name + surname pairs, drawn without
    replacement so that names are distinct, then a small share replaced by a
    spelling variant of another name (possible duplicates)."""
    firsts = MALE + FEMALE
    space = len(firsts) * len(PREFIXES) * len(ROOTS) * len(SUFFIXES)
    if n > space:
        raise SystemExit(f"at most {space} distinct names can be generated")
    pick = rng.choice(space, n, replace=False)
    pick, first = np.divmod(pick, len(firsts))
    pick, prefix = np.divmod(pick, len(PREFIXES))
    suffix, root = np.divmod(pick, len(ROOTS))
    female = first >= len(MALE)
    # "Hacı" + "Əli" -> "Hacıəli": a prefix joins the root as one word.
    stem = pc.utf8_capitalize(join(pa.array(PREFIXES).take(pa.array(prefix)), pa.array(ROOTS).take(pa.array(root))))
    surname = join(pc.replace_substring(stem, "i\u0307", "i"), pa.array(SUFFIXES).take(pa.array(suffix)))
    surname = pc.if_else(pa.array(female & (suffix == 0)), join(surname, "a"), surname)  # Əliyev, Əliyeva
    patronymic = join(choose(rng, MALE, n, share=0.6), pc.if_else(pa.array(female), "qızı", "oğlu"), sep=" ")
    given = pa.array(firsts).take(pa.array(first))
    names = pc.if_else(pc.is_null(patronymic), join(given, surname, sep=" "),
                       join(given, pc.fill_null(patronymic, ""), surname, sep=" "))
    return _with_variants(rng, names)


def _with_variants(rng, names: pa.Array) -> pa.Array:
    """Copy a few names onto other rows in an English spelling (ə -> a, q -> g, ...)."""
    n = len(names)
    count = int(n * VARIANT_SHARE)
    if count == 0:
        return names
    source, target = rng.choice(n, (2, count), replace=False)
    english = names.take(pa.array(source))
    for old, new in (("ə", "a"), ("Ə", "A"), ("q", "g"), ("Q", "G"), ("ş", "sh"), ("ç", "ch"), ("ı", "i")):
        english = pc.replace_substring(english, old, new)
    values = names.to_numpy(zero_copy_only=False)
    values[target] = english.to_numpy(zero_copy_only=False)
    return pa.array(values, pa.string())


def english_spelling(names: pa.Array) -> pa.Array:
    for old, new in (("ə", "a"), ("Ə", "A"), ("ü", "u"), ("ö", "o"), ("ğ", "g"), ("ş", "sh"), ("ç", "ch"),
                     ("ı", "i"), ("q", "g"), ("Q", "G"), ("x", "kh")):
        names = pc.replace_substring(names, old, new)
    return names


def prose(rng, n: int, most: int = 3, share: float = 0.0) -> pa.Array:
    """One to `most` synthetic sentences; 1% of cells span two lines. Every
    possible cell is built once and the column is one `take` from them."""
    cells = [" ".join(SENTENCES[i] for i in combo) for k in range(1, most + 1)
             for combo in itertools.permutations(range(len(SENTENCES)), k)]
    cells += [cell + "\n(continued)" for cell in cells]
    half = len(cells) // 2
    pick = rng.integers(0, half, n) + half * (rng.random(n) < 0.01)
    return pa.array(cells).take(pa.array(pick, mask=rng.random(n) < share if share else None))


def source_lists(rng, sources: pa.Array, n: int) -> pa.Array:
    """One to three source ids separated by ';'."""
    count = rng.choice([1, 2, 3], n, p=[0.5, 0.35, 0.15])
    parts = [pick(rng, sources, n) for _ in range(3)]
    two, three = join(parts[0], parts[1], sep=";"), join(parts[0], parts[1], parts[2], sep=";")
    return pc.choose(pa.array((count - 1).astype(np.int8)), parts[0], two, three)


def integers(rng, n: int, low: int, high: int) -> np.ndarray:
    return rng.integers(low, high + 1, n)


def as_text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


# ---------------------------------------------------------------- tables

class Builder:
    """Builds every column of one resource from its Table Schema."""

    def __init__(self, rng, schemas: dict[str, dict], tables: dict[str, pa.Table]):
        self.rng, self.schemas, self.tables = rng, schemas, tables

    def table(self, name: str, n: int) -> pa.Table:
        schema = self.schemas[name]
        self.current, self.n, self.columns, self.days, self.masks = name, n, {}, {}, {}
        keys = schema.get("primaryKey", [])
        references = {k["fields"][0]: k["reference"] for k in schema.get("foreignKeys", [])}
        for spec in schema["fields"]:
            self.columns[spec["name"]] = self.column(spec, spec["name"] in keys, references.get(spec["name"]))
        return pa.table(self.columns)

    def column(self, spec: dict, is_key: bool, reference: dict | None) -> pa.Array:
        rng, n, name = self.rng, self.n, spec["name"]
        constraints = spec.get("constraints", {})
        required = constraints.get("required") or is_key
        share = 0.0 if required else 0.3
        if reference:
            return self.reference(reference, is_key, required)
        if spec.get("withholdsRow"):  # generated rows are public: withheld ones are never published
            return choose(rng, constraints["enum"][:1], n)
        if name in {f["withholdsRow"].get("reason") for f in self.schemas_fields() if f.get("withholdsRow")}:
            return pa.nulls(n, pa.string())
        if is_key:
            return ids(id_prefix(constraints["pattern"]), n)
        if spec.get("partialDate"):
            return self.date(spec, required)
        if spec["type"] == "integer":
            return self.integer(spec, required)
        if "enum" in constraints:
            return choose(rng, constraints["enum"], n, share)
        elif spec.get("sourceList"):
            values = source_lists(rng, self.tables[spec["sourceList"]["resource"]].column(
                spec["sourceList"]["field"]).combine_chunks(), n)
        elif spec.get("personName"):
            values = person_names(rng, n)
        elif name in PATTERNED:
            return choose(rng, PATTERNED[name], n, share)
        elif name == "url":
            values = join(URL, as_text(np.arange(1, n + 1)))
        elif name == "name_variants" and "name" in self.columns:
            values = english_spelling(self.columns["name"])
        elif name == "victim_id":  # a victim named in a trial
            return pick(rng, self.tables["victims"].column("victim_id").combine_chunks(), n, share)
        else:
            return prose(rng, n, 3 if required else 1, share)
        return values if required else blank(rng, values, share)

    def reference(self, reference: dict, is_key: bool, required: bool) -> pa.Array:
        target = self.tables[reference["resource"]].column(reference["fields"][0]).combine_chunks()
        if is_key:  # one row per referenced row at most (deaths.victim_id)
            return target.take(pa.array(self.rng.choice(len(target), self.n, replace=False)))
        return pick(self.rng, target, self.n, 0.0 if required else 0.4)

    def date(self, spec: dict, required: bool) -> pa.Array:
        name = spec["name"]
        earlier = [f["name"] for f in self.schemas_fields() if f.get("notAfter") == name and f["name"] in self.days]
        start, days = CASE_DAYS if self.current == "cases" else (FIRST_DAY, DAYS)
        offset = later(self.rng, self.days[earlier[0]], 400, days) if earlier else None
        text, self.days[name] = partial_dates(self.rng, self.n, start, days, offset)
        return text if required else blank(self.rng, text, 0.2)

    def integer(self, spec: dict, required: bool) -> pa.Array:
        constraints = spec.get("constraints", {})
        low = constraints.get("minimum", 0)
        earlier = [f["name"] for f in self.schemas_fields() if f.get("notAfter") == spec["name"]]
        if earlier and earlier[0] in self.days:
            values = self.days[earlier[0]] + integers(self.rng, self.n, 0, 100)
        else:
            values = integers(self.rng, self.n, low, low + 300)
        if spec.get("notAfter"):
            self.days[spec["name"]] = values  # the later field is built from it
        text = as_text(values)
        if required:
            return text
        # A pair ordered by notAfter is blank together, as a figure is stated or not.
        pair = frozenset([spec["name"], spec.get("notAfter") or (earlier[0] if earlier else spec["name"])])
        if pair not in self.masks:
            self.masks[pair] = self.rng.random(self.n) < 0.3
        return pc.if_else(pa.array(self.masks[pair]), pa.nulls(self.n, pa.string()), text)

    def schemas_fields(self) -> list[dict]:
        return self.schemas[self.current]["fields"]


def build_tables(rng, schemas: dict[str, dict], sizes: dict[str, int]) -> dict[str, pa.Table]:
    tables: dict[str, pa.Table] = {}
    builder = Builder(rng, schemas, tables)
    for name in order(schemas):
        tables[name] = builder.table(name, sizes[name])
    return tables


# ---------------------------------------------------------------- writing

def widen_id_patterns(schema: dict, longest: int) -> dict:
    """A three-digit id pattern caps a table at 999 rows; allow longer ids
    when the generated table needs them (the ids keep their form)."""
    if longest <= 999:
        return schema
    schema = json.loads(json.dumps(schema))
    for spec in schema["fields"]:
        pattern = spec.get("constraints", {}).get("pattern")
        if pattern and "[0-9]{3}$" in pattern:
            spec["constraints"]["pattern"] = pattern.replace("[0-9]{3}$", "[0-9]{3,}$")
    return schema


def csv_bytes(table: pa.Table, header: bool) -> bytes:
    out = io.BytesIO()
    pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
    return out.getvalue()


def row_bytes(cells: list) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["" if c is None else c for c in cells])
    return out.getvalue().encode("utf-8")


def lines_per_row(table: pa.Table) -> np.ndarray:
    """Physical lines each record takes (a quoted cell may hold newlines),
    found on the columns' raw buffers: the row of every newline byte."""
    extra = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        array = column.combine_chunks()
        _, offsets, data = array.buffers()
        if data is None:
            continue
        offsets = np.frombuffer(offsets, dtype=np.int32)[array.offset:array.offset + len(array) + 1]
        found = np.flatnonzero(np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]] == NEWLINE) + offsets[0]
        extra += np.bincount(np.searchsorted(offsets, found, side="right") - 1, minlength=len(array))
    return 1 + extra


def write_csv(path: Path, table: pa.Table, edits: dict[int, bytes | None], header: bytes | None) -> np.ndarray:
    """Write the table, replacing row i by edits[i] (raw bytes; None keeps the
    row and puts a blank line before it). Returns each row's physical line."""
    heights = lines_per_row(table)
    extra = np.zeros(table.num_rows, dtype=np.int64)
    with open(path, "wb") as f:
        f.write(header if header is not None else csv_bytes(table.slice(0, 0), True))
        start = 0
        for i in sorted(edits):
            f.write(csv_bytes(table.slice(start, i - start), False))
            if edits[i] is None:
                f.write(b"\n")
                extra[i:] += 1
                f.write(csv_bytes(table.slice(i, 1), False))
            else:
                f.write(edits[i])
            start = i + 1
        f.write(csv_bytes(table.slice(start), False))
    return 2 + np.concatenate(([0], np.cumsum(heights)[:-1])) + extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--victims", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--errors", type=int, default=0, help="inject this many Table Schema errors")
    parser.add_argument("--package", type=Path, default=ROOT, help="the package to take the shape from")
    args = parser.parse_args(argv)
    if args.victims < 1:
        parser.error("--victims must be at least 1")
    from inject import inject  # the injections need the builder's helpers

    descriptor, schemas = load(args.package)
    sizes = counts(args.package, descriptor, args.victims)
    rng = np.random.default_rng(args.seed)
    tables = build_tables(rng, schemas, sizes)
    plan = inject(rng, schemas, tables, args.errors) if args.errors else None
    (args.out / MADE_FROM).unlink(missing_ok=True)  # a package half rewritten is not current
    injected = write_package(args.out, descriptor, schemas, tables, sizes, plan)
    made = made_from(args.package, args.seed, args.victims, args.errors)
    (args.out / MADE_FROM).write_text(json.dumps(made) + "\n", encoding="utf-8")
    rows = sum(sizes.values())
    print(f"{args.out}: {rows} rows ({', '.join(f'{k} {v}' for k, v in sizes.items())})"
          + (f", {injected} errors in errors.json" if args.errors else ""))
    return 0


def write_package(out: Path, descriptor: dict, schemas: dict[str, dict], tables: dict[str, pa.Table],
                  sizes: dict[str, int], plan) -> int:
    """Write the package; returns how many errors it holds (fewer than asked
    when the tables have too few rows for them)."""
    shutil.rmtree(out / "seeds", ignore_errors=True)
    (out / "seeds").mkdir(parents=True)
    (out / "schemas").mkdir(exist_ok=True)
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    manifest = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        schema = widen_id_patterns(schemas[name], max(sizes.values()))
        if plan:
            schema = plan.schema(name, schema)
        (out / resource["schema"]).write_text(json.dumps(schema, indent=1, ensure_ascii=False), encoding="utf-8")
        edits = plan.edits(name, tables[name]) if plan else {}
        header = plan.header(name, tables[name]) if plan else None
        lines = write_csv(out / resource["path"], tables[name], edits, header)
        if plan:
            manifest += plan.manifest(name, resource["path"], lines)
    (out / "sizes.json").write_text(json.dumps(sizes) + "\n", encoding="utf-8")
    if plan:
        (out / "errors.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(manifest)


if __name__ == "__main__":
    sys.exit(main())
