"""Celery tasks for statutory deadlines: thin wrappers that take an id and call a service.

Each is idempotent, so a redelivery after a killed worker (late acknowledgement) or a second
beat changes nothing, and each is tried again after a passing database error, such as a
deadlock (config/celery.py).
"""

from celery import shared_task

from config.celery import RETRY_PASSING_ERRORS

from . import services


@shared_task(name="inspections.recompute_milestones", **RETRY_PASSING_ERRORS)
def recompute_milestones(inspection_id: int) -> int:
    return len(services.milestones_recompute(inspection_id=inspection_id))


@shared_task(name="inspections.recompute_all_milestones", **RETRY_PASSING_ERRORS)
def recompute_all_milestones() -> int:
    return services.milestones_recompute_all()


@shared_task(name="inspections.send_reminders", **RETRY_PASSING_ERRORS)
def send_reminders() -> int:
    return services.reminders_send()


@shared_task(name="inspections.daily_deadlines", **RETRY_PASSING_ERRORS)
def daily_deadlines() -> int:
    """The beat's daily job: new dates first (a holiday may have been added), then reminders."""
    services.milestones_recompute_all()
    return services.reminders_send()
