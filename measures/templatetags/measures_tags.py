from decimal import Decimal

from django import template

from measures.models import Measure, Unit

register = template.Library()


def format_value(value: Decimal | None, unit: str) -> str:
    """A value as it reads in its unit: 23.5%, 512.3 per 10,000, 45 days, 1,234."""
    if value is None:
        return "Not available"
    number = value.quantize(Decimal("0.1")).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    text = f"{number:,f}"
    if unit == Unit.PERCENTAGE:
        return f"{text}%"
    if unit == Unit.RATE:
        return f"{text} per 10,000"
    if unit == Unit.DAYS:
        return f"{text} day{'' if number == 1 else 's'}"
    return text


@register.filter
def in_unit(value: Decimal | None, measure: Measure) -> str:
    return format_value(value, measure.unit)


# The words carry the meaning; colour only reinforces them, as for actions' RAG.
RAG_TAGS = {
    "red": ("Red", "govuk-tag--red", "off target"),
    "amber": ("Amber", "govuk-tag--orange", "short of target, within tolerance"),
    "green": ("Green", "govuk-tag--green", "on or better than target"),
}


@register.inclusion_tag("actions/includes/tag.html")
def measure_rag_tag(rag: str | None):
    label, colour, hint = RAG_TAGS.get(rag, ("No RAG", "govuk-tag--grey", "no target or value"))
    return {"label": label, "colour": colour, "hint": hint}


@register.filter
def short_period(point, measure: Measure) -> str:
    """A period as a chart's axis names it."""
    from measures.charts import short_label

    return short_label(measure.frequency, point.period_end)


@register.inclusion_tag("measures/includes/chart.html")
def measure_chart(
    series,
    council_name: str = "",
    *,
    prefix: str = "",
    caption: str = "",
    table_id: str = "",
    collapse: bool = False,
    heading: str = "",
):
    """A measure's line chart with the table of its figures right below (no query: the series
    is built already). ``caption`` and ``table_id`` name the table (the measure's page keeps
    "Values by period" and id="values"); ``collapse`` puts the table in a GOV.UK details, for
    the dashboard; ``heading`` is the level (h3, h4) of a heading naming the measure, if any."""
    from measures.charts import measure_chart_svg

    measure = series.measure
    council_name = council_name or measure.council.name
    chart_id = f"{prefix}measure-{measure.pk}-chart"
    return {
        "series": series,
        "measure": measure,
        "council_name": council_name,
        "chart_id": chart_id,
        "svg": measure_chart_svg(series, chart_id=chart_id, council_name=council_name),
        "caption": caption or f"{measure.name}: values by period (the data in the chart)",
        "table_id": table_id or f"{chart_id}-table",
        "collapse": collapse,
        "heading": heading,
    }


def _council_series(council) -> list:
    """Every measure of the council with its series: one query for the measures and three for
    the series (one when no measure is mapped to a published indicator)."""
    from measures.series import measure_series

    measures = list(
        Measure.objects.filter(council=council).select_related("indicator").order_by("name", "pk")
    )
    for measure in measures:
        measure.council = council  # the one read already, not one query per measure
    return measure_series(council, measures)


@register.inclusion_tag("measures/includes/impact_section.html")
def impact_section(council, heading_id: str = "impact"):
    """The dashboard's Impact section: how many measures are off target, which, and each
    measure's chart with its figures. Four queries whatever the number of measures and values
    (one with no measures; two with none mapped to a published indicator)."""
    series = _council_series(council)
    return {
        "council": council,
        "series": series,
        "off_target": [s for s in series if s.off_target],
        "heading_id": heading_id,
    }


@register.inclusion_tag("measures/includes/pack_impact.html")
def impact_pack(council):
    """The scrutiny pack's Impact measures section, in the pack's plain markup: the same
    queries as the dashboard's section."""
    series = _council_series(council)
    return {
        "council": council,
        "series": series,
        "off_target": [s for s in series if s.off_target],
    }


@register.simple_tag
def recommendation_measures(council, recommendations) -> dict:
    """The measures linked to each of the recommendations, with their series, as
    {recommendation pk: [Series]}: one query for the links with their measures and three for
    the series (none without a link), whatever the number of recommendations and measures."""
    from measures.series import measure_series

    pks = [r.pk for r in recommendations]
    if not pks:
        return {}
    links = list(
        Measure.recommendations.through.objects.filter(
            recommendation_id__in=pks, measure__council=council
        )
        .select_related("measure__indicator")
        .order_by("measure__name", "measure_id")
    )
    measures = {}
    for link in links:
        link.measure.council = council
        measures.setdefault(link.measure_id, link.measure)
    series = {s.measure.pk: s for s in measure_series(council, list(measures.values()))}
    by_recommendation: dict[int, list] = {}
    for link in links:
        by_recommendation.setdefault(link.recommendation_id, []).append(series[link.measure_id])
    return by_recommendation


@register.filter
def measures_of(by_recommendation: dict, recommendation) -> list:
    return by_recommendation.get(recommendation.pk, []) if by_recommendation else []


@register.simple_tag
def measure_svg(series, council_name: str, prefix: str = ""):
    """A measure's chart alone, for the pack's plain markup: its table follows in the pack."""
    from django.utils.safestring import mark_safe

    from measures.charts import measure_chart_svg

    chart_id = f"{prefix}measure-{series.measure.pk}-chart"
    # Drawn from the figures, every text escaped (measures/charts.py).
    return mark_safe(measure_chart_svg(series, chart_id=chart_id, council_name=council_name))  # noqa: S308
