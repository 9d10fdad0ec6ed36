"""docs/: the data dictionary and the timeline chart shown in the README,
generated from the schemas and the data (a test fails when they are stale)."""

from __future__ import annotations

from pathlib import Path

from datapackage.chart import draw
from datapackage.dictionary import markdown
from datapackage.validate import check


def write_docs(descriptor: Path, out: Path) -> list[Path]:
    checked = check(descriptor)
    out.mkdir(parents=True, exist_ok=True)
    dictionary, chart = out / "data-dictionary.md", out / "timeline.png"
    dictionary.write_text(markdown(checked.package), encoding="utf-8")
    draw({n: t.text.to_pandas() for n, t in checked.tables.items()}, chart)
    return [dictionary, chart]
