"""Charts of the site as inline SVG drawn on the server: every mark is a
link to the row it stands for, with a tooltip saying what it is.

- `timeline`: the dated events of one case (arrests, deaths, court
  decisions, statements), one lane per kind, on a time axis.
- `ranges`: the contested figures of one case, each claim a bar from its
  lowest to its highest value, claims on one figure side by side (the first
  BARS of them, then a link to all).
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

WIDTH, LANE, LEFT, RIGHT, TOP = 800, 26, 110, 20, 24
BARS = 25  # claims drawn per figure; the axis is that of all of them


def timeline(events: list[dict], kinds: list[tuple[str, str]], label: str) -> Markup:
    """`events`: dicts with day (ISO date), kind, href and title; `kinds`:
    (kind, colour) in lane order."""
    dated = [e for e in events if e.get("day")]
    if not dated:
        return Markup("")
    days = [date.fromisoformat(e["day"]) for e in dated]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    height = TOP + LANE * len(kinds) + 20
    x = lambda day: LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span  # noqa: E731
    lanes = {kind: TOP + LANE * i + LANE / 2 for i, (kind, _) in enumerate(kinds)}
    colours = dict(kinds)
    parts = [_axis_years(first, last, x, height)]
    for kind, _ in kinds:
        parts.append(f'<text x="{LEFT - 8}" y="{lanes[kind] + 4}" text-anchor="end">{escape(kind)}</text>')
    for (kind, at), group in _by_pixel(dated, days, x).items():
        event, day = group[0]
        title = f"{event['title']} ({event['day']})"
        if len(group) > 1:
            title = f"{kind}: {len(group)} from {group[0][1]} to {group[-1][1]}; this mark opens the first, {title}"
        parts.append(_mark(event["href"], title, f'<circle cx="{at:.1f}" cy="{lanes[kind]}" r="5" '
                                                 f'fill="{colours[kind]}" fill-opacity="0.75"/>'))
    return _svg(height, label, parts)


def _by_pixel(events: list[dict], days: list[date], x) -> dict[tuple[str, float], list[tuple[dict, date]]]:
    """The events of each lane that fall on one pixel, earliest first: one
    mark each, so a case of a hundred thousand events is at most a few
    thousand marks (more would be drawn over each other all the same)."""
    found: dict[tuple[str, float], list[tuple[dict, date]]] = {}
    for event, day in sorted(zip(events, days), key=lambda pair: pair[1]):
        found.setdefault((event["kind"], round(x(day))), []).append((event, day))
    return found


def ranges(claims: list[dict], label: str) -> Markup:
    """`claims`: dicts with figure, low, high, who, href (and maybe qualifier); one
    group of bars per figure on its own scale, each bar from low to high (a
    dot when they are equal)."""
    claims = [c for c in claims if c.get("low") is not None or c.get("high") is not None]
    if not claims:
        return Markup("")
    parts, y = [], TOP
    for figure in dict.fromkeys(c["figure"] for c in claims):
        group = [c for c in claims if c["figure"] == figure]
        top = max(float(_high(c)) for c in group) or 1
        x = lambda value: LEFT + 170 + (WIDTH - LEFT - 170 - RIGHT - 40) * float(value) / top  # noqa: E731
        parts.append(f'<text x="4" y="{y + 18}" font-weight="bold">{escape(figure)}</text>')
        y += 26
        for claim in group[:BARS]:
            parts.append(_bar(claim, x, y))
            y += 18
        if len(group) > BARS:  # the rest one link away, as a page's sections
            parts.append(_mark(group[0]["all"], f"all {len(group)} claims on {figure}",
                               f'<text x="{LEFT + 160}" y="{y + 10}" text-anchor="end" fill="#0645ad">'
                               f'and {len(group) - BARS} more claims</text>'))
            y += 18
        parts.append(_axis_values(top, x, y + 2))
        y += 22
    return _svg(y + 4, label, parts)


def _high(claim: dict):
    return claim["high"] if claim.get("high") is not None else claim["low"]


def _bar(claim: dict, x, y: float) -> str:
    low = claim["low"] if claim.get("low") is not None else claim["high"]
    high = _high(claim)
    value = f"{low:g}" if low == high else f"{low:g}–{high:g}"
    value += f" ({claim['qualifier']})" if claim.get("qualifier") else ""
    shape = (f'<rect x="{x(low) - 4:.1f}" y="{y}" width="{x(high) - x(low) + 8:.1f}" height="12" rx="6" '
             f'fill="#b03a2e" fill-opacity="0.8"/>')
    return (f'<text x="{LEFT + 160}" y="{y + 10}" text-anchor="end">{escape(_short(claim["who"]))}</text>'
            + _mark(claim["href"], f"{claim['who']}: {value}", shape)
            + f'<text x="{x(high) + 10:.1f}" y="{y + 10}">{escape(value)}</text>')


def _axis_years(first: date, last: date, x, height: int) -> str:
    ticks = []
    for year in range(first.year + (first.month > 1 or first.day > 1), last.year + 1):
        at = x(date(year, 1, 1))
        ticks.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP - 6}" y2="{height - 18}" stroke="#ddd"/>'
                     f'<text x="{at:.1f}" y="{height - 4}" text-anchor="middle">{year}</text>')
    ends = (f'<text x="{LEFT}" y="{TOP - 10}">{first.isoformat()}</text>'
            f'<text x="{WIDTH - RIGHT}" y="{TOP - 10}" text-anchor="end">{last.isoformat()}</text>')
    return "".join(ticks) + ends


def _axis_values(top: float, x, y: float) -> str:
    return (f'<line x1="{x(0):.1f}" x2="{x(top):.1f}" y1="{y}" y2="{y}" stroke="#999"/>'
            f'<text x="{x(0):.1f}" y="{y + 14}" text-anchor="middle">0</text>'
            f'<text x="{x(top):.1f}" y="{y + 14}" text-anchor="middle">{top:g}</text>')


def _mark(href: str, title: str, shape: str) -> str:
    return f'<a href="{escape(href)}"><title>{escape(title)}</title>{shape}</a>'


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(height: float, label: str, parts: list[str]) -> Markup:
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(label)}" '
                  f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
                  + "".join(parts) + "</svg>")
