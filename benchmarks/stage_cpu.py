"""Processor seconds of each publishing stage, run one after the other.

    python benchmarks/stage_cpu.py /tmp/datapackage-bench/v100000/datapackage.json

`datapackage publish` runs its stages side by side on every core, so its
`--timings` say how long each took, not what each cost. Here each runs alone
(validation, then the database, then the other files, then the zip) and is
reported with its wall time and the processor time of the whole process
(every thread: Arrow's, Polars', SQLite's, the zip's) while it ran, in the
process's own code and in the kernel's (writing, reading and zeroing pages). The sum
of the processor times over the number of cores is the shortest a whole
publish could take with perfect overlap, start-up aside. The release is
written to a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datapackage.findings import has_errors  # noqa: E402
from datapackage.privacy import public_stored  # noqa: E402
from datapackage.publish import build  # noqa: E402
from datapackage.publish.database import build_database  # noqa: E402
from datapackage.publish.release import created, write_zip  # noqa: E402
from datapackage.read.stored import Store  # noqa: E402
from datapackage.validate.check import check  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("descriptor", type=Path)
    args = parser.parse_args()
    spent: dict[str, float] = {}

    @contextmanager
    def stage(name: str):
        wall, before = time.perf_counter(), os.times()
        yield
        after = os.times()
        user, system = after.user - before.user, after.system - before.system
        spent[name] = user + system
        print(f"{name}: {time.perf_counter() - wall:.2f} s wall, {spent[name]:.2f} s processor "
              f"({user:.2f} user, {system:.2f} in the kernel)", flush=True)

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with stage("validate"):
            checked = check(args.descriptor, store=Store(work / "store"))
        if has_errors(checked.findings):
            sys.exit("the package has errors: run `datapackage validate` on it")
        out = work / "release"
        out.mkdir()
        tables = public_stored(checked.package, checked.tables, checked.stored)
        database = out / f"{build.name_of(checked)}.db"
        with stage("sqlite"):
            build_database(checked.package, tables, database, work / "search.db")
        aside = work / "database.db"
        database.rename(aside)  # out of the folder while the other files are written
        with stage("files"):  # within it, the csv, parquet and chart stages as publish times them
            build._files(checked, tables, out, stage)
        aside.rename(database)
        with stage("zip"):
            write_zip(work / build.archive_name(checked), out, created(checked.package, tables), database)
    total = sum(spent[name] for name in ("validate", "sqlite", "files", "zip"))
    cores = len(os.sched_getaffinity(0))
    print(f"total: {total:.2f} s processor; {total / cores:.2f} s on {cores} cores at best, start-up aside")


if __name__ == "__main__":
    main()
