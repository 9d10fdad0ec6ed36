"""Whole-process timings of validation and publishing on generated packages.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--repeat 3] [--timeout 600]

For each size a package is generated once (benchmarks/generate.py, seed 1)
under --work; then each tool runs as its own process, interleaved
(A B C D A B C D ...), so a slow spell of a shared machine falls on every tool
alike. Wall time includes start-up; peak RSS is the process's own
(`os.wait4`). A run past --timeout is killed and recorded as a timeout.
Writes its section of benchmarks/RESULTS.md (between `<!-- runs -->` and
`<!-- /runs -->`) and keeps every other line: the Datasette section of
benchmarks/site.py, the targets table and the dated measurements written by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
TOOLS = ("validate", "frictionless", "pyarrow", "publish")
PARSE = ("import sys, pyarrow.csv as c; o = c.ParseOptions(newlines_in_values=True); "
         "[c.read_csv(p, parse_options=o) for p in sys.argv[1:]]")
# Exit codes that mean the tool did its job (1 = it found errors in the package).
DONE = {"validate": (0, 1), "frictionless": (0, 1), "pyarrow": (0,), "publish": (0,)}
# A publish that reports its stages prints lines like "stage parquet: 1.23 s" on stderr.
STAGE = re.compile(r"^\s*(?:stage\s+)?([A-Za-z][\w .-]*?):?\s+([0-9]+(?:\.[0-9]+)?)\s*s\s*$")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    status: str  # "ok", "timeout" or "exit N"
    stages: dict[str, float] = field(default_factory=dict)


def command(tool: str, package: Path, work: Path) -> list[str]:
    descriptor = str(package / "datapackage.json")
    if tool == "validate":
        return [PYTHON, "-m", "datapackage", "validate", descriptor, "--format", "json"]
    if tool == "frictionless":
        return [str(BIN / "frictionless"), "validate", descriptor, "--json"]
    if tool == "pyarrow":
        return [PYTHON, "-c", PARSE, *sorted(str(p) for p in (package / "seeds").glob("*.csv"))]
    return [PYTHON, "-m", "datapackage", "publish", descriptor, "--out", str(work / f"dist-{package.name}"), "--timings"]


def measure(argv: list[str], timeout: float, log: Path, done: tuple[int, ...]) -> Run:
    """Run one process; wall time, its own peak RSS, and whether it finished."""
    with open(log, "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT, start_new_session=True)
        killed = threading.Event()

        def kill():
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        timed_out = killed.is_set()
    process.returncode = os.waitstatus_to_exitcode(status)
    code = process.returncode
    verdict = "timeout" if timed_out else ("ok" if code in done else f"exit {code}")
    return Run(seconds, usage.ru_maxrss / 1024, verdict, stages(log.with_suffix(".err")))


def stages(err: Path) -> dict[str, float]:
    found = {}
    for line in err.read_text(encoding="utf-8", errors="replace").splitlines():
        match = STAGE.match(line)
        if match:
            found[match.group(1)] = float(match.group(2))
    return found


def generate(victims: int, work: Path) -> tuple[Path, int]:
    """The package of `victims`, generated again when it is missing or was
    made from other schemas or another generator (generate.is_current)."""
    from generate import is_current  # beside this script; loads numpy only when run

    package = work / f"v{victims}"
    if not is_current(package, ROOT, 1, victims):
        if package.exists():
            print(f"{package} was generated from other schemas or code: generating it again", file=sys.stderr)
        shutil.rmtree(package, ignore_errors=True)
        subprocess.run([PYTHON, str(HERE / "generate.py"), "--victims", str(victims), "--seed", "1",
                        "--out", str(package)], check=True)
    return package, sum(json.loads((package / "sizes.json").read_text()).values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="victims per package, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is killed")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--skip", default="", help="tool@victims pairs not to run, e.g. validate@1000000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/datapackage-bench"))
    parser.add_argument("--label", default="", help="a line saying what this run measures")
    parser.add_argument("--stages", action="store_true", help="report publish stage times printed on stderr")
    parser.add_argument("--merge", action="store_true",
                        help="keep the earlier runs (WORK/runs.json) of the tools and sizes not run this time")
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    args.work.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    results = {}
    for victims in (int(s) for s in args.sizes.split(",")):
        package, rows = generate(victims, args.work)
        chosen = [t for t in tools if f"{t}@{victims}" not in skip]
        runs: dict[str, list[Run]] = {t: [] for t in chosen}
        for repetition in range(args.repeat):
            for tool in chosen:
                run = measure(command(tool, package, args.work), args.timeout, args.work / f"{tool}-{victims}.out",
                              DONE[tool])
                runs[tool].append(run)
                print(f"{victims} {tool} #{repetition + 1}: {run.seconds:.1f} s, {run.peak_mb:.0f} MB, {run.status}",
                      flush=True)
        results[victims] = (rows, runs, package)
    if args.merge:
        results = merged(args.work / "runs.json", results)
    save(args.work / "runs.json", results)
    from results_file import write_section

    write_section(RESULTS, "runs", report(results, args), first=True)
    print(f"wrote the whole-process section of {RESULTS}")
    return 0


def save(path: Path, results: dict) -> None:
    path.write_text(json.dumps({str(v): {"rows": rows, "package": str(package),
                                         "runs": {t: [asdict(r) for r in done] for t, done in runs.items()}}
                                for v, (rows, runs, package) in results.items()}, indent=1))


def merged(path: Path, results: dict) -> dict:
    """Earlier runs from `path`, with this run's tools and sizes replacing theirs."""
    if not path.exists():
        return results
    earlier = {int(v): (e["rows"], {t: [Run(**r) for r in done] for t, done in e["runs"].items()}, Path(e["package"]))
               for v, e in json.loads(path.read_text()).items()}
    for victims, (rows, runs, package) in results.items():
        earlier.setdefault(victims, (rows, {}, package))[1].update(runs)
    return dict(sorted(earlier.items()))


# ------------------------------------------------------------------ the report

def report(results: dict, args) -> str:
    from report_text import machine, ratios, size_table, stage_table

    lines = ["## Whole processes at each size", ""]
    if args.label:
        lines += [args.label, ""]
    lines += machine() + [""]
    lines += [f"Command: `python benchmarks/run.py --sizes {args.sizes} --repeat {args.repeat} "
              f"--timeout {args.timeout:g}" + (f" --skip {args.skip}" if args.skip else "")
              + (f" --tools {shlex.quote(args.tools)}" if args.tools != ",".join(TOOLS) else "")
              + (" --stages" if args.stages else "") + (" --merge" if args.merge else "") + "`", "",
              f"Each package: `python benchmarks/generate.py --victims N --seed 1 --out {args.work}/vN`. "
              "Tools, each a whole process run from the repository root:", ""]
    example = next(iter(results.values()))[2]
    for tool in (t for t in TOOLS if any(t in runs for _, runs, _ in results.values())):
        argv = command(tool, example, args.work)
        if tool == "pyarrow":
            argv = argv[:3] + [str(example / "seeds" / "*.csv")]
        shown = shlex.join(argv).replace(PYTHON, "python").replace(str(BIN) + "/", "").replace("'*", "*")
        lines.append(f"- {tool}: `{shown}`")
    lines.append("")
    for victims, (rows, runs, _) in results.items():
        lines += size_table(victims, rows, runs) + [""]
    lines += ratios(results) + [""]
    if args.stages:
        lines += stage_table(results) + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
