"""The figures dashboards and scrutiny packs show: one place, so the page and the PDF agree.

Every function takes a queryset of actions already scoped to one council (and optionally to an
inspection or a recommendation) and answers in a fixed number of queries, however many actions.

A read: it computes from the database and changes nothing; reports' writes are in
services.py.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, F, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Lag

from actions.models import Action, ProgressUpdate, Rag, Status
from actions.selectors import recommendation_label
from councils.models import Council
from inspections.holidays import HolidayCalendar
from inspections.models import Inspection, Recommendation
from inspections.selectors import CouncilMilestones, council_milestones


def action_scope(
    council: Council,
    *,
    inspection: Inspection | int | None = None,
    recommendation: Recommendation | int | None = None,
) -> QuerySet[Action]:
    """The council's live plan, or the plan of one inspection, or one recommendation's actions.

    A graded inspection's plan holds the actions carried into it and those of its visits'
    recommendations; a visit's, the actions of its own recommendations. Actions closed unfinished
    when a later plan replaced theirs are in no plan's figures.
    """
    if recommendation is not None:
        return Action.objects.for_council(council).filter(recommendation=recommendation)
    if inspection is not None:
        return Action.objects.for_council(council).of_plan(inspection)
    return Action.objects.live_plan(council)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class RecommendationProgress:
    recommendation_id: int
    position: int
    text: str
    total: int
    complete: int
    percent_complete: int  # share of its actions that are complete
    average_progress: int  # mean of its actions' percent complete
    # "Recommendation 3", or "Recommendation 3 of the March 2019 SIF inspection" when the plan
    # holds actions carried over from another inspection's recommendations.
    label: str = ""


@dataclass(frozen=True)
class ActionSummary:
    total: int
    complete: int
    percent_complete: int
    average_progress: int
    by_status: list[Share]
    by_rag: list[Share]
    per_recommendation: list[RecommendationProgress] = field(default_factory=list)


def action_summary(actions: QuerySet[Action]) -> ActionSummary:
    """Counts by status and RAG, share complete, overall and per recommendation (2 queries)."""
    rows = list(
        actions.order_by()
        .values("status", "rag")
        .annotate(n=Count("pk"), avg=Avg("percent_complete"))
    )
    total = sum(r["n"] for r in rows)
    status_counts = {s: sum(r["n"] for r in rows if r["status"] == s) for s in Status.values}
    rag_counts = {g: sum(r["n"] for r in rows if r["rag"] == g) for g in Rag.values}
    progress_sum = sum((r["avg"] or 0) * r["n"] for r in rows)
    rows_by_recommendation = list(
        actions.order_by()
        .values(
            "recommendation",
            "recommendation__position",
            "recommendation__text",
            "recommendation__inspection",
            "recommendation__inspection__kind",
            "recommendation__inspection__start_date",
        )
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(status=Status.COMPLETE)),
            avg=Avg("percent_complete"),
        )
        .order_by("recommendation__inspection__start_date", "recommendation__position")
    )
    several = len({r["recommendation__inspection"] for r in rows_by_recommendation}) > 1
    per_recommendation = [
        RecommendationProgress(
            recommendation_id=r["recommendation"],
            position=r["recommendation__position"],
            text=r["recommendation__text"],
            total=r["total"],
            complete=r["complete"],
            percent_complete=_percent(r["complete"], r["total"]),
            average_progress=round(r["avg"] or 0),
            label=recommendation_label(
                r["recommendation__position"],
                r["recommendation__inspection__kind"] if several else None,
                r["recommendation__inspection__start_date"],
            ),
        )
        for r in rows_by_recommendation
    ]
    return ActionSummary(
        total=total,
        complete=status_counts[Status.COMPLETE],
        percent_complete=_percent(status_counts[Status.COMPLETE], total),
        average_progress=round(progress_sum / total) if total else 0,
        by_status=[
            Share(s.value, s.label, status_counts[s], _percent(status_counts[s], total))
            for s in Status
        ],
        by_rag=[
            Share(g.value, g.label, rag_counts[g], _percent(rag_counts[g], total)) for g in Rag
        ],
        per_recommendation=per_recommendation,
    )


def exception_list(actions: QuerySet[Action], *, today: date) -> list[Action]:
    """Open actions that are red, overdue or blocked, with their latest narrative (1 query).

    Each action carries `latest_narrative` and `latest_update_at` annotations, `overdue`, and
    `exception_reasons`: why it is listed, in words.
    """
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = list(
        actions.open()
        .filter(Q(rag=Rag.RED) | Q(current_due_on__lt=today) | Q(status=Status.BLOCKED))
        .select_related("recommendation__inspection")
        .annotate(
            latest_narrative=Subquery(latest.values("narrative")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("current_due_on", "pk")
    )
    for action in rows:
        action.overdue = action.current_due_on < today
        action.exception_reasons = [
            reason
            for reason, applies in (
                ("Red", action.rag == Rag.RED),
                ("Overdue", action.overdue),
                ("Blocked", action.status == Status.BLOCKED),
            )
            if applies
        ]
    return rows


@dataclass(frozen=True)
class RagChange:
    action_id: int
    title: str
    changed_at: object
    before: str  # RAG codes
    after: str

    @property
    def before_label(self) -> str:
        return Rag(self.before).label

    @property
    def after_label(self) -> str:
        return Rag(self.after).label

    @property
    def is_better(self) -> bool:
        return _RAG_ORDER[self.after] > _RAG_ORDER[self.before]


@dataclass(frozen=True)
class DirectionOfTravel:
    since: date
    completed: int
    new_overdue: int
    rag_changes: list[RagChange]

    def _net_changes(self) -> list[int]:
        """For each action whose rating changed, its rating now against its rating on the date:
        one action changed three times counts once, and one changed and changed back, not at all.
        """
        before, now = {}, {}
        for change in self.rag_changes:  # latest first
            now.setdefault(change.action_id, change.after)
            before[change.action_id] = change.before
        return [_RAG_ORDER[now[pk]] - _RAG_ORDER[before[pk]] for pk in before]

    @property
    def better(self) -> int:
        """Actions rated better now than on the date."""
        return sum(1 for step in self._net_changes() if step > 0)

    @property
    def worse(self) -> int:
        """Actions rated worse now than on the date."""
        return sum(1 for step in self._net_changes() if step < 0)


_RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3}


def direction_of_travel(
    actions: QuerySet[Action], *, since: date, today: date
) -> DirectionOfTravel:
    """What changed since a date: actions completed, RAG changes and newly overdue (3 queries)."""
    completed = actions.filter(status=Status.COMPLETE, closed_on__gte=since).count()
    new_overdue = actions.open().filter(current_due_on__gte=since, current_due_on__lt=today).count()
    history = Action.history.model.objects.filter(id__in=actions.values("pk"))
    changes = (
        history.annotate(
            before=Window(Lag("rag"), partition_by=[F("id")], order_by=[F("history_date").asc()]),
            # The row's own date, as a window expression: Django applies a filter on a window
            # expression after the windows are computed, so the first change after the date
            # still finds its rating before in a row from before the date.
            changed_at=Window(Max("history_date"), partition_by=[F("history_id")]),
        )
        .filter(changed_at__date__gte=since)
        .exclude(before__isnull=True)
        .exclude(before=F("rag"))
        .order_by("-history_date")
    )
    return DirectionOfTravel(
        since=since,
        completed=completed,
        new_overdue=new_overdue,
        rag_changes=[RagChange(c.id, c.title, c.history_date, c.before, c.rag) for c in changes],
    )


def next_milestones(
    council: Council,
    *,
    today: date,
    inspection: Inspection | int | None = None,
    calendar: HolidayCalendar | None = None,
) -> CouncilMilestones:
    """The council's milestones in force: upcoming, overdue and needing a date (1 query, and
    1 for the calendar if not given). ``inspection`` may be the inspection or its id."""
    return council_milestones(council, today=today, inspection=inspection, calendar=calendar)
