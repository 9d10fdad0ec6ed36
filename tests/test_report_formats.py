"""Each output format, byte for byte, on the small fixture package with
errors and a warning whose text needs escaping."""

from pathlib import Path

import pytest

from conftest import run

EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture
def broken(small_package):
    with open(small_package / "seeds" / "deaths.csv", "a", encoding="utf-8") as f:
        f.write("v-001,2017-05-04,2017-05-01,,,src-wikipedia-tartar-case,public,\n")
    with open(small_package / "seeds" / "victims.csv", "a", encoding="utf-8") as f:
        f.write('v-003,case-tartar,Elkhan Aghazada,,serviceman,"kapitan: 100%, sure",,"Two\nlines.",,'
                "src-wikipedia-tartar-case,public,\n")
    return small_package


@pytest.mark.parametrize("form, suffix", [("text", "txt"), ("json", "json"), ("github", "github"), ("markdown", "md")])
def test_format_is_exact(broken, form, suffix):
    result = run("validate", "--format", form, cwd=broken)
    assert result.stdout == (EXPECTED / f"validate.{suffix}").read_text(encoding="utf-8")
    assert result.returncode == 1


def test_clean_package_prints_one_line_and_exits_0(small_package):
    result = run("validate", cwd=small_package)
    assert result.stdout == "No errors or warnings.\n"
    assert result.returncode == 0
