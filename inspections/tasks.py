"""Celery tasks for statutory deadlines: thin wrappers that take an id and call a service.

Each is idempotent, so a redelivery after a killed worker (late acknowledgement) or a second
beat changes nothing.
"""

from celery import shared_task

from . import deadlines


@shared_task(name="inspections.recompute_milestones")
def recompute_milestones(inspection_id: int) -> int:
    return len(deadlines.milestones_recompute(inspection_id=inspection_id))


@shared_task(name="inspections.recompute_all_milestones")
def recompute_all_milestones() -> int:
    return deadlines.milestones_recompute_all()


@shared_task(name="inspections.send_reminders")
def send_reminders() -> int:
    return deadlines.reminders_send()


@shared_task(name="inspections.daily_deadlines")
def daily_deadlines() -> int:
    """The beat's daily job: new dates first (a holiday may have been added), then reminders."""
    deadlines.milestones_recompute_all()
    return deadlines.reminders_send()
