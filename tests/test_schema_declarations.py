"""Schema declarations that validation accepted and then crashed on, or that
publishing could not honour: each is now checked as declared, or is one
clear schema finding. Built on small packages written by the test."""

import datetime
import json

import pytest

from conftest import run

from test_hostile_inputs import checks, findings_of, people, published, write_package


def schema_findings(findings):
    return [(f["check"], f["field"]) for f in findings if f["check"] in ("schema", "not-supported")]


def test_a_second_withholding_mark_is_a_finding(tmp_path):
    # Only one mark is read; a row hidden by a second one would be published.
    fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string"},
              {"name": "visibility", "type": "string", "withholdsRow": {"value": "withheld", "reason": "why"},
               "constraints": {"enum": ["public", "withheld"]}},
              {"name": "why", "type": "string"},
              {"name": "vis2", "type": "string", "withholdsRow": {"value": "hide", "reason": "why"},
               "constraints": {"enum": ["show", "hide"]}}]
    rows = [["id", "name", "visibility", "why", "vis2"], ["1", "A", "public", "", "show"],
            ["2", "Secret", "public", "", "hide"]]
    root = write_package(tmp_path, [people(fields)], {"people.csv": rows})
    code, findings = findings_of(root)
    assert code == 1
    assert schema_findings(findings) == [("not-supported", "vis2")]
    assert "withholdsRow" in findings[0]["message"]


def test_a_cell_over_the_default_length_names_the_limit(tmp_path):
    root = write_package(tmp_path, [people()], {"people.csv": [["id", "name"], ["1", "x" * 20_001]]})
    code, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 2, 2, "cell-too-long")]
    assert "maximum of 20000 characters" in findings[0]["message"]


def test_a_pattern_with_a_global_flag_is_a_schema_finding(tmp_path):
    # Every pattern is matched whole, as ^(?:pattern)$, where a global flag cannot stand.
    def package_with(pattern):
        fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string",
                                                     "constraints": {"pattern": pattern}}]
        rows = [["id", "name"], ["1", "ABC"], ["2", "abcd"]]
        return write_package(tmp_path, [people(fields)], {"people.csv": rows})

    code, findings = findings_of(package_with("(?s)ab.d?"))
    assert code == 1
    assert schema_findings(findings) == [("schema", "name")]
    assert "(?s:...)" in findings[0]["message"]
    _, findings = findings_of(package_with("(?s:ab.d?)"))  # the form the message suggests
    assert checks(findings) == [("people.csv", 2, 2, "pattern")]


def test_an_empty_cell_of_a_composite_key_is_required(tmp_path):
    # Every key field is required; the release's key columns are NOT NULL.
    resource = people()
    resource["schema"]["primaryKey"] = ["id", "name"]
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", ""], ["1", "A"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert checks(findings) == [("people.csv", 2, 2, "required")]


def test_a_composite_self_reference_is_checked_beside_a_composite_key(tmp_path):
    fields = [{"name": n, "type": "integer"} for n in "abcd"]
    schema = {"fields": fields, "primaryKey": ["a", "b"],
              "foreignKeys": [{"fields": ["c", "d"], "reference": {"resource": "", "fields": ["a", "b"]}}]}
    rows = [["a", "b", "c", "d"], ["1", "2", "1", "2"], ["3", "4", "", ""], ["5", "6", "3", "9"]]
    root = write_package(tmp_path, [{"name": "pairs", "path": "pairs.csv", "schema": schema}], {"pairs.csv": rows})
    _, findings = findings_of(root)
    assert checks(findings) == [("pairs.csv", 4, 3, "foreign-key")]


def test_a_withholding_mark_on_a_boolean_field_hides_its_rows(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string"},
              {"name": "hidden", "type": "boolean", "withholdsRow": {"value": "true", "reason": "why"},
               "constraints": {"enum": ["true", "false"]}}, {"name": "why", "type": "string"}]
    rows = [["id", "name", "hidden", "why"], ["1", "A", "false", ""], ["2", "Secret", "true", "asked"],
            ["3", "C", "true", ""]]
    root = write_package(tmp_path, [people(fields)], {"people.csv": rows})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 4, 4, "withheld-reason")]
    write_package(tmp_path, [people(fields)], {"people.csv": rows[:3]})
    parquet, db = published(root)
    assert [r["id"] for r in parquet["people"]] == ["1"]
    assert [tuple(r) for r in db.execute("select id from people")] == [("1",)]


def search_findings(tmp_path, fields, search):
    resource = people([{"name": n, "type": "string"} for n in fields])
    resource["schema"]["search"] = search
    rows = [fields, ["1"] + ["x"] * (len(fields) - 1)]
    _, findings = findings_of(write_package(tmp_path, [resource], {"people.csv": rows}))
    return schema_findings(findings)


def test_a_field_searched_twice_is_a_finding(tmp_path):
    assert search_findings(tmp_path, ["id", "name"], {"name": ["name"], "text": ["name"]}) == [("schema", "name")]


def test_searching_a_field_named_as_a_column_of_the_index_is_a_finding(tmp_path):
    # FTS5 keeps `rank` and the table's own name; name_keys and text_keys are ours.
    for field in ("rank", "Name_Keys", "people_fts"):
        assert search_findings(tmp_path, ["id", field], {"text": [field]}) == [("not-supported", field)]


def category_package(tmp_path, spec, values):
    fields = [{"name": "id", "type": "string"}, {"name": "x", **spec}]
    rows = [["id", "x"]] + [[str(n), v] for n, v in enumerate(values, start=1)]
    return write_package(tmp_path, [people(fields)], {"people.csv": rows})


def test_an_enum_value_listed_twice_is_a_finding(tmp_path):
    # Also as the column holds it: 1 and "1" are one integer.
    for spec in ({"constraints": {"enum": ["a", "a"]}, "categoriesOrdered": True},
                 {"type": "integer", "constraints": {"enum": [1, "1", 2]}}):
        root = category_package(tmp_path, spec, ["1"])
        assert schema_findings(findings_of(root)[1]) == [("schema", "x")]


def test_a_category_label_that_is_not_text_is_a_finding(tmp_path):
    spec = {"constraints": {"enum": ["a", "b"]}, "categories": [{"value": "a", "label": "A"}, {"value": "b", "label": None}]}
    code, findings = findings_of(category_package(tmp_path, spec, ["a"]))
    assert code == 1
    assert schema_findings(findings) == [("schema", "x")]


def test_categories_written_as_plain_values_are_a_finding(tmp_path):
    spec = {"constraints": {"enum": ["a", "b"]}, "categories": ["a", "b"]}
    code, findings = findings_of(category_package(tmp_path, spec, ["a"]))
    assert code == 1
    assert schema_findings(findings) == [("not-supported", "x")]


def test_the_data_dictionary_refuses_categories_validation_refuses(tmp_path):
    # `docs` checks the schemas first: what validation cannot read, the dictionary does not describe.
    for categories in (["a", "b"], [{"value": "a", "label": None}, {"value": "b"}]):
        root = category_package(tmp_path, {"constraints": {"enum": ["a", "b"]}, "categories": categories}, ["a"])
        result = run("docs", "--out", "docs", cwd=root)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.startswith("Error: ") and "field x" in result.stderr
        assert not (root / "docs" / "data-dictionary.md").exists()


def test_ordered_integer_and_date_vocabularies_publish_their_positions(tmp_path):
    for number, (spec, values, typed) in enumerate((
            ({"type": "integer", "constraints": {"enum": [3, 1]}, "categoriesOrdered": True,
              "categories": [{"value": 3, "label": "three"}, {"value": 1, "label": "one"}]}, ["1", "3"], [1, 3]),
            ({"type": "date", "constraints": {"enum": ["2021-05-01", "2020-01-01"]}, "categoriesOrdered": True},
             # A timestamp at midnight in Parquet, as every date is there.
             ["2020-01-01", "2021-05-01"], [datetime.datetime(2020, 1, 1), datetime.datetime(2021, 5, 1)]))):
        (tmp_path / str(number)).mkdir()
        root = category_package(tmp_path / str(number), spec, values)
        assert findings_of(root) == (0, [])
        parquet, _ = published(root)
        assert [(r["x"], r["x_order"]) for r in parquet["people"]] == [(typed[0], 2), (typed[1], 1)]


def order_package(tmp_path, first, second, values):
    fields = [{"name": "id", "type": "string"}, {"name": "a", "notAfter": "b", **first}, {"name": "b", **second}]
    rows = [["id", "a", "b"]] + [[str(n), *pair] for n, pair in enumerate(values, start=1)]
    return write_package(tmp_path, [people(fields)], {"people.csv": rows})


def test_not_after_between_fields_that_do_not_compare_is_a_finding(tmp_path):
    root = order_package(tmp_path, {"type": "integer"}, {"type": "string"}, [["1", "2"]])
    code, findings = findings_of(root)
    assert code == 1
    assert schema_findings(findings) == [("schema", "a")]


def test_a_partial_date_not_after_a_date_compares_by_its_days(tmp_path):
    # 2020-02 begins after 2020-01-31 (an error) and ends after 2020-02-15 (possibly after it: a warning).
    values = [["2020-01", "2020-02-01"], ["2020-02", "2020-01-31"], ["2020-02", "2020-02-15"], ["2020", "2020-03-01"]]
    root = order_package(tmp_path, {"type": "string", "partialDate": True}, {"type": "date"}, values)
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 3, 3, "date-order")]
    assert checks(findings, "warning") == [("people.csv", 4, 3, "date-order"), ("people.csv", 5, 3, "date-order")]
    # and the other way round: a date not after a partial date
    root = order_package(tmp_path, {"type": "date"}, {"type": "string", "partialDate": True},
                         [["2020-02-01", "2020-01"], ["2020-01-15", "2020"]])
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 2, 3, "date-order")]


def test_rule_declarations_that_are_not_field_names_are_schema_findings(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string", "notAfter": ["id"]},
              {"name": "visibility", "type": "string", "constraints": {"enum": ["public", "withheld"]},
               "withholdsRow": {"value": "withheld", "reason": ["why"]}},
              {"name": "why", "type": "string"}]
    rows = [["id", "name", "visibility", "why"], ["1", "A", "public", ""]]
    code, findings = findings_of(write_package(tmp_path, [people(fields)], {"people.csv": rows}))
    assert code == 1
    assert schema_findings(findings) == [("schema", "name"), ("schema", "visibility")]


@pytest.mark.parametrize("chars", [
    {"groupChar": ",", "decimalChar": ","},  # 1,5 would be 15
    {"groupChar": "."},  # the same as the default decimalChar: 1.5 would be 15
    {"groupChar": "-"},  # -5 would be 5
    {"groupChar": "e"},  # 1e5 would be 15
    {"decimalChar": "e"},  # 1e5 would be 1.5
    {"groupChar": "0"},
    {"decimalChar": ", "},  # Table Schema: one character
])
def test_a_group_or_decimal_character_that_changes_numbers_is_a_schema_finding(tmp_path, chars):
    fields = [{"name": "id", "type": "string"}, {"name": "x", "type": "number", **chars}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "x"], ["1", "1e5"], ["2", "-5"]]})
    code, findings = findings_of(root)
    assert code == 1 and schema_findings(findings) == [("schema", "x")]
    assert "expected" in findings[0]["message"] and "Char" in findings[0]["message"]



def test_source_lists_naming_different_tables_are_a_schema_finding(tmp_path):
    # The release's citations table has one source_id column, referencing one table.
    def table(name, fields, key):
        return {"name": name, "path": f"{name}.csv", "schema": {"fields": fields, "primaryKey": [key]}}

    def cites(name, resource, field):
        return {"name": name, "type": "string", "sourceList": {"resource": resource, "field": field}}

    sources = table("sources", [{"name": "sid", "type": "string"}], "sid")
    people_ = table("people", [{"name": "pid", "type": "string"}, cites("srcs", "sources", "sid")], "pid")
    events = table("events", [{"name": "eid", "type": "string"}, cites("who", "people", "pid")], "eid")
    root = write_package(tmp_path, [sources, people_, events], {
        "sources.csv": [["sid"], ["s1"]], "people.csv": [["pid", "srcs"], ["p1", "s1"]],
        "events.csv": [["eid", "who"], ["e1", "p1"]]})
    code, findings = findings_of(root)
    assert code == 1 and schema_findings(findings) == [("schema", "who")]
    assert "expected every sourceList field to name sources.sid" in findings[0]["message"]


@pytest.mark.parametrize("declared, words", [
    ({"uniqueKeys": [["name"]]}, "uniqueKeys"),
    ({"fieldsMatch": "equal"}, "fieldsMatch 'equal'"),
])
def test_a_table_schema_property_not_applied_is_a_finding(tmp_path, declared, words):
    # Read and ignored, uniqueKeys would let a repeated name through, and
    # fieldsMatch would have the columns matched by name, not in order.
    resource = people()
    resource["schema"].update(declared)
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "A"], ["2", "A"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert schema_findings(findings) == [("not-supported", None)]
    assert words in findings[0]["message"]


def test_fields_matched_exactly_as_declared_is_no_finding(tmp_path):
    resource = people()
    resource["schema"]["fieldsMatch"] = "exact"
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "A"]]})
    assert findings_of(root) == (0, [])


def test_a_declared_hash_of_an_unknown_algorithm_is_not_supported(tmp_path):
    root = write_package(tmp_path, [people(hash="crc32:1234abcd")], {"people.csv": [["id", "name"], ["1", "A"]]})
    code, findings = findings_of(root)
    assert code == 1
    assert [(f["path"], f["check"]) for f in findings] == [("people.csv", "not-supported")]
    assert "hash algorithm 'crc32'" in findings[0]["message"]


def test_a_file_changed_since_its_size_was_declared_says_both_sizes(tmp_path):
    root = write_package(tmp_path, [people(bytes=5)], {"people.csv": [["id", "name"], ["1", "A"]]})
    code, findings = findings_of(root)
    assert code == 1 and [f["check"] for f in findings] == ["byte-count"]
    assert "has 12 bytes" in findings[0]["message"] and "declares 5" in findings[0]["message"]


V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def bounds_package(tmp_path, constraints, values, kind="number", version=V2):
    fields = [{"name": "id", "type": "string"}, {"name": "x", "type": kind, "constraints": constraints}]
    rows = [["id", "x"]] + [[str(n), value] for n, value in enumerate(values, start=1)]
    root = write_package(tmp_path, [people(fields)], {"people.csv": rows})
    if version:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        (root / "datapackage.json").write_text(json.dumps({"$schema": version, **descriptor}), encoding="utf-8")
    return root


def test_exclusive_bounds_refuse_the_bound_itself_and_say_which_side_is_expected(tmp_path):
    root = bounds_package(tmp_path, {"exclusiveMinimum": 0, "exclusiveMaximum": 1}, ["0.5", "0", "1", "-2"])
    code, findings = findings_of(root)
    assert code == 1
    assert checks(findings) == [("people.csv", 3, 2, "exclusiveMinimum"), ("people.csv", 4, 2, "exclusiveMaximum"),
                                ("people.csv", 5, 2, "exclusiveMinimum")]
    assert [f["value"] for f in findings] == ["0", "1", "-2"]
    assert findings[0]["message"] == "x 0 is at or below the exclusiveMinimum 0; expected a value above 0"
    assert findings[1]["message"] == "x 1 is at or above the exclusiveMaximum 1; expected a value below 1"


def test_the_data_dictionary_lists_exclusive_bounds(tmp_path):
    root = bounds_package(tmp_path, {"exclusiveMinimum": 0, "exclusiveMaximum": 10}, ["5"], kind="integer")
    assert findings_of(root) == (0, [])
    assert run("docs", "--out", "docs", cwd=root).returncode == 0
    assert "| integer | > 0; < 10 |" in (root / "docs" / "data-dictionary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("version", [None, "https://datapackage.org/profiles/1.0/datapackage.json"])
def test_exclusive_bounds_in_a_v1_package_are_one_schema_finding_each(tmp_path, version):
    # As in Frictionless: no `$schema`, or a 1.x one, is v1, which has no exclusive bounds.
    root = bounds_package(tmp_path, {"exclusiveMinimum": 0, "exclusiveMaximum": 1}, ["0", "1"], version=version)
    code, findings = findings_of(root)
    assert code == 1
    assert [(f["check"], f["field"]) for f in findings] == [("schema", "x"), ("schema", "x")]  # no cell checked
    assert all(V2 in f["message"] for f in findings)
    assert ["exclusiveMinimum" in findings[0]["message"], "exclusiveMaximum" in findings[1]["message"]] == [True, True]


def test_exclusive_bounds_under_a_profile_of_another_site_are_checked(tmp_path):
    # Frictionless reads a custom profile as any version, so v2 constraints apply.
    root = bounds_package(tmp_path, {"exclusiveMinimum": 0}, ["0"], version="https://example.org/profile.json")
    assert checks(findings_of(root)[1]) == [("people.csv", 2, 2, "exclusiveMinimum")]


@pytest.mark.parametrize("kind, bound, expected", [
    ("number", "0", ("schema", "x")), ("integer", True, ("schema", "x")),
    ("datetime", "2020-01-01", ("schema", "x")), ("boolean", "true", ("not-supported", "x"))])
def test_an_exclusive_bound_of_the_wrong_type_is_a_finding(tmp_path, kind, bound, expected):
    root = bounds_package(tmp_path, {"exclusiveMaximum": bound}, [], kind=kind)
    code, findings = findings_of(root)
    assert code == 1
    assert schema_findings(findings) == [expected]
    assert "exclusiveMaximum" in findings[0]["message"]


def test_a_date_bound_is_read_as_the_field_reads_its_dates(tmp_path):
    root = bounds_package(tmp_path, {"exclusiveMaximum": "2020-01-01"}, ["2019-12-31", "2020-01-01", ""], kind="date")
    code, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 3, 2, "exclusiveMaximum")]
    assert "2020-01-01" in findings[0]["message"]


def test_a_datetime_bound_is_compared_as_an_instant(tmp_path):
    # 2020-01-01T01:30:00+02:00 is 23:30 the day before in UTC: at the bound, not past it.
    cells = ["2019-12-31T23:30:00Z", "2020-01-01T01:30:00+02:00", "2020-01-01T00:00:01Z", ""]
    root = bounds_package(tmp_path, {"maximum": "2019-12-31T23:30:00Z"}, cells, kind="datetime")
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 4, 2, "maximum")]
    assert "2020-01-01T00:00:01Z" in findings[0]["message"] and "2019-12-31T23:30:00Z" in findings[0]["message"]


@pytest.mark.parametrize("bound, cell, says", [
    ("2020-01-01T00:00:00Z", "2021-01-01T00:00:00", "has no time zone"),
    ("2020-01-01T00:00:00", "2021-01-01T00:00:00Z", "has a time zone")])
def test_cells_written_with_or_without_a_zone_unlike_their_bound_are_a_finding(tmp_path, bound, cell, says):
    # A time without its zone is no instant to compare with one that has it (Frictionless stops there).
    root = bounds_package(tmp_path, {"minimum": bound}, [cell], kind="datetime")
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 2, 2, "datetime-zone")]
    assert says in findings[0]["message"] and bound in findings[0]["message"]


def test_datetime_bounds_written_with_and_without_a_zone_are_a_schema_finding(tmp_path):
    root = bounds_package(tmp_path, {"minimum": "2020-01-01T00:00:00Z", "maximum": "2021-01-01T00:00:00"}, [],
                          kind="datetime")
    code, findings = findings_of(root)
    assert code == 1 and schema_findings(findings) == [("schema", "x")]
    assert "with and without a time zone" in findings[0]["message"]


def test_a_cell_not_in_its_pattern_is_shown_the_declared_example(tmp_path):
    fields = [{"name": "id", "type": "string", "example": "p-001", "constraints": {"pattern": "^p-[0-9]{3}$"}},
              {"name": "name", "type": "string"}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "name"], ["P1", "A"]]})
    code, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 2, 1, "pattern")]
    assert findings[0]["message"].endswith("expected text matching ^p-[0-9]{3}$, such as 'p-001'")


def test_an_example_its_own_pattern_refuses_is_a_finding(tmp_path):
    # A finding about the pattern shows the example as the form to follow.
    fields = [{"name": "id", "type": "string", "example": "P-1", "constraints": {"pattern": "^p-[0-9]{3}$"}},
              {"name": "name", "type": "string"}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "name"], ["p-001", "A"]]})
    code, findings = findings_of(root)
    assert code == 1 and schema_findings(findings) == [("schema", "id")]
    assert "example 'P-1' does not match its pattern" in findings[0]["message"]


@pytest.mark.parametrize("reference, said", [
    ({"resource": "people"}, "names 0 field(s) of people in its reference; expected 1"),
    ({"resource": "people", "fields": ["id", "name"]}, "names 2 field(s) of people in its reference; expected 1"),
    ({"resource": "people", "fields": ["nope"]}, "refers to people.nope, which people does not have"),
])
def test_a_foreign_key_whose_reference_is_badly_formed_is_one_finding(tmp_path, reference, said):
    resource = people([{"name": "id", "type": "string"}, {"name": "name", "type": "string"},
                       {"name": "parent", "type": "string"}])
    resource["schema"]["foreignKeys"] = [{"fields": ["parent"], "reference": reference}]
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name", "parent"], ["1", "A", "1"]]})
    code, findings = findings_of(root)
    assert code == 1 and len(findings) == 1, findings
    assert findings[0]["check"] == "schema" and said in findings[0]["message"]


@pytest.mark.parametrize("change, said", [
    (lambda s: s["fields"][1].update(type=[]), "field name: 'type' is a list; expected text"),
    (lambda s: s["fields"][1].update(constraints={"maxLength": None}),
     "field name, constraints: 'maxLength' is null; expected a whole number"),
    (lambda s: s["fields"][1].update(type="integer", constraints={"minimum": None}),
     "field name, constraints: 'minimum' is null; expected a number or text"),
    (lambda s: s["fields"][1].update(type="number", constraints={"exclusiveMaximum": [1]}),
     "field name, constraints: 'exclusiveMaximum' is a list; expected a number or text"),
    (lambda s: s.update(foreignKeys=1), "the schema: 'foreignKeys' is a number; expected a list"),
    (lambda s: s.update(tableColumns=["id", {}]), "the schema: 'tableColumns' holds an object; expected a list of texts"),
    (lambda s: s.update(search={"text": [["name"]]}), "the schema, search: 'text' holds a list; expected a list of texts"),
    (lambda s: s.update(labelField=["name"]), "the schema: 'labelField' is a list; expected text"),
    (lambda s: s["fields"][1].update(personName="yes"), "field name: 'personName' is text; expected true or false"),
])
def test_a_schema_value_of_the_wrong_kind_is_one_finding(tmp_path, change, said):
    resource = people()
    change(resource["schema"])
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "A"]]})
    code, findings = findings_of(root)
    assert code == 1 and [(f["check"], f["message"]) for f in findings] == [("schema", said)]


@pytest.mark.parametrize("bound", ["2017-13-01", 2017, "13/05/2017"])
def test_a_date_bound_not_written_as_the_field_writes_dates_is_a_finding(tmp_path, bound):
    fields = [{"name": "id", "type": "string"}, {"name": "on", "type": "date", "constraints": {"minimum": bound}}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [["id", "on"], ["1", "2017-05-13"]]})
    code, findings = findings_of(root)
    assert code == 1 and schema_findings(findings) == [("schema", "on")]
    assert "'minimum'" in findings[0]["message"] and "is not a date as the field writes them" in findings[0]["message"]


def test_a_row_of_missing_values_is_a_blank_row_and_a_row_of_values_is_not(tmp_path):
    # As Frictionless has it: with missingValues ["NA"], `NA,NA` stands for no row, and `,` for two empty texts.
    fields = [{"name": "id", "type": "string"}, {"name": "name", "type": "string"}]
    resource = {"name": "people", "path": "people.csv", "schema": {"fields": fields, "missingValues": ["NA"]}}
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "a"], ["NA", "NA"], ["", ""]]})
    code, findings = findings_of(root)
    assert code == 1 and checks(findings) == [("people.csv", 3, None, "blank-row")]
    assert findings[0]["message"] == "every cell of the row is a missing value; remove the row"


def test_a_field_of_its_own_missing_values_makes_a_row_blank_with_them(tmp_path):
    fields = [{"name": "id", "type": "integer", "missingValues": ["-"]}, {"name": "name", "type": "string"}]
    resource = {"name": "people", "path": "people.csv", "schema": {"fields": fields}}
    root = write_package(tmp_path, [resource], {"people.csv": [["id", "name"], ["1", "a"], ["-", ""], ["", ""]]})
    code, findings = findings_of(root)
    # The last row's id is "", which is no missing value of that field: not blank, and no integer.
    assert code == 1 and checks(findings) == [("people.csv", 3, None, "blank-row"), ("people.csv", 4, 1, "type")]


@pytest.mark.parametrize("theirs, mine", [("2017-05-13T10:00:00", "2017-05-13T10:00:00Z"),
                                          ("2017-05-13T10:00:00+00:00", "2017-05-13T10:00:00")])
def test_a_datetime_with_its_zone_does_not_refer_to_one_without(tmp_path, theirs, mine):
    # Frictionless compares them as unequal; published, the two are different text, so a link would lead nowhere.
    events = {"name": "events", "path": "events.csv", "schema": {
        "fields": [{"name": "at", "type": "datetime"}], "primaryKey": ["at"]}}
    notes = {"name": "notes", "path": "notes.csv", "schema": {
        "fields": [{"name": "at", "type": "datetime"}],
        "foreignKeys": [{"fields": ["at"], "reference": {"resource": "events", "fields": ["at"]}}]}}
    tables = {"events.csv": [["at"], [theirs]], "notes.csv": [["at"], [mine]]}
    code, findings = findings_of(write_package(tmp_path, [events, notes], tables))
    assert code == 1 and checks(findings) == [("notes.csv", 2, 1, "foreign-key")]


def test_the_same_instant_in_other_zones_refers_to_its_row(tmp_path):
    events = {"name": "events", "path": "events.csv", "schema": {
        "fields": [{"name": "at", "type": "datetime"}], "primaryKey": ["at"]}}
    notes = {"name": "notes", "path": "notes.csv", "schema": {
        "fields": [{"name": "at", "type": "datetime"}],
        "foreignKeys": [{"fields": ["at"], "reference": {"resource": "events", "fields": ["at"]}}]}}
    tables = {"events.csv": [["at"], ["2017-05-13T10:00:00Z"]], "notes.csv": [["at"], ["2017-05-13T14:00:00+04:00"]]}
    assert findings_of(write_package(tmp_path, [events, notes], tables)) == (0, [])


def test_a_key_in_a_row_of_the_wrong_length_is_read_as_its_type(tmp_path):
    # The ragged row is a finding of its own; a row elsewhere that refers to its key (01, the integer 1) is not.
    events = {"name": "events", "path": "events.csv", "schema": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "what", "type": "string"}], "primaryKey": ["id"]}}
    notes = {"name": "notes", "path": "notes.csv", "schema": {
        "fields": [{"name": "id", "type": "integer"}],
        "foreignKeys": [{"fields": ["id"], "reference": {"resource": "events", "fields": ["id"]}}]}}
    tables = {"events.csv": [["id", "what"], ["01", "a", "surplus"], ["2", "b"]], "notes.csv": [["id"], ["1"], ["2"]]}
    code, findings = findings_of(write_package(tmp_path, [events, notes], tables))
    assert code == 1 and checks(findings) == [("events.csv", 2, 3, "extra-cell")]


def pairs_package(tmp_path, rows, kinds=("integer", "integer")):
    """pairs (a, b) and refs (c, d) referring to them."""
    pairs = {"name": "pairs", "path": "pairs.csv", "schema": {
        "fields": [{"name": n, "type": k} for n, k in zip("ab", kinds)]}}
    refs = {"name": "refs", "path": "refs.csv", "schema": {
        "fields": [{"name": "c", "type": "integer"}, {"name": "d", "type": "integer"}],
        "foreignKeys": [{"fields": ["c", "d"], "reference": {"resource": "pairs", "fields": ["a", "b"]}}]}}
    return write_package(tmp_path, [pairs, refs], {"pairs.csv": [["a", "b"], ["1", "2"], ["3", ""]],
                                                    "refs.csv": [["c", "d"]] + rows})


def test_a_composite_foreign_key_partly_empty_is_looked_for_with_its_empty_cells(tmp_path):
    # As in Frictionless: only a key empty in every cell refers to nothing (here a blank row).
    rows = [["1", "2"], ["3", ""], ["1", ""], ["", ""], ["", "2"]]
    _, findings = findings_of(pairs_package(tmp_path, rows))
    assert checks(findings) == [("refs.csv", 4, 1, "foreign-key"), ("refs.csv", 5, None, "blank-row"),
                                ("refs.csv", 6, 1, "foreign-key")]


def test_a_composite_foreign_key_with_a_cell_not_of_its_type_is_that_one_finding(tmp_path):
    _, findings = findings_of(pairs_package(tmp_path, [["1", "x"], ["y", "2"]]))
    assert checks(findings) == [("refs.csv", 2, 2, "type"), ("refs.csv", 3, 1, "type")]


def test_a_foreign_key_between_fields_of_different_types_is_a_schema_finding(tmp_path):
    # Frictionless matches the number 1.0 with the integer 1 and never the text "1" with it.
    _, findings = findings_of(pairs_package(tmp_path, [["1", "2"]], kinds=("integer", "number")))
    assert [(f["check"], f["field"]) for f in findings] == [("schema", "d")]
    assert "refers to pairs.b (number); expected fields of the same type" in findings[0]["message"]


def zone_package(tmp_path, cells, constraints=None, key=None):
    schema = {"fields": [{"name": "at", "type": "datetime", **({"constraints": constraints} if constraints else {})},
                         {"name": "n", "type": "integer"}], **({"primaryKey": key} if key else {})}
    rows = [["at", "n"]] + [[cell, "1"] for cell in cells]
    return write_package(tmp_path, [{"name": "events", "path": "events.csv", "schema": schema}], {"events.csv": rows})


@pytest.mark.parametrize("constraints, key", [({"unique": True}, None), (None, ["at"]), (None, ["at", "n"])])
def test_a_datetime_with_its_zone_is_no_repeat_of_one_without(tmp_path, constraints, key):
    # The column is a datetime-zone finding; as in Frictionless, 10:00Z and 10:00 are not the same value.
    cells = ["2017-05-13T10:00:00Z", "2017-05-13T14:00:00+04:00", "2017-05-13T10:00:00", "2017-05-13T10:00:00"]
    _, findings = findings_of(zone_package(tmp_path, cells, constraints, key))
    assert checks(findings) == [("events.csv", 3, 1, "unique"), ("events.csv", 4, 1, "datetime-zone"),
                                ("events.csv", 5, 1, "datetime-zone"), ("events.csv", 5, 1, "unique")]


def test_an_allowed_datetime_with_its_zone_is_no_cell_without_one(tmp_path):
    cells = ["2017-05-13T10:00:00Z", "2017-05-13T10:00:00+00:00", "2017-05-13T12:00:00Z"]
    _, findings = findings_of(zone_package(tmp_path, cells, {"enum": ["2017-05-13T10:00:00"]}))
    assert checks(findings) == [("events.csv", 2, 1, "enum"), ("events.csv", 3, 1, "enum"), ("events.csv", 4, 1, "enum")]
    _, findings = findings_of(zone_package(tmp_path, cells, {"enum": ["2017-05-13T10:00:00Z"]}))
    assert checks(findings) == [("events.csv", 4, 1, "enum")]


@pytest.mark.parametrize("loop", [False, True])
def test_a_table_listed_before_the_one_it_refers_to_is_published_with_its_key(tmp_path, loop):
    notes = {"name": "notes", "path": "notes.csv", "schema": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "event", "type": "integer"}], "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["event"], "reference": {"resource": "events", "fields": ["id"]}}]}}
    events = {"name": "events", "path": "events.csv", "schema": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "note", "type": "integer"}], "primaryKey": ["id"],
        **({"foreignKeys": [{"fields": ["note"], "reference": {"resource": "notes", "fields": ["id"]}}]} if loop else {})}}
    root = write_package(tmp_path, [notes, events], {"notes.csv": [["id", "event"], ["1", "7"]],
                                                      "events.csv": [["id", "note"], ["7", "1"]]})
    assert findings_of(root) == (0, [])
    _, db = published(root)
    keys = {(table, row["from"], row["table"]) for table in ("notes", "events")
            for row in db.execute(f"pragma foreign_key_list({table})")}
    assert keys == {("notes", "event", "events")} | ({("events", "note", "notes")} if loop else set())
    assert [tuple(row) for row in db.execute("select event from notes")] == [(7,)]


def not_before_package(tmp_path, kind, rows):
    """events (a, b, began, a partial date) and refs (c, d, at of `kind`,
    notBefore events.began) referring to them by both fields."""
    events = {"name": "events", "path": "events.csv", "schema": {
        "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"},
                   {"name": "began", "type": "string", "partialDate": True}]}}
    refs = {"name": "refs", "path": "refs.csv", "schema": {
        "fields": [{"name": "c", "type": "integer"}, {"name": "d", "type": "integer"},
                   {"name": "at", "type": kind, "notBefore": "events.began"}],
        "foreignKeys": [{"fields": ["c", "d"], "reference": {"resource": "events", "fields": ["a", "b"]}}]}}
    return write_package(tmp_path, [events, refs], {
        "events.csv": [["a", "b", "began"], ["1", "1", "2020-01-01"], ["1", "2", "2021"], ["2", "", "2019-05"]],
        "refs.csv": [["c", "d", "at"]] + rows})


def test_not_before_compares_with_the_row_the_whole_key_points_at(tmp_path):
    # (1, 2) began in 2021, (1, 1) on 2020-01-01: the first field alone would pick either.
    rows = [["1", "2", "2020-06-01"], ["1", "1", "2020-06-01"], ["1", "2", "2022-01-01"], ["2", "", "2019-05-10"]]
    _, findings = findings_of(not_before_package(tmp_path, "date", rows))
    assert checks(findings) == [("refs.csv", 2, 3, "date-order")]
    assert checks(findings, "warning") == [("refs.csv", 5, 3, "date-order")]
    assert "before c 1, d 2 began (began 2021 in events.csv)" in findings[0]["message"]


def test_not_before_checks_the_row_of_each_key_to_the_resource(tmp_path):
    people = {"name": "people", "path": "people.csv", "schema": {
        "fields": [{"name": "pid", "type": "string"}, {"name": "born", "type": "date"}], "primaryKey": ["pid"]}}
    events = {"name": "events", "path": "events.csv", "schema": {
        "fields": [{"name": "eid", "type": "string"}, {"name": "witness", "type": "string"},
                   {"name": "victim", "type": "string"}, {"name": "on", "type": "date", "notBefore": "people.born"}],
        "foreignKeys": [{"fields": [f], "reference": {"resource": "people", "fields": ["pid"]}}
                        for f in ("witness", "victim")]}}
    root = write_package(tmp_path, [people, events], {
        "people.csv": [["pid", "born"], ["old", "1950-01-01"], ["young", "2000-01-01"]],
        "events.csv": [["eid", "witness", "victim", "on"], ["e1", "old", "young", "1990-01-01"],
                       ["e2", "young", "old", "1990-01-01"], ["e3", "young", "young", "1980-01-01"],
                       ["e4", "old", "old", "1990-01-01"]]})
    _, findings = findings_of(root)
    assert [(f["line"], f["message"].split(" began")[0]) for f in findings] == [
        (2, "on 1990-01-01 is before victim young"), (3, "on 1990-01-01 is before witness young"),
        (4, "on 1980-01-01 is before witness young")]  # one finding for the cell, however many keys it fails


@pytest.mark.parametrize("kind", ["string", "integer", "datetime"])
def test_not_before_on_a_field_that_is_no_date_is_a_schema_finding(tmp_path, kind):
    code, findings = findings_of(not_before_package(tmp_path, kind, [["1", "2", "2021"]]))
    assert code == 1
    assert schema_findings(findings) == [("schema", "at")]
    assert "expected two dates (partial or not)" in findings[0]["message"]


def test_a_row_referring_to_a_withheld_row_by_a_partly_empty_key_is_withheld(tmp_path):
    """A key of two fields, one empty, points at the row with the same empty
    cell (as the foreign-key rule reads it): that row is withheld, so the
    referring one is, or is an error where it is marked public itself."""
    mark = {"name": "visibility", "type": "string", "constraints": {"enum": ["public", "withheld"]},
            "withholdsRow": {"value": "withheld", "reason": "why"}}
    pairs = {"name": "pairs", "path": "pairs.csv", "schema": {
        "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}, mark,
                   {"name": "why", "type": "string"}]}}

    def refs(marked):
        return {"name": "refs", "path": "refs.csv", "schema": {
            "fields": [{"name": "c", "type": "integer"}, {"name": "d", "type": "string"},
                       {"name": "note", "type": "string"}] + ([mark, {"name": "why", "type": "string"}] if marked else []),
            "foreignKeys": [{"fields": ["c", "d"], "reference": {"resource": "pairs", "fields": ["a", "b"]}}]}}
    tables = {"pairs.csv": [["a", "b", "visibility", "why"], ["1", "", "withheld", "no consent"],
                            ["1", "x", "public", ""]],
              "refs.csv": [["c", "d", "note"], ["1", "", "secret note"], ["1", "x", "public note"]]}
    root = write_package(tmp_path, [pairs, refs(False)], tables)
    assert findings_of(root) == (0, [])
    parquet, db = published(root)
    assert [r["note"] for r in parquet["refs"]] == ["public note"]
    assert [tuple(r) for r in db.execute("select note from refs")] == [("public note",)]
    tables["refs.csv"] = [row + extra for row, extra in zip(tables["refs.csv"], [["visibility", "why"], ["public", ""],
                                                                                   ["public", ""]])]
    _, findings = findings_of(write_package(tmp_path, [pairs, refs(True)], tables))
    assert checks(findings) == [("refs.csv", 2, 4, "withheld-reference")]


@pytest.mark.parametrize("pattern", [None, ".*", "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"])
def test_a_partial_date_in_no_form_of_one_is_a_finding_whatever_the_pattern_admits(tmp_path, pattern):
    """Text that is no partial date has no days for the rules to compare by:
    the pattern finding when the field's pattern refuses it, otherwise one
    of its own (it was accepted and published without its days)."""
    spec = {"name": "on", "type": "string", "partialDate": True,
            **({"constraints": {"pattern": pattern}} if pattern else {})}
    cells = ["2017", "٢٠١٧", "2017-5", " 2017", "2017-05-13T10:00", "2017-05", "2017-02-30"]
    root = write_package(tmp_path, [people([{"name": "id", "type": "string"}, spec])],
                         {"people.csv": [["id", "on"]] + [[str(n), cell] for n, cell in enumerate(cells)]})
    _, findings = findings_of(root)
    refused = "pattern" if pattern and pattern != ".*" else "partial-date"
    assert checks(findings) == [("people.csv", line, 2, refused) for line in (3, 4, 5, 6)] + \
        [("people.csv", 8, 2, "date-invalid")]
    assert "expected a date written YYYY, YYYY-MM or YYYY-MM-DD" in findings[0]["message"]


def test_a_value_whose_accents_are_written_apart_is_told_why_it_does_not_match(tmp_path):
    """`Elçin` with c and a combining cedilla looks like the allowed `Elçin`
    and the source id it cites: the finding says what differs."""
    import unicodedata

    apart = unicodedata.normalize("NFD", "Elçin")
    sources = {"name": "sources", "path": "sources.csv", "schema": {
        "fields": [{"name": "sid", "type": "string"}], "primaryKey": ["sid"]}}
    fields = [{"name": "id", "type": "string"},
              {"name": "name", "type": "string", "constraints": {"enum": ["Elçin", "Elchin"]}},
              {"name": "cites", "type": "string", "sourceList": {"resource": "sources", "field": "sid"}}]
    root = write_package(tmp_path, [sources, people(fields)], {
        "sources.csv": [["sid"], ["Elçin"]],
        "people.csv": [["id", "name", "cites"], ["1", apart, apart], ["2", "Elchin", "Elçin"], ["3", "Elcin", "Elçin"]]})
    _, findings = findings_of(root)
    assert checks(findings) == [("people.csv", 2, 2, "enum"), ("people.csv", 2, 3, "unknown-source"),
                                ("people.csv", 4, 2, "enum")]
    apart_notes = ["written as a letter and a separate accent" in f["message"] for f in findings]
    assert apart_notes == [True, True, False]
    # and a header label so written
    root = write_package(tmp_path, [people([{"name": "id"}, {"name": "Elçin"}])], {"people.csv": [["id", apart], ["1", "x"]]})
    _, findings = findings_of(root)
    assert [f["check"] for f in findings] == ["header"]
    assert "written as a letter and a separate accent" in findings[0]["message"]


def test_keys_that_differ_only_in_how_their_accents_are_written_are_a_warning(tmp_path):
    """Two keys, `Hüseynov` as one letter and as u with a combining diaeresis,
    are two keys to Table Schema and one to a reader: each row is told of the
    other, in a primary key and in a unique field; keys written alike, and
    unlike keys, are not."""
    import unicodedata

    apart = unicodedata.normalize("NFD", "Hüseynov")
    fields = [{"name": "id", "type": "string"}, {"name": "nick", "type": "string", "constraints": {"unique": True}}]
    root = write_package(tmp_path, [people(fields)], {"people.csv": [
        ["id", "nick"], ["Hüseynov", "Elçin"], ["Huseynov", "Elchin"], [apart, unicodedata.normalize("NFD", "Elçin")],
        ["Qafarov", "Qafarov"]]})
    code, findings = findings_of(root)
    assert code == 0 and checks(findings, "warning") == [
        ("people.csv", 2, 1, "look-alike-key"), ("people.csv", 2, 2, "look-alike-key"),
        ("people.csv", 4, 1, "look-alike-key"), ("people.csv", 4, 2, "look-alike-key")]
    assert f"looks the same as '{apart}' on line 4" in findings[0]["message"]
    assert "on line 2" in findings[2]["message"]
