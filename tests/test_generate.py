"""benchmarks/generate.py says what each package it writes was made from, so
that the benchmarks generate again a package made from other schemas instead
of measuring one that lacks what the schemas declare now."""

import json
import subprocess
import sys

from conftest import ROOT, copy_package

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import is_current  # noqa: E402


def generate(shape, out, seed=1, victims=30):
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--victims", str(victims),
                    "--seed", str(seed), "--package", str(shape), "--out", str(out)], check=True, capture_output=True)


def test_a_package_made_from_other_schemas_is_not_current(tmp_path):
    (tmp_path / "shape").mkdir()
    shape = copy_package(tmp_path / "shape")
    out = tmp_path / "out"
    generate(shape, out)
    assert is_current(out, shape, 1, 30)
    assert not is_current(out, shape, 2, 30)
    assert not is_current(out, shape, 1, 31)
    path = shape / "schemas" / "victims.json"
    before = path.read_text(encoding="utf-8")
    schema = json.loads(before)
    schema["fields"][0]["description"] += " Changed."
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert not is_current(out, shape, 1, 30)
    path.write_text(before, encoding="utf-8")
    assert is_current(out, shape, 1, 30)


def test_a_package_without_its_sizes_or_folder_is_not_current(tmp_path):
    (tmp_path / "shape").mkdir()
    shape = copy_package(tmp_path / "shape")
    out = tmp_path / "out"
    generate(shape, out)
    (out / "sizes.json").unlink()
    assert not is_current(out, shape, 1, 30)
    assert not is_current(tmp_path / "nowhere", shape, 1, 30)
