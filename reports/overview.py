"""Every council on one page for platform admins: a fixed number of queries, however many.

A read: it changes nothing; reports' writes are in services.py.
"""

from datetime import date

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Round

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

from .forms import OverviewFilterForm


def overview_rows(today: date) -> QuerySet[Council]:
    """Councils annotated with their latest inspection, grades, next milestone and progress."""
    latest = Inspection.objects.filter(council=OuterRef("pk")).order_by("-start_date", "-pk")
    graded = latest.filter(framework__isnull=False)
    overall = Judgement.objects.filter(
        inspection=OuterRef("latest_graded_id"), area__key=OVERALL
    ).values("grade")[:1]
    milestone = (
        Milestone.objects.filter(inspection__council=OuterRef("pk"))
        .open()
        .order_by("due_by", "due_on", "pk")
    )
    actions = (
        Action.objects.filter(council=OuterRef("pk"))
        .order_by()
        .values("council")
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(status=Status.COMPLETE)),
        )
    )
    return Council.objects.annotate(
        latest_on=Subquery(latest.values("start_date")[:1]),
        latest_kind=Subquery(latest.values("kind")[:1]),
        latest_graded_id=Subquery(graded.values("pk")[:1]),
        latest_graded_on=Subquery(graded.values("start_date")[:1]),
        overall_grade=Subquery(overall),
        overall_rank=Case(
            *(When(overall_grade=code, then=Value(rank)) for code, rank in GRADE_RANK.items()),
            output_field=IntegerField(),
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
