"""Mapping a council's measure to a published indicator, and the summary of indicators loaded.

A measure maps to one indicator at most, and an indicator to one of a council's measures at
most: the comparators page offers an unmapped indicator to a measure with none. The change is
saved on the measure, so that its history keeps who mapped or unmapped what, and when, and the
council's data version is bumped (Measure is CouncilData).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q

from councils.models import Council

from .models import ComparatorLoad, Indicator, IndicatorValue, Level, Measure, Unit

# What an indicator's column says of its unit, in the naming the DfE's files use: "_pct",
# "percent", "rate" (per 10,000 children), "days". A column that says none is taken as it comes.
_UNIT_WORDS = [
    (("pct", "percent", "percentage", "proportion"), Unit.PERCENTAGE),
    (("rate",), Unit.RATE),
    (("days",), Unit.DAYS),
]


def indicator_unit(indicator: Indicator) -> str | None:
    """The unit an indicator's column name gives, or None where it gives none."""
    words = set(indicator.column.lower().replace("-", "_").split("_"))
    for names, unit in _UNIT_WORDS:
        if words & set(names):
            return unit
    return None


def _check_units(measure: Measure, indicator: Indicator) -> None:
    """Refuse a comparator in another unit: England's rate drawn as a percentage misleads."""
    unit = indicator_unit(indicator)
    if unit is not None and unit != measure.unit:
        raise ValidationError(
            {
                "indicator": f"{indicator.label} is a {Unit(unit).label.lower()} figure and "
                f"{measure.name} is a {measure.get_unit_display().lower()}: map an indicator "
                "in the measure's unit"
            }
        )
    if measure.unit == Unit.PERCENTAGE:
        beyond = IndicatorValue.objects.filter(indicator=indicator, value__gt=100).first()
        if beyond is not None:
            raise ValidationError(
                {
                    "indicator": f"{indicator.label} has figures over 100, such as "
                    f"{beyond.value.normalize():f}, so it is not a percentage as "
                    f"{measure.name} is: map an indicator in the measure's unit"
                }
            )


@transaction.atomic
def measure_map_indicator(*, measure: Measure, indicator: Indicator, user) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.indicator_id == indicator.pk:
        return measure
    if measure.indicator_id is not None:
        raise ValidationError(
            {"measure": f"{measure.name} is already mapped to another indicator: unmap it first"}
        )
    other = (
        Measure.objects.filter(council_id=measure.council_id, indicator=indicator)
        .exclude(pk=measure.pk)
        .first()
    )
    if other is not None:
        raise ValidationError({"measure": f"{indicator.label} is already mapped to {other.name}"})
    _check_units(measure, indicator)
    measure.indicator = indicator
    measure._history_user = user
    measure._change_reason = f"Comparator mapped: {indicator.label}"
    measure.save(update_fields=["indicator", "updated_at"])
    return measure


@transaction.atomic
def measure_unmap_indicator(*, measure: Measure, user) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.indicator_id is None:
        return measure
    label = Indicator.objects.get(pk=measure.indicator_id).label
    measure.indicator = None
    measure._history_user = user
    measure._change_reason = f"Comparator unmapped: {label}"
    measure.save(update_fields=["indicator", "updated_at"])
    return measure


@dataclass
class IndicatorSummary:
    """An indicator as the comparators page shows it, for one council."""

    indicator: Indicator
    first_end: date | None
    last_end: date | None
    periods: int
    latest_load: ComparatorLoad | None
    own_values: int  # periods with the council's own figure
    own_suppressed: int  # periods where the council's figure is not available
    measures: list[Measure]

    @property
    def first_period(self) -> str:
        return _year_label(self.first_end)

    @property
    def last_period(self) -> str:
        return _year_label(self.last_end)


def _year_label(end: date | None) -> str:
    if end is None:
        return ""
    if (end.month, end.day) == (3, 31):
        return f"{end.year - 1}-{end.year % 100:02d}"
    return f"{end.day} {end:%B %Y}"


def indicator_summaries(council: Council) -> list[IndicatorSummary]:
    """Every indicator loaded, with its periods, latest load, the council's own figures and the
    council's measures mapped to it: four queries whatever the number of indicators."""
    indicators = list(Indicator.objects.all())
    spans = {
        row["indicator"]: row
        for row in IndicatorValue.objects.order_by()
        .values("indicator")
        .annotate(
            first=Min("period_end"),
            last=Max("period_end"),
            periods=Count("period_end", distinct=True),
            load=Max("load"),
        )
    }
    own = {
        row["indicator"]: row
        for row in IndicatorValue.objects.filter(level=Level.LOCAL, area_code=council.ons_code)
        .order_by()
        .values("indicator")
        .annotate(
            values=Count("pk", filter=Q(value__isnull=False)),
            suppressed=Count("pk", filter=Q(value__isnull=True)),
        )
    }
    loads = ComparatorLoad.objects.in_bulk({row["load"] for row in spans.values()})
    mapped: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(council=council, indicator__isnull=False):
        mapped.setdefault(measure.indicator_id, []).append(measure)
    summaries = []
    for indicator in indicators:
        span = spans.get(indicator.pk, {})
        mine = own.get(indicator.pk, {})
        summaries.append(
            IndicatorSummary(
                indicator=indicator,
                first_end=span.get("first"),
                last_end=span.get("last"),
                periods=span.get("periods", 0),
                latest_load=loads.get(span.get("load")),
                own_values=mine.get("values", 0),
                own_suppressed=mine.get("suppressed", 0),
                measures=mapped.get(indicator.pk, []),
            )
        )
    return summaries
