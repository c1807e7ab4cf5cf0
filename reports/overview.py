"""Every council on one page for platform admins: a fixed number of queries, however many."""

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
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
from django.db.models.functions import Cast, Coalesce, Round

from actions.models import Action, Status
from councils.models import Council
from inspections.models import GRADE_RANK, OVERALL, Inspection, Judgement, Milestone
from outcomes.models import PublishedOutcome
from outcomes.rules import SAME_PUBLICATION_DAYS, SAME_START_DAYS

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
    published = PublishedOutcome.objects.filter(council=OuterRef("pk"), is_latest=True)
    return Council.objects.annotate(
        latest_on=Subquery(latest.values("start_date")[:1]),
        latest_kind=Subquery(latest.values("kind")[:1]),
        latest_graded_id=Subquery(graded.values("pk")[:1]),
        latest_graded_on=Subquery(graded.values("start_date")[:1]),
        latest_graded_published_on=Subquery(graded.values("published_on")[:1]),
        recorded_overall=Subquery(overall),
        **_published_latest(published),
        # outcomes.rules.recorded_is_current, in SQL: the council's record wins.
        recorded_current=Case(
            When(latest_graded_id__isnull=True, then=Value(False)),
            When(published_id__isnull=True, then=Value(True)),
            When(
                Q(start_gap__gte=timedelta(days=-SAME_START_DAYS))
                | Q(publication_gap__gte=timedelta(days=-SAME_PUBLICATION_DAYS))
                | Q(start_after_publication__gt=timedelta(0)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        overall_grade=Case(
            When(recorded_current=True, then=F("recorded_overall")),
            default=F("published_overall"),
        ),
        # The latest inspection of any kind, recorded or published, for sorting.
        shown_on=Case(
            When(
                Q(latest_on__isnull=False)
                & (Q(published_when__isnull=True) | Q(latest_on__gte=F("published_when"))),
                then=F("latest_on"),
            ),
            default=F("published_when"),
        ),
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


def _published_latest(published) -> dict:
    """The council's latest published report, and how its dates compare with the record's."""

    def gap(later: str, earlier: str) -> ExpressionWrapper:
        return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())

    return {
        "published_id": Subquery(published.values("pk")[:1]),
        "published_start": Subquery(published.values("start_date")[:1]),
        "published_on": Subquery(published.values("published_on")[:1]),
        "published_overall": Subquery(published.values("overall_effectiveness")[:1]),
        "published_when": Coalesce("published_start", "published_on"),
        "start_gap": gap("latest_graded_on", "published_start"),
        "publication_gap": gap("latest_graded_published_on", "published_on"),
        "start_after_publication": gap("latest_graded_on", "published_on"),
    }


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
