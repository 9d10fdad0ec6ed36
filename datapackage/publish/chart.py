"""A timeline of arrests, deaths, court decisions and statements per case,
rendered at publish time as a PNG (the same picture is in the README);
the site draws the same events per case as linked SVG (site_charts.py).

Each event sits at the earliest day its partial date can mean (the typed
`<field>_from` column); undated events are left out. Fixed size, fonts and metadata keep the bytes stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

# Each event: (resource, date field, legend label, marker, colour), as the
# field's schema declares it ("timeline").
Event = tuple[str, str, str, str, str]


@dataclass
class Timeline:
    """What the chart reads, all from the schemas: the table whose rows are
    its rows (the one with case pages: its key and the field that names a
    row), the table of people (person pages) through which an event that
    names a person finds its case, and the dates declared for it."""
    case: str
    case_key: str
    title: str
    person: str | None
    person_key: str | None
    events: list[Event]

    @property
    def tables(self) -> set[str]:
        return {self.case, self.person} - {None} | {resource for resource, *_ in self.events}

    def fields(self, table: str) -> set[str]:
        """The fields the chart reads of `table` (a date with its bounds)."""
        wanted = {self.case_key, self.title} if table == self.case else set()
        if table == self.person:
            wanted |= {self.person_key, self.case_key}
        for resource, field, *_ in self.events:
            if resource == table:
                wanted |= {field, self.case_key} | ({self.person_key} if self.person_key else set())
        return wanted


def timeline_of(resources) -> Timeline | None:
    """The package's timeline; None when it declares no date to draw, or has
    no table of cases to draw them in."""
    page = {r.schema.get("page"): r for r in resources if len(r.primary_key) == 1}
    case = page.get("case")
    if case is None or not case.schema.get("labelField"):
        return None
    case_key = case.primary_key[0]
    person = page.get("person")
    if person is not None and case_key not in person.field_names:
        person = None  # people not filed by case cannot place their events in one
    person_key = person.primary_key[0] if person else None
    events = [(r.name, s["name"], s["timeline"]["label"], s["timeline"]["marker"], s["timeline"]["colour"])
              for r in resources for s in r.fields if isinstance(s.get("timeline"), dict) and s.get("partialDate")
              and (case_key in r.field_names or (person_key and person_key in r.field_names))]
    if not events:
        return None
    return Timeline(case.name, case_key, case.schema["labelField"], person and person.name, person_key, events)


MAX_CASES = 30
MAX_LABEL = 70  # characters of a case title beside its row; a longer one would squeeze the plot away


def events(frames: dict[str, pl.DataFrame], timeline: Timeline) -> pl.DataFrame:
    """One row per dated event: case_id (the case's key), day, kind; from the typed frames."""
    key = timeline.case_key
    people = frames[timeline.person].select(timeline.person_key, key) if timeline.person else None
    parts = []
    for resource, field, label, _, _ in timeline.events:
        frame = frames[resource]
        if key not in frame.columns:
            frame = frame.join(people, on=timeline.person_key, how="left", maintain_order="left")
        parts.append(frame.select(pl.col(key).cast(pl.String).alias("case_id"), pl.col(field + "_from").alias("day"),
                                  pl.lit(label).alias("kind")))
    return pl.concat(parts).drop_nulls("day")


def busiest(events: pl.DataFrame, count: int = MAX_CASES) -> set[str]:
    """The `count` cases with the most events, a tie going to the smaller
    id so that the picture does not depend on the order of the rows."""
    counts = events.group_by("case_id").len().drop_nulls("case_id")
    return set(counts.sort(["len", "case_id"], descending=[True, False]).head(count)["case_id"])


def short_title(title: str) -> str:
    """A case title short enough to sit beside its row."""
    return title if len(title) <= MAX_LABEL else title[:MAX_LABEL - 1].rstrip() + "…"


def draw(frames: dict[str, pl.DataFrame], timeline: Timeline, path: Path) -> None:
    # Imported here: the site reads this module without loading matplotlib.
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = events(frames, timeline)
    chosen = busiest(table)
    titles = dict(frames[timeline.case].select(pl.col(timeline.case_key).cast(pl.String),
                                               pl.col(timeline.title).cast(pl.String)).iter_rows())
    cases = [c for c in titles if c in chosen]
    rows = {case: i for i, case in enumerate(reversed(cases))}
    # Only the events drawn become a pandas frame (at a million rows the
    # others would be hundreds of megabytes of Python strings), each with
    # the row of its case: a kind without events is then an empty number
    # column, not an empty text one that cannot be added to.
    places = pl.DataFrame({"case_id": list(rows), "row": list(rows.values())},
                          schema={"case_id": pl.String, "row": pl.Float64})
    table = table.join(places, on="case_id", how="inner", maintain_order="left").to_pandas()
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "timeline"})
    figure, axes = plt.subplots(figsize=(10, 1.2 + 0.55 * len(cases)), dpi=100)
    declared = timeline.events
    for offset, (_, _, label, marker, colour) in enumerate(declared):
        drawn = table[table["kind"] == label]
        y = drawn["row"] + (offset - (len(declared) - 1) / 2) * 0.12  # the kinds side by side
        axes.scatter(drawn["day"], y, marker=marker, color=colour, s=28, alpha=0.8, label=label, linewidths=0)
    axes.set_yticks(list(rows.values()), [short_title(titles[c]) for c in rows])
    axes.set_ylim(-0.6, len(cases) - 0.4)
    axes.grid(axis="x", color="#dddddd")
    axes.legend(loc="lower left", ncols=4, fontsize=8, frameon=False, bbox_to_anchor=(0, 1.0))
    figure.tight_layout()
    figure.savefig(path, format="png", metadata={"Software": None})
    plt.close(figure)
