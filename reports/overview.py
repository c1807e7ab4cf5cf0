"""Every council on one page for platform admins: a fixed number of queries, however many.

A read: it changes nothing; reports' writes are in services.py.
"""

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from actions.models import Action, Status
from councils.models import Council
from inspections.models import (
    GRADE_RANK,
    OVERALL,
    Inspection,
    InspectionKind,
    Judgement,
    Milestone,
)
from outcomes.rules import SAME_PUBLICATION_DAYS, SAME_START_DAYS

from .forms import OverviewFilterForm


def overview_rows(today: date) -> QuerySet[Council]:
    """Councils annotated with their latest inspection, grades, next milestone and progress."""
    latest = Inspection.objects.filter(council=OuterRef("pk")).order_by("-start_date", "-pk")
    graded = latest.filter(framework__isnull=False)
    overall = Judgement.objects.filter(inspection=OuterRef("latest_graded_id"), area__key=OVERALL)
    # Milestones in force only: a later graded inspection supersedes earlier ones' (cycles.py).
    in_force = Milestone.objects.filter(inspection__council=OuterRef("pk")).current().open()
    # Overdue ones first, then the next to come; one already past when it was recorded is not
    # late on the council's watch: it needs a date, which the council page asks for.
    milestone = in_force.exclude(due_by__lt=today, created_at__date__gt=F("due_by")).order_by(
        "due_by", "due_on", "pk"
    )
    # The live plan (Action.objects.live_plan): the latest graded inspection's.
    actions = (
        Action.objects.filter(plan=OuterRef("latest_graded_id"), ended_on__isnull=True)
        .order_by()
        .values("council")
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(status=Status.COMPLETE)),
        )
    )
    rank = Case(
        *(When(grade=code, then=Value(n)) for code, n in GRADE_RANK.items()),
        output_field=IntegerField(),
    )
    return Council.objects.in_being().annotate(
        # The latest published report: one row at most, flagged when the file is loaded.
        report=FilteredRelation(
            "published_outcomes", condition=Q(published_outcomes__is_latest=True)
        ),
        latest_on=Subquery(latest.values("start_date")[:1]),
        latest_kind=Subquery(latest.values("kind")[:1]),
        latest_graded_id=Subquery(graded.values("pk")[:1]),
        latest_graded_on=Subquery(graded.values("start_date")[:1]),
        latest_graded_published_on=Subquery(graded.values("published_on")[:1]),
        recorded_current=Case(
            When(latest_graded_id__isnull=True, then=Value(False)),
            When(report__id__isnull=True, then=Value(True)),
            default=Subquery(_recorded_is_current(graded).values("current")[:1]),
            output_field=BooleanField(),
        ),
        overall_grade=Case(
            When(recorded_current=True, then=Subquery(overall.values("grade")[:1])),
            default=F("report__overall_effectiveness"),
        ),
        overall_rank=Case(
            When(
                recorded_current=True,
                then=Subquery(overall.annotate(rank=rank).values("rank")[:1]),
            ),
            default=Case(
                *(
                    When(report__overall_effectiveness=code, then=Value(n))
                    for code, n in GRADE_RANK.items()
                ),
                output_field=IntegerField(),
            ),
        ),
        published_when=Coalesce("report__start_date", "report__published_on"),
        # The latest inspection of any kind, recorded or published, for sorting.
        shown_on=Case(
            When(
                Q(latest_on__isnull=False)
                & (Q(published_when__isnull=True) | Q(latest_on__gte=F("published_when"))),
                then=F("latest_on"),
            ),
            default=F("published_when"),
        ),
        next_title=Subquery(milestone.values("title")[:1]),
        next_due_on=Subquery(milestone.values("due_on")[:1]),
        next_due_by=Subquery(milestone.values("due_by")[:1]),
        next_precision=Subquery(milestone.values("precision")[:1]),
        actions_total=Subquery(actions.values("total")),
        actions_complete=Subquery(actions.values("complete")),
        percent_complete=Case(
            When(
                actions_total__gt=0,
                then=Round(
                    100
                    * Cast("actions_complete", FloatField())
                    / Cast("actions_total", FloatField())
                ),
            ),
            output_field=FloatField(),
        ),
        overdue=Case(
            When(next_due_by__lt=today, then=Value(True)),
            default=Value(False),
        ),
    )


def _recorded_is_current(graded: QuerySet) -> QuerySet:
    """outcomes.rules.recorded_is_current in SQL, on the latest recorded graded inspection
    against the latest published report: the council's record wins for the same inspection."""

    def gap(later: str, earlier: str) -> ExpressionWrapper:
        return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())

    return graded.annotate(
        report_start=OuterRef("report__start_date"),
        report_on=OuterRef("report__published_on"),
        start_gap=gap("start_date", "report_start"),
        publication_gap=gap("published_on", "report_on"),
        after_publication=gap("start_date", "report_on"),
        current=Case(
            When(
                Q(start_gap__gte=timedelta(days=-SAME_START_DAYS))
                | Q(publication_gap__gte=timedelta(days=-SAME_PUBLICATION_DAYS))
                | Q(after_publication__gt=timedelta(0)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def overview_filter(rows: QuerySet[Council], form: OverviewFilterForm, today: date) -> QuerySet:
    """Apply the valid filters and the sort order; invalid ones are ignored and shown."""
    form.is_valid()  # cleaned_data keeps only the fields that are valid
    data = form.cleaned_data
    if data.get("region"):
        rows = rows.filter(region=data["region"])
    if data.get("grade"):
        rows = rows.filter(overall_grade=data["grade"])
    if data.get("overdue"):
        rows = rows.filter(next_due_by__lt=today)
    if data.get("inspected"):
        rows = rows.filter(latest_on__isnull=False)
    sort = data.get("sort") or "name"
    order = [
        F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc(nulls_last=True)
        for name in OverviewFilterForm.SORTS[sort]
    ]
    return rows.order_by(*order, "pk")


def overview_page_grades(councils: list[Council]) -> None:
    """Give each council of a page the kind of its latest graded inspection, as words, and that
    inspection's judgements in the framework's order (one query for the page)."""
    grades: dict[int, list[Judgement]] = {}
    for judgement in Judgement.objects.filter(
        inspection_id__in=[c.latest_graded_id for c in councils if c.latest_graded_id]
    ).select_related("area"):
        grades.setdefault(judgement.inspection_id, []).append(judgement)
    kinds = dict(InspectionKind.choices)
    for council in councils:
        council.latest_kind_label = kinds.get(council.latest_kind, "")
        council.judgements = sorted(
            grades.get(council.latest_graded_id, []), key=lambda j: j.area.position
        )
