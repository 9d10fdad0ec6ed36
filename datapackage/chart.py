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

EVENTS = (  # resource, date field, legend label, marker, colour
    ("deaths", "date_of_arrest", "arrest", "v", "#1f77b4"),
    ("deaths", "date_of_death", "death", "X", "#000000"),
    ("trials", "decided_on", "court decision", "s", "#d62728"),
    ("statements", "made_on", "statement", "o", "#2ca02c"),
)


MAX_CASES = 30


def events(frames: dict[str, pl.DataFrame]) -> pd.DataFrame:
    """One row per dated event: case, day, kind; from the typed frames."""
    victims = frames["victims"].select("victim_id", "case_id")
    parts = []
    for resource, field, label, _, _ in EVENTS:
        frame = frames[resource]
        if "case_id" not in frame.columns:
            frame = frame.join(victims, on="victim_id", how="left", maintain_order="left")
        parts.append(frame.select("case_id", pl.col(field + "_from").alias("day"), pl.lit(label).alias("kind")))
    return pl.concat(parts).drop_nulls("day").to_pandas()


def draw(frames: dict[str, pl.DataFrame], path: Path) -> None:
    # Imported here: the site reads EVENTS without loading matplotlib.
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = events(frames)
    titles = dict(frames["cases"].select("case_id", "title").iter_rows())
    busiest = set(table["case_id"].value_counts().index[:MAX_CASES])  # a readable picture, at any size
    cases = [c for c in titles if c in busiest]
    table = table[table["case_id"].isin(busiest)]
    rows = {case: i for i, case in enumerate(reversed(cases))}
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "timeline"})
    figure, axes = plt.subplots(figsize=(10, 1.2 + 0.55 * len(cases)), dpi=100)
    for offset, (_, _, label, marker, colour) in enumerate(EVENTS):
        chosen = table[table["kind"] == label]
        y = chosen["case_id"].map(rows) + (offset - 1.5) * 0.12
        axes.scatter(chosen["day"], y, marker=marker, color=colour, s=28, alpha=0.8, label=label, linewidths=0)
    axes.set_yticks(list(rows.values()), [titles[c] for c in rows])
    axes.set_ylim(-0.6, len(cases) - 0.4)
    axes.grid(axis="x", color="#dddddd")
    axes.legend(loc="lower left", ncols=4, fontsize=8, frameon=False, bbox_to_anchor=(0, 1.0))
    figure.tight_layout()
    figure.savefig(path, format="png", metadata={"Software": None})
    plt.close(figure)
