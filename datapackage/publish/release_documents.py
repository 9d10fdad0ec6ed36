"""The documents that travel with the data: README, licences, citation,
changelog, and the data dictionary with every Parquet column, so that a
reader of the zip can use and cite it without the repository."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datapackage.publish.dictionary import code_cell, markdown, table_cell
from datapackage.package import Package, leaves
from datapackage.publish.parquet import READING_NOTE

# Copied from the package folder when present: a fork or a test package may
# not have them all, and a release is still a release without them.
DOCUMENTS = ("README.md", "CHANGELOG.md", "CITATION.cff")
LICENCES = "LICENSE*"
DICTIONARY = "data-dictionary.md"
# A Markdown link or image: [label](target) or ![label](target).
LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)", re.M)


def write_documents(package: Package, out: Path) -> list[str]:
    """Writes the documents into the release folder `out` (after its Parquet
    files); returns their paths relative to `out`."""
    sources = [package.root / name for name in DOCUMENTS] + sorted(package.root.glob(LICENCES))
    written = []
    for source in sources:
        # Never a link out of the package: it would publish a file of the machine that publishes.
        if source.is_file() and not leaves(package.root, source.name):
            shutil.copyfile(source, out / source.name)
            written.append(source.name)
    text = markdown(package, "csv") + "\n" + parquet_columns(package, out)
    (out / DICTIONARY).write_text(text, encoding="utf-8")
    return written + [DICTIONARY]


def link_documents(out: Path, also: list[str]) -> None:
    """Points the relative links of the Markdown documents in the release
    folder `out` at the release's own files. A README written for the
    repository links to files the release does not hold (`docs/...`,
    `CONTRIBUTING.md`): such a link becomes its label and the path in the
    repository, never a link that leads nowhere. `also` names the files
    written after this (the database, the zip)."""
    present = {str(f.relative_to(out)) for f in out.rglob("*") if f.is_file()} | set(also)
    for name in DOCUMENTS:
        if name.endswith(".md") and (out / name).is_file():
            text = (out / name).read_text(encoding="utf-8")
            (out / name).write_text(within_release(text, present), encoding="utf-8")


def within_release(text: str, present: set[str]) -> str:
    """`text` with each relative link outside code blocks kept where its file
    is in `present`, pointed at the file of the same name at the release's
    top where there is one (the data dictionary), and otherwise made text."""
    parts = re.split(r"(^(?:```|~~~).*?^(?:```|~~~)[^\n]*$)", text, flags=re.M | re.S)
    return "".join(part if FENCE.match(part) else LINK.sub(lambda m: _link(m, present), part) for part in parts)


def _link(match: re.Match, present: set[str]) -> str:
    bang, label, target = match.groups()
    path, hash_, fragment = target.partition("#")
    if not path or re.match(r"[a-z][a-z0-9+.-]*:|/", path, re.I) or path in present:
        return match.group(0)  # an address, an anchor, or a file the release holds
    if Path(path).name in present:
        return f"{bang}[{label}]({Path(path).name}{hash_}{fragment})"
    return f"{label} (`{path}` in the repository the package is published from)"


def parquet_columns(package: Package, out: Path) -> str:
    """The Parquet columns as written, with the descriptions they carry."""
    lines = ["# Parquet columns", "", READING_NOTE, ""]
    for resource in package.resources:
        path = f"parquet/{resource.name}.parquet"
        lines += [f"## {resource.name}", "", f"File: `{path}`.", "",
                  "| column | type | description |", "| --- | --- | --- |"]
        for field in pq.read_schema(out / path):
            about = (field.metadata or {}).get(b"description", b"").decode("utf-8")
            lines.append(f"| {code_cell(field.name)} | {_kind(field.type)} | {table_cell(about)} |")
        lines.append("")
    return "\n".join(lines)


def _kind(kind: pa.DataType) -> str:
    if pa.types.is_dictionary(kind):
        return "category, ordered" if kind.ordered else "category"
    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_floating(kind):
        return "number"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_timestamp(kind):
        # An instant (a datetime written with its zone) or a local time as written.
        return "timestamp, UTC" if kind.tz else "timestamp"
    if pa.types.is_list(kind):
        return "list of text"
    return "text"
