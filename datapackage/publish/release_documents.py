"""The documents that travel with the data: README, licences, citation,
changelog, and the data dictionary with every Parquet column, so that a
reader of the zip can use and cite it without the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datapackage.publish.dictionary import markdown
from datapackage.package import Package, leaves
from datapackage.publish.parquet import READING_NOTE

# Copied from the package folder when present: a fork or a test package may
# not have them all, and a release is still a release without them.
DOCUMENTS = ("README.md", "CHANGELOG.md", "CITATION.cff")
LICENCES = "LICENSE*"
DICTIONARY = "data-dictionary.md"


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
    text = markdown(package) + "\n" + parquet_columns(package, out)
    (out / DICTIONARY).write_text(text, encoding="utf-8")
    return written + [DICTIONARY]


def parquet_columns(package: Package, out: Path) -> str:
    """The Parquet columns as written, with the descriptions they carry."""
    lines = ["# Parquet columns", "", READING_NOTE, ""]
    for resource in package.resources:
        path = f"parquet/{resource.name}.parquet"
        lines += [f"## {resource.name}", "", f"File: `{path}`.", "",
                  "| column | type | description |", "| --- | --- | --- |"]
        for field in pq.read_schema(out / path):
            about = (field.metadata or {}).get(b"description", b"").decode("utf-8").replace("|", "\\|")
            lines.append(f"| `{field.name}` | {_kind(field.type)} | {about} |")
        lines.append("")
    return "\n".join(lines)


def _kind(kind: pa.DataType) -> str:
    if pa.types.is_dictionary(kind):
        return "category, ordered" if kind.ordered else "category"
    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_timestamp(kind):
        return "timestamp"
    if pa.types.is_list(kind):
        return "list of text"
    return "text"
