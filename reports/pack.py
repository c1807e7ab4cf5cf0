"""The scrutiny committee pack: one context for the HTML page and the PDF.

A read: it builds the pack from the database and changes nothing; recording and running
pack jobs, the reports' writes, are in services.py.
"""

from collections.abc import Callable
from datetime import date

from django import forms
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from actions.selectors import plan_recommendations
from config.forms import GovukDateField, GovukDateOrIsoWidget
from councils.models import Council
from inspections.cycles import live_inspection, superseded_by
from inspections.holidays import HolidayCalendar
from inspections.models import Inspection
from inspections.selectors import timeline_rows

from .charts import bar_chart_svg
from .grades import grade_history
from .models import PackCover
from .pdf import html_to_pdf
from .summary import (
    action_scope,
    action_summary,
    direction_of_travel,
    exception_list,
)

SECTIONS = [
    ("judgements", "Judgements"),
    ("grade-history", "Grades over time"),
    ("timeline", "Deadlines and visits"),
    ("summary", "Progress summary"),
    ("exceptions", "Exceptions: red, overdue and blocked actions"),
    ("direction", "Direction of travel"),
    ("impact", "Impact measures"),
    ("self-evaluation-plan", "The self-evaluation plan"),
    ("recommendations", "What needs to improve"),
    ("plan", "The action plan"),
    ("glossary", "Glossary"),
]


class PackOptionsForm(forms.Form):
    """Which inspection the pack covers and the date its direction of travel starts from."""

    inspection = forms.ModelChoiceField(
        queryset=Inspection.objects.none(),
        required=False,
        empty_label="The latest graded inspection",
        error_messages={"invalid_choice": "Choose an inspection of this council"},
    )
    since = GovukDateField(
        label="Show changes since",
        name="date to show changes since",
        required=False,
        past_only=True,
        widget=GovukDateOrIsoWidget,
        help_text="For example, 1 4 2024. Leave empty for no comparison.",
    )

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.for_council(council)
        self.fields["inspection"].label_from_instance = lambda i: (
            f"{i.get_kind_display()}, {i.fieldwork_display()}"
        )


def pack_inspection(council: Council, inspection: Inspection | None) -> Inspection | None:
    """The inspection a pack covers: the one chosen, else the council's latest graded one."""
    if inspection is not None:
        return inspection
    return live_inspection(council)


def pack_is_large(council: Council, inspection: Inspection | None) -> bool:
    """Whether the pack has too many actions to render during a request (1 or 2 queries)."""
    inspection = pack_inspection(council, inspection)
    if inspection is None:
        return False
    count = action_scope(council, inspection=inspection).count()
    return count > settings.PACK_DIRECT_MAX_ACTIONS


def pack_actions(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Actions with their latest progress update as annotations, in one query, and their
    evidence files in one more."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        actions.annotate(
            latest_narrative=Subquery(latest.values("narrative")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
        )
        .prefetch_related("evidence")
        .order_by("current_due_on", "pk")
    )


def _chart(shares, *, title: str, chart_id: str) -> dict:
    return {
        "id": chart_id,
        "title": title,
        "svg": bar_chart_svg(
            bars=[(s.label, s.count) for s in shares], title=title, chart_id=chart_id
        ),
        "shares": shares,
    }


def pack_context(
    *,
    council: Council,
    inspection: Inspection | None,
    since: date | None,
    today: date | None = None,
) -> dict:
    """Everything the pack shows, in a fixed number of queries however many actions there are.

    The council's cover: its committee, meeting, author and recommendation (1 query). With no
    inspection given, the council's latest graded inspection (1). Then: grade history (2),
    judgements (1), milestones and bank holiday changes (2), summary counts (2), exceptions (1),
    direction of travel (3, only with since), recommendations and their actions with the latest
    update (2); for the live plan, the previous plan's actions waiting (1).
    Rendering the sections adds the Impact measures section's queries (the measures app's
    impact_pack tag): the measures, their values, the neighbours and the published values (4);
    and the self-evaluation plan's actions (1, the readiness app's self_evaluation_plan_pack tag).
    """
    today = today or timezone.localdate()
    # The live inspection is superseded by none; one chosen may be (1 query).
    superseding = superseded_by(inspection) if inspection is not None else None
    inspection = pack_inspection(council, inspection)
    history = grade_history(council)
    context = {
        "council": council,
        "cover": PackCover.objects.filter(council=council).first(),
        "inspection": inspection,
        "since": since,
        "today": today,
        "generated_on": today,
        "history": history,
        "history_svg": history.svg("pack-grade-history"),
        "sections": [(i, h) for i, h in SECTIONS if since or i != "direction"],
        "judgements": [],
        "timeline": [],
        "recommendations": [],
        "direction": None,
    }
    if inspection is None:
        context["summary"] = action_summary(action_scope(council).none())
        context["charts"] = []
        context["exceptions"] = []
        return context
    actions = action_scope(council, inspection=inspection)
    summary = action_summary(actions)
    if superseding is None:
        # The live plan: the previous plan's open actions that wait for a decision (1 query).
        context["awaiting_carry_over"] = Action.objects.awaiting_carry_over(council).count()
    context |= {
        "judgements": list(inspection.judgements.select_related("area")),
        "timeline": timeline_rows(
            inspection.milestones.all(),
            today=today,
            calendar=HolidayCalendar.load(),
            superseded_by=superseding,
        ),
        "summary": summary,
        "charts": [
            _chart(summary.by_status, title="Actions by status", chart_id="pack-status-chart"),
            _chart(summary.by_rag, title="Actions by RAG rating", chart_id="pack-rag-chart"),
        ],
        "exceptions": exception_list(actions, today=today),
        "recommendations": plan_recommendations(inspection, pack_actions(actions)),
    }
    if since:
        context["direction"] = direction_of_travel(actions, since=since, today=today)
    return context


def pack_html(context: dict) -> str:
    """The PDF's HTML document, with its print stylesheet inlined."""
    return render_to_string(
        "reports/pack.html", context | {"css": render_to_string("reports/pack.css")}
    )


def pack_pdf(
    *,
    council: Council,
    inspection: Inspection | None = None,
    since: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The scrutiny pack as tagged PDF bytes; progress, if given, hears percentages done."""
    context = pack_context(council=council, inspection=inspection, since=since)
    if progress:
        progress(20)
    return html_to_pdf(pack_html(context), progress=progress)
