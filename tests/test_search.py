"""Search across spellings: the folded keys, the full-text index built from a
typed Arrow table, the match expressions, and what the schemas declare."""

import json
import sqlite3
import time

import polars as pl
import pyarrow as pa
import pytest

from conftest import ROOT
from datapackage.folding import search_keys
from datapackage.names import fold, search_key, without_patronymic
from datapackage.package import Resource
from datapackage.publish.bulk import append
from datapackage.publish.search_index import create_search_index, match_expression, search_parts, name_expression, person_expression

SPELLINGS = [
    ("Gafarov", "Qafarov", "Гафаров"),
    ("Guseynov", "Hüseynov", "Huseynov"),
    ("Elchin", "Elçin"),
    ("Ahmedov", "Əhmədov"),
    ("Mammadov", "Məmmədov", "Mamedov"),
]
PEOPLE = ["Saleh Şərif oğlu Qafarov", "Mehman Hüseynov", "Elçin Əhmədov", "Ruslan Məmmədov", "Adil Sabirli"]


@pytest.mark.parametrize("group", SPELLINGS)
def test_spellings_of_one_name_give_one_key(group):
    assert len({search_key(name) for name in group}) == 1


def test_different_names_keep_different_keys():
    assert len({search_key(name) for name in PEOPLE}) == len(PEOPLE)


def test_fold_is_unchanged_for_duplicate_person_warnings():
    import pandas as pd
    keys = fold(pd.Series(["Saleh Şərif oğlu Qafarov", "Saleh Gafarov", "Salekh Gafarov"]))
    assert keys.nunique() == 1


@pytest.mark.parametrize("name", ["Elçin Əhmədov", "Saleh Şərif oğlu Qafarov", "Mehman Hüseynov", "İlham Ağazadə"])
def test_a_name_whose_accents_are_written_apart_folds_as_the_one_it_shows(name):
    """A letter and its accent as two characters (as macOS and some keyboards
    give them: c and a combining cedilla) are the letter they show, in the
    search keys, the person-duplicate key and both foldings."""
    import unicodedata

    from datapackage.folding import fold as fold_column
    apart = unicodedata.normalize("NFD", name)
    assert apart != name
    assert search_key(apart) == search_key(name)
    assert fold_column(pl.Series([apart])).to_list() == fold_column(pl.Series([name])).to_list()
    import pandas as pd
    assert fold(pd.Series([apart])).tolist() == fold(pd.Series([name])).tolist()


def test_patronymic_left_out_for_mentions():
    assert without_patronymic("Saleh Şərif oğlu Qafarov") == "Saleh Qafarov"


def resource(search: dict) -> Resource:
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
              {"name": "summary", "type": "string"}, {"name": "kind", "type": "string"},
              {"name": "source_ids", "type": "string", "sourceList": {"resource": "sources"}}]
    return Resource("people", "people.csv", None, {"fields": fields, "primaryKey": ["id"], "search": search})


def indexed(path, rows: list[dict], search: dict) -> sqlite3.Connection:
    """A table and its index built from typed columns (a categorical and a list
    among them), the keys out of order so that rowids are not positions."""
    conn = sqlite3.connect(path)
    conn.execute("create table people (id integer primary key, name text, summary text, kind text, source_ids text)")
    conn.executemany("insert into people (id, name) values (?, ?)", [(r["id"], r["name"]) for r in rows])
    table = pa.table({
        "id": pa.array([r["id"] for r in rows], pa.int64()),
        "name": pa.array([r["name"] for r in rows], pa.string()),
        "summary": pa.array([r.get("summary") for r in rows], pa.string()),
        "kind": pa.array(["a"] * len(rows)).dictionary_encode(),
        "source_ids": pa.array([["src-a", "src-b"]] * len(rows), pa.list_(pa.string())),
    })
    if create_search_index(conn, resource(search)):
        conn.commit()
        frame = pl.from_arrow(table)
        append(path, "people_fts", search_parts(resource(search), [(frame, frame["id"])]))
    return conn


def found(conn, expression: str) -> set[int]:
    return {r[0] for r in conn.execute(
        "select id from people where rowid in (select rowid from people_fts where people_fts match ?)", [expression])}


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    rows = [{"id": i, "name": name, "summary": "Testified about Elchin Ahmedov." if i == 4 else None}
            for i, name in reversed(list(enumerate(PEOPLE)))]
    # kind (dictionary-encoded) and source_ids (a list) as publish types them
    return indexed(tmp_path_factory.mktemp("search") / "people.db", rows,
                   {"name": ["name"], "text": ["summary", "kind", "source_ids"]})


@pytest.mark.parametrize("group", SPELLINGS)
def test_every_spelling_finds_the_same_people(people, group):
    results = [found(people, match_expression(name)) for name in group]
    assert results[0] and all(r == results[0] for r in results)


def test_a_first_name_and_surname_find_a_person_across_the_patronymic(people):
    assert found(people, person_expression("Saleh Gafarov")) == {0}
    assert found(people, person_expression("Gafarov Saleh")) == {0}
    assert found(people, person_expression("Elchin Ahmedov")) == {2}


def test_person_expression_searches_names_only(people):
    assert found(people, person_expression("Testified")) == set()
    assert found(people, match_expression("Testified")) == {4}


def test_mentions_in_text_are_found_by_name(people):
    assert 4 in found(people, name_expression(["Elchin Ahmedov", "Elçin Əhmədov"]))


def test_words_as_typed_still_match(people):
    assert found(people, match_expression("Sabirli")) == {4}
    assert found(people, match_expression("src-b")) == set(range(len(PEOPLE)))


def test_text_folds_the_words_with_a_capital_only(tmp_path):
    """A text field's names are folded wherever a capital stands in them;
    its other words are found as written only, so that a word folded alike
    from an unrelated one ('the' folds to 'tga') matches nothing."""
    text = "(Qafarov) and al-Həsənov were released; the court met Гафаров"
    conn = indexed(tmp_path / "people.db", [{"id": 1, "name": "x", "summary": text}],
                   {"name": ["name"], "text": ["summary"]})
    assert found(conn, match_expression("Gafarov")) == found(conn, match_expression("Hasanov")) == {1}
    assert found(conn, match_expression("released")) == {1}
    assert found(conn, match_expression(search_key("the"))) == set()
    keys = search_keys(pl.DataFrame({"t": [text, None, "all lower case"]}), ["t"], capitals_only=True)
    assert keys.to_list() == [search_key("Qafarov al-Həsənov Гафаров"), "", ""]


@pytest.mark.parametrize("query", ['"', "''", "   ", "-", "NEAR(", "a OR", "*"])
def test_odd_queries_are_valid_expressions(people, query):
    assert isinstance(found(people, match_expression(query)), set)
    assert isinstance(found(people, person_expression(query)), set)


def test_no_declared_fields_means_no_index(tmp_path):
    conn = indexed(tmp_path / "people.db", [{"id": 1, "name": "x"}], {})
    assert conn.execute("select count(*) from sqlite_master where name = 'people_fts'").fetchone() == (0,)


def test_a_long_cell_indexes_in_well_under_a_second(tmp_path):
    letters = "Qafarov Hüseynov Əhmədov Məmmədov Гафаров chkhqxyəı "
    text = (letters * (100_000 // len(letters) + 1))[:100_000]
    # This thread's processor time: other tests' processes on the same cores do not count.
    started = time.thread_time()
    conn = indexed(tmp_path / "people.db", [{"id": 1, "name": "Saleh Qafarov", "summary": text}],
                   {"name": ["name"], "text": ["summary"]})
    elapsed = time.thread_time() - started
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    assert found(conn, match_expression("Mamedov")) == {1}


def test_key_time_grows_linearly_with_the_text():
    word = "Məmmədov-Qafarov "

    def timed(n: int) -> float:
        text = word * n
        started = time.thread_time()
        search_key(text)
        return time.thread_time() - started

    timed(1000)  # warm up the compiled patterns
    small, large = min(timed(2000) for _ in range(3)), min(timed(16000) for _ in range(3))
    assert large < small * 8 * 3  # eight times the text, well under eight-squared the time


@pytest.mark.parametrize("name", [p.stem for p in (ROOT / "schemas").glob("*.json")])
def test_declared_site_fields_exist_in_the_schema(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    fields = {f["name"] for f in schema["fields"]}
    declared = [*schema.get("search", {}).get("name", []), *schema.get("search", {}).get("text", []),
                *schema.get("tableColumns", []), *schema.get("citeFields", [])]
    declared += [schema["labelField"]] if "labelField" in schema else []
    assert set(declared) <= fields
    assert set(schema.get("search", {})) <= {"name", "text"}


def test_column_fold_gives_the_keys_of_the_one_name_fold():
    """The whole-column fold of the duplicate-person rule (word by word) and
    the reference fold of one name at a time agree, spaces, patronymics,
    Cyrillic and marks included."""
    import pandas as pd
    import polars as pl

    from datapackage.folding import fold as column_fold
    names = ["Saleh Şərif oğlu Qafarov", "  Ah  Beh\tc ", "", "O'Brien-Agazadeh", "Гафаров Эльчин", "ah\th",
             "x  y", "İlkin ƏHMƏDOV", "abc oglu", "Ağa oğlu Zadeh  ", "Salekh Gafarov", "Məmməd Cəfərov qızı Nuriyə"]
    assert column_fold(pl.Series(names)).to_list() == fold(pd.Series(names)).to_list()
    assert column_fold(pl.Series([None, "Elçin"], dtype=pl.String)).to_list() == ["", "alcgin"]  # empty, not null
