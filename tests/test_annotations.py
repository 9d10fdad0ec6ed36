"""`datapackage validate --format github`: every line is a GitHub workflow
command that puts the annotation on the right cell of the right file."""

import csv
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_package, run
from seedrepo import commit, git, init, set_cell

# ::error file=PATH,line=N,col=N,title=CHECK::MESSAGE; in the message % and
# line breaks are escaped as %25, %0D and %0A.
COMMAND = re.compile(r"::(?P<severity>error|warning) file=(?P<file>[^,:%\s]+),line=(?P<line>[1-9][0-9]*),"
                     r"col=(?P<col>[1-9][0-9]*),title=(?P<title>[a-z0-9-]+)::(?P<message>(?:[^%\r\n]|%25|%0D|%0A)+)")


def cell_at(path: Path, line: int, column: int) -> str:
    """The cell of the record that starts on physical `line`."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        start = 1
        for record in reader:
            if start == line:
                return record[column - 1]
            start = reader.line_num + 1
    raise AssertionError(f"{path}: no record starts on line {line}")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository holding the small package, then two bad cells."""
    init(tmp_path)
    copy_package(tmp_path, FIXTURES / "small")
    commit(tmp_path, "Package")
    set_cell(tmp_path, "victims", "v-002", "rank", "kicik-cavus")
    set_cell(tmp_path, "deaths", "v-002", "date_of_death", "2017-13-10")
    return tmp_path


def test_every_line_is_a_workflow_command_on_the_bad_cell(repo):
    result = run("validate", "--format", "github", cwd=repo)
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    commands = [COMMAND.fullmatch(line) for line in lines]
    assert all(commands), [line for line, match in zip(lines, commands) if not match]
    tracked = set(git(repo, "ls-files").splitlines())
    located = []
    for match in commands:
        assert match["file"] in tracked  # relative to the repository root
        value = cell_at(repo / match["file"], int(match["line"]), int(match["col"]))
        located.append((match["severity"], match["file"], int(match["line"]), int(match["col"]),
                        match["title"], value))
    assert located == [
        ("error", "seeds/victims.csv", 4, 6, "enum", "kicik-cavus"),
        ("error", "seeds/deaths.csv", 3, 3, "pattern", "2017-13-10"),
    ]
    assert lines[0].split("::")[2].startswith("rank 'kicik-cavus' is not an allowed value")
