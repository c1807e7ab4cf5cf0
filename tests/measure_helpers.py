"""Impact measures with values and published comparators, for the tests of the pages and the
pack that show them (and bench/pdf_pack.py)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from councils.models import Council, StatisticalNeighbour
from measures.models import (
    ComparatorLoad,
    Indicator,
    IndicatorValue,
    Level,
    Measure,
    MeasureValue,
)
from measures.periods import Frequency, recent_period_ends
from measures.series import ENGLAND, region_code


def comparator_load() -> ComparatorLoad:
    return ComparatorLoad.objects.create(source="test.csv", sha256="0" * 64, rows=0, indicators=0)


def add_measure(
    council: Council,
    name: str,
    values: list[float | None],
    *,
    target: float | None = 20,
    tolerance: float = 2,
    polarity: str = "lower",
    unit: str = "percentage",
    frequency: str = Frequency.QUARTERLY,
    england: list[float | None] | None = None,
    region: list[float | None] | None = None,
    neighbours: list[list[float | None]] | None = None,
    load: ComparatorLoad | None = None,
    today: date | None = None,
) -> Measure:
    """A measure with the values given for its latest periods, oldest first (None: no value),
    and, if any comparator is given, a published indicator mapped to it with England's, the
    region's and each neighbour's values (one list per neighbour, in rank order)."""
    today = today or timezone.localdate()
    ends = list(reversed(recent_period_ends(frequency, today, len(values))))
    measure = Measure.objects.create(
        council=council,
        name=name,
        definition=f"How {name.lower()} is counted.",
        unit=unit,
        polarity=polarity,
        frequency=frequency,
        target=None if target is None else Decimal(str(target)),
        target_on=None if target is None else date(today.year + 1, 3, 31),
        tolerance=Decimal(str(tolerance)),
    )
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period_end=end, value=Decimal(str(v)))
        for end, v in zip(ends, values, strict=True)
        if v is not None
    )
    if england is None and region is None and neighbours is None:
        return measure
    load = load or comparator_load()
    indicator = Indicator.objects.create(
        column=f"{name.lower().replace(' ', '_')}_{measure.pk}", label=name, source="test.csv"
    )
    measure.indicator = indicator
    measure.save(update_fields=["indicator"])
    rows = []
    areas = [(Level.NATIONAL, ENGLAND, england or [])]
    if region_code(council):
        areas.append((Level.REGIONAL, region_code(council), region or []))
    codes = list(
        StatisticalNeighbour.objects.filter(council=council)
        .order_by("rank")
        .values_list("neighbour__ons_code", flat=True)
    )
    for code, figures in zip(codes, neighbours or [], strict=False):
        areas.append((Level.LOCAL, code, figures))
    for level, code, figures in areas:
        for end, v in zip(ends, figures, strict=False):
            if v is None:
                continue
            rows.append(
                IndicatorValue(
                    indicator=indicator,
                    period_end=end,
                    time_period=f"{end:%Y}",
                    time_identifier="Test",
                    level=level,
                    area_code=code,
                    value=Decimal(str(v)),
                    load=load,
                )
            )
    IndicatorValue.objects.bulk_create(rows)
    return measure
