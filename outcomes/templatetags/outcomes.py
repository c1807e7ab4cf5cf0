"""Published outcomes on the pages of other apps: the council page, the inspection page and the
home page show them through these tags, so that those apps need not depend on this one."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from inspections.models import Grade
from inspections.templatetags.grades import TAG_COLOURS

from .. import selectors
from ..models import JUDGEMENT_NAMES

register = template.Library()


@register.inclusion_tag("outcomes/includes/council_outcomes.html")
def council_outcomes(council, access, latest_graded):
    """The latest grades (the council's record winning over the national file), where they
    came from, the estimate of the next inspection, and for those who may change the record,
    where it and the file disagree."""
    outcomes = selectors.council_outcomes(council)
    latest = outcomes.latest
    today = timezone.localdate()
    inputs = selectors.estimate_inputs()
    return {
        "council": council,
        "access": access,
        "latest_graded": latest_graded,
        "latest": latest,
        "latest_cells": selectors.outcome_cells(latest) if latest else [],
        "source": selectors.describe_source(latest),
        "estimate": inputs.estimate(outcomes.outcomes(), today),
        "disagreements": outcomes.disagreements if access.can_edit else [],
        "published": outcomes.published,
        "loaded_at": outcomes.loaded_at,
    }


@register.inclusion_tag("outcomes/includes/inspection_outcome.html")
def inspection_outcome(inspection, access):
    """Ofsted's published report of this inspection, if the national file has it, and where
    the council's record of it differs, for those who may change the record."""
    entry = selectors.council_outcomes(inspection.council).for_inspection(inspection.pk)
    published = entry.published if entry else None
    return {
        "published": published,
        "cells": selectors.outcome_cells(published) if published else [],
        "source": selectors.describe_source(published),
        "differences": entry.differences if entry and access.can_edit else [],
        "access": access,
    }


@register.simple_tag
def latest_outcomes(rows):
    """Each council's latest grades, for a list of (council, ...) rows: {council id: outcome}."""
    councils = [row[0] if isinstance(row, tuple | list) else row for row in rows]
    return selectors.latest_outcomes(council.pk for council in councils)


@register.filter
def outcome_for(latest: dict, council):
    return latest.get(council.pk)


@register.filter
def judgement_name(key: str) -> str:
    return JUDGEMENT_NAMES.get(key, key)


def _tag(grade: str) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', TAG_COLOURS[Grade(grade)], Grade(grade).label
    )


@register.simple_tag
def latest_summary(outcome) -> str:
    """A council's latest grades in a table cell: the overall grade, or the others where there
    is none, with when and where from. Written here rather than as an included template: the
    home page of a platform admin has a row for every council."""
    if outcome is None:
        return "No graded inspection recorded or published"
    overall = outcome.grades.get("overall_effectiveness")
    if overall:
        grades = format_html("Overall: {}", _tag(overall))
    else:
        items = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((JUDGEMENT_NAMES[key], _tag(grade)) for key, grade in outcome.grades.items()),
        )
        grades = format_html(
            '<ul class="govuk-list govuk-body-s govuk-!-margin-bottom-0">{}</ul>',
            items or format_html("<li>{}</li>", "Grades not readable in the national file"),
        )
    return format_html(
        '{}<span class="govuk-body-s govuk-!-display-block">Inspected {}; {}</span>',
        grades,
        f"{outcome.when:%b %Y}",
        selectors.describe_source(outcome),
    )
