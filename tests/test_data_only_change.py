"""A valid change to the data alone passes the pull-request check as it is,
with nothing else touched: in a repository holding a copy of this one, a
branch changes one date, one name and one figure of the real seeds, and the
workflow's data step (scripts/check-pr --no-tests BASE) succeeds.

The rows to change are chosen by rule, never by value, so that this test
keeps working whatever the data says."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, copy_package, read_csv
from seedrepo import GIT_ENV, borrowed_venv, commit, git, init, set_cell, with_scripts

FULL_DATE = "%Y-%m-%d"


def full_date(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, FULL_DATE).date()
    except ValueError:
        return None


def change_a_date(package: Path) -> str:
    """A death one day earlier, or one day later when the arrest is that day."""
    for row in read_csv(package / "seeds" / "deaths.csv"):
        death, arrest = full_date(row["date_of_death"]), full_date(row["date_of_arrest"])
        if death and (arrest or not row["date_of_arrest"]):
            day = datetime.timedelta(days=1)
            moved = death - day if not arrest or arrest <= death - day else death + day
            set_cell(package, "deaths", row["victim_id"], "date_of_death", moved.strftime(FULL_DATE))
            return row["victim_id"]
    raise AssertionError("the seeds hold no death with a full date to change")


def change_a_name(package: Path) -> str:
    """The main spelling and the first other spelling swap places."""
    for row in read_csv(package / "seeds" / "victims.csv"):
        variants = row["name_variants"].split(";")
        if variants[0]:
            set_cell(package, "victims", row["victim_id"], "name", variants[0])
            set_cell(package, "victims", row["victim_id"], "name_variants", ";".join([row["name"]] + variants[1:]))
            return row["victim_id"]
    raise AssertionError("the seeds hold no victim with another spelling to change")


def change_a_figure(package: Path) -> str:
    """A stated figure one higher (the maximum too when it would fall below)."""
    for row in read_csv(package / "seeds" / "statements.csv"):
        if row["value_min"].isdigit():
            low = int(row["value_min"]) + 1
            set_cell(package, "statements", row["statement_id"], "value_min", str(low))
            if row["value_max"] and int(row["value_max"]) < low:
                set_cell(package, "statements", row["statement_id"], "value_max", str(low))
            return row["statement_id"]
    raise AssertionError("the seeds hold no statement with a figure to change")


def test_a_valid_data_only_change_passes_the_check(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    init(repo)
    with_scripts(repo, ROOT)
    copy_package(repo, ROOT / "seeds")
    shutil.copytree(ROOT / "docs", repo / "docs")
    base = commit(repo, "The package as it is")
    borrowed_venv(repo)
    git(repo, "checkout", "-q", "-b", "correction")
    changed = [change_a_date(repo), change_a_name(repo), change_a_figure(repo)]
    commit(repo, "Correct a date, a name and a figure")
    assert set(git(repo, "diff", "--name-only", base).split()) == {
        "seeds/deaths.csv", "seeds/victims.csv", "seeds/statements.csv"}

    env = {**os.environ, **GIT_ENV}
    env.pop("GITHUB_STEP_SUMMARY", None)
    result = subprocess.run(["scripts/check-pr", "--no-tests", base], cwd=repo, env=env,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "FAILED" not in result.stderr
    diff = result.stdout.split("==== Pull request summary: data diff")[1]
    assert "0 rows added, 0 rows removed, 3 rows changed." in diff
    assert all(f"| {key} |" in diff for key in changed)
    assert (repo / "dist" / "datapackage.json").is_file()
