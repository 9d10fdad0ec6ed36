"""The Parquet an analyst loads without options.

`for_consumers` projects the typed table of `datapackage.publish.arrow` onto what is
written: columns are only added or retyped, never removed or renamed.

- Dates (date fields, with allowed values or not, and the bounds `<field>_from`,
  `<field>_to`) become timestamps, because pandas reads Arrow dates as Python
  objects on which `.dt` fails.
- Every enum whose schema says `categoriesOrdered` gains `<field>_order`, its
  1-based position in the schema's list: polars sorts categoricals by text and
  DuckDB reads dictionaries as VARCHAR, so the order would otherwise be lost.
- The file carries pandas metadata naming each integer column `Int64`, so
  pandas keeps blanks as <NA> instead of turning the column into float64.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from datapackage.publish import bulk
from datapackage.publish.arrow import arrow_table
from datapackage.package import Resource
from datapackage.read.stored import StoredTable
from datapackage.read.table import ORDER_SUFFIX
from datapackage.validate.pandera_schemas import typed_values

BOUND_TYPE = pa.timestamp("us")
SAMPLE_ROWS = 1000  # rows read to name each column's pandas dtype
READING_NOTE = ("Each Parquet file has the columns of its CSV, typed, plus derived columns: for each partial date, "
                "FIELD_from and FIELD_to, timestamps at midnight of the earliest and latest day it can mean; for "
                "each list of values whose order matters (such as the rank ladder), FIELD_order, the value's "
                "position in that list, to sort by. pandas reads integers as nullable Int64, the bounds as "
                "datetime64 and ordered lists as ordered categories; polars and DuckDB read them without options.")


def write_parquet(table: StoredTable, path: Path, rows: int | None = None) -> None:
    """The typed table as Parquet (zstd), made and written `rows` rows at a
    time (a row group each; by default as many as the database writer takes
    at once): the Arrow copy of a million rows' text is never held whole."""
    parts = table.pieces(rows or bulk.BATCH_ROWS)
    first = for_consumers(table.resource, arrow_table(next(parts)))
    with pq.ParquetWriter(path, first.schema, compression="zstd") as writer:
        writer.write_table(first)
        for part in parts:
            writer.write_table(for_consumers(table.resource, arrow_table(part)).cast(first.schema))


def for_consumers(resource: Resource, table: pa.Table) -> pa.Table:
    fields, arrays = [], []
    for typed, column in zip(table.schema, table.columns):
        for field, array in _projected(resource.field(typed.name), typed, column):
            fields.append(field)
            arrays.append(array)
    projected = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=table.schema.metadata))
    return _with_pandas_metadata(projected)


def _projected(spec: dict | None, field: pa.Field, array: pa.ChunkedArray):
    if pa.types.is_date32(field.type):
        yield field.with_type(BOUND_TYPE), array.cast(BOUND_TYPE)
    else:
        yield field, array
    if spec and spec.get("categoriesOrdered") and "enum" in spec.get("constraints", {}):
        yield _order_column(spec, array)


def _order_column(spec: dict, array: pa.ChunkedArray) -> tuple[pa.Field, pa.Array]:
    name, vocabulary = spec["name"], spec["constraints"]["enum"]
    # Keyed as the column holds each value (a date enum is written as text).
    position = {typed: index + 1 for index, value in enumerate(vocabulary) for typed in typed_values(spec, [value])}
    about = (f"Position of {name} in its ordered list of allowed values (1 is the first, "
             f"{len(vocabulary)} the last; see the data dictionary). Sort by this column to sort by {name}.")
    field = pa.field(name + ORDER_SUFFIX, pa.int64(), metadata={"description": about})
    return field, pa.chunked_array([_positions(chunk, position) for chunk in array.chunks], pa.int64())


def _positions(chunk: pa.Array, position: dict) -> pa.Array:
    """Each value's position: looked up once per vocabulary entry for the
    dictionary-encoded column `arrow.py` writes, not once per row."""
    if pa.types.is_dictionary(chunk.type):
        places = pa.array([position[value] for value in chunk.dictionary.to_pylist()], pa.int64())
        return pc.take(places, chunk.indices)
    return pa.array([None if value is None else position[value] for value in chunk.to_pylist()], pa.int64())


def _with_pandas_metadata(table: pa.Table) -> pa.Table:
    """pyarrow writes pandas metadata for a frame; writing it for the frame
    pandas should get back makes pyarrow restore those dtypes on reading.
    The dtypes come from the column types; a few rows are enough to name
    them (a million rows turned into a pandas frame cost seconds and
    gigabytes), and they keep the names pandas gives a list of strings."""
    integers = {pa.int64(): pd.Int64Dtype()}
    frame = table.slice(0, SAMPLE_ROWS).to_pandas(types_mapper=integers.get)
    pandas_meta = pa.Schema.from_pandas(frame, preserve_index=False).metadata[b"pandas"]
    return table.replace_schema_metadata({**(table.schema.metadata or {}), b"pandas": pandas_meta})
