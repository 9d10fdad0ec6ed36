"""The site's search page over a package with more matches than it counts:
it reads the index alone and stops early, so a word in most rows of a large
table answers at once, with the first rows and "more than" instead of the
exact count. Expectations come from the published database itself."""

import html
import json
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, copy_package, invoke, serving
from datapackage.publish.search_index import match_expression
from datapackage.site.search import COUNTED, HITS

TABLE = "victims"


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A generated package with more victims than the page counts, published and served."""
    shape = copy_package(tmp_path_factory.mktemp("shape"))
    root = tmp_path_factory.mktemp("large")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--victims", str(2 * COUNTED),
                    "--seed", "5", "--package", str(shape), "--out", str(root)], check=True, capture_output=True)
    result = invoke("publish", "--out", "dist", cwd=root)
    assert result.returncode == 0, result.stderr
    database = next((root / "dist").glob("*.db"))
    title = next(r["title"] for r in json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                 if r["name"] == TABLE)
    with serving(root / "dist") as url:
        yield url, sqlite3.connect(database), title


def matching_keys(db: sqlite3.Connection, word: str) -> list[str]:
    """Every key of the table whose row the word matches, in rowid order, as SQLite finds them."""
    return [k for (k,) in db.execute(f"select victim_id from {TABLE} where rowid in (select rowid from {TABLE}_fts "
                                     f"where {TABLE}_fts match ?) order by rowid", [match_expression(word)])]


def section(url: str, title: str, word: str) -> str:
    """The table's part of the search page for the word."""
    with urllib.request.urlopen(f"{url}/search?q={urllib.parse.quote(word)}", timeout=30) as response:
        text = html.unescape(response.read().decode("utf-8"))
    return next((s for s in text.split('<section class="search-group">')[1:] if f"<h2>{title} (" in s), "")


def shown_keys(part: str) -> list[str]:
    """The keys the listed hits link to, in order."""
    hits = part[part.index('<ul class="hits">'):part.index("</ul>")]
    return re.findall(r'<li><a href="[^"]*/([^"/]+)">', hits)


def test_a_word_in_most_rows_shows_the_first_rows_and_more_than_the_count(large):
    url, db, title = large
    words = re.findall(r"[A-Za-z]{4,}", " ".join(t for (t,) in db.execute(f"select what_happened from {TABLE} "
                                                                              "where what_happened is not null limit 50")))
    common = max(set(words), key=lambda w: len(matching_keys(db, w)))
    keys = matching_keys(db, common)
    assert len(keys) > COUNTED, "the generated package must have a word in more rows than are counted"
    shown = section(url, title, common)
    assert f"<h2>{title} (more than {COUNTED:,})</h2>" in shown
    assert shown_keys(shown) == keys[:HITS]


def test_a_rare_word_shows_its_exact_count(large):
    url, db, title = large
    name = db.execute(f"select name from {TABLE} order by rowid desc limit 1").fetchone()[0]
    keys = matching_keys(db, name)
    assert 0 < len(keys) <= COUNTED
    shown = section(url, title, name)
    assert f"<h2>{title} ({len(keys):,})</h2>" in shown
    assert shown_keys(shown) == keys[:HITS]
