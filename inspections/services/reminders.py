"""Reminder emails to a council's officers about milestones coming due or missed.

Each reminder is sent once: a conditional UPDATE stamps the milestone, and the email is written
to the outbox in the same transaction (councils/outbox.py); it is sent after that commits, so a
slow mail server holds no lock on the milestone. The wording is in
templates/emails/milestone_reminder_*.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from councils.outbox import outbox_add, outbox_send_pending

from ..holidays import HolidayCalendar
from ..models import Milestone
from ..planning import REMINDER_DAYS
from ..selectors import council_officer_emails
from ..workdays import working_days_between

logger = logging.getLogger(__name__)

# A missed reminder is sent only this soon after the due date, so that old milestones recorded
# late, or a first deployment, do not send a flood of stale emails.
MISSED_WINDOW = timedelta(days=7)


def _reminder_due(milestone: Milestone, today: date, calendar) -> str | None:
    """Which reminder this milestone is in the window for today: a stamp field, or None."""
    if milestone.due_by < today:
        if timezone.localdate(milestone.created_at) > milestone.due_by:
            return None  # already past when recorded: it needs a date, and was never missed
        return "reminded_missed_at" if today - milestone.due_by <= MISSED_WINDOW else None
    left = working_days_between(today, milestone.due_by, calendar)
    if left <= REMINDER_DAYS[1]:
        return "reminded_3_at"
    if left <= REMINDER_DAYS[0]:
        return "reminded_10_at"
    return None


def reminders_send(*, today: date | None = None) -> int:
    """Email each council's officers about milestones coming due or missed; return the emails.

    Each reminder is claimed by a conditional UPDATE with its email written to the outbox, so a
    job run twice, or two beats at once, send it once. The outbox is sent after the claims have
    committed, here and by the task queued as each commits; call this outside a transaction.
    """
    today = today or timezone.localdate()
    calendar = HolidayCalendar.load()
    # 10 working days can span three weeks over Christmas; 31 calendar days covers it.
    candidates = (
        Milestone.objects.open()
        .filter(due_by__gte=today - MISSED_WINDOW, due_by__lte=today + timedelta(days=31))
        .select_related("inspection__council")
        .order_by("due_by", "pk")
    )
    queued = 0
    for milestone in candidates:
        field = _reminder_due(milestone, today, calendar)
        if not field:
            continue
        try:
            queued += _queue_reminder_once(milestone, field, today, calendar)
        except Exception:
            # The claim rolled back with the email; the next run tries again.
            logger.exception("Could not queue the %s reminder of milestone %s", field, milestone.pk)
    # Whatever the tasks queued on commit have not sent yet, and any email that failed before.
    outbox_send_pending()
    return queued


def _queue_reminder_once(milestone: Milestone, field: str, today: date, calendar) -> bool:
    with transaction.atomic():
        claimed = (
            Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True, due_by=milestone.due_by)
            .filter(**{f"{field}__isnull": True})
            .update(**{field: timezone.now()})
        )
        if claimed != 1:
            return False
        message = _reminder_email(milestone, field, today, calendar)
        if not message.to:
            return False  # no officer to tell: the reminder is spent, as a sent one would be
        # In the claim's transaction: the email is written if and only if the claim is.
        outbox_add(to=message.to, subject=message.subject, body=message.body)
        return True


def _reminder_email(milestone: Milestone, field: str, today: date, calendar) -> EmailMessage:
    inspection = milestone.inspection
    missed = field == "reminded_missed_at"
    context = {
        "milestone": milestone,
        "inspection": inspection,
        "council": inspection.council,
        "missed": missed,
        "days_left": None if missed else working_days_between(today, milestone.due_by, calendar),
        "url": settings.SITE_URL.rstrip("/") + inspection.get_absolute_url(),
    }
    return EmailMessage(
        subject=render_to_string("emails/milestone_reminder_subject.txt", context).strip(),
        # The template's last line break is not part of the email.
        body=render_to_string("emails/milestone_reminder_body.txt", context).rstrip("\n"),
        to=council_officer_emails(inspection.council),
    )
