"""Each bad input is a small mutation of a copy of the real package; each
asserts the exact finding (path, line, column, field, check) and exit code."""

import csv
import io
import json

import pytest

from conftest import ROOT, invoke, run


def first(package, name, field):
    with open(package / "seeds" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f))[field]


def append(package, name, *rows, ending="\n") -> int:
    """Append rows; return the physical line of the first one."""
    path = package / "seeds" / f"{name}.csv"
    data = path.read_bytes()
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows(rows)
    path.write_bytes(data + out.getvalue().encode("utf-8"))
    return data.count(b"\n") + 1


def victim(package, victim_id="v-900", rank="kapitan", what="Held in custody.", name="Test Person Birinci"):
    case, source = first(package, "cases", "case_id"), first(package, "sources", "source_id")
    return [victim_id, case, name, "", "serviceman", rank, "", what, "", source, "public", ""]


def statement(package, made_on="2021", value_min="1", value_max="1", sources=None):
    case, source = first(package, "cases", "case_id"), first(package, "sources", "source_id")
    return ["st-900", case, made_on, "", "Test NGO", "ngo", "deaths", value_min, value_max, "", "Test.",
            source if sources is None else sources, "stated", "", "public", ""]


def validate(package):
    result = invoke("validate", "--format", "json", cwd=package)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def errors(findings):
    return [(f["path"], f["line"], f["column"], f["field"], f["check"]) for f in findings if f["severity"] == "error"]


def misspelt_rank(p):
    line = append(p, "victims", victim(p, rank="kapitn"))
    return [("seeds/victims.csv", line, 6, "rank", "enum")]


def death_before_arrest(p):
    append(p, "victims", victim(p))
    line = append(p, "deaths", ["v-900", "2017-05-04", "2017-05-01", "", "", first(p, "sources", "source_id"), "public", ""])
    return [("seeds/deaths.csv", line, 3, "date_of_death", "date-order")]


def missing_source(p):
    line = append(p, "statements", statement(p, sources=""))
    return [("seeds/statements.csv", line, 12, "source_ids", "required")]


def unknown_source(p):
    line = append(p, "statements", statement(p, sources=first(p, "sources", "source_id") + ";src-no-such-source"))
    return [("seeds/statements.csv", line, 12, "source_ids", "unknown-source")]


def empty_source_entry(p):
    line = append(p, "statements", statement(p, sources=first(p, "sources", "source_id") + ";"))
    return [("seeds/statements.csv", line, 12, "source_ids", "source-empty")]


def duplicate_id(p):
    line = append(p, "victims", victim(p, victim_id=first(p, "victims", "victim_id")))
    return [("seeds/victims.csv", line, 1, "victim_id", "unique")]


def dangling_foreign_key(p):
    line = append(p, "deaths", ["v-999", "", "", "", "", first(p, "sources", "source_id"), "public", ""])
    return [("seeds/deaths.csv", line, 1, "victim_id", "foreign-key")]


def impossible_date(p):
    line = append(p, "statements", statement(p, made_on="2019-02-30"))
    return [("seeds/statements.csv", line, 3, "made_on", "date-invalid")]


def malformed_date(p):
    line = append(p, "statements", statement(p, made_on="2019-2-3"))
    return [("seeds/statements.csv", line, 3, "made_on", "pattern")]


def future_date(p):
    line = append(p, "statements", statement(p, made_on="2099-01-01"))
    return [("seeds/statements.csv", line, 3, "made_on", "date-future")]


def min_above_max(p):
    line = append(p, "statements", statement(p, value_min="10", value_max="5"))
    return [("seeds/statements.csv", line, 9, "value_max", "value-order")]


def not_a_number(p):
    line = append(p, "statements", statement(p, value_min="ten", value_max=""))
    return [("seeds/statements.csv", line, 8, "value_min", "type")]


def ragged_row(p):
    line = append(p, "victims", victim(p)[:4])
    return [("seeds/victims.csv", line, 5, "role", "missing-cell")]


def extra_cell(p):
    line = append(p, "victims", victim(p) + ["surplus"])
    return [("seeds/victims.csv", line, len(victim(p)) + 1, None, "extra-cell")]


def extra_column(p):
    path = p / "seeds" / "victims.csv"
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(row + ["comment" if i == 0 else ""] for i, row in enumerate(table))
    return [("seeds/victims.csv", 1, len(table[0]) + 1, "comment", "extra-column")]


def not_utf8(p):
    path = p / "seeds" / "victims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8") + "v-900,x,Süleyman\n".encode("latin-1"))
    line = text.count("\n") + 1
    return [("seeds/victims.csv", line, 3, None, "encoding")]


def missing_file(p):
    (p / "seeds" / "trials.csv").unlink()
    return [("seeds/trials.csv", None, None, None, "file-missing")]


def multiline_cell_before_error(p):
    append(p, "victims", victim(p, what="First line.\nSecond line.\nThird line."))
    line = append(p, "victims", victim(p, victim_id="v-901", rank="kapitn", name="Test Person Ikinci"))
    return [("seeds/victims.csv", line, 6, "rank", "enum")]


def crlf_line_endings(p):
    for path in (p / "seeds").glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    line = append(p, "victims", victim(p, rank="kapitn"), ending="\r\n")
    return [("seeds/victims.csv", line, 6, "rank", "enum")]


def unclosed_quote(p):
    """A quote opened in the last cell of a row and never closed: every line
    after it, here a whole row, is read into that cell."""
    path = p / "seeds" / "sources.csv"
    row = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8").split("\n", 2)[1])))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(["src-900", *row[1:7], "", ""])
    line = append(p, "sources")
    swallowed = out.getvalue().replace("src-900", "src-901")
    path.write_bytes(path.read_bytes() + f'{out.getvalue()[:-1]},"Kept for review\n{swallowed}\n'.encode())
    return [("seeds/sources.csv", line, 9, "notes", "unclosed-quote")]


def unquoted_comma(p):
    """A comma typed in a summary without quotes: one row with a cell too
    many, and the person's death, which refers to that row, still finds it."""
    path = p / "seeds" / "victims.csv"
    line = path.read_bytes().count(b"\n") + 1
    row = victim(p, what="Held in custody")
    path.write_bytes(path.read_bytes() + (",".join(row).replace("Held in custody", "Held, then tortured") + "\n").encode())
    append(p, "deaths", ["v-900", "", "", "", "", first(p, "sources", "source_id"), "public", ""])
    return [("seeds/victims.csv", line, len(row) + 1, None, "extra-cell")]


def rewrite_columns(p, change) -> None:
    """victims.csv with `change(row)` made to its header and every row."""
    path = p / "seeds" / "victims.csv"
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(change(row) for row in table)


def moved_column(p):
    """A column moved in a spreadsheet: one finding, not one in every row
    whose cells would be read as the fields of their new places."""
    rewrite_columns(p, lambda row: row[:4] + row[5:8] + [row[4]] + row[8:])
    return [("seeds/victims.csv", 1, 5, "role", "header")]


def moved_and_renamed_column(p):
    """A column moved to the end and renamed there: one finding, which names
    both the column not in the schema and the one missing."""
    rewrite_columns(p, lambda row: row[:2] + row[3:] + [row[2] if row[0] != "victim_id" else "full_name"])
    return [("seeds/victims.csv", 1, 3, "name", "header")]


def deleted_column(p):
    """A column deleted from the middle: the columns after it would be read
    as the fields before them."""
    rewrite_columns(p, lambda row: row[:3] + row[4:])
    return [("seeds/victims.csv", 1, 4, "name_variants", "header")]


def line_break_unquoted(p):
    """A line break typed in a cell that is not in quotes: one row cut in
    two, one finding at the cell that holds the break."""
    path = p / "seeds" / "victims.csv"
    line = path.read_bytes().count(b"\n") + 1
    row = victim(p, what="Held in custody")
    path.write_bytes(path.read_bytes() + (",".join(row).replace("Held in custody", "Held\nin custody") + "\n").encode())
    return [("seeds/victims.csv", line, 8, "what_happened", "missing-cell")]


def date_with_time(p):
    """A date a spreadsheet reformatted: too long and not in its form, one mistake."""
    line = append(p, "statements", statement(p, made_on="2019-02-03 00:00:00"))
    return [("seeds/statements.csv", line, 3, "made_on", "pattern")]


def key_with_capital(p):
    """A key not in its form that therefore refers to nothing: one mistake."""
    line = append(p, "deaths", [first(p, "victims", "victim_id").upper(), "", "", "", "",
                                first(p, "sources", "source_id"), "public", ""])
    return [("seeds/deaths.csv", line, 1, "victim_id", "pattern")]


CASES = [misspelt_rank, death_before_arrest, missing_source, unknown_source, empty_source_entry, duplicate_id,
         dangling_foreign_key, impossible_date, malformed_date, future_date, min_above_max, not_a_number,
         ragged_row, extra_cell, extra_column, not_utf8, missing_file, multiline_cell_before_error,
         crlf_line_endings, unclosed_quote, date_with_time, key_with_capital, unquoted_comma,
         moved_column, moved_and_renamed_column, deleted_column, line_break_unquoted]


@pytest.mark.parametrize("mutate", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_gives_exactly_one_error(package, mutate):
    expected = mutate(package)
    code, findings = validate(package)
    assert errors(findings) == expected
    assert code == 1


def test_a_column_moved_and_renamed_is_named_as_both(package):
    schema = json.loads((package / "schemas" / "victims.json").read_text(encoding="utf-8"))
    moved_and_renamed_column(package)
    _, findings = validate(package)
    [message] = [f["message"] for f in findings if f["check"] == "header"]
    assert "'full_name' is not in the schema" in message and "'name' is missing, perhaps renamed" in message
    assert ", ".join(f["name"] for f in schema["fields"]) in message  # the order to restore


def test_crlf_endings_alone_are_not_an_error(package):
    for path in (package / "seeds").glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    code, findings = validate(package)
    assert errors(findings) == []
    assert code == 0


def test_messages_say_what_was_expected(package):
    death_before_arrest(package)
    _, findings = validate(package)
    (finding,) = [f for f in findings if f["check"] == "date-order"]
    assert finding["message"] == "date_of_death 2017-05-01 is before date_of_arrest 2017-05-04"
    assert finding["value"] == "2017-05-01"


def test_partial_dates_possibly_out_of_order_are_a_warning(package):
    append(package, "victims", victim(package))
    line = append(package, "deaths", ["v-900", "2017-05", "2017-05-02", "", "", first(package, "sources", "source_id"), "public", ""])
    code, findings = validate(package)
    assert [(f["line"], f["check"], f["severity"]) for f in findings if f["path"] == "seeds/deaths.csv"] == [
        (line, "date-order", "warning")]
    assert code == 0


def test_possible_duplicate_person_is_a_warning_naming_both_lines(package):
    first_line = append(package, "victims", victim(package, name="Mehman Hüseynov Test"))
    line = append(package, "victims", victim(package, victim_id="v-901", name="Mehman Guseynov Test"))
    _, findings = validate(package)
    (finding,) = [f for f in findings if f["check"] == "possible-duplicate" and f["line"] == line]
    assert finding["severity"] == "warning"
    assert finding["message"] == (f"name 'Mehman Guseynov Test' may be the same person as "
                                  f"'Mehman Hüseynov Test' on line {first_line}")


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "not valid JSON"),
])
def test_no_package_to_look_at_exits_2(tmp_path, content, message):
    if content is not None:
        (tmp_path / "datapackage.json").write_text(content)
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def text_fields(schemas):
    """(resource, field spec) of every text field of the schemas in a folder."""
    for path in sorted(schemas.glob("*.json")):
        for spec in json.loads(path.read_text(encoding="utf-8"))["fields"]:
            if spec.get("type", "string") in ("string", "any"):
                yield path.stem, spec


def test_every_text_field_of_our_schemas_declares_its_longest_value():
    undeclared = [f"{resource}.{spec['name']}" for resource, spec in text_fields(ROOT / "schemas")
                  if "maxLength" not in spec.get("constraints", {})]
    assert undeclared == [], f"declare constraints.maxLength in schemas/ for: {', '.join(undeclared)}"


def test_a_cell_one_character_over_its_declared_length_is_an_error_at_its_place(small_package):
    """Every declared limit holds: the first row of each table gets one
    character too many in every text field. In a field with a form (a
    pattern or allowed values) the x's are first of all not in that form,
    and that is the one finding."""
    limits, forms = {}, {}
    for resource, spec in text_fields(small_package / "schemas"):
        path = small_package / "seeds" / f"{resource}.csv"
        with open(path, encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        column = table[0].index(spec["name"])
        limit = spec["constraints"]["maxLength"]
        table[1][column] = "x" * (limit + 1)
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(table)
        form = next((c for c in ("pattern", "enum") if c in spec["constraints"]), None)
        (forms if form else limits)[(f"seeds/{resource}.csv", 2, column + 1, spec["name"])] = form or limit
    code, findings = validate(small_package)
    over = {(f["path"], f["line"], f["column"], f["field"]): f["message"] for f in findings if f["check"] == "maxLength"}
    assert set(over) == set(limits)
    assert {(f["path"], f["line"], f["column"], f["field"]): f["check"] for f in findings
            if f["check"] in ("pattern", "enum")} == forms
    for place, limit in limits.items():
        assert over[place].endswith(f"is longer than the maximum of {limit} characters"), over[place]
    assert code == 1


def test_a_cell_too_many_says_a_comma_must_be_quoted(package):
    unquoted_comma(package)
    _, findings = validate(package)
    (finding,) = [f for f in findings if f["check"] == "extra-cell"]
    assert finding["message"].endswith('a cell that holds a comma must be in double quotes ("Held, then released"), '
                                       "or it is read as two cells; or, if the line ends with a comma too many, "
                                       "remove it")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_file_saved_as_utf16_is_named_so(small_package, encoding):
    path = small_package / "seeds" / "victims.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    code, findings = validate(small_package)
    assert code == 1 and errors(findings) == [("seeds/victims.csv", 1, 1, None, "encoding")]
    assert findings[0]["message"] == ('the file is saved as UTF-16 (a spreadsheet\'s "Unicode text"), not UTF-8; '
                                      'save it as "CSV UTF-8 (comma delimited)"')


def test_a_byte_of_another_encoding_is_named_as_the_letter_it_likely_is(package):
    not_utf8(package)
    _, findings = validate(package)
    assert findings[0]["message"] == ("byte 0xfc ('ü' in Windows-1252?) is not UTF-8: the file was saved in another "
                                      'encoding; save it as UTF-8 ("CSV UTF-8" in a spreadsheet)')


def test_a_line_break_in_an_unquoted_cell_says_so(package):
    line_break_unquoted(package)
    _, findings = validate(package)
    (finding,) = [f for f in findings if f["severity"] == "error"]
    assert finding["message"] == ("the row ends in cell 8 (what_happened) and the next line holds the rest of it: a "
                                  "line break in this cell cuts the row in two; remove the line break, or put the "
                                  "whole cell in double quotes")
    assert finding["value"] == "Held"


@pytest.mark.parametrize("text", ['f0,f1\n"a"\nb,c\n', 'f0,f1\na\n"b",c\n', 'f0,f1\na\nb,c\n'])
def test_a_short_row_ending_or_followed_by_a_quoted_cell_is_not_cut_by_a_line_break(tmp_path, text):
    # A cell in quotes was whole: the short row is one missing a cell, the next a row of its own.
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "cut", "resources": [{
        "name": "t", "path": "t.csv", "schema": {"fields": [{"name": "f0"}, {"name": "f1"}]}}]}), encoding="utf-8")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    _, findings = validate(tmp_path)
    assert [(f["line"], f["column"], f["check"]) for f in findings] == [(2, 2, "missing-cell")]
    assert findings[0]["message"] == "the row has 1 cell but the header has 2 columns; expected one cell per column"


@pytest.mark.parametrize("surplus, ending", [
    ("", "; or, if the line ends with a comma too many, remove it"),
    ("surplus", 'must be in double quotes ("Held, then released"), or it is read as two cells'),
])
def test_a_cell_too_many_says_how_a_comma_made_it(package, surplus, ending):
    """An empty cell too many may be a comma left at the end of the line."""
    line = append(package, "victims", victim(package) + [surplus])
    _, findings = validate(package)
    (finding,) = [f for f in findings if f["check"] == "extra-cell"]
    assert finding["line"] == line and finding["message"].endswith(ending)


def one_table(root, text: str, fields: list[str], dialect: dict | None = None):
    """A package of one table `t.csv` of text fields, written as `text`."""
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": name} for name in fields]}}
    (root / "datapackage.json").write_text(json.dumps({"name": "one", "resources": [
        {**resource, **({"dialect": dialect} if dialect else {})}]}), encoding="utf-8")
    (root / "t.csv").write_text(text, encoding="utf-8", newline="")
    return [(f["line"], f["column"], f["check"]) for f in validate(root)[1]]


@pytest.mark.parametrize("text, expected", [
    ('f0,f1\na,b"c,d"\n', [(2, 3, "extra-cell")]),  # a quote after text, then a comma: text, not a quote
    ('f0,f1\n",a\n"x\ny",a\n', [(2, 2, "missing-cell")]),  # a quoted cell going on unquoted: its next quote
    ('f0,f1\na,"b"x"c,d"\ne,f\n', [(2, 3, "extra-cell")]),
])
def test_a_quote_the_csv_module_reads_as_text_opens_no_cell(tmp_path, text, expected):
    # Counting quotes would take each for the start of a quoted cell and join the lines after it.
    assert one_table(tmp_path, text, ["f0", "f1"]) == expected


def test_a_space_before_a_quote_is_text_where_the_dialect_keeps_spaces(tmp_path):
    assert one_table(tmp_path, 'f0,f1\na, "b,c"\n', ["f0", "f1"], {"skipInitialSpace": False}) == [(2, 3, "extra-cell")]


def test_spaces_after_delimiters_that_readers_would_guess_away_are_a_finding(tmp_path):
    """Frictionless skips them when the sniffer guesses so from the first lines; we keep them."""
    assert one_table(tmp_path, 'f0,f1\n"a", "b"\n', ["f0", "f1"]) == [(2, None, "dialect")]
    assert one_table(tmp_path, 'f0,f1\n"a", "b"\n', ["f0", "f1"], {"skipInitialSpace": False}) == []  # ` "b"`
    # The sniffer also counts spaces after a colon in JSON: no cell reads otherwise, no finding.
    assert one_table(tmp_path, 'f0,f1\n1,"{""a"": ""b""}"\n', ["f0", "f1"]) == []


def test_a_delimiter_readers_would_guess_otherwise_is_a_finding(tmp_path):
    text = 'name,note\n"A";"b",c\n"C";"d",e\n'  # Python's sniffer, which Frictionless asks, says `;`
    assert one_table(tmp_path, text, ["name", "note"]) == [(1, None, "dialect")]
    assert one_table(tmp_path, text, ["name", "note"], {"delimiter": ","}) == []


@pytest.mark.parametrize("header, expected", [
    ("f0,f0", [(1, 2, "extra-column")]),  # a column past the schema's is extra, whatever its name
    ("f0,", [(1, 2, "extra-column")]),
    ("f0 , f1", []),  # labels are read without the spaces around them, as Frictionless reads them
])
def test_header_labels_are_read_as_frictionless_reads_them(tmp_path, header, expected):
    fields = ["f0"] if header.count(",") == 1 and "f1" not in header else ["f0", "f1"]
    assert one_table(tmp_path, header + "\na,b\n", fields) == expected


@pytest.mark.parametrize("text, said", [("", "the file is empty"), ("\nf0\na\n", "the first line is empty")])
def test_a_file_without_a_header_says_whether_it_is_empty(tmp_path, text, said):
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "one", "resources": [
        {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "f0"}]}}]}), encoding="utf-8")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    (finding,) = validate(tmp_path)[1]
    assert (finding["line"], finding["check"]) == (1, "header") and finding["message"].startswith(said)
