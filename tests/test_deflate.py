"""The zip's deflate on every core: one valid stream, the same bytes however
the input arrives and however many workers deflate it."""

import random
import threading
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from datapackage.publish import deflate


def inflated(stream: bytes) -> bytes:
    reader = zlib.decompressobj(-15)
    data = reader.decompress(stream)
    assert reader.eof and not reader.unused_data  # one stream, closed by its final block
    return data


def deflated(data: bytes, cuts: list[int], workers: int) -> bytes:
    with ThreadPoolExecutor(workers) as pool:
        compressor = deflate.Deflate(pool)
        out, start = [], 0
        for end in cuts + [len(data)]:
            out.append(compressor.compress(data[start:end]))
            start = end
        return b"".join(out) + compressor.flush()


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(deflate, "PIECE", 1000)


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000, 12345])
def test_any_length_inflates_to_itself(small_pieces, size):
    data = random.Random(size).randbytes(size // 2) + b"abc" * (size - size // 2)
    data = data[:size]
    assert inflated(deflated(data, [], 2)) == data


def test_same_bytes_whatever_the_writes_and_the_workers(small_pieces):
    data = b"".join(f"row {i}, v-{i:05d}, Qafarov\n".encode() for i in range(2000))
    rng = random.Random(7)
    cuts = sorted(rng.sample(range(1, len(data)), 40))
    one = deflated(data, [], 1)
    assert deflated(data, cuts, 3) == one and deflated(data, [999, 1000, 1001, 2500], 2) == one
    assert inflated(one) == data and len(one) < len(data) / 3


def test_a_zip_entry_deflated_in_pieces_is_read_by_zipfile(small_pieces, tmp_path):
    from datapackage.publish.release import write_zip
    (tmp_path / "in").mkdir()
    data = b"".join(f"{i};Elxan Agazade;2017-05-{i % 28 + 1:02d}\n".encode() for i in range(5000))
    (tmp_path / "in" / "rows.csv").write_bytes(data)
    write_zip(tmp_path / "out.zip", tmp_path / "in", "2020-01-02T03:04:05Z")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.testzip() is None
        assert archive.read("out/rows.csv") == data


def test_a_buffer_the_caller_refills_is_deflated_as_it_was(small_pieces):
    """The workers are held back until the caller has refilled its buffer."""
    data = random.Random(3).randbytes(4000)
    gate = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(gate.wait)
        compressor = deflate.Deflate(pool)
        buffer, out = bytearray(2000), []
        for start in (0, 2000):
            buffer[:] = data[start:start + 2000]
            out.append(compressor.compress(memoryview(buffer)))
        gate.set()
        out.append(compressor.flush())
    assert inflated(b"".join(out)) == data
