"""Reminders to a council's officers as the next inspection's likely window approaches.

Each is sent once: a row per council, window and stage is inserted in the transaction that
writes the email to the outbox (councils/outbox.py), and the unique constraint refuses a
second, however often the job runs and however many run at once. The wording is in
templates/emails/readiness_reminder_*.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Role
from councils.outbox import outbox_add, outbox_send_pending
from inspections.selectors import council_officer_emails
from outcomes.selectors import next_inspection

from . import selectors
from .models import ReadinessReminder

logger = logging.getLogger(__name__)

# Officers hear when the window is this close, and again when it opens.
APPROACHING = timedelta(days=90)
# The "window has opened" reminder goes only this soon after it opened, so that a first
# deployment does not remind every council whose window opened years ago.
OPENED_WITHIN = timedelta(days=30)


def reminder_stage(window_from: date | None, today: date) -> str | None:
    """Which reminder a window is due for today, or None."""
    if window_from is None:
        return None
    if window_from <= today:
        if today - window_from <= OPENED_WITHIN:
            return ReadinessReminder.Stage.OPEN
        return None
    if window_from - today <= APPROACHING:
        return ReadinessReminder.Stage.APPROACHING
    return None


def readiness_reminders_send(*, today: date | None = None) -> int:
    """Remind each council's officers of a window approaching or just opened; return how many
    reminders were written. Call outside a transaction: each council's claim commits alone."""
    today = today or timezone.localdate()
    councils = Council.objects.filter(memberships__role=Role.OFFICER).distinct().order_by("pk")
    queued = 0
    for council in councils:
        try:
            queued += _remind_once(council, today)
        except Exception:
            # The claim rolled back with its email; the next run tries again.
            logger.exception("Could not queue the readiness reminder of council %s", council.pk)
    outbox_send_pending()
    return queued


def _remind_once(council: Council, today: date) -> bool:
    estimate = next_inspection(council, as_of=today)
    stage = reminder_stage(estimate.window_from, today)
    if stage is None:
        return False
    to = council_officer_emails(council)
    if not to:
        return False
    picture = selectors.readiness(council, today)
    context = {
        "council": council,
        "estimate": estimate,
        "stage": stage,
        "days_left": (estimate.window_from - today).days,
        "picture": picture,
        "url": settings.SITE_URL.rstrip("/") + reverse("readiness", args=[council.slug]),
    }
    try:
        with transaction.atomic():
            ReadinessReminder.objects.create(
                council=council, window_from=estimate.window_from, stage=stage
            )
            outbox_add(
                to=to,
                subject=render_to_string("emails/readiness_reminder_subject.txt", context).strip(),
                body=render_to_string("emails/readiness_reminder_body.txt", context).rstrip("\n"),
            )
    except IntegrityError:
        return False  # sent already
    return True
