"""Publish a valid package: CSV, Parquet, SQLite, release descriptor, zip.

Everything is written to a temporary folder beside the output and moved into
place at the end, so an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import os
import shutil
from contextlib import nullcontext
from pathlib import Path

import pyarrow.parquet as pq

from datapackage.arrow import arrow_table
from datapackage.chart import EVENTS, draw
from datapackage.database import build_database
from datapackage.dictionary import html_page
from datapackage.findings import has_errors
from datapackage.privacy import public_tables
from datapackage.release import created, descriptor, write_json, write_zip
from datapackage.site import metadata
from datapackage.validate import Checked, check


CHARTED = {"cases", "victims"} | {resource for resource, *_ in EVENTS}  # what the timeline chart reads


class InvalidPackage(Exception):
    def __init__(self, findings):
        self.findings = findings


def publish(descriptor_path: Path, out: Path, stage=None) -> Path:
    """Returns the output folder. Raises InvalidPackage when validation finds errors.
    `stage(name)`, when given, is a context manager wrapped around each stage."""
    with (stage or nullcontext)("validate"):
        checked = check(descriptor_path)
    if has_errors(checked.findings):
        raise InvalidPackage(checked.findings)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        build(checked, building, stage)
        _replace(building, out)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return out


def name_of(checked: Checked) -> str:
    return checked.package.descriptor.get("name", "datapackage")


def build(checked: Checked, out: Path, stage=None) -> None:
    """Every output from the typed tables, withheld rows dropped first."""
    package = checked.package
    tables = public_tables(package, checked.tables)
    stage = stage or nullcontext
    (out / "csv").mkdir(parents=True)
    (out / "parquet").mkdir()
    with stage("csv"):
        for resource in package.resources:
            tables[resource.name].text.write_csv(out / "csv" / Path(resource.path).name)
    with stage("parquet"):
        for resource in package.resources:
            pq.write_table(arrow_table(tables[resource.name]), out / "parquet" / f"{resource.name}.parquet",
                           compression="zstd")
    name = name_of(checked)
    with stage("sqlite"):
        build_database(package, tables, out / f"{name}.db")
    stamp = created(package, tables)
    release = descriptor(package, out, stamp)
    write_json(out / "datapackage.json", release)
    if CHARTED <= set(tables):
        with stage("chart"):
            draw({n: t.text.to_pandas() for n, t in tables.items()}, out / "timeline.png")
    (out / "data-dictionary.html").write_text(html_page(package), encoding="utf-8")
    archive = f"{name}-{release.get('version', '0')}.zip"
    downloads = [archive, "datapackage.json", f"{name}.db", "data-dictionary.html"]
    downloads += [f"parquet/{r.name}.parquet" for r in package.resources]
    write_json(out / "metadata.json", metadata(package, name, downloads))
    with stage("zip"):
        write_zip(out / archive, out, stamp)


def _replace(new: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)
