"""Withdrawing an inspection recorded in error, and restoring it.

A withdrawn inspection stays in the database and its history, but leaves every page and list
(InspectionManager). Withdrawal is refused while anything else hangs on the inspection: visits
recorded in its cycle, or actions in its plan (its own, or carried in from an earlier plan).
Actions are a council's record of work: they would vanish from the plan and its figures yet
stay in the actions list, so they are moved or dealt with first, knowingly.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from councils.models import User

from ..models import Inspection, InspectionKind
from .locks import inspection_lock
from .milestones import milestones_recompute_after_commit
from .visits import visit_fulfil_milestone, visit_release_milestone


@dataclass(frozen=True)
class WithdrawalImpact:
    """What leaves the pages with the inspection, and what stops it being withdrawn."""

    grades: int
    recommendations: int
    milestones: int
    actions: int
    carried_in: int
    visits: int

    @property
    def refusal(self) -> str:
        """Every reason it cannot be withdrawn, in one message."""
        return ". ".join(reason for reason in self._refusals() if reason)

    def _refusals(self):
        if self.visits:
            yield (
                f"{self.visits} visit{'s are' if self.visits != 1 else ' is'} recorded in this "
                f"inspection's cycle. Withdraw {'them' if self.visits != 1 else 'it'} first, or "
                f"record {'them' if self.visits != 1 else 'it'} against the right inspection"
            )
        if self.carried_in:
            yield (
                f"{self.carried_in} action{'s were' if self.carried_in != 1 else ' was'} carried "
                f"into this inspection's plan from an earlier one: an inspection recorded in "
                f"error cannot hold them. Record the right inspection, carry them into its plan "
                f"from its page, then withdraw this one"
            )
        if self.actions and not self.carried_in:
            yield (
                f"This inspection's plan holds {self.actions} "
                f"action{'s' if self.actions != 1 else ''}: they are the council's record of "
                f"work and would leave the plan. Move them to the right inspection's "
                f"recommendations first, or ask a platform admin to remove them"
            )


def withdrawal_impact(inspection: Inspection) -> WithdrawalImpact:
    # Through the reverse relations: the actions app depends on this one, not the other way.
    own = inspection.recommendations.aggregate(n=Count("actions"))["n"]
    from_elsewhere = inspection.plan_actions.exclude(recommendation__inspection=inspection)
    return WithdrawalImpact(
        grades=inspection.judgements.count(),
        recommendations=inspection.recommendations.count(),
        milestones=inspection.milestones.count(),
        actions=own + from_elsewhere.count(),
        carried_in=from_elsewhere.filter(carried_from__isnull=False).count(),
        visits=Inspection.objects.filter(cycle=inspection).count(),
    )


@transaction.atomic
def inspection_withdraw(*, inspection: Inspection, user: User, reason: str) -> Inspection:
    """Withdraw an inspection recorded in error: it leaves every page, and its history says why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the inspection is being withdrawn"})
    # A visit's cycle first: the milestone the visit fulfilled is the cycle's (locks.py).
    inspection_lock(inspection.cycle_id)
    inspection_lock(inspection.pk)
    current = Inspection.all_objects.select_related("withdrawn_by").get(pk=inspection.pk)
    if current.is_withdrawn:
        raise ValidationError(already_withdrawn(current))
    refusal = withdrawal_impact(current).refusal
    if refusal:
        raise ValidationError(refusal)
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = user
    current.withdrawal_reason = reason
    current._history_user = user
    current._change_reason = f"Withdrawn as recorded in error: {reason}"
    # No full_clean: clean() re-derives the framework, and withdrawal changes nothing it checks.
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
    # The monitoring visit it fulfilled waits again.
    visit_release_milestone(visit=current)
    return current


def already_withdrawn(inspection: Inspection) -> str:
    when = timezone.localtime(inspection.withdrawn_at)
    by = f" by {inspection.withdrawn_by}" if inspection.withdrawn_by else ""
    return f"This inspection was already withdrawn{by} on {when:%-d %B %Y at %H:%M}"


@transaction.atomic
def inspections_restore(*, inspections, user: User) -> list[Inspection]:
    """Put withdrawn inspections back on the record; their milestones are recomputed."""
    restored = []
    for inspection in (
        Inspection.all_objects.select_for_update().filter(pk__in=[i.pk for i in inspections])
    ).order_by("pk"):
        if not inspection.is_withdrawn:
            continue
        inspection.withdrawn_at = None
        inspection.withdrawn_by = None
        inspection.withdrawal_reason = ""
        inspection._history_user = user
        inspection._change_reason = "Restored: it had been withdrawn as recorded in error"
        inspection.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
        )
        milestones_recompute_after_commit(inspection.pk)
        if inspection.kind == InspectionKind.MONITORING_VISIT:
            visit_fulfil_milestone(visit=inspection)
        restored.append(inspection)
    return restored
