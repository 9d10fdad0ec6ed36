"""The real package is valid, by our command and by Frictionless', and the
install is this toolkit's alone. Nothing here pins a value of the data: a
correct fix of seeds/ must never turn these red."""

import csv
import importlib.metadata
import json
import shutil
import subprocess

import pytest

from conftest import ROOT, run


def test_validate_finds_no_errors():
    result = run("validate", "--format", "json", cwd=ROOT)
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert result.returncode == 0


def test_frictionless_cli_reports_the_package_valid():
    frictionless = shutil.which("frictionless", path=str((ROOT / ".venv" / "bin"))) or "frictionless"
    result = subprocess.run([frictionless, "validate", "--json", "datapackage.json"], cwd=ROOT,
                            capture_output=True, text=True)
    assert json.loads(result.stdout)["valid"] is True
    assert result.returncode == 0


def test_descriptor_sources_are_rows_of_sources_csv():
    """Source ids are stable, so the descriptor may name them; titles and
    addresses live in sources.csv, where a contributor corrects them."""
    with open(ROOT / "seeds" / "sources.csv", encoding="utf-8", newline="") as f:
        listed = {row["source_id"] for row in csv.DictReader(f)}
    sources = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["sources"]
    assert sources and {source["source_id"] for source in sources} <= listed


def test_the_install_never_pulls_in_datapackage_py():
    """datapackage-py, deprecated, also installs a `datapackage` command."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").lower().split()
    assert not [line for line in lock if line.split("==")[0].replace("_", "-") == "datapackage"]
    with pytest.raises(importlib.metadata.PackageNotFoundError):  # what `pip show datapackage` reads
        importlib.metadata.distribution("datapackage")
    assert importlib.metadata.distribution("tartar-case-datapackage").entry_points["datapackage"].value == \
        "datapackage.cli:cli"
