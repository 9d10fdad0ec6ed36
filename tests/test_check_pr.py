"""scripts/check-pr in a temporary clone-like repository: a contributor's
wrong edit shows up as an annotation on its line and in the data diff, and
the script fails after writing the summary. Always --no-tests: the suite
running itself would never end."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_package
from seedrepo import GIT_ENV, commit, git, init, set_cell

ANNOTATION = "::error file=seeds/victims.csv,line=4,col=6,title=enum::rank 'kicik-cavus' is not an allowed value"
DIFF_ROW = "| 4 | v-002 | rank | kicik\\_cavus | kicik-cavus |"


def borrowed_venv(repo: Path) -> None:
    """A .venv that runs this interpreter, stamped as up to date so that
    scripts/env.sh installs nothing (no network in tests)."""
    bin_ = repo / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name, command in (("python", f'"{sys.executable}"'), ("datapackage", f'"{sys.executable}" -m datapackage')):
        (bin_ / name).write_text(f'#!/bin/sh\nexec {command} "$@"\n', encoding="utf-8")
        (bin_ / name).chmod(0o755)
    stamp = hashlib.sha256((repo / "pyproject.toml").read_bytes() + (repo / "requirements.lock").read_bytes())
    (repo / ".venv" / ".installed").write_text(stamp.hexdigest() + "\n", encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """main holds the small package; the branch `fix-rank` edits a rank wrongly."""
    init(tmp_path)
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    copy_package(tmp_path, FIXTURES / "small")
    (tmp_path / ".gitignore").write_text(".venv/\ndist/\n", encoding="utf-8")
    commit(tmp_path, "Package")
    borrowed_venv(tmp_path)
    git(tmp_path, "checkout", "-q", "-b", "fix-rank")
    set_cell(tmp_path, "victims", "v-002", "rank", "kicik-cavus")
    commit(tmp_path, "Fix a rank")
    return tmp_path


def check_pr(repo: Path, *args: str, summary: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV}
    env.pop("GITHUB_STEP_SUMMARY", None)  # the suite itself may run in GitHub Actions
    if summary:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run([str(repo / "scripts" / "check-pr"), "--no-tests", *args], cwd=repo,
                          capture_output=True, text=True, encoding="utf-8", env=env)


def test_wrong_edit_is_annotated_and_diffed_then_fails(repo):
    result = check_pr(repo, "main")
    lines = result.stdout.splitlines()
    assert any(line.startswith(ANNOTATION) for line in lines), result.stdout
    report = lines.index("==== Pull request summary: validation report")
    changes = lines.index("==== Pull request summary: data diff")
    assert "| seeds/victims.csv | 4 | 6 | rank | kicik-cavus | enum | error |" in "\n".join(lines[report:changes])
    assert lines[changes + 2:changes + 5] == [
        "## Data diff", "", "Comparing `main` with the working tree: "
        "0 rows added, 0 rows removed, 1 row changed."]
    assert DIFF_ROW in lines[changes:]
    assert lines[-1] == "==== Not publishing: validation found errors"
    assert not (repo / "dist").exists()
    assert result.returncode == 1


def test_in_github_actions_the_summary_goes_to_the_job_summary(repo, tmp_path_factory):
    summary = tmp_path_factory.mktemp("actions") / "summary.md"
    result = check_pr(repo, "main", summary=summary)
    assert any(line.startswith(ANNOTATION) for line in result.stdout.splitlines())
    assert "Pull request summary" not in result.stdout
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## Validation report\n")
    assert "\n## Data diff\n" in written and DIFF_ROW in written
    assert result.returncode == 1


def test_without_base_the_diff_starts_where_the_branch_left_main(repo):
    """Changes made on main since the branch began are not this branch's."""
    git(repo, "checkout", "-q", "main")
    set_cell(repo, "cases", "case-tartar", "title", "Tartar case (Tərtər)")
    commit(repo, "Retitle the case on main")
    git(repo, "checkout", "-q", "fix-rank")
    result = check_pr(repo)
    assert DIFF_ROW in result.stdout
    assert "Tərtər" not in result.stdout
    assert result.returncode == 1


def test_wrong_usage_exits_2(repo):
    result = check_pr(repo, "--tests-please")
    assert result.stderr == "usage: scripts/check-pr [--no-tests] [BASE]\n"
    assert result.returncode == 2
