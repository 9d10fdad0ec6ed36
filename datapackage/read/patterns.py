"""A field's `pattern`: how every check matches one, and which ones are used.

Cells are matched by the column engine (Rust's regex syntax); whoever reads
the release's descriptor with Frictionless matches them with Python's `re`.
A pattern is used only where both engines read it and read it alike, so
that a cell is not valid here and invalid there. Where they read the same
pattern differently (a `[` inside a character class, case-insensitive or
verbose mode, a `$` before more of the pattern) the pattern is a schema finding that says how to write it.
What remains different is listed in docs/conformance.md: `\\w` and `\\W`
(combining marks, superscript digits) and `\\s` (four control characters that
are findings of their own).
"""

from __future__ import annotations

import re
import warnings

import polars as pl

# Inline flags the engines read differently, and why.
FLAGS = {
    "i": ("turns on case-insensitive matching, on which the engines disagree: Python's (Frictionless's) "
          "takes İ, ı, I and i for one letter, this toolkit's keeps İ and ı apart; list the letters of "
          "each case instead, as in [Əə]"),
    "x": ("turns on verbose mode, in which the engines disagree about spaces inside [...]; write the "
          "pattern without it"),
}
EARLY_END = ("has a '$' with more of the pattern after it, which Python's engine (Frictionless's) lets match "
             "before a line break that ends the cell, and this toolkit's only at the cell's end; end the "
             "pattern there")
NESTED = ("has a '[', '&&', '--' or '~~' inside [...], which this toolkit's engine reads as a set or an "
          "operation on sets and Python's (Frictionless's) as characters; escape it, as in [\\[a]")
QUANTIFIERS = set("?*+{},0123456789")
FLAGGED = re.compile(r"\(\?([a-zA-Z]*)(?:-[a-zA-Z]*)?[:)]")


def whole(pattern: str) -> str:
    """The pattern matched against the whole value, as Table Schema means it
    (Frictionless writes ^pattern$, in which `a|b` also matches 'axyz')."""
    return f"^(?:{pattern})$"


def pattern_problem(pattern) -> str | None:
    """Why a pattern cannot be used, or None."""
    if not isinstance(pattern, str):
        return "is not text"
    try:
        _python(pattern)
    except (re.error, RecursionError, OverflowError) as error:
        return f"is not a valid regular expression ({error})"
    try:
        _python(whole(pattern))
    except (re.error, RecursionError, OverflowError):
        return ("cannot be matched against a whole value, as every pattern is; a flag such as (?s) "
                "must apply to a group, written (?s:...)")
    try:
        pl.select(pl.lit("").str.contains(whole(pattern)))
    except Exception as error:  # polars raises its own ComputeError for syntax it does not read
        return ("cannot be read by this toolkit's regular-expression engine (Rust's syntax, without "
                f"look-around or back-references): {_reason(str(error))}")
    return _read_differently(pattern)


def _python(pattern: str) -> None:
    """Compiles `pattern` with Python's `re`, without its FutureWarning about
    a `[` or `&&` in a class: `_read_differently` says that as a finding."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        re.compile(pattern)


def _reason(message: str) -> str:
    """The line of a column-engine error that says what is wrong."""
    said = [line[len("error: "):] for line in message.splitlines() if line.startswith("error: ")]
    return said[0] if said else message.splitlines()[0]


def _read_differently(pattern: str) -> str | None:
    """Why the two engines would match `pattern` differently, or None."""
    tokens = list(_tokens(pattern))
    for index, (at, token, in_class) in enumerate(tokens):
        if in_class and (token == "[" or pattern[at:at + 2] in ("&&", "--", "~~")):
            return NESTED
        if not in_class and token == "$" and not _nothing_after(tokens[index + 1:]):
            return EARLY_END
        flags = None if in_class else FLAGGED.match(pattern, at)
        said = [FLAGS[flag] for flag in flags.group(1) if flag in FLAGS] if flags else []
        if said:
            return said[0]
    return None


def _tokens(pattern: str):
    """(position, token, inside a character class) for each character of
    `pattern`, an escape as one token with what it escapes. Classes are
    followed as Python reads them: a `]` first in a class is a character of
    it, and the `[` that opens a class is not inside one."""
    at, first = 0, None  # `first`: where the open class's characters start
    while at < len(pattern):
        token = pattern[at:at + 2] if pattern[at] == "\\" else pattern[at]
        inside = first is not None and not (token == "]" and at > first)
        yield at, token, inside
        if first is None and token == "[":
            first = at + 1 + pattern.startswith("^", at + 1)
        elif not inside:
            first = None
        at += len(token)


def _nothing_after(tokens) -> bool:
    """The tokens after a `$` can match nothing: they only close groups (with
    quantifiers) or begin other alternatives of the group the `$` ends."""
    depth, skipping = 0, False  # skipping: inside another alternative
    for _, token, in_class in tokens:
        if in_class:
            if not skipping:
                return False
        elif token == ")" and depth:
            depth -= 1
        elif token == ")":
            skipping = False
        elif token == "|" and not depth:
            skipping = True
        elif skipping:
            depth += token == "("
        elif token not in QUANTIFIERS:
            return False
    return True
