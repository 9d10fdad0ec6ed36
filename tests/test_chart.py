"""The timeline picture: which cases it shows, and the same bytes each time
(packages with no dated event of a kind: test_sparse_packages.py)."""

from __future__ import annotations

import datetime
import warnings

import polars as pl

from datapackage.publish.chart import MAX_LABEL, Timeline, busiest, draw, events, short_title


# The dates a package declares for the timeline, as our schemas do ("timeline").
DECLARED = Timeline("cases", "case_id", "title", "victims", "victim_id", [
    ("deaths", "date_of_arrest", "arrest", "v", "#1f77b4"), ("deaths", "date_of_death", "death", "X", "#000000"),
    ("trials", "decided_on", "court decision", "s", "#d62728"), ("statements", "made_on", "statement", "o", "#2ca02c")])


def frames(events_per_case: dict[str, int]) -> dict[str, pl.DataFrame]:
    """Typed frames with `n` statements for each case, nothing else dated."""
    cases = sorted(events_per_case)
    day = datetime.date(2017, 5, 1)
    made = [(case, day + datetime.timedelta(days=i)) for case in cases for i in range(events_per_case[case])]
    empty_day = pl.Series([], dtype=pl.Date)
    return {
        "cases": pl.DataFrame({"case_id": cases, "title": [f"Case {c}" for c in cases]}),
        "victims": pl.DataFrame({"victim_id": ["v-1"], "case_id": [cases[0]]}),
        "deaths": pl.DataFrame({"victim_id": pl.Series([], dtype=pl.String), "date_of_arrest_from": empty_day,
                                "date_of_death_from": empty_day}),
        "trials": pl.DataFrame({"case_id": pl.Series([], dtype=pl.String), "decided_on_from": empty_day}),
        "statements": pl.DataFrame({"case_id": [c for c, _ in made], "made_on_from": [d for _, d in made]},
                                   schema={"case_id": pl.String, "made_on_from": pl.Date}),
    }


def test_the_cases_with_most_events_are_shown_ties_to_the_smaller_id():
    counts = {"c-1": 1, "c-2": 3, "c-3": 2, "c-4": 2, "c-5": 2}
    table = events(frames(counts), DECLARED)
    assert busiest(table, 3) == {"c-2", "c-3", "c-4"}
    assert busiest(table.reverse(), 3) == {"c-2", "c-3", "c-4"}  # row order does not decide a tie
    assert busiest(table, 10) == set(counts)


def test_the_picture_is_the_same_bytes_each_time(tmp_path):
    package = frames({f"c-{n:02d}": n % 4 + 1 for n in range(40)})  # more cases than are drawn
    draw(package, DECLARED, tmp_path / "a.png")
    draw(package, DECLARED, tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_a_long_case_title_is_shortened_and_leaves_room_for_the_plot(tmp_path):
    package = frames({"c-1": 2, "c-2": 1})
    package["cases"] = package["cases"].with_columns(title=pl.Series(["T" * 500, "Short"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns when the labels leave no room
        draw(package, DECLARED, tmp_path / "long.png")
    assert short_title("T" * 500) == "T" * (MAX_LABEL - 1) + "…" and short_title("Short") == "Short"
