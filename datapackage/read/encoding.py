"""Where a file stops being UTF-8, for a finding a contributor can act on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


SAVED_AS_UTF16 = ("the file is saved as UTF-16 (a spreadsheet's \"Unicode text\"), not UTF-8; "
                  "save it as \"CSV UTF-8 (comma delimited)\"")


@dataclass
class Utf8Problem:
    line: int
    column: int
    byte: int
    utf16: bool = False  # the file starts with UTF-16's byte order mark

    def message(self) -> str:
        """What a contributor whose spreadsheet saved the file so reads, and does."""
        if self.utf16:
            return SAVED_AS_UTF16
        try:
            meant = f" ('{bytes([self.byte]).decode('cp1252')}' in Windows-1252?)"
        except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
            meant = ""
        return (f"byte 0x{self.byte:02x}{meant} is not UTF-8: the file was saved in another encoding; "
                "save it as UTF-8 (\"CSV UTF-8\" in a spreadsheet)")


def is_utf8(data: bytes) -> bool:
    """Arrow checks the bytes in place, without decoding them."""
    import pyarrow as pa

    if len(data) >= 2**31:
        return _decodes(data)
    whole = pa.Array.from_buffers(pa.binary(), 1, [None, pa.py_buffer(np.array([0, len(data)], np.int32)),
                                                   pa.py_buffer(data)])
    try:
        whole.cast(pa.string())
        return True
    except pa.ArrowInvalid:
        return False


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def character_boundary(data: bytes) -> int:
    """The length of the longest prefix that does not end inside a character:
    a file read in pieces is checked piece by piece, the cut character's
    first bytes carried into the next piece."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data) - back + 1
        if byte >= 0xC0:  # the first byte of a character; how long is it?
            width = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) - back if width > back else len(data)
    return len(data)


def utf8_problem(data: bytes) -> Utf8Problem | None:
    """Where the first byte that is not UTF-8 sits, or None. Only a file that
    fails the check in place is decoded to find the place."""
    if is_utf8(data):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line_start = before.rfind(b"\n") + 1
        in_line = before[line_start:]
        column = in_line.count(b",") + 1 if in_line.count(b'"') % 2 == 0 else 1
        return Utf8Problem(before.count(b"\n") + 1, column, data[error.start],
                           data.startswith((b"\xff\xfe", b"\xfe\xff")))
