"""Celery tasks for the base app: sending the emails in the outbox."""

from celery import shared_task

from config.celery import RETRY_PASSING_ERRORS

from . import outbox


@shared_task(name="councils.send_emails", **RETRY_PASSING_ERRORS)
def send_emails() -> int:
    """Send the emails that are due; run after each commit that writes one, and by the beat."""
    return outbox.outbox_send_pending()
