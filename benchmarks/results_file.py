"""One generated section of benchmarks/RESULTS.md rewritten, every other line kept.

RESULTS.md holds sections the benchmark scripts write (`run.py` the whole-process
tables, `site.py` the Datasette pages), each between an opening and a closing mark,
beside sections written by hand (the targets table, the dated measurements that
explain each change). A script rewrites the text between its own marks and nothing
else, so re-running it never loses the history around it.
"""

from __future__ import annotations

from pathlib import Path


def marks(name: str) -> tuple[str, str]:
    return f"<!-- {name} -->", f"<!-- /{name} -->"


def replaced(old: str, name: str, text: str, first: bool = False) -> str:
    """`old` with the section `name` holding `text`; a section not there yet is
    added at the start (`first`) or at the end."""
    start, end = marks(name)
    block = f"{start}\n{text.strip()}\n{end}"
    if start in old and end in old.split(start, 1)[1]:
        before, rest = old.split(start, 1)
        return before + block + rest.split(end, 1)[1]
    if first:
        return block + "\n\n" + old.lstrip("\n")
    return (old.rstrip("\n") + "\n\n" if old.strip() else "") + block + "\n"


def write_section(path: Path, name: str, text: str, first: bool = False) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(replaced(old, name, text, first), encoding="utf-8")
