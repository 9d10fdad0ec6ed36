"""Publish a valid package: CSV, Parquet, SQLite, release descriptor, zip.

Everything is written to a temporary folder beside the output and moved into
place at the end, so an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from datapackage.arrow import arrow_table
from datapackage.chart import draw
from datapackage.database import build_database
from datapackage.dictionary import html_page
from datapackage.findings import has_errors
from datapackage.parquet import for_consumers
from datapackage.release import created, descriptor, write_json, write_zip
from datapackage.release_documents import write_documents
from datapackage.site import metadata
from datapackage.validate import Checked, check


class InvalidPackage(Exception):
    def __init__(self, findings):
        self.findings = findings


def publish(descriptor_path: Path, out: Path) -> Path:
    """Returns the output folder. Raises InvalidPackage when validation finds errors."""
    checked = check(descriptor_path)
    if has_errors(checked.findings):
        raise InvalidPackage(checked.findings)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        build(checked, building)
        _replace(building, out)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return out


def name_of(checked: Checked) -> str:
    return checked.package.descriptor.get("name", "datapackage")


def build(checked: Checked, out: Path) -> None:
    package, frames = checked.package, checked.frames
    (out / "csv").mkdir(parents=True)
    (out / "parquet").mkdir()
    for resource in package.resources:
        shutil.copyfile(package.root / resource.path, out / "csv" / Path(resource.path).name)
        pq.write_table(for_consumers(resource, arrow_table(resource, frames[resource.name])),
                       out / "parquet" / f"{resource.name}.parquet", compression="zstd")
    name = name_of(checked)
    build_database(package, frames, out / f"{name}.db")
    write_documents(package, out)
    stamp = created(package, frames)
    release = descriptor(package, out, stamp)
    write_json(out / "datapackage.json", release)
    draw(frames, out / "timeline.png")
    (out / "data-dictionary.html").write_text(html_page(package), encoding="utf-8")
    archive = f"{name}-{release.get('version', '0')}.zip"
    downloads = [archive, "datapackage.json", f"{name}.db", "data-dictionary.html"]
    downloads += [f"parquet/{r.name}.parquet" for r in package.resources]
    write_json(out / "metadata.json", metadata(package, name, downloads))
    write_zip(out / archive, out, stamp)


def _replace(new: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)
