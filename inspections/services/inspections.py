"""Writes to an inspection, its grades and its recommendations.

Each validates fully and runs in one transaction; a change that can move a deadline queues a
recomputation of the milestones once it commits.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Inspection, Judgement, Recommendation
from ..rules import GradeCheck
from ..selectors import inspection_check_grades
from .locks import inspection_lock
from .milestones import milestones_recompute_after_commit


@dataclass(frozen=True)
class RecommendationInput:
    text: str
    national_framework_reference: str = ""
    id: int | None = None


@transaction.atomic
def inspection_save(*, inspection: Inspection) -> Inspection:
    """Validate and save an inspection; drop grades that belong to another framework."""
    inspection_lock(inspection.pk)
    inspection.full_clean()
    inspection.save()
    stale = inspection.judgements.exclude(area__framework=inspection.framework)
    for judgement in stale:
        # One delete per row, so that each removal is recorded in the history.
        judgement.delete()
    milestones_recompute_after_commit(inspection.pk)
    return inspection


@transaction.atomic
def inspection_set_judgements(*, inspection: Inspection, grades: dict[str, str]) -> GradeCheck:
    """Record the grade for every judgement area of the inspection's framework."""
    inspection_lock(inspection.pk)
    if inspection.framework is None:
        raise ValidationError(f"A {inspection.kind_in_sentence()} is not graded")
    areas = list(inspection.framework.areas.all())
    missing = [area.short_name for area in areas if not grades.get(area.key)]
    unknown = set(grades) - {area.key for area in areas}
    if missing or unknown:
        raise ValidationError(
            f"Give a grade for each judgement of this framework: {', '.join(missing or unknown)}"
        )
    check = inspection_check_grades(inspection, grades)
    if check.errors:
        raise ValidationError(check.errors)
    existing = {j.area_id: j for j in inspection.judgements.all()}
    for area in areas:
        judgement = existing.get(area.pk) or Judgement(inspection=inspection, area=area)
        if judgement.pk and judgement.grade == grades[area.key]:
            continue
        judgement.grade = grades[area.key]
        judgement.full_clean()
        judgement.save()
    milestones_recompute_after_commit(inspection.pk)
    return check


@transaction.atomic
def inspection_set_recommendations(
    *, inspection: Inspection, items: list[RecommendationInput]
) -> list[Recommendation]:
    """Make the inspection's recommendations exactly these, in this order."""
    inspection_lock(inspection.pk)
    existing = {r.pk: r for r in inspection.recommendations.all()}
    unknown = {item.id for item in items if item.id is not None} - set(existing)
    if unknown:
        raise ValidationError("A recommendation was changed by someone else: reload the page")
    kept_ids = {item.id for item in items if item.id is not None}
    for pk, recommendation in existing.items():
        if pk not in kept_ids:
            recommendation.delete()
    saved = []
    for position, item in enumerate(items, start=1):
        recommendation = existing.get(item.id) or Recommendation(inspection=inspection)
        values = {
            "position": position,
            "text": item.text.strip(),
            "national_framework_reference": item.national_framework_reference.strip(),
        }
        if recommendation.pk and all(
            getattr(recommendation, field) == value for field, value in values.items()
        ):
            saved.append(recommendation)
            continue
        for field, value in values.items():
            setattr(recommendation, field, value)
        recommendation.full_clean()
        recommendation.save()
        saved.append(recommendation)
    return saved
