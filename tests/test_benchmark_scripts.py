"""The benchmark scripts that time parts of publishing run against the code as
it is: they reach into its stages, so a renamed one must fail here, not on the
day someone measures."""

import subprocess
import sys

from conftest import ROOT


def script(name: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8")


def test_stage_cpu_reports_every_stage_and_the_floor(small_package):
    result = script("stage_cpu.py", small_package / "datapackage.json")
    assert result.returncode == 0, result.stderr
    stages = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert stages == ["validate", "sqlite", "csv", "parquet", "chart", "files", "zip", "total"]
    assert "cores at best" in result.stdout.splitlines()[-1]


def test_stage_cpu_refuses_a_package_with_errors(small_package):
    victims = small_package / "seeds" / "victims.csv"
    victims.write_text(victims.read_text(encoding="utf-8") + "not-an-id,,,,\n", encoding="utf-8")
    result = script("stage_cpu.py", small_package / "datapackage.json")
    assert result.returncode == 1 and "datapackage validate" in result.stderr


def test_database_steps_times_the_build_of_each_table(small_package):
    result = script("database_steps.py", small_package / "datapackage.json")
    assert result.returncode == 0, result.stderr
    assert " tables append victims " in result.stdout and " search append victims_fts " in result.stdout
