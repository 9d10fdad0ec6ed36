"""Each output format, byte for byte, on the small fixture package with
errors and a warning whose text needs escaping."""

from pathlib import Path

import pytest

from conftest import invoke, run

EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture
def broken(small_package):
    with open(small_package / "seeds" / "deaths.csv", "a", encoding="utf-8") as f:
        f.write("v-001,2017-05-04,2017-05-01,,,src-wikipedia-tartar-case,public,\n")
    with open(small_package / "seeds" / "victims.csv", "a", encoding="utf-8") as f:
        f.write('v-003,case-tartar,Elkhan Aghazada,,serviceman,"kapitan: 100%, sure",,"Two\nlines.",,'
                "src-wikipedia-tartar-case,public,\n")
    return small_package


@pytest.mark.parametrize("form, suffix", [("text", "txt"), ("json", "json"), ("markdown", "md")])
def test_format_is_exact(broken, form, suffix):
    result = invoke("validate", "--format", form, cwd=broken)
    assert result.stdout == (EXPECTED / f"validate.{suffix}").read_text(encoding="utf-8")
    assert result.returncode == 1


def test_github_format_and_the_markdown_report_of_the_same_run(broken, tmp_path):
    """What scripts/check-pr asks for: annotations, and the summary's report."""
    report = tmp_path / "report.md"
    result = run("validate", "--format", "github", "--markdown-report", str(report), cwd=broken)
    assert result.stdout == (EXPECTED / "validate.github").read_text(encoding="utf-8")
    assert report.read_text(encoding="utf-8") == (EXPECTED / "validate.md").read_text(encoding="utf-8")
    assert result.returncode == 1


def test_an_unwritable_markdown_report_is_one_line_and_exit_2(small_package):
    from click.testing import CliRunner

    from datapackage.cli import cli

    report = small_package / "no-such-folder" / "report.md"
    result = CliRunner().invoke(cli, ["validate", str(small_package / "datapackage.json"), "--markdown-report",
                                      str(report)])
    assert result.stderr == f"Error: cannot write {report}: No such file or directory\n"
    assert result.exit_code == 2


def test_clean_package_prints_one_line_and_exits_0(small_package):
    result = run("validate", cwd=small_package)
    assert result.stdout == "No errors or warnings.\n"
    assert result.returncode == 0
