"""A table's search planned for a million rows gives the answers Datasette's
own queries give: the count read from the index, the rows found by walking
the order's index, and facets past `TALLIED` matches reported as timed out."""

import asyncio
import sqlite3
import time

import pytest

from datapackage.site import search_plan
from datapackage.publish.search_index import add_search_functions
from datapackage.site.serve import SETTINGS, release_database


FTS = "rowid in (select rowid from victims_fts where victims_fts match escape_fts(:search))"
# The shapes Datasette 0.65 writes (views/table.py and facets.py).
COUNT = f"select count(*) from victims where {FTS} "
ROWS = f"select victim_id, name from victims where {FTS} order by {{order}} limit 101"
NEXT = (f"select victim_id, name from victims where {FTS} and (name > :p1 or (name = :p1 and victim_id > :p2)) "
        "order by name, victim_id limit 101")
FACET = f"""
                select rank as value, count(*) as count from (
                    select victim_id, rank from victims where {FTS}
                )
                where rank is not null
                group by rank order by count desc, value limit 31
            """


def test_the_count_of_a_search_is_read_from_the_index():
    assert search_plan.index_count(COUNT) == (
        "select count(*) from victims_fts where victims_fts match escape_fts(:search)")
    raw = COUNT.replace("escape_fts(:search)", ":search")
    assert search_plan.index_count(raw).endswith("match :search")


@pytest.mark.parametrize("sql", [
    COUNT.replace("victims where", "deaths where"),  # another table's index: rows may not match one to one
    COUNT + "and case_id = :p0",  # a filter beside the search
    COUNT.replace("victims_fts match", "[name] match"),  # a search in one column
    "select count(*) from victims", FACET,
])
def test_other_counts_run_as_written(sql):
    assert search_plan.index_count(sql) is None


@pytest.mark.parametrize("sql", [ROWS.format(order="name"), ROWS.format(order="[name] desc"), NEXT])
def test_a_page_of_a_search_may_walk_its_order(sql):
    page = search_plan.walk(sql)
    assert page.table == "victims" and page.order == "name"
    assert page.walking == sql.replace("where rowid in", "where +rowid in")
    assert page.probing == sql.replace(FTS, "exists (select 1 from victims_fts where victims_fts match "
                                            "escape_fts(:search) and victims_fts.rowid = [victims].rowid)")
    many, large = search_plan.MANY + 1, (search_plan.MANY + 1) * search_plan.DENSE
    assert page.chosen(many, {"name", "rowid"}, large + 1) == [page.walking]  # a small share of the rows
    # One row in DENSE or more: each row asked of the index, the matches gathered if that is slow.
    assert page.chosen(many, {"name", "rowid"}, large) == [page.probing, page.walking]
    assert page.chosen(search_plan.MANY, {"name"}, large) == []  # few matches: looked up one by one
    assert page.chosen(many, {"rowid"}, many) == []  # no index to walk: sorting is cheaper


@pytest.mark.parametrize("sql", [FACET, ROWS.format(order="name").replace(" order by name", ""),
                                 ROWS.format(order="name").replace(FTS, f"{FTS} and {FTS}"),
                                 ROWS.format(order="name").replace("from victims where", "from deaths where"),
                                 "select * from victims order by name limit 10"])
def test_other_queries_are_not_walked(sql):
    assert search_plan.walk(sql) is None


HOSTILE = {  # a visitor's SQL, 16 KB (about the longest request line the server reads)
    "repeated facet parts": " select x as value, count(*) as count from (select " + "a) where b group by " * 800,
    "repeated orders": "select a from t where " + "order by x, " * 1300,
    "a long word after from": "select a from t where rowid in (select rowid from " + "a" * 16000,
    "repeated searches": "select a from t where " + "rowid in (select rowid from aaaaaaaaaa" * 400 + " order by x",
    "an open order": "select a from t where x order by y, " + " " * 16000 + " limit",
}


@pytest.mark.parametrize("sql", HOSTILE.values(), ids=HOSTILE.keys())
def test_reading_a_visitors_sql_takes_time_linear_in_its_length(sql):
    """Queries are read on the server's event loop: no pattern may backtrack
    (a facet pattern with two open repeats once took 4 s on the first of these)."""
    started = time.thread_time()  # processor time: a busy machine does not count
    for plan in (search_plan.index_count, search_plan.facet_count, search_plan.walk):
        assert plan(sql) is None
    assert time.thread_time() - started < 0.05


def test_queries_longer_than_datasettes_are_run_as_written():
    padded = ROWS.format(order="name").replace("select victim_id", "select " + "victim_id, " * 2000 + "victim_id")
    assert len(padded) > search_plan.LONGEST and search_plan.walk(padded) is None
    assert search_plan.walk(ROWS.format(order="name")) is not None


def test_only_a_facet_of_a_search_is_counted():
    assert search_plan.facet_count(FACET).endswith("victims_fts match escape_fts(:search)")
    assert search_plan.facet_count(FACET.replace(f" where {FTS}", "")) is None
    assert search_plan.facet_count(ROWS.format(order="name")) is None


def words(small_release, table: str) -> list[str]:
    """Every word of a table's index, the most frequent first."""
    conn = sqlite3.connect(small_release.folder / f"{small_release.name}.db")
    conn.execute(f"create virtual table temp.vocabulary using fts5vocab(main, '{table}_fts', 'row')")
    return [w for (w,) in conn.execute("select term from vocabulary order by doc desc, term")]


@pytest.mark.parametrize("dense", [0, 10**9])  # each row tested against the matches; each asked of the index
def test_planned_searches_answer_as_written(small_release, monkeypatch, dense):
    """Every word of the index searched in each table with an index, in every
    order a page offers: the count, the rows walked in order both ways
    (forced: no match count is too small) and a facet match SQLite's own plan."""
    from datasette.app import Datasette
    from datasette.database import QueryInterrupted

    monkeypatch.setattr(search_plan, "MANY", 0)
    monkeypatch.setattr(search_plan, "DENSE", dense)
    db = release_database(Datasette(settings=SETTINGS), small_release)
    direct = sqlite3.connect(small_release.folder / f"{small_release.name}.db")
    add_search_functions(direct)
    tables = [t for (t,) in direct.execute("select name from sqlite_master where name like '%\\_fts' escape '\\'")]
    assert tables
    checked = walked = 0
    for fts in tables:
        table = fts[:-len("_fts")]
        columns = [c for (c,) in direct.execute(f"select name from pragma_table_info('{table}')")]
        condition = f"rowid in (select rowid from {fts} where {fts} match escape_fts(:search))"
        for word in words(small_release, table)[:40]:
            params = {"search": word}
            count = f"select count(*) from {table} where {condition} "
            assert asyncio.run(db.execute(count, params)).rows[0][0] == direct.execute(count, params).fetchone()[0]
            for order in [columns[0], f"{columns[0]} desc", "rowid", f"{columns[-1]}, rowid"]:
                sql = f"select * from {table} where {condition} order by {order} limit 3"
                planned = asyncio.run(db.execute(sql, params)).rows
                expected = direct.execute(sql, params).fetchall()
                assert [tuple(r) for r in planned] == expected
                page = search_plan.walk(sql)
                for plan in (page.walking, page.probing):
                    assert direct.execute(plan, params).fetchall() == expected
                checked += 1
                walked += asyncio.run(db._planned(sql, params))[0] == (page.probing if dense else page.walking)
    assert checked > 100 and walked > checked / 4
    facet = FACET.replace(FTS, f"rowid in (select rowid from victims_fts where victims_fts match escape_fts(:search))")
    word = words(small_release, "victims")[0]
    kept = asyncio.run(db.execute(facet, {"search": word})).rows
    assert [tuple(r) for r in kept] == direct.execute(facet, {"search": word}).fetchall()
    monkeypatch.setattr(search_plan, "TALLIED", 0)
    with pytest.raises(QueryInterrupted):
        asyncio.run(release_database(Datasette(settings=SETTINGS), small_release).execute(facet, {"search": word}))


def test_a_walk_that_asks_row_by_row_gives_way_when_it_is_slow(small_release, monkeypatch):
    """Matches gathered at the far end of the page's order would make the walk
    that asks about each row read most of the table first: past PROBING_MS
    it is stopped and the walk that gathers the matches answers instead."""
    from datasette.app import Datasette
    from datasette.database import Database, QueryInterrupted

    monkeypatch.setattr(search_plan, "MANY", 0)
    monkeypatch.setattr(search_plan, "DENSE", 10**9)
    monkeypatch.setattr(search_plan, "PROBING_MS", 1e-6)  # stopped at its first step
    ran = []
    execute = Database.execute

    async def recorded(self, sql, *args, **kwargs):
        try:
            results = await execute(self, sql, *args, **kwargs)
        except QueryInterrupted:
            ran.append((sql, "stopped"))
            raise
        except sqlite3.OperationalError as error:
            # Stopped while SQLite opens the search index, which it reports so (see serve.py).
            ran.append((sql, "stopped" if "vtable constructor failed" in str(error) else "failed"))
            raise
        ran.append((sql, "answered"))
        return results

    monkeypatch.setattr(Database, "execute", recorded)
    db = release_database(Datasette(settings=SETTINGS), small_release)
    direct = sqlite3.connect(small_release.folder / f"{small_release.name}.db")
    add_search_functions(direct)
    word = words(small_release, "victims")[0]
    sql = f"select * from victims where {FTS} order by victim_id desc limit 3"
    page = search_plan.walk(sql)
    rows = asyncio.run(db.execute(sql, {"search": word})).rows
    assert [tuple(r) for r in rows] == direct.execute(sql, {"search": word}).fetchall() != []
    assert ran[-2:] == [(page.probing, "stopped"), (page.walking, "answered")]


def test_a_search_with_too_many_matches_to_tally_says_how_to_see_its_facets(small_release, monkeypatch):
    from datasette.app import Datasette

    from datapackage.site.serve import HERE, use

    monkeypatch.setattr(search_plan, "TALLIED", 0)
    ds = Datasette(settings=SETTINGS, plugins_dir=str(HERE / "plugins"), template_dir=str(HERE / "templates"))
    use(ds, small_release)
    word = words(small_release, "victims")[0]

    async def page(query: str) -> str:
        await ds.invoke_startup()
        response = await ds.client.get(f"/{small_release.name}/victims?{query}")
        assert response.status_code == 200
        return response.text

    searched = asyncio.run(page(f"_search={word}"))
    assert "Too many matches to count them by" in searched and "add a word or a filter" in searched
    assert "Too many matches" not in asyncio.run(page("_sort=name"))  # no search: every facet counted


def test_the_search_functions_take_any_value_a_visitors_sql_gives_them():
    """A number is searched as written; a blob or NULL matches nothing. None
    raises, so Datasette has no traceback to log."""
    conn = sqlite3.connect(":memory:")
    add_search_functions(conn)
    sqlite3.enable_callback_tracebacks(True)
    try:
        row = conn.execute("select escape_fts(1917), search_match(x'ff'), person_match(2.5), escape_fts(null),"
                           " escape_fts('1917')").fetchone()
    finally:
        sqlite3.enable_callback_tracebacks(False)
    assert row[0] == row[4] and all(isinstance(value, str) for value in row)
