"""Writes for the visits of a cycle: monitoring visits, focused visits and JTAIs.

A visit belongs to the cycle of a graded inspection (cycles.py). A monitoring visit fulfils the
open monitoring-visit milestone of that inspection whose due date is nearest the visit; a
focused visit's or JTAI's letter may set priority actions, whose 20 and 70 working-day deadlines
count from the letter's publication (docs/domain.md, "Priority actions after focused visits").
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ..cycles import cycle_for
from ..models import DeadlineSettings, Inspection, InspectionKind, Milestone
from ..planning import PRIORITY_ACTION_KINDS
from .locks import inspection_lock
from .milestones import milestones_recompute_after_commit

# The kinds recorded as visits in a cycle: everything that is not graded.
VISIT_KINDS = (InspectionKind.MONITORING_VISIT, InspectionKind.FOCUSED_VISIT, InspectionKind.JTAI)

# What a monitoring visit can fulfil: a visit agreed with Ofsted, or the first one the rules set
# six months after an inadequate judgement.
MONITORING_MILESTONES = Q(source=Milestone.Source.AGREED, key="monitoring_visit") | Q(
    source=Milestone.Source.COMPUTED, key="first_monitoring_visit"
)


@dataclass(frozen=True)
class VisitRecorded:
    visit: Inspection
    fulfilled: Milestone | None = None
    # The other open monitoring-visit milestones the visit could have fulfilled, nearest first.
    also_waiting: list[Milestone] = field(default_factory=list)


@transaction.atomic
def visit_record(*, visit: Inspection, priority_actions: bool = False) -> VisitRecorded:
    """Record a visit, new or changed, in its cycle: its deadline settings, and the milestone
    it fulfils."""
    if visit.kind not in VISIT_KINDS:
        raise ValidationError({"kind": "Select a monitoring visit, a focused visit or a JTAI"})
    if priority_actions and visit.kind not in PRIORITY_ACTION_KINDS:
        raise ValidationError(
            {"priority_actions": "Only a focused visit or a JTAI letter sets priority actions"}
        )
    if visit.cycle_id is None and visit.start_date:
        # Not chosen: the graded inspection before it, as council_cycles reads the record.
        visit.cycle = cycle_for(visit.council, visit.start_date)
    # The cycle's inspection first: its milestone may be written (locks.py).
    inspection_lock(visit.cycle_id)
    inspection_lock(visit.pk)
    visit.full_clean()
    visit.save()
    deadline_settings = DeadlineSettings.objects.filter(inspection=visit).first()
    if deadline_settings is None and visit.kind in PRIORITY_ACTION_KINDS:
        deadline_settings = DeadlineSettings(inspection=visit)
    if deadline_settings and (
        deadline_settings.pk is None or deadline_settings.priority_actions != priority_actions
    ):
        deadline_settings.priority_actions = priority_actions
        deadline_settings.full_clean()
        deadline_settings.save()
    milestones_recompute_after_commit(visit.pk)
    fulfilled = Milestone.objects.filter(fulfilled_by=visit).first()
    if fulfilled and (
        visit.kind != InspectionKind.MONITORING_VISIT
        or fulfilled.inspection_id != visit.cycle_id
        or fulfilled.done_on != visit.start_date
    ):
        # Its kind, cycle or dates changed: the milestone it fulfilled may no longer be its.
        visit_release_milestone(visit=visit)
    return visit_fulfil_milestone(visit=visit)


def _waiting(visit: Inspection) -> list[Milestone]:
    """The cycle's open, current monitoring-visit milestones, nearest the visit's start first."""
    if visit.cycle_id is None:
        return []
    milestones = (
        Milestone.objects.current()
        .open()
        .filter(MONITORING_MILESTONES, inspection_id=visit.cycle_id, fulfilled_by__isnull=True)
        .select_related("inspection")
    )
    return sorted(milestones, key=lambda m: (abs((m.due_on - visit.start_date).days), m.due_on))


@transaction.atomic
def visit_fulfil_milestone(*, visit: Inspection) -> VisitRecorded:
    """Mark the cycle's monitoring-visit milestone nearest the visit as done by it.

    The milestone happened on the day the visit started: an agreed date is the day the visit
    begins, and a visit that runs over a month's end still meets its month.
    """
    if visit.kind != InspectionKind.MONITORING_VISIT or visit.is_withdrawn:
        return VisitRecorded(visit)
    inspection_lock(visit.cycle_id)
    if Milestone.objects.filter(fulfilled_by=visit).exists():
        return VisitRecorded(visit, Milestone.objects.filter(fulfilled_by=visit).first())
    waiting = _waiting(visit)
    if not waiting:
        return VisitRecorded(visit)
    milestone, *others = waiting
    milestone.done_on = visit.start_date
    milestone.fulfilled_by = visit
    milestone._change_reason = f"Fulfilled by the monitoring visit of {visit.fieldwork_display()}"[
        :100
    ]
    milestone.full_clean(validate_unique=False)
    milestone.save()
    return VisitRecorded(visit, milestone, others)


@transaction.atomic
def visit_release_milestone(*, visit: Inspection) -> list[Milestone]:
    """Undo visit_fulfil_milestone, as when the visit is withdrawn or its dates change."""
    released = []
    for milestone in Milestone.objects.filter(fulfilled_by=visit).order_by("pk"):
        inspection_lock(milestone.inspection_id)
        milestone.done_on = None
        milestone.fulfilled_by = None
        milestone._change_reason = (
            f"No longer fulfilled by the monitoring visit of {visit.fieldwork_display()}"[:100]
        )
        milestone.full_clean(validate_unique=False)
        milestone.save()
        released.append(milestone)
    return released
