"""The output folder of `publish`, swapped in atomically.

`dist` is a symlink to a complete release folder beside it:

    dist -> .dist.releases/<id>/

A release is built in `.dist.building-<pid>/`, moved into `.dist.releases/`,
and swapped in by renaming a new symlink over `dist` (rename is atomic), so a
reader sees the old release or the new one, never a missing or half-written
`dist`. The previous release is kept until the next publish, because a running
site may still read it; older releases and what killed runs left behind
(`.dist.building-*`, `.dist.link-*`) are removed while holding a lock, so two
publishes never remove each other's work. The store of typed tables that a
publish keeps while it runs (`.dist.store-<pid>`, see `stored_beside`) is made
before the lock is taken, so a leftover one is removed only once its process
has ended.

The first publish over a plain `dist/` folder exchanges it with the symlink in
one `renameat2(RENAME_EXCHANGE)` call; only on a file system without that call
does `dist` go missing for the instant between two renames.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from datapackage.read.stored import Store

DEFAULT_NAME = "datapackage"


def database_name(descriptor: dict) -> str:
    """The name a release's database file and site addresses go by: the
    package's `name`, which the standard does not require, else DEFAULT_NAME."""
    name = descriptor.get("name")
    return name if isinstance(name, str) and name else DEFAULT_NAME

def hash_name(database: Path) -> str:
    """The file beside a release's database that holds its SHA-256, as `sha256sum` writes it."""
    return f"{database.name}.sha256"


STORE = "store"  # see stored_beside
RENAME_EXCHANGE = 2
AT_FDCWD = -100


class OutputError(Exception):
    """The release cannot be written where asked; the message says why."""


class ReleaseFolder:
    def __init__(self, out: Path, package_root: Path):
        out = Path(os.path.abspath(out))
        if not out.name or out.name in (".", ".."):
            raise OutputError(f"{out}: not a folder name to publish to")
        self.parent = Path(os.path.realpath(out.parent))
        self.out = self.parent / out.name
        self.releases = self.parent / f".{out.name}.releases"
        self._refuse_to_replace(Path(os.path.realpath(package_root)))

    def _refuse_to_replace(self, package_root: Path) -> None:
        """Only a release (or an empty folder) may be replaced: never the
        package itself, a file, or a folder of someone's other work."""
        out = self.out
        if out.is_symlink():  # a release of this folder, or a link someone made to other work
            target = Path(os.path.realpath(out))
            if target.parent != Path(os.path.realpath(self.releases)):
                raise OutputError(f"{out}: is a link to {target}, not to a release published there; "
                                  "refusing to replace it")
            return
        if out == package_root or out in package_root.parents:
            raise OutputError(f"{out}: is the package's own folder (or holds it); publish to a folder inside it")
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out}: is a file, not a folder")
        if out.is_dir() and any(out.iterdir()) and not (out / "datapackage.json").is_file():
            raise OutputError(f"{out}: is a folder that holds no published release; refusing to replace it")

    @contextmanager
    def building(self) -> Iterator[Path]:
        """A fresh, empty folder to build the release in, under the lock.
        Whatever happens, it is gone afterwards unless `swap_in` took it."""
        self._make_parent()
        self.releases.mkdir(exist_ok=True)
        with _locked(self.releases):
            self._remove_leftovers()
            building = self.parent / f".{self.out.name}.building-{os.getpid()}"
            building.mkdir()
            try:
                yield building
            finally:
                shutil.rmtree(building, ignore_errors=True)

    def swap_in(self, building: Path) -> Path:
        """Makes `building` the release `out` points to; returns its folder."""
        previous = self._current()
        release = self.releases / _new_id()
        os.rename(building, release)
        link = self.parent / f".{self.out.name}.link-{os.getpid()}"
        os.symlink(release.relative_to(self.parent), link)
        if self.out.is_dir() and not self.out.is_symlink():
            previous = self._migrate(link)
        else:
            os.replace(link, self.out)
        self._keep_only(release, previous)
        return release

    def _migrate(self, link: Path) -> Path:
        """Swaps a plain `out` folder for the link, then files it with the
        releases so it is kept (and removed) like any previous release."""
        kept = self.releases / f"{_new_id()}-before"
        if _exchange(link, self.out):
            os.rename(link, kept)
        else:
            os.rename(self.out, kept)
            os.replace(link, self.out)
        return kept

    def _current(self) -> Path | None:
        if not self.out.is_symlink():
            return None
        return Path(os.path.realpath(self.out))

    def _keep_only(self, *keep: Path | None) -> None:
        for release in self.releases.iterdir():
            if release not in keep:
                shutil.rmtree(release, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        for pattern in ("building-*", "link-*", "old-*"):
            for path in self.parent.glob(f".{self.out.name}.{pattern}"):
                _remove(path)
        for path in self.parent.glob(f".{self.out.name}.{STORE}-*"):
            if not _running(path.name.rsplit("-", 1)[1]):  # a store is made before the lock is taken
                _remove(path)

    def _make_parent(self) -> None:
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            file = next(p for p in (self.parent, *self.parent.parents) if p.exists())
            raise OutputError(f"{self.out}: cannot be created, {file} is a file, not a folder") from None


def explain(error: Exception, out: Path) -> str:
    """One sentence for an operating-system error while publishing."""
    return f"{out}: not published, {os_reason(error)} ({out} is unchanged)"


def os_reason(error: Exception) -> str:
    """Why an operating-system error happened, in a few plain words."""
    number = getattr(error, "errno", None)
    if number in (errno.ENOSPC, errno.EDQUOT):
        reason = "no space left on the device"
    elif number in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    elif number == errno.EROFS:
        reason = "the file system is read-only"
    else:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        reason += f": {error.filename}" if getattr(error, "filename", None) else ""
    return reason


@contextmanager
def stored_beside(out: Path) -> Iterator[Store]:
    """A store for the typed tables while a release is made (see `stored`):
    `.<out>.store-<pid>` beside the output, on the disk the release goes
    to, or in the system's temporary folder where that cannot be made (the
    output's own problem is then reported once the package is known valid).
    It holds withheld rows too, so only its owner may open it. Removed
    afterwards; a killed run's is removed by the next publish."""
    from datapackage.read.stored import Store

    out = Path(os.path.abspath(out))
    folder = out.parent / f".{out.name}.{STORE}-{os.getpid()}"
    try:
        _remove(folder)
        folder.mkdir(mode=0o700)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix=f"datapackage-{STORE}-"))
    store = Store(folder)
    try:
        yield store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # The kernel drops the lock when a killed publish's process ends.
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _new_id() -> str:
    now = datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%S.%fZ}-{os.getpid()}"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swaps two paths; False where the file system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(number, os.strerror(number), str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
