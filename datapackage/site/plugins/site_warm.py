"""Counts every table page's rows and default facets in the background, once
per release, so that the first visitor of a big table does not wait for them.

At a million rows a table page counts its rows and each of its facets one
after the other, 0.1 s per facet (0.53 s for `citations`, past a visitor's
200 ms facet limit, but not past the 1 s these requests get); the answers are kept per release
(`datapackage/site/tallies.py`), so asking each table once, as JSON with one row,
leaves them ready for every page of that table. Runs from Datasette's
startup (the first request) and again after each republish; internal
requests go to Datasette directly, not through the page cache.
"""

from __future__ import annotations

import asyncio

from datasette import hookimpl

from datapackage.site.metadata import PLUGIN
from datapackage.site.tallies import WARMING

POLL = 1.0  # seconds between looks for a new release


@hookimpl
def startup(datasette):
    async def start():
        # Kept on the Datasette object: the loop must not be collected mid-run.
        datasette._datapackage_warming = asyncio.get_running_loop().create_task(_keep_warm(datasette))
    return start


async def _keep_warm(datasette) -> None:
    warmed = None
    while True:
        name = (datasette.plugin_config(PLUGIN) or {}).get("database", "")
        db = datasette.databases.get(name)
        if db is not None and db is not warmed:
            warmed = db
            await warm(datasette, name)
        await asyncio.sleep(POLL)


async def warm(datasette, name: str) -> list[str]:
    """Asks for each visible table of database `name`; the tables asked for.
    Its queries may take the site's SQL time limit, not a facet's (`WARMING`)."""
    WARMING.set(True)  # in this task only: visitors' requests run in their own
    tables = datasette.metadata("tables", database=name) or {}
    asked = []
    for table, about in tables.items():
        if about.get("hidden"):
            continue
        await datasette.client.get(datasette.urls.table(name, table, format="json") + "?_size=1")
        asked.append(table)
    return asked
