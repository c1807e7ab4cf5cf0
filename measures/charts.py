"""A measure's line chart: the council's values beside its statistical neighbours' average and
England's, with the target as a dashed horizontal line.

Server-side SVG drawn like the dashboard's charts (reports/charts.py), for the browser and for
WeasyPrint alike: no JavaScript, no external font; each line has its own dash and marker shape
as well as colour, so the lines differ without colour; the title and description say what the
chart shows, and a table of the same figures goes with every chart (includes/chart.html).

A read: it draws from a series already built (measures/series.py), with no query.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from reports.charts import _marker

from .models import Unit
from .periods import Frequency
from .series import Series
from .templatetags.measures_tags import format_value

# (marker shape, dash, colour, stroke width) of each line, after reports/charts.py's STYLES.
COUNCIL = ("circle", "", "#1d70b8", 3)
NEIGHBOURS = ("square", "6 3", "#00703c", 2)
ENGLAND = ("diamond", "2 3", "#4c2c92", 2)
TARGET_DASH, TARGET_COLOUR = "10 5", "#0b0c0c"
# The most days a period of each frequency lasts, and the room one period's name takes.
FREQUENCY_DAYS = {Frequency.MONTHLY: 31, Frequency.QUARTERLY: 92, Frequency.YEARLY: 366}
LABEL_ROOM = 66


@dataclass(frozen=True)
class Line:
    name: str
    style: tuple[str, str, str, int]
    values: list[Decimal | None]  # one per point, None where the figure is missing


def short_label(frequency: str, end: date) -> str:
    """A period as the axis names it: "2023-24" for a year to March, else the month it ends."""
    if frequency == Frequency.YEARLY and (end.month, end.day) == (3, 31):
        return f"{end.year - 1}-{end.year % 100:02d}"
    return f"{end:%b %Y}"


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about four intervals."""
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def scale(values: list[float], *, percentage: bool) -> tuple[float, float, float]:
    """The axis's bottom, top and step for the values: round numbers that hold them all.

    Equal values get room above and below; no axis goes below 0, nor a percentage's above 100.
    """
    low, high = min(values), max(values)
    if high - low < 1e-9:
        pad = max(abs(high) * 0.1, 1.0)
        low, high = low - pad, high + pad
    step = _nice_step(high - low)
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top - bottom < 1e-9:
        top = bottom + step
    bottom = max(bottom, 0.0)
    if percentage:
        top = min(top, 100.0)
        if top <= bottom:
            bottom = max(0.0, top - step)
    return bottom, top, step


def _number(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _runs(dated: list[tuple[date, float, float]], step: int) -> list[list[tuple[float, float]]]:
    """The unbroken stretches of a line, its points given as (date, x, y): where a period is
    missing (the next point is more than one step of days on) it leaves a gap, never a false
    join."""
    runs: list[list[tuple[float, float]]] = []
    before = None
    for when, x, y in dated:
        if before is None or (when - before).days > step * 1.5:
            runs.append([])
        runs[-1].append((x, y))
        before = when
    return runs


def _step(frequency: str, dates: list[date]) -> int:
    """The days between a line's periods: the measure's own frequency for the council's, and
    for a comparator's the shortest gap between its own points (a yearly file's year)."""
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    return min(gaps, default=FREQUENCY_DAYS.get(frequency, 366))


def describe(series: Series, council_name: str) -> str:
    """The chart in words, for its description: the latest value against the target and the
    comparators of the same period."""
    measure = series.measure
    unit = measure.unit
    latest = series.latest
    if latest is None:
        return f"{council_name} has no values of this measure yet."
    parts = [
        f"{council_name}: {format_value(latest.value, unit)} in {latest.label}, "
        f"{len(series.with_value)} period{'s' if len(series.with_value) != 1 else ''} shown"
    ]
    if measure.target is not None:
        parts.append(
            f"target {format_value(measure.target, unit)}, {series.rag_label}"
            f" ({measure.get_polarity_display().lower()})"
        )
    parts.append(f"direction of travel: {series.direction_label.lower()}")
    if latest.neighbours is not None:
        parts.append(f"statistical neighbours' average {format_value(latest.neighbours, unit)}")
    if latest.england is not None:
        parts.append(f"England {format_value(latest.england, unit)}")
    return "; ".join(parts) + "."


def measure_chart_svg(series: Series, *, chart_id: str, council_name: str, width: int = 640) -> str:
    """The line chart of one measure's series, or "" when it has no figure to draw."""
    measure = series.measure
    points = series.points
    lines = [
        Line(council_name, COUNCIL, [p.value for p in points]),
        Line("Statistical neighbours' average", NEIGHBOURS, [p.neighbours for p in points]),
        Line("England", ENGLAND, [p.england for p in points]),
    ]
    # A comparator with no figure at all is left out of the chart and its legend.
    lines = [line for line in lines if any(v is not None for v in line.values)]
    target = measure.target
    drawn = [float(v) for line in lines for v in line.values if v is not None]
    if not drawn:
        return ""
    percentage = measure.unit == Unit.PERCENTAGE
    bottom, top, step = scale(
        drawn + ([float(target)] if target is not None else []), percentage=percentage
    )

    left, right, plot_top, plot_height = 70, 110, 20, 200
    legend_top = plot_top + plot_height + 50
    legend_rows = len(lines) + (1 if target is not None else 0)
    height = legend_top + 22 * legend_rows + 5
    plot_right = width - right
    inset = 20
    plot_width = plot_right - left - 2 * inset

    first, last = points[0].period_end, points[-1].period_end
    days = max((last - first).days, 1)

    def x_of(index: int) -> float:
        """Along the axis by date, so that yearly comparators sit among quarterly values."""
        if len(points) == 1:
            return round(left + inset + plot_width / 2, 1)
        return round(left + inset + plot_width * (points[index].period_end - first).days / days, 1)

    def y_of(value: float) -> float:
        value = min(max(value, bottom), top)
        return round(plot_top + plot_height * (top - value) / (top - bottom), 1)

    def unit_tick(value: float) -> str:
        return f"{_number(value)}%" if percentage else _number(value)

    title = f"{measure.name}: {council_name} by period"
    comparators = [line.name for line in lines[1:]]
    if comparators:
        title += ", with " + " and ".join(comparators).replace("Statistical", "statistical")
    if target is not None:
        title += ", against the target"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Arial, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(series, council_name))}</desc>',
    ]
    # The value axis: gridlines at round numbers.
    ticks = int(round((top - bottom) / step))
    for n in range(ticks + 1):
        value = bottom + n * step
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{plot_right}" y2="{y}" stroke="#b1b4b6"/>'
            f'<text x="{left - 8}" y="{y + 5}" text-anchor="end">{unit_tick(value)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{plot_top + plot_height}" '
        f'stroke="#0b0c0c"/>'
        f'<line x1="{left}" y1="{plot_top + plot_height}" x2="{plot_right}" '
        f'y2="{plot_top + plot_height}" stroke="#0b0c0c"/>'
    )
    # The period axis: each period's name, but none so close to the one before that they run
    # together; the latest is always named.
    named: list[int] = []
    for index in range(len(points)):
        if named and x_of(index) - x_of(named[-1]) < LABEL_ROOM:
            if index != len(points) - 1:
                continue
            named.pop()
        named.append(index)
    for index in named:
        parts.append(
            f'<text x="{x_of(index)}" y="{plot_top + plot_height + 22}" text-anchor="middle" '
            f'font-size="12">{escape(short_label(measure.frequency, points[index].period_end))}'
            "</text>"
        )
    if target is not None:
        y = y_of(float(target))
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{plot_right}" y2="{y}" stroke="{TARGET_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>'
            f'<text x="{plot_right + 6}" y="{y + 5}" font-size="12">Target '
            f"{escape(format_value(target, measure.unit))}</text>"
        )
    for number, line in enumerate(lines):
        shape, dash, colour, stroke = line.style
        dated = [
            (points[i].period_end, x_of(i), y_of(float(v)))
            for i, v in enumerate(line.values)
            if v is not None
        ]
        if number == 0:
            step = FREQUENCY_DAYS.get(measure.frequency, 366)
        else:
            step = _step(measure.frequency, [when for when, _, _ in dated])
        coords = [(x, y) for _, x, y in dated]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(dated, step):
            if len(run) > 1:
                path = " ".join(f"{x},{y}" for x, y in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="{stroke}"{dash_attr}/>'
                )
        parts.extend(_marker(shape, x, y, colour) for x, y in coords)
    # The legend: each line's sample with its marker, then the target's dashes.
    for row, line in enumerate(lines):
        shape, dash, colour, stroke = line.style
        y = legend_top + 22 * row
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{left + 36}" y2="{y}" stroke="{colour}" '
            f'stroke-width="{stroke}"{dash_attr}/>'
            + _marker(shape, left + 18, y, colour)
            + f'<text x="{left + 46}" y="{y + 5}">{escape(line.name)}</text>'
        )
    if target is not None:
        y = legend_top + 22 * len(lines)
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{left + 36}" y2="{y}" stroke="{TARGET_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>'
            f'<text x="{left + 46}" y="{y + 5}">Target, '
            f"{escape(measure.get_polarity_display().lower())}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
