"""Writes to milestones: the computed ones kept in step, and what officers record on the timeline.

The computed milestones follow from the rules, the inspection's dates and grades and its
deadline settings (planning.py plans them); they are recomputed after each change that can move
them, through a Celery task queued once the change commits, and every day.
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from ..holidays import HolidayCalendar
from ..models import (
    AgreedMilestone,
    DeadlineRule,
    DeadlineSettings,
    Inspection,
    Milestone,
    Monitoring,
)
from ..planning import (
    PRIORITY_ACTION_KINDS,
    PlannedMilestone,
    deadline_triggers,
    framework_monitoring_rule,
    milestones_plan,
)
from .locks import inspection_lock

logger = logging.getLogger(__name__)

# Keeping computed milestones in step ------------------------------------------------------------


@transaction.atomic
def milestones_recompute(
    *, inspection_id: int, calendar: HolidayCalendar | None = None, rules=None
) -> list[Milestone]:
    """Make an inspection's computed milestones match the rules, its dates and its grades."""
    # The row lock makes concurrent recomputations of one inspection take turns, and is taken
    # first, as every write to an inspection's rows takes it (locks.py).
    inspection = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
    if inspection is None:
        return []  # deleted since the task was queued
    grades = dict(inspection.judgements.values_list("area__key", "grade"))
    deadline_settings = DeadlineSettings.objects.filter(inspection=inspection).first()
    triggers = deadline_triggers(
        inspection, grades, deadline_settings, framework_monitoring_rule(inspection.framework)
    )
    planned = milestones_plan(
        rules=DeadlineRule.objects.filter(active=True) if rules is None else rules,
        triggers=triggers,
        published_on=inspection.published_on,
        received_on=inspection.report_received_on,
        calendar=HolidayCalendar.load() if calendar is None else calendar,
    )
    existing = {m.key: m for m in inspection.milestones.filter(source=Milestone.Source.COMPUTED)}
    for plan in planned:
        milestone = existing.pop(plan.key, None) or Milestone(
            inspection=inspection, source=Milestone.Source.COMPUTED, key=plan.key
        )
        _apply_plan(milestone, plan)
    for stale in existing.values():
        # A milestone that no longer applies goes, unless it happened: then it is history.
        if stale.done_on is None:
            stale.delete()
    return list(inspection.milestones.all())


def _apply_plan(milestone: Milestone, plan: PlannedMilestone) -> None:
    values = {
        "rule": plan.rule,
        "title": plan.title,
        "due_on": plan.due_on,
        "due_by": plan.due_by,
        "precision": plan.precision,
        "basis": plan.basis,
    }
    if milestone.pk and all(getattr(milestone, f) == v for f, v in values.items()):
        return
    if milestone.pk and milestone.due_by != plan.due_by:
        # A new date is a new deadline: its reminders are due afresh.
        milestone.reminded_10_at = milestone.reminded_3_at = milestone.reminded_missed_at = None
    for field, value in values.items():
        setattr(milestone, field, value)
    milestone.full_clean(validate_unique=False)
    milestone.save()


def milestones_recompute_all() -> int:
    """Recompute every inspection with a publication or report-received date; return the count."""
    calendar = HolidayCalendar.load()
    rules = list(DeadlineRule.objects.filter(active=True))
    ids = (
        Inspection.objects.exclude(published_on__isnull=True, report_received_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for inspection_id in ids.iterator():
        try:
            milestones_recompute(inspection_id=inspection_id, calendar=calendar, rules=rules)
        except Exception:
            # One bad inspection must not stop the others, nor the reminders after them.
            logger.exception("Could not recompute the milestones of inspection %s", inspection_id)
        else:
            done += 1
    return done


def milestones_recompute_after_commit(inspection_id: int) -> None:
    """Queue a recomputation once the current transaction commits."""
    transaction.on_commit(lambda: _enqueue_recompute(inspection_id))


def _enqueue_recompute(inspection_id: int) -> None:
    from ..tasks import recompute_milestones

    try:
        recompute_milestones.delay(inspection_id)
    except OperationalError:
        # The change itself is saved; the daily job recomputes every inspection, so a broker
        # that is down delays the new dates by a day at most instead of losing them.
        logger.exception(
            "Could not queue the milestones of inspection %s; the daily job will recompute them",
            inspection_id,
        )


def deadlines_changed_after_commit() -> None:
    """Queue a recomputation of every inspection once a rule or holiday change commits."""

    def enqueue():
        from ..tasks import recompute_all_milestones

        try:
            recompute_all_milestones.delay()
        except OperationalError:
            logger.exception("Could not queue a recomputation; the daily job will do it")

    transaction.on_commit(enqueue)


# What officers record on the timeline ---------------------------------------------------------


@transaction.atomic
def milestone_record_done(*, milestone: Milestone, done_on: date | None) -> Milestone:
    """Record the day a milestone happened, or clear it when done_on is None."""
    inspection_lock(milestone.inspection_id)
    if done_on is not None:
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": "The date it happened must be today or in the past"})
        if done_on < milestone.inspection.start_date:
            raise ValidationError(
                {"done_on": "The date it happened must be after the inspection started"}
            )
    milestone.done_on = done_on
    milestone.full_clean(validate_unique=False)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_add_agreed(*, inspection: Inspection, key: str, due_on: date) -> Milestone:
    """Add a milestone on a date agreed with Ofsted, such as a later monitoring visit."""
    inspection_lock(inspection.pk)
    if key not in AgreedMilestone.values:
        raise ValidationError({"key": "Select what was agreed with Ofsted"})
    if due_on <= inspection.last_fieldwork_day:
        raise ValidationError(
            {"due_on": "The agreed date must be after the inspection's fieldwork"}
        )
    if due_on.year > timezone.localdate().year + 5:
        raise ValidationError({"due_on": "The agreed date must be within the next five years"})
    title = AgreedMilestone(key).label
    if Milestone.objects.filter(
        inspection=inspection, source=Milestone.Source.AGREED, key=key, due_on=due_on
    ).exists():
        raise ValidationError(
            {"due_on": f"A {title.lower()} on {due_on:%-d %B %Y} is already recorded"}
        )
    milestone = Milestone(
        inspection=inspection,
        source=Milestone.Source.AGREED,
        key=key,
        title=title,
        due_on=due_on,
        due_by=due_on,
        precision=Milestone.Precision.DAY,
        basis="Date agreed with Ofsted",
    )
    milestone.full_clean(validate_unique=False)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_remove_agreed(*, milestone: Milestone) -> None:
    """Remove a visit entered from a date agreed with Ofsted, as when it was entered in error.

    Computed milestones follow from the inspection and are never removed by hand; the history
    keeps the removed visit with who removed it.
    """
    if milestone.source != Milestone.Source.AGREED:
        raise ValidationError("Only a visit agreed with Ofsted can be removed")
    inspection_lock(milestone.inspection_id)
    milestone.delete()


@transaction.atomic
def deadline_settings_save(
    *, inspection: Inspection, priority_actions: bool, monitoring: str, monitoring_reason: str = ""
) -> DeadlineSettings:
    """Record what the grades do not say, then recompute the milestones after commit.

    An override of monitoring, either way, needs the officer's reason; the history keeps it.
    """
    if priority_actions and inspection.kind not in PRIORITY_ACTION_KINDS:
        raise ValidationError("Only a focused visit or a JTAI letter sets priority actions")
    if monitoring != Monitoring.FROM_GRADES and not inspection.is_graded:
        raise ValidationError("Only a graded inspection leads to monitoring")
    inspection_lock(inspection.pk)
    deadline_settings, _ = DeadlineSettings.objects.select_for_update().get_or_create(
        inspection=inspection
    )
    deadline_settings.priority_actions = priority_actions
    deadline_settings.monitoring = monitoring
    deadline_settings.monitoring_reason = monitoring_reason.strip()
    deadline_settings.full_clean()
    deadline_settings.save()
    milestones_recompute_after_commit(inspection.pk)
    return deadline_settings
