"""What first renders cost the site's one rendering thread, page kind by kind.

    python benchmarks/first_renders.py --dist dist [--rounds 4]

The load test's tail (`benchmarks/LOAD.md`) is the first render of each
address, done one at a time by the thread that runs Datasette's event loop,
so its p95 moves with what a render costs that thread. Under load that cost
is hidden in the noise of twenty clients and six abusers sharing two cores;
here it is measured alone: the addresses the load test visits are found from
a served copy of DIST (`load.pages`), then the site is built in this process
and each address is asked once per round through the ASGI application, with
a `_fresh` parameter per round so that every answer is rendered, never
replayed. Prints the CPU seconds of this thread per round (the SQLite threads
are not counted) and, per kind, how many addresses and the median and
highest wall milliseconds of one render. Any answer but 200 stops the run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import load  # noqa: E402
from datapackage.site.serve import application  # noqa: E402

SETTLE = 3.0  # seconds for the site's background counting to finish first


async def rounds(dist: Path, kinds: dict[str, list[str]], count: int) -> list[tuple[float, dict]]:
    import httpx

    app = application(dist, False)
    out = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
        await client.get("/-/versions.json")
        await asyncio.sleep(SETTLE)
        for n in range(count):
            walls: dict[str, list[float]] = {}
            cpu = time.thread_time()
            for kind, paths in kinds.items():
                for path in paths:
                    began = time.perf_counter()
                    answer = await client.get(f"{path}{'&' if '?' in path else '?'}_fresh={n}")
                    if answer.status_code != 200:
                        raise SystemExit(f"{path}: answered {answer.status_code}")
                    walls.setdefault(kind, []).append(time.perf_counter() - began)
            out.append((time.thread_time() - cpu, walls))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--rounds", type=int, default=4)
    options = parser.parse_args(argv)
    with load.Server(options.dist) as url:
        kinds = load.pages(url)
    results = asyncio.run(rounds(options.dist, kinds, options.rounds))
    print(f"{sum(len(p) for p in kinds.values())} addresses; CPU seconds of the rendering thread per round: "
          + ", ".join(f"{cpu:.2f}" for cpu, _ in results))
    for kind in kinds:
        walls = [w for _, per in results for w in per[kind]]
        print(f"  {kind:6} {len(kinds[kind]):4} addresses: median {statistics.median(walls) * 1000:.1f} ms, "
              f"highest {max(walls) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
