"""Publish a valid package: CSV, Parquet, SQLite, release descriptor, zip.

Everything is written to a folder of its own and swapped in whole at the end
(see `release_folder`), so an interrupted run leaves the previous output intact.
Validation keeps the columns its rules read; every column of each table goes
to a store on disk beside the output as it is read (see `stored`), from which
the writers read a slice at a time.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path


from datapackage.publish.chart import draw, timeline_of
from datapackage.publish.database import build_database, empty_schema
from datapackage.publish.dictionary import html_page
from datapackage.findings import has_errors
from datapackage.publish.parquet import write_parquet
from datapackage.privacy import public_stored
from datapackage.publish.release import created, descriptor, write_json, write_zip
from datapackage.publish.release_documents import link_documents, write_documents
from datapackage.publish.release_folder import OutputError, ReleaseFolder, database_name, explain, hash_name, stored_beside
from datapackage.site.metadata import metadata
from datapackage.read.stored import StoredTable
from datapackage.read.table import write_csv
from datapackage.validate.check import Checked, check




class InvalidPackage(Exception):
    def __init__(self, findings):
        self.findings = findings


def publish(descriptor_path: Path, out: Path, stage=None) -> Path:
    """Returns the output folder. Raises InvalidPackage when validation finds
    errors and OutputError when the release cannot be written there.
    `stage(name)`, when given, is a context manager wrapped around each stage."""
    with stored_beside(out) as store:
        try:
            with (stage or nullcontext)("validate"):
                checked = check(descriptor_path, store=store)
        except OSError as error:  # the store's disk is full or failing
            raise OutputError(explain(_output_failure(error), Path(os.path.abspath(out)))) from None
        if has_errors(checked.findings):
            raise InvalidPackage(checked.findings)
        folder = ReleaseFolder(out, checked.package.root)
        try:
            with folder.building() as building:
                build(checked, building, stage)
                folder.swap_in(building)
        except (OSError, sqlite3.OperationalError) as error:
            cause = _output_failure(error)
            if cause is None:
                raise
            raise OutputError(explain(cause, folder.out)) from None
    return folder.out


def name_of(checked: Checked) -> str:
    return database_name(checked.package.descriptor)


def build(checked: Checked, out: Path, stage=None) -> None:
    """Every output from the typed tables, withheld rows dropped first."""
    package = checked.package
    tables = public_stored(package, checked.tables, checked.stored)
    stage = stage or nullcontext
    out.mkdir(parents=True, exist_ok=True)
    # The database is the longest stage and SQLite does its work without the
    # interpreter's lock, so it is built beside the other files and the zip
    # of them, which takes the database last.
    database_path = out / f"{name_of(checked)}.db"
    # Beside the release folder, not in it (the zip takes every file there);
    # named like it, so what a killed run leaves is removed with it.
    scratch = out.with_name(f"{out.name}-search.db")
    with ThreadPoolExecutor(1) as pool:
        database = pool.submit(_timed, stage, "sqlite", build_database, package, tables, database_path, scratch)
        try:
            _files(checked, tables, out, stage)
            with stage("zip"):
                digest = write_zip(out / archive_name(checked), out, created(package, tables), database_path,
                                   database.result)
            # Beside the database, not in the zip (it is taken while the zip is
            # written): what `sha256sum -c` checks a download against, and the
            # database's hash for the site, which would otherwise read gigabytes
            # to show it.
            (out / hash_name(database_path)).write_text(f"{digest}  {database_path.name}\n", encoding="utf-8")
        finally:
            database.result()  # the database's error, if any, is raised here


def archive_name(checked: Checked) -> str:
    return f"{name_of(checked)}-{checked.package.descriptor.get('version', '0')}.zip"


def _timed(stage, name: str, work, *args) -> None:
    with stage(name):
        work(*args)


def _files(checked: Checked, tables: dict[str, StoredTable], out: Path, stage) -> None:
    """Every output but the database and the zip."""
    package = checked.package
    (out / "csv").mkdir()
    (out / "parquet").mkdir()
    with stage("csv"):
        for resource in package.resources:
            write_csv(tables[resource.name].pieces(), out / "csv" / Path(resource.path).name)
    with stage("parquet"):
        for resource in package.resources:
            write_parquet(tables[resource.name], out / "parquet" / f"{resource.name}.parquet")
    write_documents(package, out)
    write_json(out / "datapackage.json", descriptor(package, out, created(package, tables)))
    timeline = timeline_of(package.resources)
    if timeline:
        with stage("chart"):
            draw({n: tables[n].whole(timeline.fields(n)).frame for n in timeline.tables}, timeline,
                 out / "timeline.png")
    (out / "data-dictionary.html").write_text(html_page(package), encoding="utf-8")
    name = name_of(checked)
    downloads = [archive_name(checked), "datapackage.json", f"{name}.db", hash_name(Path(f"{name}.db")),
                 "data-dictionary.html"]
    downloads += [f"parquet/{r.name}.parquet" for r in package.resources]
    write_json(out / "metadata.json", metadata(package, name, downloads, empty_schema(package)))
    link_documents(out, downloads)


# SQLite reports a full or unwritable disk with its own codes, not errno.
SQLITE_DISK_CODES = {3: errno.EACCES, 8: errno.EROFS, 10: errno.EIO, 13: errno.ENOSPC, 14: errno.EACCES}


def _output_failure(error: Exception) -> OSError | None:
    """The operating-system error behind a failed write; None for a defect here."""
    if isinstance(error, OSError):
        # The column engine's writers raise OSError with the code only in the text.
        code = re.search(r"os error (\d+)", str(error)) if error.errno is None else None
        return OSError(int(code.group(1)), str(error)) if code else error
    number = SQLITE_DISK_CODES.get(getattr(error, "sqlite_errorcode", 0) & 0xFF)
    return OSError(number, str(error)) if number else None
