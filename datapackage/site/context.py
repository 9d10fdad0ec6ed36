"""What the site's plugins know about the package: the configuration that
`site.py` writes from the schemas into the Datasette metadata, and the
labels of people, cases and sources, looked up by key in the (immutable)
database when a page first needs them."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import quote

from datasette.utils import tilde_encode, to_css_class
from markupsafe import Markup, escape

from datapackage.publish.search_index import SHADOWS
from datapackage.site.metadata import PLUGIN, table_path


@dataclass
class SiteContext:
    database: str
    resources: dict[str, dict]
    cited: dict
    lookups: Lookups | None = field(default=None, repr=False)
    # Asked once per cell, a thousand times a page: answered from dicts.
    _vocabularies: dict = field(default_factory=dict, repr=False)
    _pointed: dict = field(default_factory=dict, repr=False)
    _cells: dict = field(default_factory=dict, repr=False)

    def kept(self, key: tuple, make):
        """A cell's HTML that depends on its value alone (a list of sources, a
        code, an id), made once per release and replayed: the same few
        hundred values fill most cells of every page."""
        found = self._cells.get(key)
        if found is None:
            if len(self._cells) >= CACHED:
                self._cells.clear()
            found = self._cells[key] = make()
        return found

    @cached_property
    def _source_fields(self) -> set[str]:
        return {f for spec in self.resources.values() for f in spec["sources"]}

    @cached_property
    def _key_owners(self) -> dict[str, list[str]]:
        """Per key name, the resources keyed by it, those whose key is their
        own first (not also a foreign key to another's)."""
        owners: dict[str, list[str]] = {}
        for name, spec in self.resources.items():
            owners.setdefault(spec["key"], []).append(name)
        for names in owners.values():
            names.sort(key=lambda n: self.resources[n]["key"] in self.resources[n].get("references", {}))
        return owners

    def label(self, resource: str | None, key) -> str | None:
        """The name or title a key of `resource` stands for, if it has one."""
        spec = self.resources.get(resource or "")
        if not spec or not spec.get("label") or self.lookups is None or key is None:
            return None
        return self.lookups.label(resource, spec["key"], spec["label"], str(key))

    def source(self, source_id: str) -> dict | None:
        """A cited source's row, or None when no source has that id. The id
        is a value of the field the source list names, which need not be the
        table's key (a release from before it was recorded: the key)."""
        resource = self.cited.get("resource")
        if not resource or self.lookups is None:
            return None
        return self.lookups.row(resource, self.cited.get("field") or self.resources[resource]["key"], source_id)

    def source_href(self, source: dict) -> str:
        """Where a cited source's row is: by its key, whatever field cites it."""
        resource = self.cited["resource"]
        return self.href(resource, source[self.resources[resource]["key"]])

    def resource_of_key(self, column: str, table: str | None) -> str | None:
        """The resource whose row a column's value names. In a resource's
        table, the one its declared foreign key refers to by key (a table's
        own key names no other row: victims.victim_id is not a death). In a
        derived table or a query, which declare no keys, the resource whose
        key the column is named after, its first owner (deaths borrows
        victim_id from victims, which owns it)."""
        if (column, table) not in self._pointed:
            self._pointed[column, table] = self._pointed_by(column, table)
        return self._pointed[column, table]

    def _pointed_by(self, column: str, table: str | None) -> str | None:
        spec = self.resources.get(table or "")
        if spec is None:
            return next(iter(self._key_owners.get(column, ())), None)
        reference = spec.get("references", {}).get(column)
        if reference is None:
            return None
        target = self.resources.get(reference["resource"])
        return reference["resource"] if target and reference.get("fields") == [target["key"]] else None

    def rows_named_by(self, column: str, table: str | None) -> tuple[str, str] | None:
        """(resource, field) when a table's declared foreign key refers to a
        field other than the key of the resource it names: the value then
        finds rows of that resource by that field, not one row's address."""
        spec = self.resources.get(table or "")
        reference = (spec or {}).get("references", {}).get(column)
        if not reference or reference["resource"] not in self.resources or len(reference.get("fields", [])) != 1:
            return None
        field = reference["fields"][0]
        return None if field == self.resources[reference["resource"]]["key"] else (reference["resource"], field)

    def categories(self, table: str | None, column: str) -> list[dict] | None:
        """The vocabulary of a coded column: the table's own field first,
        else the first resource with a coded field of that name (derived tables)."""
        if table in self.resources and column in self.resources[table]["codes"]:
            return self.resources[table]["codes"][column]
        return next((spec["codes"][column] for spec in self.resources.values() if column in spec["codes"]), None)

    def category(self, table: str | None, column: str, value) -> dict | None:
        if (table, column) not in self._vocabularies:
            self._vocabularies[table, column] = {c["value"]: c for c in self.categories(table, column) or []}
        return self._vocabularies[table, column].get(value)

    def is_ordered(self, table: str | None, column: str) -> bool:
        if table in self.resources:
            return column in self.resources[table]["ordered"]
        return any(column in spec["ordered"] for spec in self.resources.values())

    def indexed_by(self, table: str) -> str | None:
        """The resource whose full-text index `table` is, or holds part of:
        the index has no content, so its page has no rows to list, and the
        rows of its inner tables are keyed by bytes no row address can name.
        Its pages are those of the resource's search."""
        return next((name for name, spec in self.resources.items() if any(spec.get("search", {}).values())
                     and table in {f"{name}_fts", *(f"{name}_fts_{shadow}" for shadow in SHADOWS)}), None)

    def is_source_list(self, column: str) -> bool:
        return column in self._source_fields

    def href(self, resource: str, key: str | int) -> str:
        """A row's own page when its resource has one, else its Datasette row;
        the key tilde-encoded, as Datasette's own row addresses are (so that a
        key with '/', '.' or '~' reaches its row; see `site_pages.page_row`).
        A key read from an integer column is written as its digits."""
        page = self.resources[resource].get("page")
        if page:
            return f"/{page}/{tilde_encode(str(key))}"
        return self.row_path(resource, key)

    def table_path(self, table: str) -> str:
        return table_path(self.database, table)

    def row_path(self, table: str, key: str | int) -> str:
        """A row's Datasette address, whether or not its resource has pages."""
        return f"{self.table_path(table)}/{tilde_encode(str(key))}"

    def extra_columns(self, table: str | None, columns: list[str]) -> set[str]:
        """Columns of a table left out of its default view (the schema's
        `tableColumns`); shown on request."""
        shown = self.resources.get(table or "", {}).get("columns")
        return {c for c in columns if c not in shown} if shown else set()

    def table_rows(self, table: str | None, rows: list, extra: set[str]) -> Markup:
        """The body of a table page's table, built here rather than looped in
        the template: a first render spends most of its time there, cell by
        cell, and one page has a thousand cells."""
        html, opening = [], {}
        for row in rows:
            html.append("<tr>")
            for cell in row:
                column, kind = cell["column"], cell["value_type"]
                td = opening.get((column, kind))
                if td is None:  # once per column, not once per cell
                    hidden = " extra-column" if column in extra else ""
                    td = opening[column, kind] = f'<td class="col-{escape(to_css_class(column))} type-{escape(kind)}{hidden}">'
                value = cell["value"]
                label = self.key_label(table, column, cell["raw"]) if kind == "pk" else ""
                html.append(f'{td}{value if isinstance(value, Markup) else escape(value)}{label}</td>')
            html.append("</tr>")
        return Markup("".join(html))

    def key_label(self, table: str | None, column: str, key: str) -> Markup:
        """After a table's own key, the name it stands for when the key also
        points at another resource (a death's victim_id names the victim)."""
        pointed = self.resource_of_key(column, table)
        label = self.label(pointed, key) if pointed else None
        if not label:
            return Markup("")
        return Markup(' <a class="key-label" href="{}">{}</a>').format(self.href(pointed, key), label)

    def facet_label(self, table: str | None, column: str, facet: dict) -> str:
        """A facet value as a reader knows it: its label, or the name or title it stands for."""
        category = self.category(table, column, facet["value"])
        if category:
            return category.get("label", facet["value"])
        pointed = self.resource_of_key(column, table)
        label = self.label(pointed, facet["value"]) if pointed else None
        return str(label or facet.get("label") or facet["value"] or "-")

    def facet_values(self, table: str | None, facet: dict) -> list[dict]:
        """Facet values, in the vocabulary's order when it is ordered (the rank ladder)."""
        values = facet["results"]
        if not self.is_ordered(table, facet["name"]):
            return values
        order = {c["value"]: i for i, c in enumerate(self.categories(table, facet["name"]) or [])}
        return sorted(values, key=lambda v: order.get(v["value"], len(order)))

    def source_ids(self, value: str) -> list[str]:
        return [s.strip() for s in value.split(self.cited["separator"]) if s.strip()]

    def source_text(self, source: dict) -> str:
        """How a source is cited in a cell: its declared citation fields."""
        spec = self.resources[self.cited["resource"]]
        return ", ".join(str(source[f]) for f in spec["cite"] if source.get(f)) or source[spec["key"]]


# Enough for every label on a few thousand pages; the oldest are read again.
CACHED = 50_000


class Lookups:
    """Rows by primary key over a connection of the site's own, so a page
    links a thousand ids with a thousand index lookups, not by loading whole
    tables (a million victims would not fit the SQL time limit). Only these
    fixed key lookups run on it, never a visitor's SQL."""

    def __init__(self, path: str):
        self._conn = sqlite3.connect(f"file:{quote(path)}?immutable=1", uri=True, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self.label = lru_cache(maxsize=CACHED)(self._label)
        self.row = lru_cache(maxsize=CACHED)(self._row)

    def _one(self, sql: str, key: str):
        with self._lock:
            return self._conn.execute(sql, [key]).fetchone()

    def _label(self, table: str, key_column: str, label_column: str, key: str) -> str | None:
        found = self._one(f"select [{label_column}] from [{table}] where [{key_column}] = ?", key)
        return found[0] if found else None

    def _row(self, table: str, key_column: str, key: str) -> dict | None:
        found = self._one(f"select * from [{table}] where [{key_column}] = ?", key)
        return dict(found) if found else None


def context(datasette) -> SiteContext:
    """The site context, built on first use and kept: the database never
    changes while it is served (Datasette opens it immutable)."""
    cached = getattr(datasette, "_datapackage_site", None)
    # Kept per database object: a database opened again (a new release) gets
    # its own context and lookups; the old connection closes with the last
    # page still rendering from it.
    # Checked before reading the plugin configuration, which Datasette walks
    # whole on every read (most of a page's render time, called per cell).
    if cached is not None and datasette.databases.get(cached[1].database) is cached[0]:
        return cached[1]
    config = datasette.plugin_config(PLUGIN) or {}
    database = config.get("database", "")
    db = datasette.databases.get(database)
    lookups = Lookups(db.path) if db is not None and db.path and not db.is_memory else None
    site = SiteContext(database, config.get("resources", {}), config.get("sources", {}), lookups)
    datasette._datapackage_site = (db, site)
    return site
