"""Celery tasks of improvement actions: thin and idempotent, as inspections/tasks.py."""

from celery import shared_task

from config.celery import RETRY_PASSING_ERRORS
from readiness import services as readiness_services

from . import reminders, services


@shared_task(name="actions.send_reminders", **RETRY_PASSING_ERRORS)
def send_reminders() -> int:
    """Daily: actions past their due date rated Red (the self-evaluation plans' too), then
    each owner's weekly email on their day, and notes of actions newly overdue."""
    services.actions_mark_overdue_red()
    readiness_services.plan_actions_mark_overdue_red()
    return reminders.action_reminders_send()
