"""Typed Arrow tables from the text tables, typed by the Table Schema.

An empty CSV cell becomes null. Integers are nullable int64; fields with an
enum are dictionary-encoded; a partial date keeps its text and gains
`<field>_from` and `<field>_to` date32 bounds; a `sourceList` field becomes
list<string>. Each field's description travels in the Parquet field metadata.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from datapackage.dates import bounds
from datapackage.package import Resource

BOUNDS = (("_from", "earliest"), ("_to", "latest"))


def arrow_table(resource: Resource, frame: pd.DataFrame) -> pa.Table:
    arrays, fields = [], []
    for spec in resource.fields:
        text = frame[spec["name"]]
        for field, array in _columns(spec, text):
            fields.append(field)
            arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _columns(spec: dict, text: pd.Series):
    name, meta = spec["name"], {"description": spec.get("description", "")}
    missing = (text == "").to_numpy()
    if spec.get("sourceList"):
        separator = spec["sourceList"].get("separator", ";")
        lists = pa.array(text.str.split(separator, regex=False).where(~missing, None), pa.list_(pa.string()))
        yield pa.field(name, lists.type, metadata=meta), lists
    elif spec.get("type") == "integer":
        numbers = pd.to_numeric(text.where(~missing, None)).astype("Int64")
        yield pa.field(name, pa.int64(), metadata=meta), pa.array(numbers, pa.int64())
    elif "enum" in spec.get("constraints", {}):
        # The dictionary is the whole vocabulary in schema order, used or not.
        vocabulary = pd.Index(spec["constraints"]["enum"])
        codes = pa.array(vocabulary.get_indexer(text), pa.int32(), mask=missing)
        array = pa.DictionaryArray.from_arrays(codes, pa.array(vocabulary, pa.string()),
                                               ordered=bool(spec.get("categoriesOrdered")))
        yield pa.field(name, array.type, metadata=meta), array
    else:
        yield pa.field(name, pa.string(), metadata=meta), pa.array(text.where(~missing, None), pa.string())
    if spec.get("partialDate"):
        earliest, latest, _ = bounds(text)
        for suffix, word in BOUNDS:
            day = earliest if word == "earliest" else latest
            about = {"description": f"The {word} day {name} can mean (derived from the partial date)."}
            yield pa.field(name + suffix, pa.date32(), metadata=about), pa.array(day, pa.date32())
