"""Celery tasks of readiness: thin wrappers around services, idempotent (reminders.py)."""

from celery import shared_task

from config.celery import RETRY_PASSING_ERRORS

from .reminders import readiness_reminders_send


@shared_task(name="readiness.send_reminders", **RETRY_PASSING_ERRORS)
def send_reminders() -> int:
    return readiness_reminders_send()
