"""Raw deflate on every core, for the zip's large entries.

The input is cut into pieces of a fixed size, each piece is deflated on its
own (zlib-ng) and ends on a byte boundary with an empty stored block, and the
pieces are joined in order, closed by an empty final block: one valid deflate
stream that any unzip reads. A piece starts without the 32 KiB the one before
it could have lent it, which costs a few bytes per piece.

The pieces are cut at the same offsets whatever the number of cores, so the
same input gives the same bytes however many cores deflate it. Not ISA-L,
although it is faster: it gave another stream for the same piece in 2 of 150
processes, from something that changes between processes (benchmarks/RESULTS.md,
"The zip deflated by zlib-ng"). zlib-ng picks its code for the processor it
runs on; that processors of other kinds give the same bytes is not something
this module can promise.
"""

from __future__ import annotations

import zipfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from zlib_ng import zlib_ng

from datapackage import cores

PIECE = 16 << 20
# Level 2: as small as ISA-L's level 1 was; zlib-ng's level 1 is about a third larger.
LEVEL = 2
# Each worker holds two pieces at a time: a machine of many cores should not
# hold gigabytes for the zip.
WORKERS = min(8, cores.usable())
# What an empty, final fixed-Huffman block is in deflate: the end of the stream.
LAST_BLOCK = b"\x03\x00"


@contextmanager
def checksums() -> Iterator[None]:
    """zipfile's CRC-32 of each entry taken by zlib-ng, several times as fast
    as zlib's and the same values: the database's checksum is taken after it
    is built, while the whole release waits for it."""
    taken = zipfile.crc32
    zipfile.crc32 = zlib_ng.crc32
    try:
        yield
    finally:
        zipfile.crc32 = taken


def _deflated(piece: bytes) -> bytes:
    # zlib-ng lets go of the interpreter's lock while it compresses, so the
    # pieces are deflated on every core at once.
    compressor = zlib_ng.compressobj(LEVEL, zlib_ng.DEFLATED, -15)
    return compressor.compress(piece) + compressor.flush(zlib_ng.Z_SYNC_FLUSH)


class Deflate:
    """A compressor object as `zipfile` uses one (`compress`, then `flush`
    once), whose pieces are deflated in `pool`. At most two pieces per worker
    are held at a time, however large the input."""

    def __init__(self, pool: ThreadPoolExecutor):
        self.pool = pool
        self.waiting = bytearray()
        self.running: deque[Future] = deque()

    def compress(self, data: bytes) -> bytes:
        # Pieces are deflated after this returns: a buffer the caller may
        # refill is copied first; bytes never change, so they are not.
        data = memoryview(data if isinstance(data, bytes) else bytes(data))
        if self.waiting:  # the rest of a piece begun by an earlier call
            taken = PIECE - len(self.waiting)
            self.waiting += data[:taken]
            data = data[taken:]
            if len(self.waiting) < PIECE:
                return b""
            self._start(bytes(self.waiting))
            self.waiting.clear()
        done = []
        for start in range(0, len(data) - PIECE + 1, PIECE):
            self._start(data[start:start + PIECE])
            while len(self.running) > 2 * WORKERS:
                done.append(self.running.popleft().result())
        self.waiting += data[len(data) - len(data) % PIECE:]
        while self.running and self.running[0].done():
            done.append(self.running.popleft().result())
        return b"".join(done)

    def flush(self) -> bytes:
        if self.waiting:
            self._start(bytes(self.waiting))
            self.waiting.clear()
        done = [self.running.popleft().result() for _ in range(len(self.running))]
        return b"".join(done) + LAST_BLOCK

    def _start(self, piece) -> None:
        self.running.append(self.pool.submit(_deflated, piece))


def pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(WORKERS, thread_name_prefix="deflate")
