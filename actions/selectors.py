"""Reads of actions for the views: an inspection's action plan, an action's row in the actions
list and its change history (from django-simple-history, as who/when/before/after).

The actions list's filters, sorting and rows are in listing.py; writes are in services.py.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet

from councils.models import User
from inspections.models import Inspection, InspectionKind, Recommendation

from .listing import RAG_ORDER, STATUS_ORDER
from .models import Action, Evidence, Rag, Status


def plan_recommendations(
    inspection: Inspection, actions: QuerySet[Action] | None = None
) -> list[Recommendation]:
    """The recommendations of an inspection's plan, each with the plan's actions for it (two
    queries): its own, its visits', and those of earlier inspections whose actions were carried
    into it. ``actions`` is the plan's actions, annotated as the caller needs. Each gets a
    ``label`` naming the inspection it came from when that is not this one.
    """
    if actions is None:
        # The plan's own page: with its actions closed unfinished and those carried on into a
        # later plan, each marked, so that the old plan shows what became of them.
        actions = (
            Action.objects.of_plan(inspection, include_ended=True)
            | Action.objects.filter(carried_from=inspection)
        ).select_related("council", "plan")
    recommendations = list(
        Recommendation.objects.filter(
            Q(inspection=inspection)
            | Q(inspection__cycle=inspection, inspection__withdrawn_at__isnull=True)
            | Q(pk__in=actions.values("recommendation"))
        )
        .select_related("inspection")
        .order_by("inspection__start_date", "inspection", "position")
        .prefetch_related(Prefetch("actions", queryset=actions))
    )
    for recommendation in recommendations:
        own = recommendation.inspection_id == inspection.pk
        recommendation.label = recommendation_label(
            recommendation.position,
            None if own else recommendation.inspection.kind,
            recommendation.inspection.start_date,
        )
    return recommendations


def recommendation_label(position: int, kind: str | None, start: date | None) -> str:
    """ "Recommendation 3", or "Recommendation 3 of the March 2019 SIF inspection" when a plan
    holds recommendations of several inspections."""
    if not kind or start is None:
        return f"Recommendation {position}"
    kind_label = InspectionKind(kind).label
    return f"Recommendation {position} of the {start:%B %Y} {kind_label[0].lower()}{kind_label[1:]}"


def action_counts(actions: list[Action], today: date) -> dict:
    """The figures above a plan: how many, the share complete, overdue, by status and RAG."""
    status = Counter(a.status for a in actions)
    rag = Counter(a.rag for a in actions)
    total = len(actions)
    return {
        "total": total,
        "complete_share": round(100 * status[Status.COMPLETE] / total) if total else 0,
        "overdue": sum(1 for a in actions if a.is_overdue(today)),
        "by_status": [(Status(s), status[s]) for s in STATUS_ORDER],
        "by_rag": [(Rag(r), rag[r]) for r in RAG_ORDER],
    }


def action_list_row(action: Action) -> Action:
    """The action with the annotations its row in the actions list shows: its latest update."""
    latest = action.updates.first()
    action.latest_update_at = latest.created_at if latest else None
    action.latest_narrative = latest.narrative if latest else None
    return action


# Bookkeeping fields that say nothing a reader needs: the version, timestamps, derived dates.
HIDDEN_FIELDS = {
    "id",
    "council",
    "version",
    "created_at",
    "updated_at",
    "current_due_on",
    # Not in the history: a stamp of the reminders (reminders.py).
    "overdue_noted_for",
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _shown_fields() -> list:
    return [f for f in Action._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _label(model_field) -> str:
    name = str(model_field.verbose_name)
    return name[:1].upper() + name[1:]


def _display(model_field, value, names: dict) -> str:
    if value is None or value == "":
        return "(none)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get((model_field.name, value), f"#{value}")
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if model_field.name == "percent_complete":
        return f"{value}%"
    return str(value)


def action_history(action: Action) -> list[HistoryEntry]:
    """Every recorded change to the action and its evidence, newest first (four or five
    queries)."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    fields = _shown_fields()
    owner_ids = {r.owner_id for r in records if r.owner_id}
    recommendation_ids = {r.recommendation_id for r in records if r.recommendation_id}
    names = {("owner", u.pk): str(u) for u in User.objects.filter(pk__in=owner_ids)}
    names |= {
        ("recommendation", r.pk): f"Recommendation {r.position}"
        for r in Recommendation.objects.filter(pk__in=recommendation_ids)
    }
    plan_ids = {r.plan_id for r in records} | {r.carried_from_id for r in records}
    names |= {
        (field, i.pk): f"The {i.kind_in_sentence()} of {i.fieldwork_display()}"
        for i in Inspection.all_objects.filter(pk__in=plan_ids - {None})
        for field in ("plan", "carried_from")
    }
    entries = []
    previous = None
    for record in records:
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "The system",
            kind={"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
            reason=record.history_change_reason or "",
        )
        for model_field in fields:
            after = getattr(record, model_field.attname)
            before = getattr(previous, model_field.attname) if previous else None
            if previous is None and after in (None, ""):
                continue
            if previous is None or before != after:
                entry.changes.append(
                    Change(
                        label=_label(model_field),
                        before=_display(model_field, before, names) if previous else "",
                        after=_display(model_field, after, names),
                    )
                )
        previous = record
        if entry.changes or entry.kind != "Changed":
            entries.append(entry)
    # Evidence added or removed is part of the action's story (one more query).
    for record in Evidence.history.filter(action_id=action.pk).select_related("history_user"):
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "The system",
                kind={"+": "Evidence added", "~": "Evidence changed", "-": "Evidence removed"}[
                    record.history_type
                ],
                reason=record.name
                if record.history_type != "-"
                else f"{record.name}: {record.history_change_reason}",
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
