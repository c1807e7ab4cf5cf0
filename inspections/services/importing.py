"""Saving an inspection imported from the Ofsted report, as the officer confirmed it.

Reading the report is importing.py; this is the one transaction that saves the inspection with
its grades and recommendations, through the inspection services.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from councils.models import Council

from ..importing import DEFAULT_KIND, Fieldwork, fieldwork_from_blocks
from ..models import Inspection, Recommendation
from ..report_parser import ParsedReport
from .inspections import (
    RecommendationInput,
    inspection_save,
    inspection_set_judgements,
    inspection_set_recommendations,
)
from .locks import inspection_lock


@dataclass
class ImportValues:
    """The inspection's details as the officer confirmed them."""

    kind: str
    fieldwork: Fieldwork
    published_on: date | None
    lead_inspector: str
    # None leaves the inspection's report web address as it is.
    report_url: str | None = None
    grades: dict[str, str] = field(default_factory=dict)
    recommendations: list[tuple[str, str]] = field(default_factory=list)


def values_from_report(
    report: ParsedReport, *, kind: str = DEFAULT_KIND, published_on: date | None = None
) -> ImportValues:
    """The values to save for a report exactly as read, as the command saves it."""
    return ImportValues(
        kind=kind,
        fieldwork=fieldwork_from_blocks(report.fieldwork),
        published_on=published_on,
        lead_inspector=report.lead_inspector,
        grades=dict(report.judgements),
        recommendations=[
            (r.text, r.national_framework_reference or "") for r in report.recommendations
        ],
    )


def recommendations_matched(
    *, inspection: Inspection | None, items: list[tuple[str, str]]
) -> list[RecommendationInput]:
    """Pair (text, reference) items with an inspection's recommendations, to update in place.

    The same text keeps its row; the rest pair up in order, so that a corrected wording keeps
    its row, and the improvement actions attached to it, rather than being deleted and re-added.
    """
    existing: list[Recommendation] = list(inspection.recommendations.all()) if inspection else []
    ids: list[int | None] = [None] * len(items)
    unused = {r.pk: r for r in existing}
    for i, (text, _) in enumerate(items):
        same = next((r for r in unused.values() if r.text == text.strip()), None)
        if same:
            ids[i] = same.pk
            del unused[same.pk]
    leftover = iter(list(unused))
    for i in range(len(items)):
        if ids[i] is None:
            ids[i] = next(leftover, None)
    return [
        RecommendationInput(id=pk, text=text, national_framework_reference=reference or "")
        for pk, (text, reference) in zip(ids, items, strict=True)
    ]


@transaction.atomic
def inspection_import(
    *, council: Council, values: ImportValues, update: Inspection | None = None
) -> Inspection:
    """Create the inspection, or update the one given, with its grades and recommendations.

    One transaction: a grade or recommendation that fails validation leaves nothing saved.
    """
    if update is not None and update.council_id != council.pk:
        raise ValidationError("That inspection belongs to another council")
    if update is not None:
        inspection_lock(update.pk)
    inspection = update or Inspection(council=council)
    inspection.kind = values.kind
    for name, value in vars(values.fieldwork).items():
        setattr(inspection, name, value)
    inspection.published_on = values.published_on
    inspection.lead_inspector = values.lead_inspector.strip()
    if values.report_url is not None:
        inspection.report_url = values.report_url
    inspection_save(inspection=inspection)
    if inspection.framework is not None:
        inspection_set_judgements(inspection=inspection, grades=values.grades)
    inspection_set_recommendations(
        inspection=inspection,
        items=recommendations_matched(inspection=update, items=values.recommendations),
    )
    return inspection
