"""Server-side SVG charts: no JavaScript, readable without colour, each with a data table.

A read: it draws from figures already read, with no query and no write; reports' writes are
in services.py.
"""

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

# Grades from the top of the chart down; "adequate" sits with "requires improvement".
LEVELS = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement"),
    ("inadequate", "Inadequate"),
]
LEVEL_INDEX = {code: i for i, (code, _) in enumerate(LEVELS)} | {"adequate": 2}

# Each series has its own marker shape and dash, so the lines differ without colour.
STYLES = [
    ("circle", "", "#1d70b8"),
    ("square", "6 3", "#00703c"),
    ("triangle", "2 3", "#d4351c"),
    ("diamond", "10 4", "#4c2c92"),
    ("cross", "1 0", "#6f777b"),
    ("circle-open", "4 2 1 2", "#912b88"),
]


@dataclass(frozen=True)
class Point:
    when: date
    label: str  # e.g. "Jul 2023"


@dataclass(frozen=True)
class Series:
    name: str
    grades: dict[date, str]  # inspection date -> grade code


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 5}" y="{y - 5}" width="10" height="10" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x},{y - 6} {x + 6},{y + 5} {x - 6},{y + 5}" fill="{colour}"/>'
    if shape == "diamond":
        return (
            f'<polygon points="{x},{y - 7} {x + 7},{y} {x},{y + 7} {x - 7},{y}" fill="{colour}"/>'
        )
    if shape == "cross":
        return (
            f'<path d="M{x - 5},{y - 5} L{x + 5},{y + 5} M{x - 5},{y + 5} L{x + 5},{y - 5}" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    if shape == "circle-open":
        return f'<circle cx="{x}" cy="{y}" r="5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
    return f'<circle cx="{x}" cy="{y}" r="5.5" fill="{colour}"/>'


def grade_history_svg(
    *, points: list[Point], series: list[Series], title: str, chart_id: str, width: int = 640
) -> str:
    """A line chart of grades over inspections, one marker shape per judgement."""
    left, right, top, row = 170, 30, 20, 40
    plot_height = row * (len(LEVELS) - 1)
    legend_top = top + plot_height + 50
    height = legend_top + 22 * len(series) + 10
    span = max(len(points) - 1, 1)
    inset = 40  # keeps the first and last markers clear of the axis labels
    plot_width = width - left - right - 2 * inset

    def x_of(index: int) -> float:
        return left + inset + (plot_width * index / span if len(points) > 1 else plot_width / 2)

    def y_of(level: int) -> float:
        return top + level * row

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title" font-family="Arial, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for level, (_, label) in enumerate(LEVELS):
        y = y_of(level)
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#b1b4b6"/>'
            f'<text x="{left - 10}" y="{y + 5}" text-anchor="end">{label}</text>'
        )
    for index, point in enumerate(points):
        parts.append(
            f'<text x="{x_of(index)}" y="{top + plot_height + 25}" text-anchor="middle">'
            f"{escape(point.label)}</text>"
        )
    for number, one in enumerate(series):
        shape, dash, colour = STYLES[number % len(STYLES)]
        coords = [
            (x_of(i), y_of(LEVEL_INDEX[one.grades[p.when]]))
            for i, p in enumerate(points)
            if one.grades.get(p.when) in LEVEL_INDEX
        ]
        if len(coords) > 1:
            path = " ".join(f"{x},{y}" for x, y in coords)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dash_attr}/>"
            )
        # Markers of series drawn later are nudged sideways so equal grades stay visible.
        offset = (number - (len(series) - 1) / 2) * 4
        parts.extend(_marker(shape, x + offset, y, colour) for x, y in coords)
        legend_y = legend_top + 22 * number
        parts.append(_marker(shape, left + 6, legend_y, colour))
        parts.append(f'<text x="{left + 20}" y="{legend_y + 5}">{escape(one.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(
    *, bars: list[tuple[str, int]], title: str, chart_id: str, width: int = 640
) -> str:
    """Horizontal bars with their value printed at the end, for counts such as actions by RAG."""
    label_width, bar_height, gap = 170, 24, 10
    height = len(bars) * (bar_height + gap) + 10
    most = max((value for _, value in bars), default=0) or 1
    room = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title" font-family="Arial, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(bars):
        y = 5 + index * (bar_height + gap)
        length = room * value / most
        parts.append(
            f'<text x="{label_width - 10}" y="{y + 17}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="#1d70b8"/>'
            f'<text x="{label_width + length + 8:.1f}" y="{y + 17}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
