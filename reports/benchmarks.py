"""Charts of the national picture for the dashboard: the share of councils at each grade, and how
it moved over the years. Server-side SVG like charts.py: grades differ by pattern and marker
shape as well as colour, every bar and point carries its figure, and each chart has a table."""

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from outcomes.rules import LEVEL_LABELS, LEVELS, Shares

from .charts import STYLES, _marker

# Each grade's fill: a pattern as well as a colour, so that the segments differ without colour.
FILLS = {
    "outstanding": ("solid", "#1d70b8"),
    "good": ("stripes", "#00703c"),
    "requires_improvement": ("dots", "#b58800"),
    "inadequate": ("cross", "#d4351c"),
}


def _patterns(chart_id: str) -> str:
    """SVG pattern definitions, one per grade, with ids unique to the chart."""
    parts = ["<defs>"]
    for code, (kind, colour) in FILLS.items():
        pid = f"{chart_id}-{code}"
        if kind == "solid":
            continue
        if kind == "stripes":
            body = (
                f'<rect width="8" height="8" fill="#fff"/>'
                f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="3"/>'
            )
        elif kind == "dots":
            body = (
                f'<rect width="8" height="8" fill="#fff"/>'
                f'<circle cx="4" cy="4" r="2.5" fill="{colour}"/>'
            )
        else:
            body = (
                f'<rect width="8" height="8" fill="#fff"/>'
                f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">{body}'
            "</pattern>"
        )
    parts.append("</defs>")
    return "".join(parts)


def _fill(chart_id: str, code: str) -> str:
    kind, colour = FILLS[code]
    return colour if kind == "solid" else f"url(#{chart_id}-{code})"


def _open(chart_id: str, title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title" font-family="Arial, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def _legend(chart_id: str, top: int, left: int) -> list[str]:
    parts = []
    x = left
    for code in LEVELS:
        label = LEVEL_LABELS[code]
        parts.append(
            f'<rect x="{x}" y="{top}" width="16" height="16" fill="{_fill(chart_id, code)}" '
            f'stroke="#0b0c0c"/><text x="{x + 22}" y="{top + 13}">{escape(label)}</text>'
        )
        x += 36 + 8 * len(label)
    return parts


@dataclass(frozen=True)
class Bar:
    label: str  # "England", "South West"
    group: str  # the judgement, written once above its bars
    shares: Shares
    note: str = ""  # after the bar: where the council stands


def shares_svg(*, bars: list[Bar], title: str, chart_id: str, width: int = 760) -> str:
    """100% stacked bars: the share of councils at each grade, one bar per judgement and area."""
    left, bar_width, bar_height, gap = 110, 360, 22, 8
    groups: list[str] = []
    for bar in bars:
        if bar.group not in groups:
            groups.append(bar.group)
    height = 10 + len(groups) * 26 + len(bars) * (bar_height + gap) + 40
    parts = _open(chart_id, title, width, height) + [_patterns(chart_id)]
    y = 10
    current = None
    for bar in bars:
        if bar.group != current:
            current = bar.group
            parts.append(f'<text x="0" y="{y + 16}" font-weight="bold">{escape(bar.group)}</text>')
            y += 26
        parts.append(
            f'<text x="{left - 10}" y="{y + 16}" text-anchor="end">{escape(bar.label)}</text>'
        )
        x = float(left)
        total = bar.shares.total
        for code in LEVELS:
            count = bar.shares.counts.get(code, 0)
            if not total or not count:
                continue
            length = bar_width * count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{_fill(chart_id, code)}" stroke="#0b0c0c"/>'
            )
            if length >= 30:
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                    f'fill="#0b0c0c" stroke="#fff" stroke-width="3" paint-order="stroke" '
                    f'font-weight="bold">{bar.shares.percent(code)}%</text>'
                )
            x += length
        if not total:
            parts.append(f'<text x="{left}" y="{y + 16}">No grades</text>')
        if bar.note:
            parts.append(
                f'<text x="{left + bar_width + 10}" y="{y + 16}">{escape(bar.note)}</text>'
            )
        y += bar_height + gap
    parts += _legend(chart_id, y + 10, left)
    parts.append("</svg>")
    return "".join(parts)


def shares_over_time_svg(
    *, points: list[tuple[date, Shares]], title: str, chart_id: str, width: int = 640
) -> str:
    """The share of councils at each grade at each date: one line per grade, each with its own
    marker shape and dash, its percentage by each marker's place on a 0 to 100% scale."""
    left, right, top, plot_height = 60, 30, 20, 200
    legend_top = top + plot_height + 50
    height = legend_top + 22 * len(LEVELS) + 10
    inset = 30
    plot_width = width - left - right - 2 * inset
    span = max(len(points) - 1, 1)

    def x_of(index: int) -> float:
        return left + inset + (plot_width * index / span if len(points) > 1 else plot_width / 2)

    def y_of(percent: float) -> float:
        return top + plot_height * (100 - percent) / 100

    parts = _open(chart_id, title, width, height)
    for percent in (0, 25, 50, 75, 100):
        y = y_of(percent)
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#b1b4b6"/>'
            f'<text x="{left - 8}" y="{y + 5}" text-anchor="end">{percent}%</text>'
        )
    for index, (day, _) in enumerate(points):
        parts.append(
            f'<text x="{x_of(index)}" y="{top + plot_height + 25}" text-anchor="middle">'
            f"{day.year}</text>"
        )
    for number, code in enumerate(LEVELS):
        shape, dash, colour = STYLES[number % len(STYLES)]
        coords = [
            (x_of(i), y_of(shares.percent(code)))
            for i, (_, shares) in enumerate(points)
            if shares.total
        ]
        if len(coords) > 1:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{" ".join(f"{x},{y}" for x, y in coords)}" fill="none" '
                f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
        parts.extend(_marker(shape, x, y, colour) for x, y in coords)
        legend_y = legend_top + 22 * number
        parts.append(_marker(shape, left + 6, legend_y, colour))
        parts.append(
            f'<text x="{left + 20}" y="{legend_y + 5}">{escape(LEVEL_LABELS[code])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
