"""scripts/check-pr in a temporary clone-like repository: a contributor's
wrong edit shows up as an annotation on its line and in the data diff, and
the script fails after writing the summary, and when any step fails. Never
the real suite: the suite running itself would never end."""

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_package, run
from seedrepo import GIT_ENV, append_row, borrowed_venv, commit, git, init, set_cell, with_scripts

ANNOTATION = "::error file=seeds/victims.csv,line=4,col=6,title=enum::rank 'kicik-cavus' is not an allowed value"
DIFF_ROW = "| 4 | v-002 | rank | kicik\\_cavus | kicik-cavus |"


@pytest.fixture
def repo(tmp_path) -> Path:
    """main holds the small package; the branch `fix-rank` edits a rank wrongly."""
    init(tmp_path)
    with_scripts(tmp_path, ROOT)
    copy_package(tmp_path, FIXTURES / "small")
    commit(tmp_path, "Package")
    borrowed_venv(tmp_path)
    git(tmp_path, "checkout", "-q", "-b", "fix-rank")
    set_cell(tmp_path, "victims", "v-002", "rank", "kicik-cavus")
    commit(tmp_path, "Fix a rank")
    return tmp_path


def check_pr(repo: Path, *args: str, summary: Path | None = None, tests: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV}
    env.pop("GITHUB_STEP_SUMMARY", None)  # the suite itself may run in GitHub Actions
    if summary:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    options = [] if tests else ["--no-tests"]
    return subprocess.run([str(repo / "scripts" / "check-pr"), *options, *args], cwd=repo,
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


def test_a_diff_that_cannot_be_made_fails_the_check(repo):
    """The reviewer gets no diff: that step fails on its own account, and
    the other steps still run."""
    result = check_pr(repo, "no-such-revision")
    assert "The data diff could not be computed." in result.stdout
    assert "'no-such-revision' is neither a package directory" in result.stdout
    assert "==== FAILED: data diff" in result.stderr
    assert result.stdout.splitlines()[-1] == "==== Not publishing: validation found errors"
    assert result.returncode == 1


def test_failing_tests_fail_the_check_after_the_feedback(repo):
    """The tests run last, after the annotations and the summary; a suite
    that fails makes the whole check fail even when the data is valid."""
    (repo / "scripts" / "test").write_text("#!/bin/sh\necho '==== suite ran'\nexit 1\n", encoding="utf-8")
    result = check_pr(repo, "main", tests=True)
    lines = result.stdout.splitlines()
    assert lines.index("==== Annotations (datapackage validate --format github)") < \
        lines.index("==== Pull request summary: data diff") < lines.index("==== suite ran")
    assert "==== FAILED: tests" in result.stderr
    assert result.returncode == 1


def test_a_long_cell_cannot_blind_the_review(repo):
    """A cell longer than Python's CSV limit is in the summary, shortened,
    with its hash; the rows after it are still diffed."""
    long = "Ə" * 200_000
    set_cell(repo, "victims", "v-001", "notes", long)
    result = check_pr(repo, "main")
    summary = result.stdout.split("==== Pull request summary: data diff")[1]
    assert f"of 200,000; sha256 {hashlib.sha256(long.encode()).hexdigest()}" in summary
    assert DIFF_ROW in summary
    assert "could not be computed" not in summary


def test_html_and_links_in_a_cell_stay_text_in_the_job_summary(repo, tmp_path_factory):
    """The summary is rendered as Markdown with HTML: a cell that a
    validation finding quotes, or that the diff shows, is escaped in both."""
    set_cell(repo, "victims", "v-002", "rank", '<img src=x onerror="alert(1)">[click](https://example.org)')
    summary = tmp_path_factory.mktemp("actions") / "summary.md"
    check_pr(repo, "main", summary=summary)
    written = summary.read_text(encoding="utf-8")
    report, changes = written.split("\n## Data diff\n")
    for part in (report, changes):
        assert "\\<img src=x onerror=\"alert(1)\"\\>\\[click\\](https://example.org)" in part
        assert "<img" not in part.replace("\\<img", "") and "[click]" not in part


def test_a_withheld_row_is_never_quoted_in_what_the_pull_request_shows(repo, tmp_path_factory):
    """Annotations, the validation report and the data diff name a bad
    withheld row (and a row that refers to one) by its place alone; the
    local text report still says what is wrong with it."""
    marker = "MARKER-5e1c"
    append_row(repo, "victims", ["v-900", "case-tartar", f"={marker}", "", "serviceman", f"{marker}-rank", "",
                                 "", "", "src-wikipedia-tartar-case", "withheld", "living witness"])
    append_row(repo, "victims", ["v-901", "case-tartar", f"={marker.lower()}", "", "serviceman", "", "",
                                 "", "", "src-wikipedia-tartar-case", "public", ""])
    append_row(repo, "deaths", ["v-900", "2017", f"{marker}-date", "", "", "src-wikipedia-tartar-case", "public", ""])
    summary = tmp_path_factory.mktemp("actions") / "summary.md"
    result = check_pr(repo, "main", summary=summary)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert "::error file=seeds/victims.csv,line=5,col=6,title=enum::enum in rank, about a withheld row" in \
        "\n".join(annotations)
    assert any(line.startswith("::error file=seeds/deaths.csv,line=4,col=3,") for line in annotations)
    assert marker not in result.stdout and marker not in summary.read_text(encoding="utf-8")
    assert ANNOTATION in result.stdout  # a public row's finding is whole
    # A public row's finding that quotes the withheld row (a possible duplicate) is concealed too.
    assert "title=possible-duplicate::possible-duplicate in name, about a withheld row" in result.stdout
    local = run("validate", cwd=repo)
    assert f"rank '{marker}-rank' is not an allowed value" in local.stdout


def test_a_large_change_keeps_the_job_summary_under_githubs_limit(repo, tmp_path_factory):
    """GitHub drops a job summary over 1 MiB whole: the validation report and
    the diff of a change with thousands of bad rows are each cut, by bytes
    (names outside ASCII take two), at a line break and with a note."""
    path = repo / "seeds" / "victims.csv"
    with open(path, "a", encoding="utf-8", newline="") as f:
        for n in range(3000):
            f.write(f"v-{n + 100},case-tartar,{'Ə' * 150},,serviceman,kicik-cavus,,,,src-wikipedia-tartar-case,public,\n")
    summary = tmp_path_factory.mktemp("actions") / "summary.md"
    result = check_pr(repo, "main", summary=summary)
    written = summary.read_bytes()
    assert len(written) < 1024 * 1024
    text = written.decode("utf-8")
    report, changes = text.split("\n## Data diff\n")
    assert "scripts/datapackage validate` for all of it" in report
    assert "scripts/datapackage diff main` for all of it" in changes
    for part in (report, changes):  # cut after a whole row of a table
        cut = part.rstrip("\n").splitlines()
        assert cut[-3].startswith("| ") and cut[-3].endswith(" |") and cut[-2] == ""
    assert result.returncode == 1


def test_a_bidi_mark_or_an_escape_sequence_in_a_cell_is_shown_as_an_escape(repo, tmp_path_factory):
    """Neither the report nor the diff lets a cell reorder the summary's text
    (a right-to-left override) or send a terminal escape sequence."""
    set_cell(repo, "victims", "v-002", "notes", "abc\u202edef\x1b[31mred")
    summary = tmp_path_factory.mktemp("actions") / "summary.md"
    check_pr(repo, "main", summary=summary)
    report, changes = summary.read_text(encoding="utf-8").split("\n## Data diff\n")
    for part in (report, changes):
        assert "\u202e" not in part and "\x1b" not in part
        assert "abc\\u202edef\\u001b\\[31mred" in part
