"""Pandera schemas derived from the Table Schemas.

Each field becomes a Pandera column with Pandera's own checks: required
(not nullable), unique, enum (isin), pattern (the whole value must match),
minimum/maximum, exclusiveMinimum/exclusiveMaximum (Table Schema v2),
minLength/maxLength, and a length limit on every text cell.
The schemas are public, for the typed columns of a resource, with the
polars backend (what `datapackage validate` runs) or the pandas backend (for
pandas, Dask or Modin frames, e.g. the Parquet release read back):

    from datapackage import pandera_schema
    schema = pandera_schema("victims", "datapackage.json")
    schema.validate(polars.read_parquet("dist/parquet/victims.parquet"), lazy=True)

Checks across rows and tables (foreign keys, composite keys, our declared
rules) need the other tables and are added by validation (see rules.py).
"""

from __future__ import annotations

import importlib
import importlib.abc
import re
import sys
from pathlib import Path

from datapackage.read.convert import JSON_KINDS, JSON_OPENS, WHAT, convert
from datapackage.read.patterns import whole
from datapackage.package import Resource, load_package

# The longest text cell of a field that declares no maxLength: no dataset of
# this kind needs a longer cell, and every output (review diffs, spreadsheets,
# the site) must stay usable. Every text field of this project's own schemas
# declares its limit; this is for packages whose fields do not.
DEFAULT_MAX_LENGTH = 20_000
# What Pandera loads when it is installed but the polars backend never uses.
OPTIONAL = {"pandas", "hypothesis"}
# Each bound a Table Schema field may declare, and the Pandera check that
# compares a cell with it: the exclusive ones (v2) as Frictionless does, > and <.
BOUNDS = {"minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt"}
BACKENDS = {"polars": "pandera.polars", "pandas": "pandera.pandas"}


def pandera_schema(resource: str | Resource, descriptor: str | Path = "datapackage.json", backend: str = "polars"):
    """The Pandera DataFrameSchema of one resource's typed columns."""
    if isinstance(resource, str):
        package, _ = load_package(Path(descriptor))
        found = package.resource(resource)
        if found is None:
            raise KeyError(f"{descriptor} has no resource named {resource!r}")
        resource = found
    pa = pandera_module(backend)
    single_key = resource.primary_key if len(resource.primary_key) == 1 else []
    # Every field of a key is required, of a composite key too (Table Schema;
    # the release's key columns are NOT NULL); one alone is also unique.
    columns = {}
    for spec in resource.fields:
        checks, unique = column_checks(pa, spec), _unique(spec, single_key)
        if unique and spec.get("type") == "geopoint" and backend == "pandas":
            # pandas holds a point as a dict, which it cannot hash: compared as pairs.
            checks, unique = checks + [pa.Check(_unique_points, name="unique")], False
        columns[spec["name"]] = pa.Column(None, checks=checks, nullable=not _required(spec, resource.primary_key),
                                          unique=unique, name=spec["name"], required=False)
    return pa.DataFrameSchema(columns, name=resource.name, strict=False)


def _unique_points(column):
    pairs = column.map(lambda point: None if point is None else (point["lon"], point["lat"]))
    return column.isna() | ~pairs.duplicated(keep=False)


def _required(spec: dict, key: list[str]) -> bool:
    return bool(spec.get("constraints", {}).get("required")) or spec["name"] in key


def _unique(spec: dict, single_key: list[str]) -> bool:
    return bool(spec.get("constraints", {}).get("unique")) or spec["name"] in single_key


def column_checks(pa, spec: dict) -> list:
    """Pandera checks of one field, each named by the Table Schema constraint
    it enforces (the name findings report)."""
    constraints = spec.get("constraints", {})
    kind = spec.get("type", "string")
    if kind == "list":
        return _list_checks(pa, spec)
    text = kind in ("string", "any", *JSON_KINDS)  # JSON is text, kept as written
    checks = []
    if "enum" in constraints and kind != "geopoint":  # (not supported: schema_check says so)
        checks.append(pa.Check.isin(typed_values(spec, constraints["enum"]), name="enum"))
    if "pattern" in constraints and text:
        checks.append(pa.Check.str_matches(whole(constraints["pattern"]), name="pattern"))
    for bound, check in BOUNDS.items():
        if bound in constraints:
            # A date's or a time's bound is written as its cells are: typed as they are.
            written = kind in WHAT
            limit = typed_values(spec, [constraints[bound]])[0] if written else constraints[bound]
            if kind in ("date", "datetime") and pa.__name__ != "pandera.polars":
                import pandas as pd

                limit = pd.Timestamp(limit)  # pandas holds dates as timestamps (so does Parquet read by it)
            checks.append(getattr(pa.Check, check)(limit, name=bound))
    counted = kind in JSON_OPENS  # an object's keys or an array's items, not its characters
    if counted:
        checks += _json_length_checks(pa, kind, constraints)
    if text and not counted and "minLength" in constraints:
        checks.append(pa.Check.str_length(min_value=constraints["minLength"], name="minLength"))
    if text and not counted and "maxLength" in constraints:
        checks.append(pa.Check.str_length(max_value=constraints["maxLength"], name="maxLength"))
    elif text:
        checks.append(pa.Check.str_length(max_value=DEFAULT_MAX_LENGTH, name="cell-too-long"))
    if text:
        if not spec.get("allowFormula"):
            checks.append(_never(pa, FORMULA, "formula"))
        checks += [_never(pa, INVISIBLE, "invisible-character"), _never(pa, WHITESPACE_ONLY, "whitespace-only")]
    return checks


def _list_checks(pa, spec: dict) -> list:
    """A list field's checks: how many items (minLength, maxLength), the
    length of its text, and for text items what no text may hold. They read
    each cell's text: validation holds it as written, the Parquet release
    holds the items, which are joined again (as written, but for the spaces
    around numbers)."""
    constraints, delimiter = spec.get("constraints", {}), spec.get("delimiter", ",")
    counts = {"minLength": lambda n: n >= constraints["minLength"],
              "maxLength": lambda n: n <= constraints["maxLength"]}
    checks = [_on_text(pa, delimiter, bound, lambda t, within=within: within(_count(t, delimiter)))
              for bound, within in counts.items() if bound in constraints]
    checks.append(_on_text(pa, delimiter, "cell-too-long", lambda t: _length(t) <= DEFAULT_MAX_LENGTH))
    if spec.get("itemType", "string") == "string":
        names = (["formula"] if not spec.get("allowFormula") else []) + ["invisible-character", "whitespace-only"]
        checks += [_on_text(pa, delimiter, name, lambda t, p=NEVER_PATTERNS[name]: ~_holds(t, p),
                            {NEVER: NEVER_PATTERNS[name]}) for name in names]
    return checks


def _json_length_checks(pa, kind: str, constraints: dict) -> list:
    """minLength and maxLength of an object or array field: how many keys or
    items each cell's JSON has, read as Frictionless reads it (Python's json).
    A cell that is not JSON of the kind passes: its type finding says what
    it is."""
    import json

    wanted = dict if kind == "object" else list

    def within(bound):
        limit = constraints[bound]

        def passes(cell) -> bool:
            try:
                value = json.loads(cell)
            except (ValueError, RecursionError):
                return True
            if not isinstance(value, wanted):
                return True
            return len(value) >= limit if bound == "minLength" else len(value) <= limit
        return passes

    def each(passes):
        def test(text):
            if _polars(text):
                import polars as pl

                return text.map_elements(passes, return_dtype=pl.Boolean)
            return text.map(passes, na_action="ignore")
        return test
    return [_on_text(pa, ",", bound, each(within(bound))) for bound in ("minLength", "maxLength") if bound in constraints]


def _on_text(pa, delimiter: str, name: str, test, statistics: dict | None = None):
    """A check of each cell's text (polars expressions or pandas series alike)."""
    if pa.__name__ == "pandera.polars":
        import polars as pl

        def text(data):
            column = pl.col(data.key)
            if isinstance(data.lazyframe.collect_schema()[data.key], pl.List):
                return column.list.eval(pl.element().cast(pl.String)).list.join(delimiter)
            return column
        return pa.Check(lambda data: data.lazyframe.select(test(text(data)).fill_null(True)), name=name,
                        statistics=statistics)

    def joined(value):
        return value if value is None or isinstance(value, str) else delimiter.join(map(str, value))
    return pa.Check(lambda column: test(column.map(joined).astype("string")).fillna(True).astype(bool), name=name,
                    statistics=statistics)


def _polars(text) -> bool:
    """Whether `text` is a polars expression (else a pandas series)."""
    return type(text).__module__.startswith("polars")


def _count(text, delimiter: str):
    if _polars(text):
        return text.str.count_matches(delimiter, literal=True) + 1
    return text.str.count(re.escape(delimiter)) + 1


def _length(text):
    return text.str.len_chars() if _polars(text) else text.str.len()


def _holds(text, pattern: str):
    return text.str.contains(pattern) if _polars(text) else text.str.contains(pattern, regex=True)


def _character_class(*ranges: tuple[int, int]) -> str:
    """A regex class of literal characters, read alike by Python and by the
    column engine (which spell escapes above 0x7F differently)."""
    def literal(code):
        character = chr(code)
        return "\\" + character if character in "\\]^-[" else character

    return "[" + "".join(literal(a) + ("-" + literal(b) if b != a else "") for a, b in ranges) + "]"


# Text a spreadsheet runs as a formula (OWASP's list, with the full-width forms).
FORMULA = "^" + _character_class((0x3D, 0x3D), (0x2B, 0x2B), (0x2D, 0x2D), (0x40, 0x40), (0x09, 0x09), (0x0D, 0x0D),
                                 (0xFF1D, 0xFF1D), (0xFF0B, 0xFF0B), (0xFF0D, 0xFF0D), (0xFF20, 0xFF20))
# Control characters other than line breaks and tabs, zero-width characters
# and the marks that change the direction of text: invisible to a reviewer.
INVISIBLE = _character_class((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x7F), (0x200B, 0x200F),
                             (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x2069), (0xFEFF, 0xFEFF))
WHITESPACE_ONLY = r"^\s+$"


NEVER = "never"  # the statistic that holds the pattern of a `_never` check
NEVER_PATTERNS = {"formula": FORMULA, "invisible-character": INVISIBLE, "whitespace-only": WHITESPACE_ONLY}


def _never(pa, pattern: str, name: str):
    """A check that no cell contains a match of `pattern`, which it keeps as
    a statistic: the checks of a column that every cell passes are then
    found with one search for any of their patterns (see check_screen)."""
    if pa.__name__ == "pandera.polars":
        import polars as pl

        return pa.Check(lambda data: data.lazyframe.select(~pl.col(data.key).str.contains(pattern).fill_null(False)),
                        name=name, statistics={NEVER: pattern})
    return pa.Check(lambda column: ~column.str.contains(pattern, regex=True, na=False), name=name,
                    statistics={NEVER: pattern})


def typed_values(spec: dict, values: list) -> list:
    """Enum values or bounds as the typed column holds them, in their order.
    Text is read as the field's cells are (an integer enum may be written
    ["1", "2"], a date's in the field's format); a JSON number or boolean is
    the value it is, as Frictionless reads it, whatever the field's
    trueValues or decimalChar: 1.0 is the integer 1, 17 the year 17. A value
    that is neither is left out (`unreadable` says why)."""
    import polars as pl

    texts = [_as_text(spec, v) for v in values]
    direct = [_as_value(spec, v) for v in values]
    read = convert(spec, pl.Series("enum", [t for t in texts if t is not None], dtype=pl.String), [])[0]
    from_text = iter(read.values.to_list())
    typed = [next(from_text) if text is not None else value for text, value in zip(texts, direct)]
    return [value for value in typed if value is not None]


def unreadable(spec: dict, value) -> str | None:
    """Why an enum value or bound is no value of the field (what a cell
    would have to be), or None when it is one."""
    import polars as pl

    if typed_values(spec, [value]):
        return None
    text = _as_text(spec, value)
    results = convert(spec, pl.Series("enum", [text if text is not None else "\x00"], dtype=pl.String), [])
    return next((r.reason for r in results if r.failed.any()), results[0].reason)


def _as_text(spec: dict, value) -> str | None:
    """The text of `value` to read as a cell, or None where the JSON value
    itself is read (`_as_value`)."""
    kind = spec.get("type", "string")
    if kind in ("number", "boolean") and not isinstance(value, str):
        return None
    if kind in ("integer", "year") and isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind in ("integer", "year") and not isinstance(value, (str, int)) or isinstance(value, bool) and kind != "string":
        return None
    if kind == "year" and isinstance(value, int) and 0 <= value <= 9999:
        return f"{value:04d}"
    return value if isinstance(value, str) else str(value)


def _as_value(spec: dict, value):
    """A JSON number or boolean as the value the typed column holds; None
    for what is no such value (a boolean in a number's enum, or NaN)."""
    kind = spec.get("type", "string")
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


class _WithoutPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in OPTIONAL:
            raise ModuleNotFoundError("No module named 'pandas'", name=name)


def pandera_module(backend: str = "polars"):
    """pandera.polars or pandera.pandas. Pandera imports pandas whenever it
    is installed (and Hypothesis, for data synthesis), which would double
    the start-up time of every validation; for the polars backend in a
    process that has not loaded pandas, it is imported as in a polars-only
    install."""
    if backend != "polars" or "pandas" in sys.modules or BACKENDS[backend] in sys.modules:
        typing = sys.modules.get("pandera.typing")
        if backend != "polars" and typing is not None and not hasattr(typing, "DataFrame"):
            # Pandera was imported for polars alone: its typing module left out its pandas names.
            importlib.import_module("pandas")
            importlib.reload(typing)
        module = importlib.import_module(BACKENDS[backend])
        if backend != "polars":
            from pandera.backends import register_checks

            register_checks._load_get_backend_types_from_mro.cache_clear()  # pandas may now be there
        return module
    blocker = _WithoutPandas()
    sys.meta_path.insert(0, blocker)
    try:
        module = importlib.import_module(BACKENDS[backend])
        # Loaded by Pandera's first validation otherwise, which would then
        # load Hypothesis through the strategies the checks import.
        importlib.import_module("pandera.backends.polars.builtin_checks")
        from pandera.backends import register_checks

        register_checks._load_get_backend_types_from_mro()  # remembers "no pandas" for check dispatch
        return module
    finally:
        sys.meta_path.remove(blocker)
