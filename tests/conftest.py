import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_package(target: Path, seeds: Path = ROOT / "seeds") -> Path:
    """A copy of the real package (descriptor, schemas) with the given seeds."""
    shutil.copy(ROOT / "datapackage.json", target / "datapackage.json")
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copytree(seeds, target / "seeds")
    return target


@pytest.fixture
def package(tmp_path) -> Path:
    return copy_package(tmp_path)


@pytest.fixture
def small_package(tmp_path) -> Path:
    return copy_package(tmp_path, FIXTURES / "small")


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "datapackage", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")
