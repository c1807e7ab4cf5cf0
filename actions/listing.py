"""The council's actions list: filters, sorting and the rows, shared by the page and exports."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import QueryDict

from councils.models import Council
from inspections.models import Recommendation

from .forms import FilterForm
from .models import Action, ProgressUpdate, Rag, Status

PER_PAGE = 25

STATUS_ORDER = [Status.BLOCKED, Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE]
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


def _rank(field: str, order: list) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(order)),
        output_field=IntegerField(),
    )


def action_rows(council: Council) -> QuerySet:
    """The council's actions with what a row shows, including the latest progress entry."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Action.objects.for_council(council)
        .select_related("council", "recommendation__inspection")
        .annotate(
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            latest_narrative=Subquery(latest.values("narrative")[:1]),
            status_rank=_rank("status", STATUS_ORDER),
            rag_rank=_rank("rag", RAG_ORDER),
            complete_last=Case(
                When(status=Status.COMPLETE, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )


@dataclass
class ActionFilter:
    """The filter form bound to a query string, and the actions it selects."""

    council: Council
    form: FilterForm
    today: date

    @classmethod
    def bind(cls, council: Council, data: QueryDict, today: date) -> "ActionFilter":
        owners = list(
            Action.objects.for_council(council)
            .order_by("owner_name")
            .values_list("owner_name", flat=True)
            .distinct()
        )
        recommendations = list(
            Recommendation.objects.filter(
                inspection__council=council, inspection__withdrawn_at__isnull=True
            )
            .select_related("inspection")
            .order_by("-inspection__start_date", "inspection", "position")
        )
        form = FilterForm(data, owners=owners, recommendations=recommendations)
        form.is_valid()  # Invalid filters are shown as errors and ignored; valid ones apply.
        return cls(council=council, form=form, today=today)

    @property
    def values(self) -> dict:
        return getattr(self.form, "cleaned_data", {})

    @property
    def sort(self) -> str:
        return self.values.get("sort") or "due"

    def queryset(self) -> QuerySet:
        data = self.values
        rows = action_rows(self.council)
        if data.get("q"):
            q = data["q"]
            rows = rows.filter(
                Q(title__icontains=q)
                | Q(description__icontains=q)
                | Q(owner_name__icontains=q)
                | Q(lead__icontains=q)
                | Q(success_criterion__icontains=q)
                | Q(evidence_of_impact__icontains=q)
            )
        if data.get("status"):
            rows = rows.filter(status=data["status"])
        if data.get("rag"):
            rows = rows.filter(rag=data["rag"])
        if data.get("owner"):
            rows = rows.filter(owner_name=data["owner"])
        if data.get("recommendation"):
            rows = rows.filter(recommendation_id=data["recommendation"])
        if data.get("overdue"):
            rows = rows.overdue(self.today)
        if data.get("due_within"):
            rows = rows.due_within(self.today, data["due_within"])
        return rows.order_by(*FilterForm.SORTS[self.sort])
