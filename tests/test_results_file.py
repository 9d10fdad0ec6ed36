"""Re-running a benchmark script rewrites its own section of RESULTS.md and
keeps every other line: the targets table and the dated measurements are
written by hand and are the project's record of what each change did."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from results_file import marks, replaced, write_section  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def outside(text: str, names=("runs", "site")) -> str:
    for name in names:
        start, end = marks(name)
        before, rest = text.split(start, 1)
        text = before + rest.split(end, 1)[1]
    return text


def test_a_section_is_replaced_between_its_marks_only():
    old = "hand\n<!-- runs -->\nold table\n<!-- /runs -->\nmore by hand\n"
    assert replaced(old, "runs", "new table\n") == "hand\n<!-- runs -->\nnew table\n<!-- /runs -->\nmore by hand\n"
    assert replaced(old, "site", "pages").endswith("more by hand\n\n<!-- site -->\npages\n<!-- /site -->\n")
    assert replaced(old, "site", "pages", first=True).startswith("<!-- site -->\npages\n<!-- /site -->\n\nhand\n")
    assert replaced("", "site", "pages") == "<!-- site -->\npages\n<!-- /site -->\n"
    # an opening mark without its closing one is not a section: nothing after it is dropped
    assert replaced("a\n<!-- site -->\nb\n", "site", "c").startswith("a\n<!-- site -->\nb\n")


def test_both_scripts_sections_keep_every_line_written_by_hand(tmp_path):
    text = RESULTS.read_text(encoding="utf-8")
    for name in ("runs", "site"):
        start, end = marks(name)
        assert text.count(start) == 1 and text.count(end) == 1 and text.index(start) < text.index(end)
    copy = tmp_path / "RESULTS.md"
    copy.write_text(text, encoding="utf-8")
    write_section(copy, "runs", "## Whole processes at each size\n\nwritten again by the script")
    write_section(copy, "site", "## Datasette\n\nwritten again by the script")
    again = copy.read_text(encoding="utf-8")
    assert outside(again) == outside(text)
    assert again.count("written again by the script") == 2 and len(again) < len(text)
