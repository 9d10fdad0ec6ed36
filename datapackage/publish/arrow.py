"""The typed Arrow table of a resource, as Parquet holds it.

Straight from the typed columns: integers are nullable int64; text fields
with an enum are dictionary-encoded over the whole vocabulary in schema order
(ordered when the schema says `categoriesOrdered`); a `sourceList` field is
list<string>; a partial date keeps its text and gains `<field>_from` and
`<field>_to` date32 bounds. Each field's description travels in the field
metadata.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from datapackage.validate.pandera_schemas import typed_values
from datapackage.read.table import BOUNDS, Table

ARROW_TYPES = {pl.String: pa.string(), pl.Int64: pa.int64(), pl.Float64: pa.float64(), pl.Boolean: pa.bool_(),
               pl.Date: pa.date32(), pl.Time: pa.time64("us")}  # a time of day is to the microsecond (convert.py)


def arrow_table(table: Table) -> pa.Table:
    arrays, fields = [], []
    for spec in table.resource.fields:
        for field, array in _columns(table, spec):
            fields.append(field)
            arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def plain(values: pl.Series) -> pa.Array:
    """A polars column as an ordinary Arrow array (string, not string view)."""
    wanted = ARROW_TYPES.get(values.dtype)
    array = values.to_arrow()
    return array.cast(wanted) if wanted is not None and array.type != wanted else array


def _columns(table: Table, spec: dict):
    name, meta = spec["name"], {"description": spec.get("description", "")}
    values = table.as_published(spec)
    if name in table.lists:
        items = table.lists[name]
        array = items.to_arrow().cast(pa.list_(ARROW_TYPES.get(items.dtype.inner, pa.string())))
    elif "enum" in spec.get("constraints", {}) and values.dtype == pl.String:
        # Text only: Parquet gives back a dictionary of text, but numbers and
        # dates as plain columns, which pandas then reads by the dictionary's
        # pandas type (an integer with a blank as float64).
        array = _dictionary(spec, values)
    else:
        array = plain(values)
    yield pa.field(name, array.type, metadata=meta), array
    if spec.get("partialDate"):
        for suffix, word in zip(BOUNDS, ("earliest", "latest")):
            about = {"description": f"The {word} day {name} can mean (derived from the partial date)."}
            yield pa.field(name + suffix, pa.date32(), metadata=about), plain(table.frame[name + suffix])


def _dictionary(spec: dict, values: pl.Series) -> pa.DictionaryArray:
    """Codes into the whole vocabulary, used or not, in schema order."""
    vocabulary = typed_values(spec, spec["constraints"]["enum"])
    codes = values.replace_strict(vocabulary, list(range(len(vocabulary))), default=None, return_dtype=pl.Int32)
    return pa.DictionaryArray.from_arrays(codes.to_arrow(), plain(pl.Series(vocabulary)),
                                          ordered=bool(spec.get("categoriesOrdered")))
