"""Wall time and peak memory of validation with other piece sizes.

    python benchmarks/pieces.py /tmp/datapackage-bench/v1000000/datapackage.json --piece-mb 64 --over-mb 256

Runs `datapackage.validate.check.validate` in this process with `csvfile.PLAIN_PIECE`
and `table.PIECE_BYTES` set from the options (a file over `--over-mb` is read
in pieces of about `--piece-mb`), and prints the seconds, the peak resident
memory (read from /proc every 20 ms, so a shorter peak can be missed) and
when it was reached, and the number of findings. Start-up is not counted: for
the whole command, see `run.py`.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datapackage.read.csvfile as csvfile  # noqa: E402
import datapackage.read.table as table  # noqa: E402
from datapackage.validate.check import validate  # noqa: E402

MB = 1 << 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("descriptor", type=Path)
    parser.add_argument("--piece-mb", type=int, default=csvfile.PLAIN_PIECE // MB)
    parser.add_argument("--over-mb", type=int, default=table.PIECE_BYTES // MB)
    args = parser.parse_args()
    csvfile.PLAIN_PIECE, table.PIECE_BYTES = args.piece_mb * MB, args.over_mb * MB
    peak, start, done = [0, 0.0], time.perf_counter(), threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            now = _resident()
            if now > peak[0]:
                peak[:] = [now, time.perf_counter() - start]

    threading.Thread(target=sample, daemon=True).start()
    findings = validate(args.descriptor)
    done.set()
    print(f"pieces of {args.piece_mb} MB over {args.over_mb} MB: {time.perf_counter() - start:.1f} s, "
          f"peak {peak[0] / 1e9:.2f} GB at {peak[1]:.1f} s, {len(findings)} findings")


def _resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


if __name__ == "__main__":
    main()
