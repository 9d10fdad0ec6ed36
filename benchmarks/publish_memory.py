"""Memory of publishing, stage by stage, each stage run on its own.

    python benchmarks/publish_memory.py /tmp/datapackage-bench/v1000000/datapackage.json

Validates the package as `publish` does (every column stored on disk beside
the output, the columns the rules read held), then prints what
the process holds (resident set) and what Arrow's memory pool holds, and then
runs the stages of the build one after another into a temporary folder: the
CSVs, the Parquet files, the timeline chart, the database's tables and its
search indexes. For each stage it prints the resident set before it, its
highest rise above that while the stage runs (sampled every 20 ms), and its
seconds. `publish` runs the database's two threads beside the other stages,
so its own peak is about the held tables plus the rises of the stages that
overlap; `--stages chart parquet` runs only those. `--read-only` reads the
typed tables without checking them and prints what they hold, then stops.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyarrow as pa  # noqa: E402

import datapackage.publish.database as database  # noqa: E402
from datapackage.publish.chart import draw  # noqa: E402
from datapackage.package import load_package  # noqa: E402
from datapackage.publish.parquet import write_parquet  # noqa: E402
from datapackage.privacy import public_stored  # noqa: E402
from datapackage.publish.chart import timeline_of  # noqa: E402
from datapackage.read.stored import Store  # noqa: E402
from datapackage.read.table import read_tables, write_csv  # noqa: E402
from datapackage.validate.check import check  # noqa: E402

STAGES = ("csv", "parquet", "chart", "database-tables", "database-search")


def resident_mb() -> int:
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) // 1024


class Highest:
    """The highest resident set since the last `reset`, sampled in a thread."""

    def __init__(self) -> None:
        self.value = resident_mb()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.value = max(self.value, resident_mb())
            time.sleep(0.02)

    def reset(self) -> int:
        self.value = resident_mb()
        return self.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("descriptor", type=Path)
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    parser.add_argument("--read-only", action="store_true", help="read the typed tables only, then stop")
    args = parser.parse_args()
    highest = Highest()
    if args.read_only:
        held, _ = read_tables(load_package(args.descriptor)[0])
        print(f"read {len(held)} tables: highest {highest.value} MB; held {resident_mb()} MB, "
              f"of it Arrow's pool {pa.total_allocated_bytes() >> 20} MB")
        return
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        began = time.perf_counter()
        checked = check(args.descriptor, store=Store(out / "store"))
        tables = public_stored(checked.package, checked.tables, checked.stored)
        print(f"validated in {time.perf_counter() - began:.1f} s, highest {highest.value} MB; "
              f"held {resident_mb()} MB, of it Arrow's pool {pa.total_allocated_bytes() >> 20} MB", flush=True)
        resources = checked.package.resources
        timeline = timeline_of(resources)
        stages = {
            "csv": lambda: [write_csv(tables[r.name].pieces(), out / f"{r.name}.csv") for r in resources],
            "parquet": lambda: [write_parquet(tables[r.name], out / f"{r.name}.parquet") for r in resources],
            "chart": lambda: draw({n: tables[n].whole(timeline.fields(n)).frame for n in timeline.tables},
                                  timeline, out / "timeline.png"),
            "database-tables": lambda: database._tables(database._open(out / "tables.db"), out / "tables.db",
                                                        checked.package, tables),
            "database-search": lambda: database._search_indexes(checked.package, tables, out / "search.db"),
        }
        for name in args.stages:
            before = highest.reset()
            began = time.perf_counter()
            stages[name]()
            seconds = time.perf_counter() - began
            time.sleep(0.1)  # a last sample
            print(f"{name}: before {before} MB, rise {highest.value - before} MB, {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
