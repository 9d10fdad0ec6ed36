"""Custom date, datetime and time formats: which ones keep every part of a value.

A field's `format` is read by the column engine (chrono's strptime). A
format that writes parts its type cannot hold (a time or time zone in a
date; a date or time zone in a time of day) would publish the value without
them, and a datetime format (or a time format without hour and minute) without
a full date would publish a date nobody wrote (year 1, January 1st): both
are refused. Python's `.%f` (the digits after the seconds' point) is read
as chrono's `%.f`; chrono's bare `%f` counts nanoseconds (`.1234` would be
1234 ns), so a fraction without its point is refused too. A date format
must hold a full date as well: `%Y-%m` would publish 2017-05 as May 1st,
and a four-digit year: `%y` would invent the century (45 is 2045), and
Python and chrono do not even invent the same one (69 is 1969 or 2069).

A format is also written with the directives Python's strptime reads, as
Frictionless reads it with that: chrono's own (`%F`, `%T`, `%e`, `%s`,
`%.f`, `%:z`, padding flags) would be read here and published, and then no
cell could be read with the release's descriptor.

Two readings chrono allows change a value as written, so the cells are
refused (see `short_year_form` and `leap_second_form`): `%Y` reads 1 to 4
digits (05/03/17 would be the year 17), and `%S` reads 60, a leap second,
published as the next minute. The composite directives Python reads too
(`%c`, `%X`) are checked as their parts; `%+` is refused, as no parts read it exactly.
"""

from __future__ import annotations

import re

# One strftime directive: padding flag, then chrono's forms with a point or colons.
DIRECTIVE = re.compile(r"%[-_0]?(\.?[0-9]?f|:{1,3}z|#z|.)")
FULL_DATES = {"F", "D", "x", "c", "+", "s", "v"}
YEARS, MONTHS, DAYS = {"Y", "y", "G", "g"}, {"m", "b", "B", "h"}, {"d", "e"}
TIMES = {"H", "k", "I", "l", "M", "S", "p", "P", "R", "T", "X", "r", "c", "+", "s"}
ZONES = {"z", ":z", "::z", ":::z", "#z", "Z"}
NO_POINT = "reads a fraction of a second without its point; write .%f (or %.f) for the digits after the point"
# Everything Python's strptime reads of a date: what a time of day cannot keep.
DATE_PARTS = FULL_DATES | YEARS | MONTHS | DAYS | {"j", "a", "A", "u", "U", "V", "w", "W"}
SHORT_YEARS = {"y", "x"}  # %x is %m/%d/%y
# The directives Python's strptime reads (Python 3.11), with which Frictionless,
# the reference reader of Table Schema, reads a format: a format with any
# other would be read here and by nobody who reads the release's descriptor.
PYTHON_READS = set("aAbBcdfGHIjmMpSuUVwWxXyYzZ%")


def chrono_form(form: str) -> str:
    """The format as chrono reads it with Python's meaning of `.%f`."""
    return form.replace(".%f", "%.f")


def directives(form: str) -> list[str]:
    return DIRECTIVE.findall(chrono_form(form))


def has_fraction(form: str) -> bool:
    """Whether the format reads digits after the seconds' point."""
    return any(d.endswith("f") for d in directives(form))


def format_problem(kind: str, form: str) -> str | None:
    """Why a custom format of a date or datetime field would lose or invent
    part of a value, or None. Worded to follow "format '...' "."""
    found = set(directives(form))
    if "+" in found:
        # Its parts written out read less than it does (a Z for UTC, a space
        # for the T), so a second 60 or a short year in it could not be told.
        return ("is read leniently by the column engine, which could change a value as written; "
                "leave the format out (ISO 8601 is the default) or write its parts out, such as %Y-%m-%dT%H:%M:%S%:z")
    unread = python_unread(form)
    if unread:
        return (f"uses {', '.join(unread)}, which Frictionless does not read (it reads formats with Python's "
                "strptime), so no cell could be read with the release's descriptor; write the format with "
                "Python's directives, such as %Y-%m-%d for %F, %H:%M:%S for %T, .%f for %.f")
    if kind == "time":
        return _time_format_problem(found)
    short = sorted(found & SHORT_YEARS)
    if short:
        return (f"writes the year in two digits (%{', %'.join(short)}), so its century would be invented, "
                "and not alike: Frictionless (Python) reads 69 as 1969, the column engine as 2069; "
                "write the year in four digits (%Y)")
    if kind == "date":
        extra = sorted(found & (TIMES | ZONES))
        if extra:
            return (f"writes a time or time zone (%{', %'.join(extra)}), which a date field cannot keep; "
                    "declare the field as datetime, or take them out of the format")
    if not (found & FULL_DATES or found & YEARS and (found & MONTHS and found & DAYS or "j" in found)):
        return ("does not write a full date (year, month and day), so a date would be invented; "
                "add them to the format, or declare the field as string")
    if any(d.endswith("f") and not d.startswith(".") for d in found):
        return NO_POINT
    return None


def _time_format_problem(found: set[str]) -> str | None:
    """Why a custom format of a time field would lose or invent part of a
    value (chrono reads no time without its hour and minute, nor an hour of
    1 to 12 without AM or PM, which Python takes as AM), or None."""
    extra = sorted(found & (DATE_PARTS | ZONES))
    if extra:
        return (f"writes a date or a time zone (%{', %'.join(extra)}), which a time of day cannot keep; "
                "declare the field as datetime, or take them out of the format")
    if "X" not in found and not ("M" in found and ("H" in found or {"I", "p"} <= found)):
        return ("does not write the hour (%H, or %I with %p) and the minute (%M), so a time would be invented; "
                "add them to the format")
    if any(d.endswith("f") and not d.startswith(".") for d in found):
        return NO_POINT
    return None


def python_unread(form: str) -> list[str]:
    """The directives of a format, as written, that Python's strptime does
    not read (chrono's own, such as %F, %T, %e, %s, %.f, %:z, or a padding flag)."""
    unread = sorted({m.group(0) for m in DIRECTIVE.finditer(form) if m.group(0)[1:] not in PYTHON_READS})
    return unread + (["a % with no directive"] if DIRECTIVE.sub("", form).endswith("%") else [])


# Composite directives that are exactly their parts in chrono (each read
# both ways alike, padding and case included), so that a year or a second
# inside one is checked as when written out.
# (Chrono's others, such as %F and %T, are refused: see `python_unread`.)
SPELLED_OUT = {"X": "%H:%M:%S", "c": "%a %b %e %H:%M:%S %Y"}


def _replaced(form: str, directive: str, by: str) -> str | None:
    """The format (as chrono reads it) with each `directive` written as
    `by`, or None when it has none."""
    spelled = DIRECTIVE.sub(lambda m: SPELLED_OUT.get(m.group(1), m.group(0)), chrono_form(form))
    found = False

    def swap(match: re.Match) -> str:
        nonlocal found
        if match.group(1) != directive:
            return match.group(0)
        found = True
        return by
    replaced = DIRECTIVE.sub(swap, spelled)
    return replaced if found else None


def short_year_form(form: str) -> str | None:
    """The format reading `%Y` as century and year (`%C%y`): exactly four
    digits. A value it reads the same had a four-digit year."""
    return _replaced(form, "Y", "%C%y")


def leap_second_form(form: str) -> str | None:
    """The format with the literal 60 for `%S`: a value it reads was
    written with second 60."""
    return _replaced(form, "S", "60")
