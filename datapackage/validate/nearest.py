"""The value a contributor most likely meant, for a finding to suggest.

A spreadsheet or a keyboard changes a value in a few usual ways: a capital
letter, a space at an end or a no-break space, '-' for '_', a letter left
out. A finding that names the one valid value within such a slip saves the
contributor reading a list of every value allowed. Nothing is suggested
when no value is that close, or when two are equally close.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from typing import Callable, Iterable

# Beyond this many candidates, only the slips of case, spaces and separators
# are looked for: a close spelling is a scan of every candidate per finding.
SPELLING_CANDIDATES = 5000
CLOSE = 0.85  # difflib's ratio: one letter wrong or missing in a word of seven or more


def folded(value: str) -> str:
    """A value without the slips that change no letter: Unicode form, case,
    spaces (no-break ones too) at the ends, and '-', '_' or a space between words."""
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    return re.sub(r"[\s_-]+", "-", text)


class Nearest:
    """The candidates, folded once when the first suggestion is asked for."""

    def __init__(self, candidates: Callable[[], Iterable[str]]):
        self._candidates = candidates
        self._folded: dict[str, str | None] | None = None
        self._all: list[str] = []

    def _index(self) -> dict[str, str | None]:
        if self._folded is None:
            self._all = [str(c) for c in self._candidates()]
            self._folded = {}
            for candidate in self._all:
                key = folded(candidate)
                # Two candidates folding alike: neither is suggested.
                self._folded[key] = candidate if self._folded.get(key, candidate) == candidate else None
        return self._folded

    def of(self, value: str) -> str | None:
        index = self._index()
        if not value or value in index.values():
            return None
        if folded(value) in index:
            return index[folded(value)]
        if len(self._all) > SPELLING_CANDIDATES:
            return None
        close = difflib.get_close_matches(value, self._all, n=2, cutoff=CLOSE)
        if len(close) == 2 and difflib.SequenceMatcher(None, value, close[1]).ratio() == \
                difflib.SequenceMatcher(None, value, close[0]).ratio():
            return None
        return close[0] if close else None


def did_you_mean(suggestion: str | None) -> str:
    """The words a message adds for a suggestion, or none."""
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
MIDNIGHT = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"  # what a spreadsheet appends to a date it reformats
NUMERIC = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})" + MIDNIGHT)
WORDS = re.compile(r"(?:(\d{1,2})\.? )?([a-z]+)\.?,? (?:(\d{1,2}),? )?(\d{4})")


def iso_date(value: str) -> str | None:
    """A date as a spreadsheet or a person writes it (`13/05/2017`,
    `13.05.2017`, `2017-05-13 00:00:00`, `May 2017`, `13 May 2017`) in
    ISO 8601. Only a four-digit year is read, and day and month only when
    their order is certain (`05/06/2017` could be either: no suggestion)."""
    text = value.strip()
    numeric = NUMERIC.fullmatch(text)
    if numeric:
        first, separator, middle, last = numeric.groups()
        if len(first) == 4:
            return _iso(int(first), int(middle), int(last))
        if len(last) != 4:
            return None
        day, month = int(first), int(middle)
        if separator == "/" and day <= 12 and month <= 12 and day != month:
            return None  # 05/06/2017: the 5th of June, or May the 6th
        if separator == "/" and month > 12:
            day, month = month, day  # 5/13/2017: month first
        return _iso(int(last), month, day)
    words = WORDS.fullmatch(text.casefold())
    if words and words[2] in MONTHS and not (words[1] and words[3]):
        day = words[1] or words[3]
        return _iso(int(words[4]), MONTHS[words[2]], int(day) if day else None)
    return None


def _iso(year: int, month: int, day: int | None) -> str | None:
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,' \u00a0\u202f])\d{3})(?:\1\d{3})*")
POINT_ZERO = re.compile(r"([+-]?\d+)[.,]0+")


def plain_integer(value: str) -> str | None:
    """A whole number as a spreadsheet shows it (`1,234`, `1 234`, `12.0`)
    in digits only. `1.234` is left alone: a thousand and more in a European
    spreadsheet, but a fraction in an English one."""
    text = value.strip()
    if GROUPED.fullmatch(text):
        return re.sub(r"[,' \u00a0\u202f]", "", text)
    point = POINT_ZERO.fullmatch(text)
    if point:
        return point[1]
    return text if text != value and re.fullmatch(r"[+-]?\d+", text) else None
