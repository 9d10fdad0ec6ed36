"""The published Parquet as analysts load it, with no options: pandas,
polars and DuckDB get the types and the rank order the schemas declare.

Everything expected is read from the schemas of a small fixture package
whose ranks are written out of ladder order on purpose."""

import csv
import json

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, copy_package

# Ranks out of ladder order (and out of alphabetical order), with a blank.
RANKS = ["mayor", "esger", "", "general_mayor", "kapitan", "bas_esger"]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    package = copy_package(tmp_path_factory.mktemp("consumers"), FIXTURES / "small")
    with open(package / "seeds" / "victims.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for number, rank in enumerate(RANKS, start=10):
            writer.writerow([f"v-0{number}", "case-tartar", f"Test Person {chr(65 + number)}", "",
                             "serviceman", rank, "", "Held.", "", "src-wikipedia-tartar-case", "public", ""])
    from datapackage.publish.build import publish
    publish(package / "datapackage.json", package / "dist")
    return package


def schemas(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: json.loads((package / r["schema"]).read_text(encoding="utf-8")) for r in descriptor["resources"]}


def fields(package, test):
    return [(name, spec) for name, schema in schemas(package).items() for spec in schema["fields"] if test(spec)]


def integers(package):
    return fields(package, lambda spec: spec.get("type") == "integer")


def partial_dates(package):
    return fields(package, lambda spec: spec.get("partialDate"))


def ordered(package):
    return fields(package, lambda spec: spec.get("categoriesOrdered"))


def parquet(package, name):
    return str(package / "dist" / "parquet" / f"{name}.parquet")


def test_the_fixture_has_what_the_tests_need(release):
    assert integers(release) and partial_dates(release) and ordered(release)
    blanks = pd.read_csv(release / "seeds" / "statements.csv", dtype=str, keep_default_na=False)
    assert (blanks[[spec["name"] for name, spec in integers(release) if name == "statements"]] == "").any().any()


def test_pandas_reads_nullable_integers_as_int64(release):
    for name, spec in integers(release):
        column = pd.read_parquet(parquet(release, name))[spec["name"]]
        assert str(column.dtype) == "Int64", (name, spec["name"])


def test_pandas_reads_date_bounds_as_datetimes(release):
    for name, spec in partial_dates(release):
        frame = pd.read_parquet(parquet(release, name))
        for bound in ("_from", "_to"):
            column = frame[spec["name"] + bound]
            assert pd.api.types.is_datetime64_dtype(column), (name, column.name, column.dtype)
            column.dt.year  # what failed when the bounds were Python dates


def test_pandas_keeps_the_rank_ladder_as_an_ordered_category(release):
    for name, spec in ordered(release):
        column = pd.read_parquet(parquet(release, name))[spec["name"]]
        assert column.cat.ordered and list(column.cat.categories) == spec["constraints"]["enum"]


def in_schema_order(spec, values):
    ladder = spec["constraints"]["enum"]
    return sorted(values, key=ladder.index)


def test_polars_sorts_by_the_order_column_in_ladder_order(release):
    for name, spec in ordered(release):
        frame = pl.read_parquet(parquet(release, name))
        ranks = frame.sort(spec["name"] + "_order")[spec["name"]].drop_nulls().cast(pl.String).to_list()
        assert len(ranks) > 2 and ranks == in_schema_order(spec, ranks)
        assert frame[spec["name"] + "_order"].dtype == pl.Int64


def test_polars_types(release):
    for name, spec in integers(release):
        assert pl.read_parquet(parquet(release, name))[spec["name"]].dtype == pl.Int64
    for name, spec in partial_dates(release):
        assert isinstance(pl.read_parquet(parquet(release, name))[spec["name"] + "_from"].dtype, pl.Datetime)


def test_duckdb_orders_by_the_order_column_and_reads_the_types(release):
    for name, spec in ordered(release):
        column = spec["name"]
        rows = duckdb.sql(f"select {column} from read_parquet('{parquet(release, name)}') "
                          f"where {column} is not null order by {column}_order").fetchall()
        ranks = [rank for (rank,) in rows]
        assert len(ranks) > 2 and ranks == in_schema_order(spec, ranks)
    for name, spec in integers(release) + partial_dates(release):
        types = dict(duckdb.sql(f"select column_name, column_type from (describe select * from "
                                f"read_parquet('{parquet(release, name)}'))").fetchall())
        if spec.get("partialDate"):
            assert types[spec["name"] + "_from"] == types[spec["name"] + "_to"] == "TIMESTAMP"
        else:
            assert types[spec["name"]] == "BIGINT"


def test_order_column_is_the_position_in_the_schema_list(release):
    for name, spec in ordered(release):
        frame = pd.read_parquet(parquet(release, name))
        known = frame[frame[spec["name"]].notna()]
        positions = [spec["constraints"]["enum"].index(value) + 1 for value in known[spec["name"]]]
        assert known[spec["name"] + "_order"].tolist() == positions
        assert frame.loc[frame[spec["name"]].isna(), spec["name"] + "_order"].isna().all()


def test_every_parquet_column_is_described_beside_the_files(release):
    dictionary = (release / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    for name in schemas(release):
        for field in pq.read_schema(parquet(release, name)):
            about = field.metadata[b"description"].decode("utf-8")
            assert about and f"| `{field.name}` |" in dictionary and about in dictionary, (name, field.name)


def test_a_package_without_readme_licences_or_citation_still_publishes(release):
    assert not list(release.glob("*.cff")) and not list(release.glob("LICENSE*"))
    assert sorted(p.name for p in (release / "dist").glob("*.md")) == ["data-dictionary.md"]
