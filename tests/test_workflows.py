"""The GitHub workflows: valid against the workflow schema, least privilege,
and every `run:` step calls a command this repository provides."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean true.
    return workflow.get("on", workflow.get(True))


def check_schema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


def test_there_is_a_workflow():
    assert WORKFLOWS


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path):
    result = check_schema(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_job_without_runs_on_fails_the_schema(tmp_path):
    workflow = load(WORKFLOWS[0])
    del next(iter(workflow["jobs"].values()))["runs-on"]
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    result = check_schema(broken)
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def run_commands(workflow: dict) -> list[str]:
    """Each shell command of every `run:` step, continuation lines joined."""
    commands = []
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            script = step.get("run", "").replace("\\\n", " ")
            commands += [line.strip() for line in script.splitlines()
                         if line.strip() and not line.strip().startswith("#")]
    return commands


def provided(command: str) -> bool:
    word = shlex.split(command)[0]
    if word == "datapackage":
        return True
    script = ROOT / word
    return word.startswith("scripts/") and script.is_file() and os.access(script, os.X_OK)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_run_steps_call_only_our_commands(path):
    commands = run_commands(load(path))
    assert commands
    assert [c for c in commands if not provided(c)] == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in triggers(workflow)
    assert "secrets." not in path.read_text(encoding="utf-8")
    writers = {name: job["permissions"] for name, job in workflow["jobs"].items() if "permissions" in job}
    assert all(p == {"contents": "write"} for p in writers.values())


def step_running(steps: list[dict], command: str) -> int:
    return next(i for i, step in enumerate(steps) if step.get("run", "").startswith(command))


def test_ci_gives_feedback_first_then_tests_and_releases_tags():
    workflow = load(ROOT / ".github" / "workflows" / "ci.yml")
    on = triggers(workflow)
    assert "pull_request" in on and on["push"] == {"branches": ["main"], "tags": ["v*"]}
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # the diff needs the base commit
    feedback, tests = step_running(steps, "scripts/check-pr --no-tests "), step_running(steps, "scripts/test")
    assert feedback < tests
    assert steps[tests]["if"] == "${{ !cancelled() }}"  # the tests run even when the data check failed
    release = workflow["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    step_running(release["steps"], "scripts/datapackage publish ")
    attach = release["steps"][-1]
    assert attach["uses"].startswith("softprops/action-gh-release@")
    assert attach["with"]["files"].split() == ["dist/*.zip", "dist/parquet/*.parquet"]


def test_the_cached_venv_is_keyed_on_what_makes_env_sh_reinstall():
    """A stale .venv restored from the cache would test other versions."""
    steps = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["check"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".venv"
    assert "hashFiles('pyproject.toml', 'requirements.lock')" in cache["with"]["key"]
    assert "steps.python.outputs.python-version" in cache["with"]["key"]
    env_sh = (ROOT / "scripts" / "env.sh").read_text(encoding="utf-8")
    assert 'cat "$ROOT/pyproject.toml" "$ROOT/requirements.lock" | sha256sum' in env_sh
    assert step_running(steps, "scripts/check-pr") > steps.index(cache)
