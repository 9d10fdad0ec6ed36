"""A finding on a value one slip away from a valid one names that value:
a capital, a space at an end, '-' for '_', a letter missing, a list of
sources joined by ','. Each on a mutated copy of the small fixture package."""

import csv
import io

import pytest

from datapackage.validate.check import validate


def set_cell(package, name, row, field, value):
    path = package / "seeds" / f"{name}.csv"
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    table[row][table[0].index(field)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8")


def messages(package, check):
    # In the test's process: the command's start-up, a second each, would
    # be most of these tests' time (the command itself is tested elsewhere).
    return [f.message for f in validate(package / "datapackage.json") if f.check == check]


@pytest.mark.parametrize("name, field, value, check, meant", [
    ("trials", "outcome", "Convicted", "enum", "convicted"),
    ("victims", "rank", "polkovnik-leytenant", "enum", "polkovnik_leytenant"),
    ("victims", "rank", "kapitn", "enum", "kapitan"),
    ("victims", "visibility", "Public ", "enum", "public"),
    ("victims", "source_ids", "src-wikipedia-tartar-cas", "unknown-source", "src-wikipedia-tartar-case"),
    ("victims", "source_ids", "src-wikipedia-tartar-case,src-1lurer-bbc-2021", "unknown-source",
     "src-wikipedia-tartar-case;src-1lurer-bbc-2021"),
    ("victims", "source_ids", "src-wikipedia-tartar-case, src-1lurer-bbc-2021", "unknown-source",
     "src-wikipedia-tartar-case;src-1lurer-bbc-2021"),
    ("trials", "case_id", "case-tartr", "foreign-key", "case-tartar"),
    ("deaths", "victim_id", "V-002", "pattern", "v-002"),
    ("deaths", "victim_id", "v-002\u00a0", "pattern", "v-002"),
    ("victims", "victim_id", "V-001 ", "pattern", "v-001"),
])
def test_a_slip_names_the_value_meant(small_package, name, field, value, check, meant):
    set_cell(small_package, name, 1, field, value)
    (message,) = messages(small_package, check)
    assert f"(did you mean '{meant}'?)" in message


@pytest.mark.parametrize("name, field, value, check", [
    ("victims", "rank", "Lieutenant colonel", "enum"),
    ("victims", "source_ids", "src-no-such-document", "unknown-source"),
    ("deaths", "victim_id", "v-777", "foreign-key"),
])
def test_nothing_is_suggested_for_a_value_not_close_to_one(small_package, name, field, value, check):
    set_cell(small_package, name, 1, field, value)
    (message,) = messages(small_package, check)
    assert "did you mean" not in message


def test_a_key_not_in_its_form_is_not_suggested_to_the_rows_that_cite_it(small_package):
    set_cell(small_package, "victims", 1, "victim_id", "V-001")
    (message,) = messages(small_package, "foreign-key")
    assert message == "victim_id 'v-001' does not exist; expected an existing victims.victim_id"


@pytest.mark.parametrize("written, meant", [
    ("13/05/2017", "2017-05-13"), ("5/13/2017", "2017-05-13"), ("13.05.2017", "2017-05-13"),
    ("2017-05-13 00:00:00", "2017-05-13"), ("2017/05/13", "2017-05-13"), ("2017-5-13", "2017-05-13"),
    ("May 2017", "2017-05"), ("13 May 2017", "2017-05-13"), ("May 13, 2017", "2017-05-13"),
])
def test_a_date_a_spreadsheet_rewrote_is_named_in_iso_form(small_package, written, meant):
    set_cell(small_package, "deaths", 1, "date_of_death", written)
    (message,) = messages(small_package, "pattern")
    assert message.startswith(f"date_of_death '{written}' is not in the expected form (did you mean '{meant}'?); ")


@pytest.mark.parametrize("written", ["05/06/2017", "5/13/17", "31/02/2017", "2017-05-13 14:30", "spring 2017"])
def test_a_date_whose_day_month_or_year_is_uncertain_is_not_guessed(small_package, written):
    set_cell(small_package, "deaths", 1, "date_of_death", written)
    (message,) = messages(small_package, "pattern")
    assert "did you mean" not in message


@pytest.mark.parametrize("written, meant", [
    ("1,234", "1234"), ("1 234", "1234"), ("1\u00a0234", "1234"), ("120.0", "120"), (" 120", "120"),
])
def test_a_whole_number_a_spreadsheet_formatted_is_named_in_digits(small_package, written, meant):
    set_cell(small_package, "trials", 1, "sentence_max_months", written)
    (message,) = messages(small_package, "type")
    assert message == f"sentence_max_months '{written}' is not a whole number (did you mean '{meant}'?)"


@pytest.mark.parametrize("written", ["1.234", "1,5", "12.5", "twelve"])
def test_a_number_that_may_be_a_fraction_is_not_guessed(small_package, written):
    set_cell(small_package, "trials", 1, "sentence_max_months", written)
    (message,) = messages(small_package, "type")
    assert "did you mean" not in message
