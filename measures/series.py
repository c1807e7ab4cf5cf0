"""A measure's values over time beside its comparators, its RAG and its direction of travel.

``measure_series`` builds every measure's series in a fixed number of queries whatever the
number of measures and values: the dashboard's and the pack's Impact sections use it, and
their query counts are pinned (tests/test_measures_queries.py).

Rules, as the glossary states them:
- The council's value for a period is the one an officer entered; where none was entered, the
  council's own row of a published file mapped to the measure stands in.
- RAG compares the latest value with the target: at or better than the target is Green; short
  of it by no more than the tolerance is Amber; further short is Red. A measure with no target or
  no value has no RAG.
- A published figure for a period that is not one of the measure's (a year's figure beside a
  quarterly measure, on the last day of its quarter) is named by its own period.
- Direction of travel compares the latest value with the one before it, by the measure's
  polarity: improving, worsening or no change.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from councils.models import Council, StatisticalNeighbour

from .models import IndicatorValue, Level, Measure, MeasureValue, Polarity
from .periods import PeriodError, ees_frequency, ees_period_label

ENGLAND = "E92000001"
# ONS codes of England's nine regions, by the names councils are filed under.
REGION_CODES = {
    "north east": "E12000001",
    "north west": "E12000002",
    "yorkshire and the humber": "E12000003",
    "east midlands": "E12000004",
    "west midlands": "E12000005",
    "east of england": "E12000006",
    "london": "E12000007",
    "south east": "E12000008",
    "south west": "E12000009",
}


def region_code(council: Council) -> str | None:
    return REGION_CODES.get(" ".join(council.region.lower().split()))


class Rag:
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}


class Direction:
    IMPROVING = "improving"
    WORSENING = "worsening"
    SAME = "same"
    LABELS = {IMPROVING: "Improving", WORSENING: "Worsening", SAME: "No change"}


def measure_rag(
    value: Decimal | None, target: Decimal | None, tolerance: Decimal, polarity: str
) -> str | None:
    """Red, Amber or Green for a value against the target; None without a value or target."""
    if value is None or target is None:
        return None
    shortfall = target - value if polarity == Polarity.HIGHER else value - target
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= tolerance:
        return Rag.AMBER
    return Rag.RED


def direction(latest: Decimal | None, previous: Decimal | None, polarity: str) -> str | None:
    """Improving, worsening or no change from the previous value; None with fewer than two."""
    if latest is None or previous is None:
        return None
    if latest == previous:
        return Direction.SAME
    better = latest > previous if polarity == Polarity.HIGHER else latest < previous
    return Direction.IMPROVING if better else Direction.WORSENING


@dataclass
class Point:
    """One period of a measure: the council's value and its comparators."""

    period_end: date
    label: str
    value: Decimal | None = None
    # "entered" by an officer, "published" from a mapped statistics file, or "" for none.
    value_source: str = ""
    england: Decimal | None = None
    region: Decimal | None = None
    neighbours: Decimal | None = None
    neighbours_count: int = 0
    # The published figures' own period where it is not one of the measure's, such as a year's
    # figures ending on the last day of a quarterly measure's quarter: "2023-24".
    published_period: str = ""


@dataclass
class Series:
    measure: Measure
    points: list[Point] = field(default_factory=list)

    @property
    def with_value(self) -> list[Point]:
        return [p for p in self.points if p.value is not None]

    @property
    def latest(self) -> Point | None:
        values = self.with_value
        return values[-1] if values else None

    @property
    def previous(self) -> Point | None:
        values = self.with_value
        return values[-2] if len(values) > 1 else None

    @property
    def rag(self) -> str | None:
        latest = self.latest
        return measure_rag(
            latest.value if latest else None,
            self.measure.target,
            self.measure.tolerance,
            self.measure.polarity,
        )

    @property
    def rag_label(self) -> str:
        return Rag.LABELS.get(self.rag, "No RAG")

    @property
    def direction(self) -> str | None:
        latest, previous = self.latest, self.previous
        return direction(
            latest.value if latest else None,
            previous.value if previous else None,
            self.measure.polarity,
        )

    @property
    def direction_label(self) -> str:
        return Direction.LABELS.get(self.direction, "Not enough values yet")

    @property
    def off_target(self) -> bool:
        return self.rag in (Rag.RED, Rag.AMBER)

    @property
    def has_comparators(self) -> bool:
        return any(
            p.england is not None or p.region is not None or p.neighbours is not None
            for p in self.points
        )


def _published_period(measure: Measure, row: IndicatorValue) -> str:
    """The published row's period, named, where it is not one of the measure's periods."""
    if ees_frequency(row.time_identifier) in (None, measure.frequency):
        return ""
    try:
        return ees_period_label(row.time_period, row.time_identifier)
    except PeriodError:
        return ""


def measure_series(council: Council, measures: list[Measure]) -> list[Series]:
    """Each measure's series, oldest period first: three queries whatever the data."""
    if not measures:
        return []
    by_measure: dict[int, dict[date, Point]] = defaultdict(dict)

    def point(measure: Measure, end: date) -> Point:
        points = by_measure[measure.pk]
        if end not in points:
            points[end] = Point(end, measure.period_label(end))
        return points[end]

    by_pk = {m.pk: m for m in measures}
    for value in MeasureValue.objects.filter(measure__in=measures).order_by("period_end"):
        p = point(by_pk[value.measure_id], value.period_end)
        p.value, p.value_source = value.value, "entered"

    mapped = {m.indicator_id for m in measures if m.indicator_id}
    if mapped:
        neighbours = set(
            StatisticalNeighbour.objects.filter(council=council).values_list(
                "neighbour__ons_code", flat=True
            )
        )
        region = region_code(council)
        areas = {ENGLAND, council.ons_code, *neighbours} | ({region} if region else set())
        published: dict[int, dict[date, list[IndicatorValue]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for row in IndicatorValue.objects.filter(indicator__in=mapped, area_code__in=areas):
            published[row.indicator_id][row.period_end].append(row)
        for measure in measures:
            for end, rows in published.get(measure.indicator_id, {}).items():
                p = point(measure, end)
                p.published_period = _published_period(measure, rows[0])
                near = []
                for row in rows:
                    if row.level == Level.NATIONAL and row.area_code == ENGLAND:
                        p.england = row.value
                    elif row.level == Level.REGIONAL and row.area_code == region:
                        p.region = row.value
                    elif row.level == Level.LOCAL and row.area_code == council.ons_code:
                        if p.value_source != "entered" and row.value is not None:
                            p.value, p.value_source = row.value, "published"
                    elif (
                        row.level == Level.LOCAL
                        and row.area_code in neighbours
                        and row.value is not None
                    ):
                        near.append(row.value)
                if near:
                    p.neighbours = (sum(near) / len(near)).quantize(Decimal("0.01"))
                    p.neighbours_count = len(near)
                if p.published_period and p.value_source != "entered":
                    # Published figures alone: the period is theirs, named as they name it.
                    p.label, p.published_period = p.published_period, ""
    return [
        Series(measure, [by_measure[measure.pk][end] for end in sorted(by_measure[measure.pk])])
        for measure in measures
    ]
