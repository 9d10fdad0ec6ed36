"""A release people can cite and load: CITATION.cff valid and in step with
datapackage.json, licences and changelog present, and a zip that holds them
with the data dictionary; the release descriptor keeps every title and
description."""

import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_package

DOCUMENTS = ["README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA.md"]
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def package_descriptor() -> dict:
    return json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def check_citation(*paths: Path) -> subprocess.CompletedProcess:
    """The CFF 1.2.0 JSON schema that check-jsonschema ships: no network."""
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.citation-file-format",
                           *map(str, paths)], capture_output=True, text=True)


def citation(path: Path = ROOT / "CITATION.cff") -> dict:
    import yaml
    return yaml.safe_load(path.read_text(encoding="utf-8"))


BREAKAGES = {
    "no-authors": lambda text: re.sub(r"(?ms)^authors:.*?(?=^license:)", "", text),
    "unknown-type": lambda text: text.replace("type: dataset", "type: spreadsheet"),
    "unknown-licence": lambda text: text.replace("license: CC-BY-4.0", "license: CC-BY-FOUR"),
}


def test_citation_file_is_valid_cff_1_2_0_and_a_broken_one_is_not(tmp_path):
    """One run of the checker: the real file and three broken copies, each
    reported or not by its path."""
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken = []
    for name, break_it in BREAKAGES.items():
        assert break_it(text) != text, name
        (tmp_path / name).mkdir()
        broken.append(tmp_path / name / "CITATION.cff")
        broken[-1].write_text(break_it(text), encoding="utf-8")
    result = check_citation(ROOT / "CITATION.cff", *broken)
    report = result.stdout + result.stderr
    assert result.returncode != 0 and "validation errors" in report
    assert all(str(path) in report for path in broken), report
    assert str(ROOT / "CITATION.cff") not in report, report
    assert citation()["cff-version"] == "1.2.0"


def test_citation_agrees_with_the_descriptor():
    cff, package = citation(), package_descriptor()
    assert cff["title"] == package["title"]
    assert cff["version"] == package["version"]
    assert cff["license"] in [licence["name"] for licence in package["licenses"]]
    assert [author["name"] for author in cff["authors"]] == \
           [c["title"] for c in package["contributors"] if c.get("role") == "author"]
    assert set(cff["keywords"]) == set(package["keywords"])


def test_changelog_has_the_current_version():
    version = package_descriptor()["version"]
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings and headings[0] == version


def test_licences_match_what_is_declared():
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    data_licence = (ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8")
    for licence in package_descriptor()["licenses"]:
        assert licence["name"] in data_licence and licence["path"] in data_licence


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The small fixture package with the repository's documents, published."""
    from datapackage.publish.build import publish
    package = copy_package(tmp_path_factory.mktemp("release"), FIXTURES / "small")
    for name in DOCUMENTS:
        shutil.copy(ROOT / name, package / name)
    return publish(package / "datapackage.json", package / "dist")


def test_zip_holds_documents_licences_citation_and_dictionary(release):
    package = release.parent
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    stem = f"{descriptor['name']}-{descriptor['version']}"
    with zipfile.ZipFile(release / f"{stem}.zip") as archive:
        names = set(archive.namelist())
        for name in DOCUMENTS:
            shipped, source = archive.read(f"{stem}/{name}"), (package / name).read_bytes()
            if name.endswith(".md"):  # the same lines; only lines with a link may differ
                pairs = list(zip(shipped.decode().splitlines(), source.decode().splitlines(), strict=True))
                assert all(a == b for a, b in pairs if "](" not in b), name
            else:
                assert shipped == source, name
        dictionary = archive.read(f"{stem}/data-dictionary.md").decode("utf-8")
    assert {f"{stem}/datapackage.json", f"{stem}/data-dictionary.html"} <= names
    assert "# Parquet columns" in dictionary
    for resource in descriptor["resources"]:
        assert f"{stem}/{resource['path']}" in names


def test_zip_entries_are_the_release_files_checked_and_text_deflated(release):
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    stem = f"{descriptor['name']}-{descriptor['version']}"
    with zipfile.ZipFile(release / f"{stem}.zip") as archive:
        assert archive.testzip() is None  # every entry's CRC matches what it inflates to
        for info in archive.infolist():
            file = release / info.filename.removeprefix(f"{stem}/")
            assert archive.read(info) == file.read_bytes(), info.filename
            if file.suffix in (".csv", ".db", ".json"):
                assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
                assert info.compress_size < info.file_size, info.filename


def test_documents_sit_beside_the_data_files(release):
    for name in DOCUMENTS + ["data-dictionary.md"]:
        assert (release / name).is_file(), name


def test_release_descriptor_keeps_every_title_and_description(release):
    told = {r["name"]: r for r in json.loads((release.parent / "datapackage.json").read_text())["resources"]}
    published = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert published["title"] and published["description"] and published["licenses"]
    for resource in published["resources"]:
        assert resource["title"] and resource["description"], resource["name"]
        if resource["name"] in told:
            assert resource["title"] == told[resource["name"]]["title"]
            assert resource["description"] == told[resource["name"]]["description"]
        else:
            source = told[resource["name"].removesuffix("-parquet")]
            assert source["title"] in resource["title"] and "data-dictionary.md" in resource["description"]


def test_links_in_the_released_documents_lead_to_files_of_the_release(release):
    link = re.compile(r"\]\(([^)\s#]+)[^)]*\)")
    for name in ("README.md", "CHANGELOG.md"):
        for target in link.findall((release / name).read_text(encoding="utf-8")):
            assert "://" in target or (release / target).exists(), (name, target)


def test_a_link_outside_the_release_becomes_text_and_code_stays_as_written():
    from datapackage.publish.release_documents import within_release
    text = ("See [the guide](docs/guide.md), [the dictionary](docs/data-dictionary.md#fields), "
            "[the licence](LICENSE), [a site](https://example.org/x.md), [above](#use) and "
            "![a picture](docs/site.png).\n```\n[kept](docs/guide.md)\n```\n[after](CONTRIBUTING.md)\n")
    assert within_release(text, {"data-dictionary.md", "LICENSE"}) == (
        "See the guide (`docs/guide.md` in the repository the package is published from), "
        "[the dictionary](data-dictionary.md#fields), [the licence](LICENSE), "
        "[a site](https://example.org/x.md), [above](#use) and "
        "a picture (`docs/site.png` in the repository the package is published from).\n"
        "```\n[kept](docs/guide.md)\n```\n"
        "after (`CONTRIBUTING.md` in the repository the package is published from)\n")
