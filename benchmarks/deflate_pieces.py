"""Time the zip's parallel deflate on one file, for each compressor and level.

Usage: python benchmarks/deflate_pieces.py FILE [--repeat N]

Deflates FILE in the pieces datapackage.publish.deflate cuts, on every core,
with zlib-ng (the release's compressor), Python's zlib and, when installed
(`pip install isal`), ISA-L, and prints seconds, the ratio and whether the
stream is the same bytes each time.
"""

from __future__ import annotations

import argparse
import hashlib
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from datapackage.publish import deflate


def compressors():
    from zlib_ng import zlib_ng
    found = {"zlib-ng": zlib_ng, "zlib": zlib}
    try:
        from isal import isal_zlib
        found["isal"] = isal_zlib
    except ImportError:
        pass
    return found


def run(data: bytes, module, level: int) -> tuple[float, int, str]:
    def piece(chunk):
        compressor = module.compressobj(level, module.DEFLATED, -15)
        return compressor.compress(chunk) + compressor.flush(module.Z_SYNC_FLUSH)
    view = memoryview(data)
    start = time.perf_counter()
    with ThreadPoolExecutor(deflate.WORKERS) as pool:
        out = b"".join(pool.map(piece, (view[i:i + deflate.PIECE] for i in range(0, len(data), deflate.PIECE))))
    return time.perf_counter() - start, len(out), hashlib.sha256(out).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = args.file.read_bytes()
    print(f"{args.file.name}: {len(data) / 1e6:.0f} MB, {deflate.WORKERS} workers, pieces of {deflate.PIECE >> 20} MiB")
    for name, module in compressors().items():
        for level in (1, 2):
            runs = [run(data, module, level) for _ in range(args.repeat)]
            seconds = ", ".join(f"{r[0]:.2f}" for r in runs)
            same = "same bytes" if len({r[2] for r in runs}) == 1 else "DIFFERENT bytes"
            print(f"{name} level {level}: {seconds} s, {runs[0][1] / len(data):.1%} of the size, {same}")


if __name__ == "__main__":
    main()
