"""The site's charts stay readable and small however many rows a case has:
events on one pixel of a lane are one mark that says how many it stands for,
and a figure draws its first claims and links to all of them."""

import re
from datetime import date, timedelta

from datapackage.site.charts import BARS, WIDTH, ranges, timeline

KINDS = [("arrest", "#333"), ("death", "#b03a2e")]


def test_every_event_has_a_mark_when_each_is_on_a_pixel_of_its_own():
    events = [{"day": f"2017-0{m}-01", "kind": kind, "href": f"/r/{m}{kind}", "title": f"{kind} {m}"}
              for m in (1, 5, 9) for kind in ("arrest", "death")]
    svg = str(timeline(events, KINDS, "label"))
    assert svg.count("<circle") == 6 and all(f'href="/r/{m}{kind}"' in svg for m in (1, 5, 9) for kind in ("arrest", "death"))


def test_events_on_one_pixel_are_one_mark_that_counts_them():
    start = date(2017, 1, 1)
    # 20,000 arrests over two years and one death: far more than one lane has pixels
    events = [{"day": (start + timedelta(days=n % 730)).isoformat(), "kind": "arrest", "href": f"/r/{n}",
               "title": f"arrest {n}"} for n in range(20_000)]
    events.append({"day": "2018-06-01", "kind": "death", "href": "/r/death", "title": "a death"})
    svg = str(timeline(events, KINDS, "label"))
    marks = svg.count("<circle")
    assert 2 < marks <= 2 * WIDTH and 'href="/r/death"' in svg
    counted = [int(n) for n in re.findall(r"<title>arrest: (\d+) from ", svg)]
    single = len(re.findall(r"<title>arrest \d+ \(", svg))
    assert sum(counted) + single == 20_000  # every event is in one mark's count
    assert len(svg) < 1_000_000


def test_a_figure_draws_its_first_claims_and_links_to_all_of_them():
    claims = [{"figure": "deaths", "low": n, "high": n + 1, "who": f"org {n}", "href": f"/s/{n}",
               "all": "/db/contested_figures?case_id=c&metric=deaths"} for n in range(BARS + 40)]
    claims += [{"figure": "arrests", "low": 1, "high": 2, "who": "one", "href": "/s/one", "all": "/all/arrests"}]
    svg = str(ranges(claims, "label"))
    assert svg.count("<rect") == BARS + 1
    assert 'href="/db/contested_figures?case_id=c&amp;metric=deaths"' in svg and "and 40 more claims" in svg
    assert "/all/arrests" not in svg  # a figure with few claims draws them all
    assert f">{BARS + 40:g}<" in svg  # the axis spans every claim, drawn or not
