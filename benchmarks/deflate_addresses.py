"""Does a compressor give the same stream wherever in memory it lies?

Usage: python benchmarks/deflate_addresses.py {zlib-ng,isal,zlib} LEVEL [--seeds 7 11 ...]

Deflates the same 52 pieces of 1,000 bytes (as tests/test_deflate.py cuts them)
1,500 times each with a new compressor per piece, while allocations of random
sizes come and go so that the compressors land at other addresses, and prints
the pieces that gave more than one stream (benchmarks/RESULTS.md, "The zip
deflated by zlib-ng").
"""

from __future__ import annotations

import argparse
import collections
import random
import zlib

ROUNDS = 1500


def module_named(name: str):
    if name == "zlib-ng":
        from zlib_ng import zlib_ng
        return zlib_ng
    if name == "isal":
        from isal import isal_zlib  # not a dependency: pip install isal to compare
        return isal_zlib
    return zlib


def deflated(module, level: int, piece: bytes) -> tuple[bytes, int]:
    """The stream, and how far into its memory page the compressor object
    lay. One compressor alive at a time, freed before the next is made."""
    compressor = module.compressobj(level, module.DEFLATED, -15)
    return compressor.compress(piece) + compressor.flush(module.Z_SYNC_FLUSH), id(compressor) % 4096


def varying_pieces(module, level: int, seed: int) -> dict[int, list]:
    """For each piece that gave more than one stream: each stream's length,
    how often it came and the page offsets its compressors lay at."""
    data = b"".join(f"row {i}, v-{i:05d}, Qafarov\n".encode() for i in range(2000))
    pieces = [data[start:start + 1000] for start in range(0, len(data), 1000)]
    streams = [collections.defaultdict(list) for _ in pieces]
    rng, held = random.Random(seed), []
    for _ in range(ROUNDS):
        held.append(bytearray(rng.randrange(1, 300_000)))
        if len(held) > 30:
            held.pop(rng.randrange(len(held)))
        for i, piece in enumerate(pieces):
            stream, offset = deflated(module, level, piece)
            streams[i][stream].append(offset)
    return {i: [(len(stream), len(offsets), sorted(set(offsets))[:6]) for stream, offsets in seen.items()]
            for i, seen in enumerate(streams) if len(seen) > 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", choices=["zlib-ng", "isal", "zlib"])
    parser.add_argument("level", type=int)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 21, 28])
    args = parser.parse_args()
    module = module_named(args.module)
    for seed in args.seeds:
        varying = varying_pieces(module, args.level, seed)
        print(f"{args.module} level {args.level} seed {seed}: {len(varying)} pieces gave more than one stream")
        for piece, streams in varying.items():
            for length, count, offsets in streams:
                print(f"  piece {piece}: {count} times {length} bytes, compressors at page offsets {offsets}...")


if __name__ == "__main__":
    main()
