"""A timeline of arrests, deaths, court decisions and statements per case,
rendered at publish time as a PNG (the same picture is in the README);
the site draws the same events per case as linked SVG (site_charts.py).

Each event sits at the earliest day its partial date can mean (the typed
`<field>_from` column); undated events are left out. Fixed size, fonts and metadata keep the bytes stable.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl

# Each event: (resource, date field, legend label, marker, colour), as the
# field's schema declares it ("timeline"); see `declared_events`.
Event = tuple[str, str, str, str, str]
# What `events` and `draw` read besides the declared dates: a case's title,
# and each person's case (for events that name a person, not a case).
READS = {"cases": ("case_id", "title"), "victims": ("victim_id", "case_id")}


def declared_events(resources) -> list[Event]:
    """The dates each schema declares for the timelines, in the package's order."""
    return [(r.name, s["name"], s["timeline"]["label"], s["timeline"]["marker"], s["timeline"]["colour"])
            for r in resources for s in r.fields if isinstance(s.get("timeline"), dict)]


def charted(declared: list[Event]) -> set[str]:
    """The tables the chart reads."""
    return set(READS) | {resource for resource, *_ in declared}


def fits(fields: dict[str, dict[str, dict]], declared: list[Event]) -> bool:
    """Whether a package has what the timeline reads; `fields` maps each
    resource to its fields by name. A package of other tables, or of tables
    of these names with other fields, has no timeline."""
    if not declared or not all(set(names) <= set(fields.get(table, {})) for table, names in READS.items()):
        return False
    return all(fields[resource][field].get("partialDate") and ({"case_id", "victim_id"} & set(fields[resource]))
               for resource, field, *_ in declared)


MAX_CASES = 30
MAX_LABEL = 70  # characters of a case title beside its row; a longer one would squeeze the plot away


def events(frames: dict[str, pl.DataFrame], declared: list[Event]) -> pl.DataFrame:
    """One row per dated event: case, day, kind; from the typed frames."""
    victims = frames["victims"].select("victim_id", "case_id")
    parts = []
    for resource, field, label, _, _ in declared:
        frame = frames[resource]
        if "case_id" not in frame.columns:
            frame = frame.join(victims, on="victim_id", how="left", maintain_order="left")
        parts.append(frame.select("case_id", pl.col(field + "_from").alias("day"), pl.lit(label).alias("kind")))
    return pl.concat(parts).drop_nulls("day")


def busiest(events: pl.DataFrame, count: int = MAX_CASES) -> set[str]:
    """The `count` cases with the most events, a tie going to the smaller
    id so that the picture does not depend on the order of the rows."""
    counts = events.group_by("case_id").len().drop_nulls("case_id")
    return set(counts.sort(["len", "case_id"], descending=[True, False]).head(count)["case_id"])


def short_title(title: str) -> str:
    """A case title short enough to sit beside its row."""
    return title if len(title) <= MAX_LABEL else title[:MAX_LABEL - 1].rstrip() + "…"


def draw(frames: dict[str, pl.DataFrame], declared: list[Event], path: Path) -> None:
    # Imported here: the site reads this module without loading matplotlib.
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = events(frames, declared)
    chosen = busiest(table)
    titles = dict(frames["cases"].select("case_id", "title").iter_rows())
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
