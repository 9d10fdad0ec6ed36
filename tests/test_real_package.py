"""The published package itself is valid, by our command and by Frictionless'."""

import csv
import json
import shutil
import subprocess
import sys

from conftest import ROOT, run


def rows(name):
    with open(ROOT / "seeds" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_validate_finds_no_errors():
    result = run("validate", "--format", "json", cwd=ROOT)
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert result.returncode == 0


def test_frictionless_cli_reports_the_package_valid():
    frictionless = shutil.which("frictionless", path=str((ROOT / ".venv" / "bin"))) or "frictionless"
    result = subprocess.run([frictionless, "validate", "--json", "datapackage.json"], cwd=ROOT,
                            capture_output=True, text=True)
    assert json.loads(result.stdout)["valid"] is True
    assert result.returncode == 0


def test_every_resource_has_rows_and_every_row_cites_a_source():
    for resource in json.loads((ROOT / "datapackage.json").read_text())["resources"]:
        table = rows(resource["name"])
        assert table, resource["name"]
        if resource["name"] != "sources":
            assert all(row["source_ids"].strip() for row in table), resource["name"]


def test_the_thirteen_deaths_of_the_list_are_recorded():
    names = {row["victim_id"]: row["name"] for row in rows("victims")}
    died = {names[row["victim_id"]] for row in rows("deaths")}
    listed = ["Saleh Şərif oğlu Qafarov", "Süleyman Kazımov", "Adil Sabirli", "Təmkin Nizami oğlu",
              "Ruslan Ocaqverdiyev", "Elxan Ağazadə", "Elçin Əhmədov", "Dayandur Əzizli", "Elçin Quliyev",
              "Elçin Mirzəliyev", "Mehman Hüseynov", "Səxavət İlyas oğlu Binnətov", "Rasim Heydər oğlu Rzayev"]
    assert set(listed) <= died


def test_the_list_dates_are_kept_as_the_list_gives_them():
    by_name = {row["victim_id"]: row["name"] for row in rows("victims")}
    deaths = {by_name[row["victim_id"]]: (row["date_of_arrest"], row["date_of_death"]) for row in rows("deaths")}
    assert deaths["Saleh Şərif oğlu Qafarov"] == ("2017-05-04", "2017-05-13")
    assert deaths["Adil Sabirli"] == ("", "2017-05-05")
    assert deaths["Elçin Quliyev"] == ("2017-05-11", "")
    assert deaths["Rasim Heydər oğlu Rzayev"] == ("2017-05-04", "2020-12-24")


def test_contested_death_figures_are_each_their_own_row():
    claims = {(row["value_min"], row["organisation_kind"]) for row in rows("statements") if row["metric"] == "deaths"}
    values = {value for value, _ in claims}
    assert {"1", "9", "11", "13"} <= values


def test_python_dash_m_works_like_the_command():
    result = subprocess.run([sys.executable, "-m", "datapackage", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_descriptor_sources_are_the_seed_documents_in_sources_csv():
    listed = {row["source_id"]: row for row in rows("sources")}
    sources = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["sources"]
    assert len(sources) == 5
    for source in sources:
        row = listed[source["source_id"]]
        assert (source["title"], source.get("path", "")) == (row["title"], row["url"])
