"""Finished answers shared by the worker processes of one site.

`datapackage serve` runs one worker process per core (`serve.workers`), and
each keeps the answers it rendered (`serve.PageCache`). Rendering is what the
site spends its time on, so a page rendered by one worker is also written
here, a SQLite file in a private temporary folder that the workers share, and
replayed by the others instead of being rendered again. The folder lives as
long as the site: the process that starts the workers makes and removes it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

FILE = "pages.sqlite"


class SharedPages:
    def __init__(self, folder: Path, limit: int):
        """Opens the store `create` made; sqlite3.Error when it cannot."""
        self.limit = limit
        # Writes are brief and the file holds nothing that must survive a
        # crash: no fsync, and a short wait when the other worker writes.
        self.conn = sqlite3.connect(Path(folder) / FILE, timeout=2, isolation_level=None,
                                    check_same_thread=False)
        self.conn.execute("pragma synchronous = off")
        self.conn.execute("select count(*) from answers")

    @staticmethod
    def create(folder: Path) -> None:
        """Made once, by the starting process: workers creating it together
        could find it locked and fail to start."""
        with sqlite3.connect(Path(folder) / FILE, isolation_level=None) as conn:
            conn.execute("pragma journal_mode = wal")
            # The size before the body, and in an index of its own: summing
            # the sizes then reads the index, not every answer's overflow pages
            # (a quarter of a worker's time under load when it did).
            conn.execute("create table answers "
                         "(key text primary key, size integer not null, head text not null, body blob not null)")
            conn.execute("create index answers_size on answers (size)")
        conn.close()

    @staticmethod
    def _key(key: tuple) -> str:
        return repr(key)  # a tuple of bytes, strings and integers: the same text in every worker

    def get(self, key: tuple) -> tuple[dict, bytes] | None:
        try:
            row = self.conn.execute("select head, body from answers where key = ?", (self._key(key),)).fetchone()
        except sqlite3.Error:
            return None  # a busy or damaged file: the page is rendered instead
        if row is None:
            return None
        status, headers = json.loads(row[0])
        start = {"type": "http.response.start", "status": status,
                 "headers": [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]}
        return start, row[1]

    def put(self, key: tuple, start: dict, body: bytes) -> None:
        head = json.dumps([start["status"], [[name.decode("latin-1"), value.decode("latin-1")]
                                             for name, value in start.get("headers", [])]])
        try:
            self.conn.execute("insert or replace into answers values (?, ?, ?, ?)",
                              (self._key(key), len(body), head, body))
            self._evict()
        except sqlite3.Error:
            pass  # not shared this time: the other workers render it themselves

    def _evict(self) -> None:
        # The oldest answers go first once the file holds more than `limit`.
        total = self.conn.execute("select total(size) from answers").fetchone()[0]
        while total > self.limit:
            oldest = self.conn.execute("select rowid, size from answers order by rowid limit 1").fetchone()
            self.conn.execute("delete from answers where rowid = ?", (oldest[0],))
            total -= oldest[1]

    def clear(self) -> None:
        try:
            self.conn.execute("delete from answers")
        except sqlite3.Error:
            pass
