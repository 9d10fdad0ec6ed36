"""The body of a table page, built in Python (`SiteContext.table_rows`):
cells escaped as the template would, rendered cells kept, key labels added."""

from markupsafe import Markup

from datapackage.site.context import SiteContext


class Labels:
    """Answers the one lookup a key label needs, as the database would."""

    def label(self, resource, key_field, label_field, key):
        return {"v-1": "Name <One>"}.get(key)


SITE = SiteContext("db", {"victims": {"key": "victim_id", "label": "name", "sources": []},
                          "deaths": {"key": "death_id", "sources": [],
                                     "references": {"victim_id": {"resource": "victims", "fields": ["victim_id"]}}}},
                   {}, Labels())


def cell(column, value, value_type="text", raw=None):
    return {"column": column, "value": value, "value_type": value_type, "raw": raw}


def test_text_is_escaped_and_rendered_cells_are_kept():
    html = SITE.table_rows("deaths", [[cell("notes", '<script>alert("x")</script> & more'),
                                       cell("place", Markup('<a href="/p">Tartar</a>'))]], set())
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in html
    assert '<a href="/p">Tartar</a>' in html


def test_a_key_that_names_a_row_of_another_table_gets_its_label_escaped():
    html = SITE.table_rows("deaths", [[cell("victim_id", "v-1", "pk", "v-1")],
                                      [cell("victim_id", "v-2", "pk", "v-2")]], set())
    assert html.count("<tr>") == 2
    assert '<a class="key-label" href="/db/victims/v-1">Name &lt;One&gt;</a>' in html
    assert html.count("key-label") == 1  # no label where the key names nothing


def test_columns_left_out_of_the_default_view_are_marked_and_classes_are_safe():
    html = SITE.table_rows("deaths", [[cell("notes", "x"), cell('we"ird <col>', "y")]], {"notes"})
    assert '<td class="col-notes type-text extra-column">x</td>' in html
    assert '"ird' not in html and "<col>" not in html


def test_a_cells_html_is_made_once_per_value_and_the_store_stays_bounded(monkeypatch):
    import datapackage.site.context as site_context

    site, made = SiteContext("db", {}, {}), []

    def make(value):
        made.append(value)
        return Markup(f"<b>{value}</b>")

    assert site.kept(("code", "t", "c", "x"), lambda: make("x")) == "<b>x</b>"
    assert site.kept(("code", "t", "c", "x"), lambda: make("again")) == "<b>x</b>"
    assert made == ["x"]
    monkeypatch.setattr(site_context, "CACHED", 3)
    for n in range(7):
        site.kept(("key", "victims", n), lambda n=n: make(n))
    assert len(site._cells) <= 3


def test_a_cell_names_the_row_its_declared_foreign_key_refers_to():
    def reference(resource, field):
        return {"resource": resource, "fields": [field]}
    # deaths borrows the victims' key, and lists it before victims' own table
    site = SiteContext("db", {
        "deaths": {"key": "victim_id", "references": {"victim_id": reference("victims", "victim_id")}},
        "victims": {"key": "victim_id", "references": {"case_id": reference("cases", "case_id"),
                                                       "buddy": reference("victims", "victim_id"),
                                                       "case_name": reference("cases", "name")}},
        "cases": {"key": "case_id"}}, {})
    assert site.resource_of_key("victim_id", "victims") is None  # its own key: not a death
    assert site.resource_of_key("victim_id", "deaths") == "victims"
    assert site.resource_of_key("case_id", "victims") == "cases"
    assert site.resource_of_key("buddy", "victims") == "victims"  # a self-reference
    assert site.resource_of_key("case_name", "victims") is None  # not by key: no row address
    assert site.resource_of_key("case_id", "deaths") is None  # named like a key, but not declared one
    # derived tables and queries declare no keys: the key's owner, not its borrower
    assert site.resource_of_key("victim_id", "deaths_timeline") == "victims"
    assert site.resource_of_key("victim_id", None) == "victims"
    assert site.resource_of_key("notes", None) is None
