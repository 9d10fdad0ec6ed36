"""Names of a package that become names in its release: the database and
Parquet files, the site's tables, the person and case pages. A name that
would write outside the release, collide with a table the database makes
itself, publish two files as one, or name a file Windows cannot hold is a
finding before anything is written."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from datapackage.publish.derived import reserved_names
from datapackage.findings import ERROR, Finding
from datapackage.package import NUL, Package
from datapackage.site.metadata import PAGE_KINDS


# The package's and each resource's name become file names in the release
# (NAME.db, parquet/NAME.parquet) and table names on the site. The profile
# allows "/" and a leading "." ("../x"), which would write outside the release.
SAFE_NAME = re.compile(r"[a-z0-9_-][a-z0-9._-]*")
# A file name holds 255 bytes at most: NAME-VERSION.zip must fit.
MAX_NAME, MAX_VERSION = 100, 50
# The version becomes part of the zip's name (NAME-VERSION.zip): "1/2" wrote into a folder that is not there.
SAFE_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*")
# Table names SQLite keeps for itself, and those of each search index and its shadow tables.
OWN_TABLES = re.compile(r"sqlite_.*|.*_fts(_.*)?")
# What Windows cannot name a file (Microsoft's "Naming Files, Paths, and
# Namespaces"): a device name before any extension (NUL.tar.gz is NUL), its
# reserved characters and control characters, a dot or space at the end (taken
# off). A release unzipped there would lack the file, or fail to unzip.
WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³"}
WINDOWS_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
WINDOWS_EXPECTED = ("expected a name that is not CON, PRN, AUX, NUL, COM0-9 or LPT0-9 before its first dot, holds none "
                    "of < > : \" / \\ | ? * or control characters, and does not end in a dot or space")


def release_name_findings(package: Package) -> list[Finding]:
    return _names(package) + _windows_names(package) + _pages(package)


def _windows_names(package: Package) -> list[Finding]:
    """Files of the release named from the package that Windows cannot hold:
    each resource's CSV and Parquet file, the package's database."""
    name = package.descriptor.get("name")
    published = [(name, "the package", f"{name}.db", "the package")] if isinstance(name, str) and _safe(name) else []
    for r in package.resources:
        if _one_file(r) and NUL not in r.path:  # a NUL is a finding of its own: no system names a file so
            published.append((r.path, f"resource {r.name!r}", f"csv/{Path(r.path).name}", "its file"))
        if isinstance(r.name, str) and _safe(r.name):  # an unsafe name is a finding of its own
            published.append((r.name, f"resource {r.name!r}", f"parquet/{r.name}.parquet", "the resource"))
    return [_name_finding(value, f"{who} would be published as {file}, which {problem}; rename {what}: "
                                 + WINDOWS_EXPECTED)
            for value, who, file, what in published if (problem := windows_problem(file.rpartition("/")[2]))]


def windows_problem(file: str) -> str | None:
    """Why Windows cannot hold a file of this name, or None."""
    device = file.split(".")[0].rstrip(" ").lower()  # "CON .csv" is CON too
    if device in WINDOWS_DEVICES:
        return f"Windows takes for its device {device.upper()}"
    character = WINDOWS_CHARACTERS.search(file)
    if character:
        return f"holds {character.group()!r}, a character Windows does not allow in a file name"
    if file.endswith((".", " ")):
        return "ends in a dot or space, which Windows takes off"
    return None


def _pages(package: Package) -> list[Finding]:
    """One table at most has each kind of page (/person/<key> finds its row there)."""
    kinds = [r.schema.get("page") for r in package.resources if r.schema.get("page") in PAGE_KINDS]
    return [_name_finding(kind, f"more than one table declares \"page\": {json.dumps(kind)}; expected one")
            for kind in sorted(set(kinds)) if kinds.count(kind) > 1]


def _names(package: Package) -> list[Finding]:
    named = [("the package", package.descriptor.get("name"))]
    named += [(f"resource {number}", r.descriptor.get("name")) for number, r in enumerate(package.resources, start=1)]
    findings = [_name_finding(name, f"{what} is named {name!r}, which cannot be a file or table name of the release; "
                              f"expected at most {MAX_NAME} lowercase letters, digits, '-', '_' and '.', "
                              "not starting with '.'")
                for what, name in named if isinstance(name, str) and not _safe(name)]
    findings += _version(package)
    reserved = reserved_names()
    findings += [_name_finding(r.name, f"resource {r.name!r} has the name of a table the release's database makes "
                                       "itself (its citations, vocabularies, derived tables and search indexes); "
                                       "rename the resource")
                 for r in package.resources if r.name in reserved or OWN_TABLES.fullmatch(r.name)]
    published_as: dict[str, tuple[str, str]] = {}
    for resource in filter(_one_file, package.resources):
        file = Path(resource.path).name
        # One file too where the release is unzipped on a system that tells
        # neither case nor Unicode forms apart (macOS, Windows).
        key = unicodedata.normalize("NFC", file).casefold()
        if key in published_as:
            other, other_file = published_as[key]
            said = (f"csv/{file}" if file == other_file
                    else f"csv/{other_file} and csv/{file}, one file where case is not told apart")
            findings.append(_name_finding(resource.path, f"resources {other!r} and {resource.name!r} "
                                                         f"would both be published as {said}; rename one file"))
        published_as.setdefault(key, (resource.name, file))
    return findings


def _one_file(resource) -> bool:
    """A resource with a path of one file (several, or inline data, is not
    supported: a finding of its own, and no file is published from it)."""
    return isinstance(resource.descriptor.get("path"), str)


def _safe(name: str) -> bool:
    return len(name) <= MAX_NAME and SAFE_NAME.fullmatch(name) is not None


def _version(package: Package) -> list[Finding]:
    version = package.descriptor.get("version")
    if version is None or (len(str(version)) <= MAX_VERSION and SAFE_VERSION.fullmatch(str(version))):
        return []
    return [_name_finding(str(version), f"the package's version {json.dumps(version)} cannot be part of the name of "
                                        f"the release's zip file; expected at most {MAX_VERSION} letters, digits, "
                                        "'.', '+', '-' and '_', starting with a letter or digit, such as \"1.2.0\"")]


def _name_finding(value: str, message: str) -> Finding:
    return Finding("datapackage.json", None, None, None, value, "descriptor", ERROR, message)
