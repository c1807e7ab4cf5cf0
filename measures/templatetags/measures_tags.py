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
