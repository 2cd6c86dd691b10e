"""Charts as SVG drawn by our own code: horizontal bars, one per option, and a threshold line.

Every chart carries its own text alternative (`<title>` and `<desc>`, referenced by
aria-labelledby) and is always shown beside the table and the narrative that say the same.
No inline styles (the Content-Security-Policy forbids them): colours come from classes in
councils.css, with presentation attributes as a fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import count

from markupsafe import Markup, escape

WIDTH = 640
LABEL_W = 180
VALUE_W = 70
BAR_H = 26
GAP = 10
TOP = 28
_ids = count(1)


def fmt(value: float) -> str:
    """A count as people read it: 3, 2.5, 1.33."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar_chart(
    totals: Mapping[str, float],
    *,
    title: str,
    description: str,
    threshold: float | None = None,
    threshold_label: str = "",
    highlight: frozenset[str] | set[str] = frozenset(),
    dimmed: frozenset[str] | set[str] = frozenset(),
) -> Markup:
    """An accessible SVG bar chart of `totals` (kept in the given order)."""
    uid = f"chart{next(_ids)}"
    items = list(totals.items())
    top = max([v for _, v in items] + [threshold or 0, 1])
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = TOP + len(items) * (BAR_H + GAP) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
    ]
    for row, (name, value) in enumerate(items):
        y = TOP + row * (BAR_H + GAP)
        w = 0 if top <= 0 else max(0.0, plot_w * value / top)
        kind = "win" if name in highlight else ("out" if name in dimmed else "bar")
        fill = {"win": "#1b5e20", "out": "#767676", "bar": "#1f4e99"}[kind]
        label = name if len(name) <= 24 else name[:23] + "…"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H * 0.68:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" '
            f'class="chart-{kind}" fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{LABEL_W + w + 6:.1f}" y="{y + BAR_H * 0.68:.1f}" '
            f'class="chart-value">{escape(fmt(value))}</text>'
        )
    if threshold is not None and threshold > 0:
        x = LABEL_W + plot_w * threshold / top
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 4}" '
            f'class="chart-threshold" stroke="#b00020" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        anchor = "end" if x > WIDTH - 120 else "start"
        tx = x - 4 if anchor == "end" else x + 4
        parts.append(
            f'<text x="{tx:.1f}" y="{TOP - 10}" text-anchor="{anchor}" '
            f'class="chart-threshold-label">{escape(threshold_label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
