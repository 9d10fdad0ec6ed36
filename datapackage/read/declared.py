"""A resource's declared size and hash (`bytes`, `hash`) against its file,
as Frictionless checks them: a file changed since its descriptor was
written is not the file the descriptor describes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from datapackage.findings import ERROR, Finding
from datapackage.package import Resource

ALGORITHMS = ("md5", "sha1", "sha256", "sha512")  # Table Schema's; a hash without a prefix is md5


def declared_file_findings(resource: Resource, path: Path) -> list[Finding]:
    """Findings for a declared size or hash the file does not have; none
    for a file that cannot be read (that is a finding of its own)."""
    declared_size, declared_hash = resource.descriptor.get("bytes"), resource.descriptor.get("hash")
    found = []
    try:
        if isinstance(declared_size, int) and not isinstance(declared_size, bool):
            size = path.stat().st_size
            if size != declared_size:
                found.append(_finding(resource, "byte-count", str(size),
                                      f"the file has {size} bytes, but datapackage.json declares {declared_size} "
                                      "(bytes); expected the file it describes, or the declaration brought up to date"))
        if isinstance(declared_hash, str) and declared_hash:
            found += _hash_findings(resource, path, declared_hash)
    except OSError:
        return []
    return found


def _hash_findings(resource: Resource, path: Path, declared: str) -> list[Finding]:
    algorithm, _, digest = declared.rpartition(":")
    algorithm = algorithm or "md5"
    if algorithm not in ALGORITHMS:
        return [_finding(resource, "not-supported", declared,
                         f"not supported: hash algorithm '{algorithm}'; expected one of {', '.join(ALGORITHMS)}")]
    with path.open("rb") as file:
        actual = hashlib.file_digest(file, algorithm).hexdigest()
    if actual == digest.lower():
        return []
    return [_finding(resource, "hash-count", f"{algorithm}:{actual}",
                     f"the file's {algorithm} hash is {actual}, but datapackage.json declares {digest} (hash); "
                     "expected the file it describes, or the declaration brought up to date")]


def _finding(resource: Resource, check: str, value: str, message: str) -> Finding:
    return Finding(resource.path, None, None, None, value, check, ERROR, message)
