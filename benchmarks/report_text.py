"""The Markdown of benchmarks/RESULTS.md: machine, one table per size, ratios."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("frictionless", "pyarrow", "polars", "pandera", "pandas", "datasette")


def machine() -> list[str]:
    memory = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True,
                            text=True).stdout.strip()
    versions = ", ".join(f"{name} {_version(name)}" for name in VERSIONS)
    return [f"- Machine: {os.cpu_count()} CPUs (`nproc`), {int(memory) / 1024 / 1024:.1f} GiB memory, {cpu}",
            f"- Python {platform.python_version()}; {versions}",
            f"- Code measured: commit {commit}",
            f"- Load average when the report was written: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _median(runs) -> float | None:
    done = [r.seconds for r in runs if r.status == "ok"]
    return statistics.median(done) if done else None


def size_table(victims: int, rows: int, runs: dict) -> list[str]:
    lines = [f"## {victims:,} victims ({rows:,} rows in the package)", "",
             "| tool | runs | median wall | spread (min-max) | peak RSS | rows/s | status |",
             "|---|---|---|---|---|---|---|"]
    for tool, done in runs.items():
        ok = [r.seconds for r in done if r.status == "ok"]
        middle = _median(done)
        spread = f"{min(ok):.2f}-{max(ok):.2f} s" if ok else "-"
        peak = f"{max(r.peak_mb for r in done):,.0f} MB" if done else "-"
        rate = f"{rows / middle:,.0f}" if middle else "-"
        status = ", ".join(sorted({r.status if r.status != "timeout" else f"timeout at {r.seconds:.0f} s"
                                   for r in done}))
        lines.append(f"| {tool} | {len(done)} | {f'{middle:.2f} s' if middle else '-'} | {spread} | {peak} | "
                     f"{rate} | {status} |")
    return lines


def ratios(results: dict) -> list[str]:
    """Ours over the reference, the median of the per-repetition ratios (the
    two runs of one repetition ran back to back)."""
    lines = ["## Ratios (median over repetitions of ours / other, same repetition)", "",
             "| victims | validate / frictionless | validate / pyarrow | publish / pyarrow |", "|---|---|---|---|"]
    for victims, (_, runs, _) in results.items():
        cells = [_ratio(runs, a, b) for a, b in (("validate", "frictionless"), ("validate", "pyarrow"),
                                                   ("publish", "pyarrow"))]
        lines.append(f"| {victims:,} | " + " | ".join(cells) + " |")
    return lines


def _ratio(runs: dict, ours: str, other: str) -> str:
    pairs = [a.seconds / b.seconds for a, b in zip(runs.get(ours, []), runs.get(other, []))
             if a.status == b.status == "ok"]
    return f"{statistics.median(pairs):.2f}" if pairs else "-"


def stage_table(results: dict) -> list[str]:
    lines = ["## Publish stages (seconds, as `datapackage publish` reports them on stderr; median)", ""]
    for victims, (_, runs, _) in results.items():
        stages: dict[str, list[float]] = {}
        for run in runs.get("publish", []):
            for name, seconds in run.stages.items():
                stages.setdefault(name, []).append(seconds)
        if not stages:
            lines.append(f"- {victims:,} victims: publish printed no stage times")
            continue
        lines.append(f"- {victims:,} victims: " + ", ".join(f"{name} {statistics.median(v):.2f}"
                                                         for name, v in stages.items()))
    return lines
