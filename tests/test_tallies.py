"""The served release keeps the answers of Datasette's own count and facet
queries, and only those: small, per release, and the same answer again."""

import asyncio
import sqlite3

import pytest

from datapackage.site.serve import SETTINGS, release_database
from datapackage.site.tallies import MAX_KEPT, MAX_ROWS, WARMING, Tallies


# The shapes Datasette 0.65 writes (views/table.py and facets.py).
COUNT = "select count(*) from victims where case_id = :p0"
FACET = """
                select rank as value, count(*) as count from (
                    select victim_id, rank from victims
                )
                where rank is not null
                group by rank order by count desc, value limit 31
            """


@pytest.mark.parametrize("sql", [COUNT, FACET, "SELECT COUNT(*) FROM victims"])
def test_counts_and_facet_tallies_are_kept(sql):
    assert Tallies.key(sql, {"p0": "x"}) is not None


@pytest.mark.parametrize("sql", ["select * from victims", "select count(*), rank from victims group by rank",
                                 "select name from victims where name = 'select count(*) from x'"])
def test_other_queries_are_not(sql):
    assert Tallies.key(sql, None) is None


def test_parameters_are_part_of_the_key():
    assert Tallies.key(COUNT, {"p0": "a"}) != Tallies.key(COUNT, {"p0": "b"})
    assert Tallies.key(COUNT, ["a"]) != Tallies.key(COUNT, ["b"])


class Answer:
    def __init__(self, rows):
        self.rows = rows


def test_large_answers_are_not_kept_and_the_oldest_go_first():
    tallies = Tallies()
    big = Tallies.key(COUNT, ["big"])
    tallies.keep(big, Answer([(1,)] * (MAX_ROWS + 1)))
    assert tallies.get(big) is None
    keys = [Tallies.key(COUNT, [i]) for i in range(MAX_KEPT + 1)]
    for key in keys:
        tallies.keep(key, Answer([(1,)]))
    assert tallies.get(keys[0]) is None and tallies.get(keys[-1]) is not None
    assert len(tallies.kept) == MAX_KEPT


def test_a_served_release_answers_a_tally_once_and_each_release_has_its_own(small_release):
    from datasette.app import Datasette

    ds = Datasette(settings=SETTINGS)
    count = "select count(*) from victims"

    async def twice(db):
        return await db.execute(count), await db.execute(count), await db.execute("select * from victims")

    db = release_database(ds, small_release)
    first, again, rows = asyncio.run(twice(db))
    assert again is first
    direct = sqlite3.connect(small_release.folder / f"{small_release.name}.db")
    assert first.rows[0][0] == direct.execute(count).fetchone()[0]
    assert asyncio.run(twice(db))[2] is not rows  # any other query runs every time
    assert asyncio.run(twice(release_database(ds, small_release)))[0] is not first


# About 50 ms: past any facet's limit of 1 ms, well within the site's 1 s.
SLOW = "with recursive n(i) as (select 1 union all select i + 1 from n where i < 300000) select max(i) from n"


def test_the_sites_own_background_queries_get_the_sql_time_limit_not_a_facets(small_release):
    from datasette.app import Datasette
    from datasette.database import QueryInterrupted

    db = release_database(Datasette(settings=SETTINGS), small_release)

    async def ask(warming: bool):
        WARMING.set(warming)  # as `site_warm` does, in its own task
        return await db.execute(SLOW, custom_time_limit=1)

    with pytest.raises(QueryInterrupted):
        asyncio.run(ask(False))
    assert asyncio.run(ask(True)).rows[0][0] == 300000
    with pytest.raises(QueryInterrupted):  # set in that task only
        asyncio.run(ask(False))


def test_each_visible_table_is_counted_in_the_background_once_per_release(small_release):
    import importlib.util

    from datasette.app import Datasette

    from datapackage.site.serve import HERE, use

    spec = importlib.util.spec_from_file_location("site_warm", HERE / "plugins" / "site_warm.py")
    site_warm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site_warm)
    ds = Datasette(settings=SETTINGS, plugins_dir=str(HERE / "plugins"), template_dir=str(HERE / "templates"))
    use(ds, small_release)
    db = ds.databases[small_release.name]

    async def warmed():
        await ds.invoke_startup()
        return await site_warm.warm(ds, small_release.name)

    asked = asyncio.run(warmed())
    tables = small_release.metadata()["databases"][small_release.name]["tables"]
    assert asked and set(asked) == {name for name, about in tables.items() if not about.get("hidden")}
    counted = {key[0] for key in db.tallies.kept}
    assert all(any(f"from [{t}]" in sql or f"from {t} " in sql for sql in counted) for t in asked)
