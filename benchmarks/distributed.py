"""The Table Schema checks, as Pandera schemas, over the Parquet release on Dask.

    pip install -e '.[scale]'
    python benchmarks/distributed.py --dist dist [--partitions 8] [--scheduler threads|processes]

Reads `dist/parquet/<resource>.parquet` with Dask, validates every partition
with a pandas-backend Pandera schema derived from the resource's Table Schema
(from the release's `datapackage.json`), and checks what needs the whole
table at once with Dask itself: unique fields, primary keys, foreign keys.
The per-partition schemas are the ones `datapackage validate` runs, derived
by `datapackage.pandera_schema` with its pandas backend. Prints what it found
and how long each step took; exit 1 when anything fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

try:
    import dask
    import dask.dataframe as dd
except ImportError:
    sys.exit("benchmarks/distributed.py needs Dask: pip install -e '.[scale]'")
import pandas as pd
import pandera
import pandera.pandas as pa

from datapackage import pandera_schema

FAILURES = pd.DataFrame({"column": pd.Series(dtype=str), "check": pd.Series(dtype=str),
                         "failure_case": pd.Series(dtype=str)})


def partition_failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return pd.DataFrame({"column": cases["column"].astype(str), "check": cases["check"].astype(str),
                             "failure_case": cases["failure_case"].astype(str)})
    return FAILURES


def whole_table_checks(name: str, frame: dd.DataFrame, schema: dict, frames: dict) -> dict[str, object]:
    """Lazy counts that need every partition: values repeated in a unique
    field or primary key, rows whose foreign key is not in the target."""
    checks = {}
    keys = schema.get("primaryKey", [])
    keys = [keys] if isinstance(keys, str) else keys
    unique = [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for columns in ([keys] if keys else []) + [u for u in unique if u != keys]:
        sizes = frame[columns].dropna().groupby(columns).size()
        checks[f"{name}: values of {'+'.join(columns)} that occur more than once"] = (sizes > 1).sum()
    for key in schema.get("foreignKeys", []):
        target = key["reference"].get("resource") or name
        label = f"{name}: rows whose {'+'.join(key['fields'])} is not in {target}"
        if target not in frames:
            checks[label] = len(frame)
            continue
        wanted = frames[target][key["reference"]["fields"]].dropna().drop_duplicates()
        wanted = wanted.assign(_found=True)
        merged = frame[key["fields"]].dropna().merge(wanted, how="left", left_on=key["fields"],
                                                     right_on=key["reference"]["fields"])
        checks[label] = merged["_found"].isna().sum()
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--partitions", type=int, default=8, help="Dask partitions per table")
    parser.add_argument("--scheduler", default="threads", choices=["threads", "processes", "synchronous"],
                        help="threads: one process; processes: a local pool, each worker importing pandas again")
    args = parser.parse_args(argv)
    release = args.dist / "datapackage.json"
    if not release.exists():
        print(f"{args.dist}: no release here; run 'datapackage publish --out {args.dist}' first", file=sys.stderr)
        return 2
    schemas = {r["name"]: r["schema"] for r in json.loads(release.read_text(encoding="utf-8"))["resources"]
               if isinstance(r.get("schema"), dict)}
    started = time.perf_counter()
    # Nullable pandas types keep Parquet's int64 exact (no float detour for nulls).
    frames = {name: dd.read_parquet(args.dist / "parquet" / f"{name}.parquet", dtype_backend="numpy_nullable")
              .repartition(npartitions=args.partitions) for name in schemas}
    lazy, sources = {}, {}
    for name, schema in schemas.items():
        checks = pandera_schema(name, release, backend="pandas")
        sources[name] = "schema from datapackage.pandera_schema (pandas backend)"
        lazy[f"{name} rows"] = frames[name].shape[0]
        lazy[f"{name} cells"] = frames[name].map_partitions(partition_failures, checks, meta=FAILURES)
        lazy.update(whole_table_checks(name, frames[name], schema, frames))
    # One compute for everything: the graph shares the Parquet reads.
    with dask.config.set(scheduler=args.scheduler):
        (done,) = dask.compute(lazy)
    problems = report(schemas, sources, done)
    print(f"total {time.perf_counter() - started:.1f} s, scheduler {args.scheduler}, "
          f"{args.partitions} partitions per table, dask {dask.__version__}, pandera {pandera.__version__}")
    print("\n".join(problems) if problems else "no failures")
    return 1 if problems else 0


def report(schemas: dict, sources: dict, done: dict) -> list[str]:
    problems = []
    for name in schemas:
        print(f"{name}: {done[f'{name} rows']:,} rows, checked with the {sources[name]}")
        cells = done[f"{name} cells"]
        problems += [f"{name}: {count} cells fail {check} on {column}"
                     for (column, check), count in cells.groupby(["column", "check"]).size().items()]
    problems += [f"{label}: {int(count)}" for label, count in done.items()
                 if not label.endswith((" rows", " cells")) and int(count)]
    return problems


if __name__ == "__main__":
    sys.exit(main())
