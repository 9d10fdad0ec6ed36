"""Every command README.md and CONTRIBUTING.md show works as written, and
prints what they show (the way sqlite-utils checks its docs).

A fenced block of commands is marked by the HTML comment before it:
  <!-- example: SCENARIO -->  each `$ command` runs, in a fresh copy of the
                              scenario, and prints exactly the lines below it;
  <!-- runs: SCENARIO -->     each line (a command, pasted as it is) runs
                              there and exits 0;
  <!-- not run: REASON -->    the command exists and its options parse (it
                              serves until stopped, or another test runs it).
Scenarios are small packages in a git repository with the scripts, so that
no example depends on today's data."""

import importlib.metadata
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_package
from seedrepo import GIT_ENV, borrowed_venv, commit, git, init, set_cell, with_scripts

DOCUMENTS = ("README.md", "CONTRIBUTING.md")
MARKED = re.compile(r"<!-- (example|runs|not run): ([^>]*?) -->\n```\n(.*?)```", re.S)
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
COMMAND_WORDS = ("$ ", "scripts/", "datapackage", "python", "source ")


@dataclass
class Block:
    document: str
    kind: str
    scenario: str
    text: str

    def commands(self) -> list[tuple[str, str]]:
        """(command, the output shown under it): in an example, every `$ `
        line; elsewhere every line, without a prompt so that it can be pasted."""
        if self.kind != "example":
            return [(line.strip(), "") for line in self.text.splitlines() if line.strip()]
        pairs = []
        for line in self.text.splitlines(keepends=True):
            if line.startswith("$ "):
                pairs.append((line[2:].strip(), ""))
            elif pairs:
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
        return pairs

    def __str__(self) -> str:
        return f"{self.document}: {self.commands()[0][0].split('#')[0].strip()}"


def blocks() -> list[Block]:
    found = []
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        found += [Block(name, kind, scenario, body) for kind, scenario, body in MARKED.findall(text)]
    return found


BLOCKS = blocks()


def scenario(tmp: Path, name: str) -> Path:
    """main holds the small package; the branch my-branch corrects a rank.
    ../old and ../new are the two versions as plain package folders."""
    repo = tmp / "repo"
    repo.mkdir()
    init(repo)
    with_scripts(repo, ROOT)
    copy_package(repo, FIXTURES / "small")
    commit(repo, "Package")
    (tmp / "old").mkdir()
    copy_package(tmp / "old", FIXTURES / "small")
    git(repo, "checkout", "-q", "-b", "my-branch")
    for package in (repo, tmp / "new"):
        package.mkdir(exist_ok=True)
        if package != repo:
            copy_package(package, FIXTURES / "small")
        set_cell(package, "victims", "v-002", "rank", "cavus")
    commit(repo, "Correct a rank")
    borrowed_venv(repo)
    SCENARIOS[name](repo)
    return repo


SCENARIOS = {
    "package": lambda repo: None,
    "death-before-arrest": lambda repo: set_cell(repo, "deaths", "v-002", "date_of_death", "2017-04-30"),
}


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """As a terminal shows it: stdout and stderr together."""
    env = {**os.environ, **GIT_ENV}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, text=True, encoding="utf-8",
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_every_block_of_commands_is_marked():
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        marked = {body for _, _, body in MARKED.findall(text)}
        for body in FENCED.findall(text):
            if any(line.startswith(COMMAND_WORDS) for line in body.splitlines()):
                assert body in marked, f"{name}: mark this block (see {Path(__file__).name}):\n{body}"


def test_examples_show_prompts_and_other_blocks_paste_as_they_are():
    for block in BLOCKS:
        first = block.text.splitlines()[0]
        assert first.startswith("$ ") == (block.kind == "example"), f"{block.document}: {first}"


def test_scenarios_are_known():
    assert {b.scenario for b in BLOCKS if b.kind != "not run"} <= set(SCENARIOS)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.kind != "not run"], ids=str)
def test_documented_commands_work_as_shown(block, tmp_path):
    repo = scenario(tmp_path, block.scenario)
    for command, shown in block.commands():
        result = shell(command, repo)
        if block.kind == "example":
            assert result.stdout == shown, (
                f"{block.document} shows other output for `{command}`: update the document or the code")
        else:
            assert result.returncode == 0, f"{block.document}: `{command}` failed:\n{result.stdout}"


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.kind == "not run"], ids=str)
def test_commands_not_run_exist_and_their_options_parse(block):
    for command, _ in block.commands():
        words = command.split("#")[0].split()
        program = ROOT / words[0]
        assert program.is_file() and os.access(program, os.X_OK), command
        # click reads every option before it acts on --help; bash -n parses a script.
        check = words + ["--help"] if words[0] == "scripts/datapackage" else ["bash", "-n", words[0]]
        result = shell(" ".join(check), ROOT)
        assert result.returncode == 0, f"{block.document}: `{command}`:\n{result.stdout}"


# The command itself ---------------------------------------------------------

def datapackage(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return shell(" ".join([str(ROOT / "scripts" / "datapackage"), *args]), cwd)


def test_version_names_this_toolkit_and_its_installed_version():
    result = datapackage("--version")
    version = importlib.metadata.version("tartar-case-datapackage")
    assert result.stdout.startswith(f"datapackage {version} (tartar-case-datapackage: ")
    assert "not the datapackage-py library" in result.stdout
    assert result.returncode == 0


def test_dash_h_on_the_group_and_every_command():
    from click.testing import CliRunner

    from datapackage.cli import cli

    for args in [[]] + [[name] for name in cli.commands]:
        result = CliRunner().invoke(cli, [*args, "-h"], prog_name="datapackage")
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"Usage: datapackage {' '.join(args)}".rstrip() + " [OPTIONS]")


def test_python_dash_m_works_like_the_command():
    result = subprocess.run([sys.executable, "-m", "datapackage", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_a_python_without_the_dependencies_says_what_to_run(small_package):
    """-S: no site-packages, as in a system Python run from a fresh clone."""
    result = subprocess.run([sys.executable, "-S", "-m", "datapackage", "validate"], cwd=small_package,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stderr.startswith("Error: this Python (")
    assert "run `scripts/datapackage validate` instead" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.returncode == 2
