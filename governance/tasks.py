"""Celery tasks of intervention and governance: thin and idempotent, as inspections/tasks.py."""

from celery import shared_task

from config.celery import RETRY_PASSING_ERRORS

from . import services


@shared_task(name="governance.plan_intervention_duties", **RETRY_PASSING_ERRORS)
def plan_intervention_duties() -> int:
    """Daily, before the reminders: keep a year of each current intervention's reports ahead."""
    return services.intervention_duties_sync_all()
