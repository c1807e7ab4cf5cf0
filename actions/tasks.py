"""Celery tasks of improvement actions: thin and idempotent, as inspections/tasks.py."""

from celery import shared_task

from config.celery import RETRY_PASSING_ERRORS

from . import reminders


@shared_task(name="actions.send_reminders", **RETRY_PASSING_ERRORS)
def send_reminders() -> int:
    """Daily: each owner's weekly email on their day, and notes of actions newly overdue."""
    return reminders.action_reminders_send()
