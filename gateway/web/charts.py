"""Charts as SVG drawn by our own code: horizontal bars, one per option, and a threshold line.

Every chart carries its own text alternative (`<title>` and `<desc>`, referenced by
aria-labelledby) and is always shown beside the table and the narrative that say the same.
No inline styles (the Content-Security-Policy forbids them): colours come from classes in
councils.css, with presentation attributes as a fallback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import count

from markupsafe import Markup, escape

from gateway.web.i18n import current

WIDTH = 640
LABEL_W = 180
VALUE_W = 70
BAR_H = 26
GAP = 10
TOP = 28
_ids = count(1)


def fmt(value: float) -> str:
    """A count as people read it, in the request's language: 3, 2.5, 1.33 (2,5 in French)."""
    if abs(value - round(value)) < 1e-9:
        value = round(value)
    return current().format_decimal(value)


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


# --- transfer flow (IRV/STV), beat matrix (Schulze), stacked rows (consensus history) ------

PALETTE = ("#1f4e99", "#8a4b08", "#1b5e20", "#6a1b9a", "#00695c", "#ad1457", "#37474f", "#4e342e")
GREY = "#767676"


FLOW_WIDTH = 800


def _svg_open(
    uid: str, height: float, title: str, description: str, css: str, width: int = WIDTH
) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {width} {height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
    ]


def _short(name: str, size: int = 18) -> str:
    return name if len(name) <= size else name[: size - 1] + "…"


def flow_chart(
    columns: list[tuple[str, Mapping[str, float]]],
    steps: Sequence[Mapping],
    *,
    title: str,
    description: str,
    exhausted_label: str,
) -> Markup:
    """Round-by-round transfers: a stacked column of votes per round, bands between rounds.

    `columns` are (round label, {option: votes}) with the key `None`-free; the exhausted
    ballots of a round are under `steps[i]["exhausted_total"]`. `steps[i]` joins column i
    and i+1: {"flows": [(source, target, votes)]} where a target may be `None` (no further
    choice); an option kept from one round to the next flows to itself. The flows are the
    count's recorded transfers when the result has them (see `results.transfer_steps`).
    """
    uid = f"chart{next(_ids)}"
    width = FLOW_WIDTH
    label_w, right_w, top, plot_h, col_w, gap = 170, 170, 34, 300, 16, 6
    names: list[str] = []
    for _label, totals in columns:
        for name in totals:
            if name not in names:
                names.append(name)
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    exhausted = [0.0] + [float(s.get("exhausted_total") or 0) for s in steps]
    exhausted += [0.0] * (len(columns) - len(exhausted))
    biggest = max(
        [sum(v for v in t.values() if v > 0) + exhausted[i] for i, (_l, t) in enumerate(columns)]
        + [1]
    )
    scale = (plot_h - gap * (len(names) + 1)) / biggest
    height = top + plot_h + 24
    span = width - label_w - right_w - col_w
    xs = [label_w + (span * i / max(1, len(columns) - 1)) for i in range(len(columns))]
    parts = _svg_open(uid, height, title, description, "flow", width)
    # Block positions: (column, name) -> [y, height, out_cursor, in_cursor]
    blocks: dict[tuple[int, str | None], list[float]] = {}
    for i, (label, totals) in enumerate(columns):
        x = xs[i]
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{top - 14}" text-anchor="middle" '
            f'class="chart-label">{escape(label)}</text>'
        )
        y = float(top)
        for name in names:
            votes = float(totals.get(name) or 0)
            if votes <= 0:
                continue
            h = max(1.0, votes * scale)
            blocks[(i, name)] = [y, h, y, y]
            y += h + gap
        if exhausted[i] > 0:
            h = max(1.0, exhausted[i] * scale)
            blocks[(i, None)] = [y, h, y, y]
    # Bands first (under the blocks).
    parts += _flow_bands(steps, len(columns), blocks, names, colour, xs, col_w, scale)
    for (i, block), (y, h, _o, _in) in blocks.items():
        fill = colour.get(block, GREY) if block is not None else GREY
        parts.append(
            f'<rect x="{xs[i]:.1f}" y="{y:.1f}" width="{col_w}" height="{h:.1f}" '
            f'class="flow-block" fill="{fill}"/>'
        )
        shown = columns[i][1].get(block) if block is not None else exhausted[i]
        if h < 10:
            continue
        label = _short(block, 18) if block is not None else _short(exhausted_label, 18)
        text = f"{label} {fmt(float(shown or 0))}"
        if i == 0:  # names left of the first column, right of every later one
            parts.append(
                f'<text x="{xs[i] - 6:.1f}" y="{y + min(h, 20) * 0.75:.1f}" '
                f'text-anchor="end" class="chart-label">{escape(text)}</text>'
            )
        else:
            parts.append(
                f'<text x="{xs[i] + col_w + 4:.1f}" y="{y + min(h, 20) * 0.75:.1f}" '
                f'class="chart-label flow-label">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _flow_bands(
    steps: Sequence[Mapping],
    n_columns: int,
    blocks: dict,
    names: list[str],
    colour: dict,
    xs: list[float],
    col_w: int,
    scale: float,
) -> list[str]:
    """The bands from each round's blocks to the next round's, moving the blocks' cursors."""
    parts: list[str] = []
    for i, step in enumerate(steps):
        if i + 1 >= n_columns:
            break
        x0, x1 = xs[i] + col_w, xs[i + 1]
        xm = (x0 + x1) / 2
        flows = sorted(
            step.get("flows") or [],
            key=lambda f: (f[0] != f[1], names.index(f[0]) if f[0] in names else 0),
        )
        for source, target, votes in flows:
            if votes <= 0 or (i, source) not in blocks or (i + 1, target) not in blocks:
                continue
            out, into = blocks[(i, source)], blocks[(i + 1, target)]
            w = votes * scale
            ya, yb = out[2], out[2] + w
            za, zb = into[3], into[3] + w
            out[2] += w
            into[3] += w
            fill = colour.get(source, GREY)
            parts.append(
                f'<path d="M{x0:.1f},{ya:.1f} C{xm:.1f},{ya:.1f} {xm:.1f},{za:.1f} '
                f"{x1:.1f},{za:.1f} L{x1:.1f},{zb:.1f} C{xm:.1f},{zb:.1f} {xm:.1f},{yb:.1f} "
                f'{x0:.1f},{yb:.1f} Z" class="flow-band{" flow-moved" if source != target else ""}"'
                f' fill="{fill}" fill-opacity="{0.22 if source == target else 0.5}"/>'
            )
    return parts


MARK = {"win": "✓", "lose": "✗", "tie": "="}


def matrix_chart(
    names: list[str],
    cells: Mapping[str, Mapping[str, float]],
    *,
    title: str,
    description: str,
    marks: Mapping[str, str] | None = None,
) -> Markup:
    """The beat matrix as a grid: row beats column (✓, solid green), loses (✗, red with
    stripes), ties (=, grey) — the mark and the pattern say it without the colours."""
    uid = f"chart{next(_ids)}"
    n = max(1, len(names))
    label_w, top = 150, 44
    cell = min(70.0, (WIDTH - label_w - 10) / n)
    height = top + n * cell + 10 + (30 if marks else 0)
    parts = _svg_open(uid, height, title, description, "matrix")
    parts.append(
        f'<defs><pattern id="{uid}-stripes" width="8" height="8" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#b00020"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#6d0014" stroke-width="5"/>'
        "</pattern></defs>"
    )
    for j, col in enumerate(names):
        x = label_w + j * cell + cell / 2
        parts.append(
            f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" '
            f'class="chart-label">{escape(_short(col, 9))}</text>'
        )
    for i, row in enumerate(names):
        y = top + i * cell
        parts.append(
            f'<text x="{label_w - 8}" y="{y + cell * 0.6:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(_short(row))}</text>'
        )
        for j, col in enumerate(names):
            x = label_w + j * cell
            if row == col:
                kind, fill, text = "self", "#ffffff", "—"
            else:
                mine = _num((cells.get(row) or {}).get(col))
                theirs = _num((cells.get(col) or {}).get(row))
                kind = "win" if mine > theirs else ("lose" if mine < theirs else "tie")
                fill = {"win": "#1b5e20", "lose": f"url(#{uid}-stripes)", "tie": "#595959"}[kind]
                text = f"{MARK[kind]} {fmt(mine)}"
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell - 2:.1f}" '
                f'height="{cell - 2:.1f}" class="matrix-{kind}" fill="{fill}" '
                f'stroke="#595959"/>'
            )
            parts.append(
                f'<text x="{x + cell / 2:.1f}" y="{y + cell * 0.6:.1f}" '
                f'text-anchor="middle" class="matrix-value matrix-value-{kind}" '
                f'fill="{"#000000" if kind == "self" else "#ffffff"}">'
                f"{escape(text)}</text>"
            )
    if marks:
        x, y = float(label_w), top + n * cell + 26
        for kind in ("win", "lose", "tie"):
            label = f"{MARK[kind]} {marks.get(kind, kind)}"
            parts.append(
                f'<text x="{x:.1f}" y="{y:.1f}" class="chart-label">{escape(label)}</text>'
            )
            x += 30 + 7.5 * len(label)
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_rows(
    rows: list[tuple[str, Mapping[str, float]]],
    segments: list[tuple[str, str]],
    *,
    title: str,
    description: str,
) -> Markup:
    """One horizontal bar per row split into segments [(key, label)], with a legend."""
    uid = f"chart{next(_ids)}"
    colours = {
        "agree": "#1b5e20",
        "stand_aside": "#1f4e99",
        "concern": "#8a4b08",
        "block": "#b00020",
    }
    top, legend_h = 12, 30
    height = top + legend_h + len(rows) * (BAR_H + GAP) + 8
    plot_w = WIDTH - LABEL_W - VALUE_W
    biggest = max([sum(values.values()) for _l, values in rows] + [1])
    parts = _svg_open(uid, height, title, description, "stacked")
    x = float(LABEL_W)
    for k, (key, label) in enumerate(segments):
        fill = colours.get(key, PALETTE[k % len(PALETTE)])
        parts.append(f'<rect x="{x:.1f}" y="{top}" width="14" height="14" fill="{fill}"/>')
        parts.append(
            f'<text x="{x + 18:.1f}" y="{top + 12}" class="chart-label">{escape(label)}</text>'
        )
        x += 30 + 7.2 * len(label)
    for r, (label, values) in enumerate(rows):
        y = top + legend_h + r * (BAR_H + GAP)
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H * 0.68:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(_short(label, 24))}</text>'
        )
        x = float(LABEL_W)
        for k, (key, _seg) in enumerate(segments):
            value = _num(values.get(key))
            if value <= 0:
                continue
            w = plot_w * value / biggest
            fill = colours.get(key, PALETTE[k % len(PALETTE)])
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" '
                f'fill="{fill}" stroke="#ffffff"/>'
            )
            if w >= 18:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + BAR_H * 0.68:.1f}" '
                    f'text-anchor="middle" fill="#ffffff" class="stacked-value">'
                    f"{escape(fmt(value))}</text>"
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + BAR_H * 0.68:.1f}" class="chart-value">'
            f"{escape(fmt(sum(_num(v) for v in values.values())))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
