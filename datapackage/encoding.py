"""Where a file stops being UTF-8, for a finding a contributor can act on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Utf8Problem:
    line: int
    column: int
    byte: int


def utf8_problem(data: bytes) -> Utf8Problem | None:
    """Where the first byte that is not UTF-8 sits, or None. Arrow checks the
    bytes in place; only a file that fails is decoded to find the place."""
    import pyarrow as pa

    whole = pa.Array.from_buffers(pa.binary(), 1, [None, pa.py_buffer(np.array([0, len(data)], np.int32)),
                                                   pa.py_buffer(data)]) if len(data) < 2**31 else None
    try:
        if whole is not None:
            whole.cast(pa.string())
            return None
    except pa.ArrowInvalid:
        pass
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line_start = before.rfind(b"\n") + 1
        in_line = before[line_start:]
        column = in_line.count(b",") + 1 if in_line.count(b'"') % 2 == 0 else 1
        return Utf8Problem(before.count(b"\n") + 1, column, data[error.start])
