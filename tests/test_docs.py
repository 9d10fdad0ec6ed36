"""The README tells the truth about the package."""

import csv
import re

from conftest import ROOT


def test_readme_row_counts_match_the_seeds():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- resource-counts")[1].split("<!-- end resource-counts")[0]
    documented = {m[1]: int(m[2]) for m in re.finditer(r"^\| (\w+) \| .* \| (\d+) \|$", block, re.M)}
    actual = {}
    for path in sorted((ROOT / "seeds").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            actual[path.stem] = sum(1 for _ in csv.DictReader(f))
    assert documented == actual


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/run" in readme and "scripts/test" in readme
