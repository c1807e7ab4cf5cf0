"""The self-evaluation as a tagged PDF for cabinet or assembly: the page, the management
command and anything else that needs the document call self_evaluation_pdf."""

from django.template.loader import render_to_string
from django.utils import timezone

from reports.pdf import html_to_pdf

from . import selectors
from .models import SelfEvaluation


def self_evaluation_html(evaluation: SelfEvaluation) -> str:
    actions = list(evaluation.actions.with_first_due())
    today = timezone.localdate()
    context = {
        "council": evaluation.council,
        "evaluation": evaluation,
        "grades": selectors.grade_rows(evaluation),
        "evidence": list(evaluation.evidence.select_related("action")),
        "actions": actions,
        "summary": selectors.plan_summary(actions, today),
        "generated_on": today,
        "css": render_to_string("reports/pack.css"),
    }
    return render_to_string("readiness/self_evaluation_pdf.html", context)


def self_evaluation_pdf(evaluation: SelfEvaluation) -> bytes:
    """The self-evaluation as tagged PDF/UA-1 bytes."""
    return html_to_pdf(self_evaluation_html(evaluation))
