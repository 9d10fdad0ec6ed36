"""What a contributor is given: issue forms and a pull-request template that
ask for the source, and a pre-commit hook that validates changed seeds."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, copy_package
from seedrepo import borrowed_venv, set_cell, with_scripts

FORMS = {path.stem: path for path in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if path.stem != "config"}
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def test_the_three_issue_forms_are_valid_github_issue_forms():
    assert set(FORMS) == {"new-victim", "correction", "new-source"}
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-issue-forms",
                             *map(str, FORMS.values())], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_issue_form_requires_the_source(name):
    body = yaml.safe_load(FORMS[name].read_text(encoding="utf-8"))["body"]
    required = [item["id"] for item in body if item.get("validations", {}).get("required")]
    assert [field for field in required if field.startswith("source")], required


def test_the_pull_request_template_asks_for_sources_and_the_check():
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "## Sources" in template and "source_id" in template
    assert "scripts/check-pr --no-tests" in template


def hooks() -> list[dict]:
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return [hook for repo in local["repos"] for hook in repo["hooks"]] + shared


@pytest.mark.parametrize("hook", hooks(), ids=lambda hook: hook["language"])
def test_the_hook_runs_on_changed_seeds_schemas_and_descriptor_only(hook):
    files = re.compile(hook["files"])
    assert all(files.search(path) for path in ("seeds/victims.csv", "schemas/deaths.json", "datapackage.json"))
    assert not any(files.search(path) for path in ("README.md", "tests/fixtures/small/victims.csv", "docs/x.json"))
    assert hook["pass_filenames"] is False  # the whole package: rows refer to other files
    assert hook["entry"] in ("datapackage validate", "scripts/datapackage validate")


def test_the_local_hook_fails_a_commit_with_a_bad_cell(tmp_path):
    """The hook's entry, run as pre-commit runs it: from the repository root."""
    local = hooks()[0]
    with_scripts(tmp_path, ROOT)
    copy_package(tmp_path, FIXTURES / "small")
    borrowed_venv(tmp_path)
    set_cell(tmp_path, "victims", "v-002", "rank", "kicik-cavus")
    result = subprocess.run(["bash", "-c", local["entry"]], cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.startswith("seeds/victims.csv:4:6: error: rank 'kicik-cavus' is not an allowed value")
    assert result.returncode == 1
