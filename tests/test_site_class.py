"""The Datasette the site runs on (`serve.site_class`): what it keeps to
render faster answers exactly as Datasette does, and follows a new release."""

from datasette.app import Datasette
from datasette.utils import PrefixedUrlString
from datasette.utils.asgi import Request

from datapackage.site.serve import site_class

DENY = {"databases": {"db": {"tables": {"victims": {"allow": {"id": "editor"}}}}}}
OPEN = {"databases": {"db": {"tables": {"victims": {"title": "Victims"}}}}}


def both(metadata):
    kept, plain = site_class()(memory=True), Datasette(memory=True)
    kept._metadata_local = plain._metadata_local = metadata
    return kept, plain


def test_table_permissions_are_datasettes_own_and_follow_new_metadata():
    kept, plain = both(DENY)
    for table in ("victims", "deaths"):
        assert kept._table_permission_allows("db", table) == plain._table_permission_allows("db", table)
    assert kept._table_permission_allows("db", "victims") == [{"id": "editor"}]
    kept._metadata_local = OPEN  # what `use` does when a release is swapped in
    assert kept._table_permission_allows("db", "victims") == []
    kept._metadata_local = DENY
    assert kept._table_permission_allows("db", "victims") == [{"id": "editor"}]


def test_absolute_urls_are_datasettes_own_as_plain_strings():
    kept, plain = both({})
    request = Request.fake("/db/victims?_facet=rank&_sort=name")
    for path in ("/db/victims?_facet=rank&rank=x", PrefixedUrlString("/db/victims?rank=%C9%99"), "?_next=2"):
        url = kept.absolute_url(request, path)
        assert url == plain.absolute_url(request, path) and type(url) is str


def test_a_template_name_looked_for_in_vain_is_not_looked_for_again():
    import pytest
    from jinja2 import DictLoader, Environment, TemplateNotFound

    from datapackage.site.serve import remembering_misses

    asked = []

    class Counting(DictLoader):
        def get_source(self, environment, name):
            asked.append(name)
            return super().get_source(environment, name)

    env = Environment(loader=remembering_misses(Counting({"table.html": "rows: {{ n }}"})))
    for _ in range(3):
        assert env.select_template(["table-db-victims.html", "table.html"]).render(n=2) == "rows: 2"
        with pytest.raises(TemplateNotFound):
            env.get_template("nowhere.html")
    assert asked.count("table-db-victims.html") == 1 and asked.count("nowhere.html") == 1
    assert env.loader.list_templates() == ["table.html"]
    site = site_class()(memory=True)
    assert site.jinja_env.loader.load(site.jinja_env, "table.html") is not None


def test_json1_is_asked_of_sqlite_once_with_datasettes_answer(monkeypatch):
    import sqlite3

    import datasette.facets
    import datasette.filters
    import datasette.utils

    site_class()(memory=True)
    opened = []

    class Counting:
        def __getattr__(self, name):
            return getattr(sqlite3, name)

        def connect(self, *args, **kwargs):
            opened.append(args)
            return sqlite3.connect(*args, **kwargs)

    expected = datasette.utils.detect_json1(sqlite3.connect(":memory:"))
    monkeypatch.setattr(datasette.utils, "sqlite3", Counting())
    for _ in range(3):
        assert datasette.facets.detect_json1() is expected and datasette.filters.detect_json1() is expected
    assert opened == []
    assert datasette.facets.detect_json1(sqlite3.connect(":memory:")) is expected  # a given connection is asked
