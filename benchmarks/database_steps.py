"""Seconds per step of the database build, on its own (no CSV, Parquet or zip beside it).

    python benchmarks/database_steps.py /tmp/datapackage-bench/v1000000/datapackage.json

Validates the package, then builds its database into a temporary folder and
prints one line per step as it ends: the clock since the build started, the
thread (the tables, or the search indexes built beside them), the step, the
table it wrote where there is one, and its seconds. The steps are the functions
of `datapackage.publish.database` and `datapackage.publish.search_index`, timed by wrapping them.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datapackage.publish.database as database  # noqa: E402
from datapackage.privacy import public_stored  # noqa: E402
from datapackage.read.stored import Store  # noqa: E402
from datapackage.validate.check import check  # noqa: E402

STEPS = ("append", "_rows", "_index_foreign_keys", "_index_for_pages", "_citations", "_vocabularies", "_derived",
         "search_parts", "_search_indexes", "_tables", "copy_search_index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("descriptor", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        checked = check(args.descriptor, store=Store(Path(work) / "store"))  # as `publish` validates
        tables = public_stored(checked.package, checked.tables, checked.stored)
        start = time.perf_counter()
        for name in STEPS:
            setattr(database, name, _timed(getattr(database, name), name, start))
        database.build_database(checked.package, tables, Path(work) / "out.db", Path(work) / "search.db")
    print(f"total {time.perf_counter() - start:.2f}")


def _timed(step, name: str, start: float):
    @functools.wraps(step)
    def timed(*args, **kwargs):
        began = time.perf_counter()
        result = step(*args, **kwargs)
        table = args[1] if name == "append" else ""
        thread = "tables" if threading.current_thread() is threading.main_thread() else "search"
        print(f"{time.perf_counter() - start:7.1f} {thread:6} {name} {table} {time.perf_counter() - began:.2f}",
              flush=True)
        return result
    return timed


if __name__ == "__main__":
    main()
