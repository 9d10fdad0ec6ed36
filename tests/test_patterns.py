"""A field's `pattern` is used only where this toolkit's regular-expression
engine and Python's (Frictionless's) read it alike; a pattern they read
differently is a schema finding that says how to write it. Random patterns
and cells prove the two then agree on every cell."""

import os
import re
import warnings

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_convert_exact import one_column
from test_hostile_inputs import checks, findings_of

from datapackage.read.patterns import pattern_problem, whole


@pytest.mark.parametrize("pattern, words", [
    ("[[:alpha:]]+", "inside [...]"), ("[a-z&&[^aeiou]]+", "inside [...]"), ("[a-z--[aeiou]]", "inside [...]"),
    ("[a~~b]", "inside [...]"), ("[a[bc]]", "inside [...]"),
    ("(?i:əli)", "case-insensitive"), ("v-(?xi:[0-9] +)", "verbose"), ("(?x:[a ]b)", "verbose"),
    ("x{,3}", "repetition quantifier"), ("(?<=v)-1", "look-around"), ("(a)\\1", "backreferences"),
    ("(?i)v-1", "must apply to a group"), ("v-1$\\n?", "'$' with more"), ("(v$)-1", "'$' with more")])
def test_a_pattern_the_engines_read_differently_is_a_schema_finding(tmp_path, pattern, words):
    root = one_column(tmp_path, {"type": "string", "constraints": {"pattern": pattern}}, ["v-1"])
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["schema"]
    assert f"pattern {pattern!r}" in findings[0]["message"] and words in findings[0]["message"]


@pytest.mark.parametrize("pattern, good, bad", [
    ("[\\[a]+", "[a", "b"), ("[]a]+", "]a", "b"), ("[^]a]", "b", "]"), ("(?-i:ə)", "ə", "Ə"), ("(?s:a.b)", "a\nb", "ab"),
    ("[a\\-z]+", "a-z", "b"), ("\\(?i:a\\)", "(i:a)", "(i:A)"), ("(a$|b)", "b", "ab"), ("a\\$b", "a$b", "ab")])
def test_patterns_both_engines_read_alike_are_used(tmp_path, pattern, good, bad):
    root = one_column(tmp_path, {"type": "string", "constraints": {"pattern": pattern}}, [bad, good])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "pattern")]


def test_a_pattern_matches_the_whole_value(tmp_path):
    # Frictionless matches ^v|w$, which `vx` and `xw` match; Table Schema means the whole value.
    root = one_column(tmp_path, {"type": "string", "constraints": {"pattern": "v|w"}}, ["v", "vx", "xw", "w"])
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 3, 2, "pattern"), ("people.csv", 4, 2, "pattern")]


# ------------------------------------------------------------ random patterns against Python's

# Atoms of every kind, the ones the engines read differently among them.
ATOMS = ["a", "b", "ə", "Ə", "ı", "İ", "i", "I", "ş", "k", ".", "-", " ", "\\d", "\\w", "\\s", "\\S", "\\W", "\\D",
         "\\b", "\\.", "\\[", "[a-z]", "[^a-z]", "[ə-ş]", "[0-9]", "[A-Z]", "[\\w-]", "[^\\s]", "[]a]", "[[:alpha:]]",
         "[a[b]]", "[a&&b]", "[a--b]", "\\x41", "\\u0259", "é", "ǅ", "^", "$", "\\n", "\\A", "\\B"]
FLAGS = st.sampled_from(["", "?:", "?i:", "?s:", "?x:", "?-i:", "?m:"])
QUANTIFIERS = st.sampled_from(["", "", "?", "*", "+", "{2}", "{1,3}"])
PATTERNS = st.recursive(
    st.builds(lambda atom, quantifier: atom + quantifier, st.sampled_from(ATOMS), QUANTIFIERS),
    lambda inner: st.builds(lambda parts, flags, alternative, quantifier: f"({flags}{''.join(parts)}"
                            + (f"|{alternative}" if alternative else "") + f"){quantifier}",
                            st.lists(inner, min_size=1, max_size=3), FLAGS, st.none() | inner, QUANTIFIERS)
    | st.lists(inner, min_size=2, max_size=3).map("".join), max_leaves=6)
# Cells of letters the flags and classes tell apart. Left out, as docs/conformance.md says: combining
# marks and superscript digits (\w differs) and the controls U+001C to U+001F (\s differs; each is
# an invisible-character finding).
LETTERS = ["a", "b", "ə", "Ə", "ı", "İ", "i", "I", "ş", "Ş", "k", "K", "\u212a", "1", "٣", "_", " ", "\t", "\n",
           "\u00a0", "\u2028", "é", "ǅ", "ǆ", "Ǆ", "ß", "ſ", "s", ".", "-", "[", "]", "A", "z", "&"]
# An empty cell is a missing value, never matched (on it alone Python's \B differs before 3.14).
# Some end with a line break, where Python's `$` also matches.
CELLS = st.lists(st.builds(lambda letters, end: "".join(letters) + end, st.lists(st.sampled_from(LETTERS), min_size=1,
                                                                                max_size=5),
                           st.sampled_from(["", "", "\n"])), min_size=1, max_size=30)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(pattern=PATTERNS, cells=CELLS)
def test_a_pattern_in_use_matches_as_python_matches(pattern, cells):
    if pattern_problem(pattern) is not None:
        return
    ours = pl.Series(cells, dtype=pl.String).str.contains(whole(pattern)).to_list()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        python = [re.fullmatch(pattern, cell) is not None for cell in cells]
    assert ours == python, [(c, o) for c, o, p in zip(cells, ours, python) if o != p]
