from django import template

from inspections.models import Grade

register = template.Library()

# Colour only reinforces the grade; the tag always carries the grade's words.
TAG_COLOURS = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "govuk-tag--teal",
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    Grade.ADEQUATE: "govuk-tag--grey",
    Grade.INADEQUATE: "govuk-tag--red",
}


@register.inclusion_tag("inspections/includes/grade_tag.html")
def grade_tag(grade: str):
    if not grade:
        return {"label": "", "colour": ""}
    return {"label": Grade(grade).label, "colour": TAG_COLOURS[Grade(grade)]}
