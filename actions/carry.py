"""Carrying an old plan's open actions into a new one, or closing them: reads and the one write.

When a later graded inspection supersedes an earlier one (inspections/cycles.py), the open
actions of the earlier plans wait for an officer's decision: carried into the new plan (keeping
their recommendation, progress and history) or closed unfinished with a reason. Each decision
claims the version the page showed (services.py), and the whole submission is one transaction:
one refused row changes nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from councils.models import User
from inspections.models import Inspection

from .models import Action, ActionQuerySet, Status
from .services import ActionConflict, _claim, _save


class Decision(models.TextChoices):
    CARRY = "carry", "Carry into the new plan"
    CLOSE = "close", "Close with a reason"
    LATER = "later", "Decide later"


@dataclass(frozen=True)
class CarryDecision:
    action_id: int
    version: int
    decision: str
    reason: str = ""


@dataclass(frozen=True)
class CarryResult:
    carried: list[Action]
    closed: list[Action]


def earlier_plans(inspection: Inspection):
    """The council's graded inspections on the record before this one: plans it supersedes."""
    return Inspection.objects.graded().filter(
        council=inspection.council_id, start_date__lt=inspection.start_date
    )


def awaiting_decision(inspection: Inspection) -> ActionQuerySet:
    """Open actions of the plans this graded inspection superseded, oldest plan first."""
    if not inspection.is_graded or inspection.is_withdrawn:
        return Action.objects.none()
    return (
        Action.objects.for_council(inspection.council)
        .open()
        .filter(plan__in=earlier_plans(inspection))
        .select_related("plan", "recommendation__inspection")
        .order_by("plan__start_date", "plan_id", "recommendation__position", "pk")
    )


def _refusal(action: Action, inspection: Inspection) -> str | None:
    """Why the action cannot be decided on from this inspection's page, if it cannot."""
    if action.status == Status.COMPLETE:
        return f"\u201c{action.title}\u201d is already complete: it needs no decision"
    if action.ended_on:
        return (
            f"\u201c{action.title}\u201d was already closed unfinished on "
            f"{action.ended_on:%-d %B %Y}: it needs no decision"
        )
    if action.plan_id == inspection.pk:
        return f"\u201c{action.title}\u201d is already in this plan: it needs no decision"
    earlier = earlier_plans(inspection).filter(pk=action.plan_id).exists()
    if not earlier:
        return (
            f"\u201c{action.title}\u201d is in the plan of {action.plan}, which this "
            f"inspection does not replace"
        )
    return None


@transaction.atomic
def actions_carry_over(
    *,
    inspection: Inspection,
    decisions: list[CarryDecision],
    user: User,
    today: date | None = None,
) -> CarryResult:
    """Carry or close each chosen action of an earlier plan; all or nothing.

    Raises ValidationError for decisions that cannot be made (an action already complete,
    closed or carried, a close without a reason) and ActionConflict, naming the actions, when
    someone changed them after the page was loaded.
    """
    today = today or timezone.localdate()
    if not inspection.is_graded or inspection.is_withdrawn:
        raise ValidationError("Only a graded inspection on the record has a plan to carry into")
    chosen = [d for d in decisions if d.decision in (Decision.CARRY, Decision.CLOSE)]
    if not chosen:
        raise ValidationError("Choose to carry or close at least one action")
    unknown = [d.decision for d in decisions if d.decision not in Decision.values]
    if unknown:
        raise ValidationError("Choose carry, close or decide later for each action")
    ids = [d.action_id for d in chosen]
    if len(set(ids)) != len(ids):
        raise ValidationError("Each action can be decided once: reload the page")
    actions = {
        a.pk: a
        for a in Action.objects.for_council(inspection.council)
        .filter(pk__in=ids)
        .select_related("plan")
        .order_by("pk")
    }
    errors = []
    for decision in chosen:
        action = actions.get(decision.action_id)
        if action is None:
            errors.append("An action on the page no longer exists: reload the page")
            continue
        refusal = _refusal(action, inspection)
        if refusal:
            errors.append(refusal)
        elif decision.decision == Decision.CLOSE and not decision.reason.strip():
            errors.append(f"Enter the reason for closing \u201c{action.title}\u201d")
    if errors:
        raise ValidationError(errors)
    stale = []
    # In id order, as every multi-row claim takes its locks (services.actions_bulk_assign).
    for decision in sorted(chosen, key=lambda d: d.action_id):
        try:
            _claim(actions[decision.action_id], decision.version)
        except ActionConflict:
            stale.append(decision.action_id)
    if stale:
        # The claims made so far roll back with the transaction.
        raise ActionConflict(stale)
    carried, closed = [], []
    for decision in chosen:
        action = actions[decision.action_id]
        if decision.decision == Decision.CARRY:
            action.carried_from_id = action.plan_id
            action.plan = inspection
            action.carried_on = today
            _save(action, user, f"Carried over to the plan of {inspection}")
            carried.append(action)
        else:
            action.ended_on = today
            action.end_reason = decision.reason.strip()
            _save(action, user, "Closed when the plan was replaced")
            closed.append(action)
    return CarryResult(carried=carried, closed=closed)
