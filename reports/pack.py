"""The scrutiny committee pack: one context for the HTML page and the PDF."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from councils.models import Council
from inspections.models import Inspection

from .grades import grade_history
from .pdf import html_to_pdf

SECTIONS = [
    ("judgements", "Judgements"),
    ("grade-history", "Grades over time"),
    ("recommendations", "What needs to improve"),
    ("glossary", "Glossary"),
]


def pack_context(*, council: Council, inspection: Inspection | None, since: date | None) -> dict:
    if inspection is None:
        inspection = Inspection.objects.for_council(council).filter(framework__isnull=False).first()
    history = grade_history(council)
    return {
        "council": council,
        "inspection": inspection,
        "since": since,
        "generated_on": timezone.localdate(),
        "judgements": list(inspection.judgements.select_related("area")) if inspection else [],
        "recommendations": list(inspection.recommendations.all()) if inspection else [],
        "history": history,
        "history_svg": history.svg("pack-grade-history"),
        "sections": SECTIONS,
    }


def pack_pdf(*, council: Council, inspection: Inspection | None = None, since=None) -> bytes:
    """The scrutiny pack as tagged PDF bytes."""
    context = pack_context(council=council, inspection=inspection, since=since)
    context["css"] = render_to_string("reports/pack.css")
    return html_to_pdf(render_to_string("reports/pack.html", context))
