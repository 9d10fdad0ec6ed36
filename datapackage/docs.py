"""docs/data-dictionary.md, generated from the descriptor and the schemas
alone: a change to the data never makes it stale, so it is committed and a
test compares it. The timeline chart depends on the data: publish draws it
into dist/ and the site, and it is not committed."""

from __future__ import annotations

from pathlib import Path

from datapackage.publish.dictionary import markdown
from datapackage.publish.release_folder import OutputError, os_reason
from datapackage.validate.schema_check import schema_findings
from datapackage.findings import ERROR
from datapackage.package import PackageError, load_package

COMMAND = "scripts/datapackage docs"  # what a contributor runs to refresh docs/


def write_docs(descriptor: Path, out: Path) -> list[Path]:
    """Raises PackageError when the descriptor or a schema cannot be read or
    is not sound (a schema validation would refuse cannot be described), and
    OutputError when `out` cannot be written."""
    package, findings = load_package(descriptor)
    findings += schema_findings(package)
    problems = [f for f in findings if f.severity == ERROR]  # a warning does not stop the dictionary
    if problems:
        first = problems[0]
        raise PackageError(f"{first.path}:{first.line or 1}:{first.column or 1}: {first.message}")
    dictionary = out / "data-dictionary.md"
    try:
        out.mkdir(parents=True, exist_ok=True)
        dictionary.write_text(markdown(package), encoding="utf-8")
    except OSError as error:
        raise OutputError(f"{out}: not written, {os_reason(error)}") from None
    return [dictionary]
