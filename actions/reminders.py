"""Reminders about improvement actions: each owner's weekly email of their actions due soon or
overdue, and a note to the council's officers when an action becomes overdue.

Each is sent once, as the milestone reminders are (inspections/services/reminders.py): a
conditional UPDATE claims it, and the email is written to the outbox in the same transaction,
to be sent after that commits. The wording is in templates/emails/action_*.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from councils.models import Council, User
from councils.outbox import outbox_add, outbox_send_pending
from inspections.holidays import HolidayCalendar
from inspections.selectors import council_officer_emails
from inspections.workdays import add_working_days

from .models import Action

logger = logging.getLogger(__name__)

# The weekly email lists an owner's actions due within this many working days, and overdue.
DIGEST_WORKING_DAYS = 10
# An action is announced as overdue only this soon after its due date, so that a first
# deployment or a plan loaded late does not send a flood of stale notes.
OVERDUE_WINDOW = timedelta(days=7)


def _open_actions():
    """Open actions of a plan on the record, whatever plan: the owner owns them all."""
    return (
        Action.objects.open()
        .filter(plan__withdrawn_at__isnull=True)
        .select_related("council", "recommendation__inspection")
    )


def _url(action: Action) -> str:
    return settings.SITE_URL.rstrip("/") + action.get_absolute_url()


def action_reminders_send(*, today: date | None = None) -> int:
    """Write today's weekly emails and overdue notes to the outbox; return how many were
    written. Call it outside a transaction: each email commits with its claim."""
    today = today or timezone.localdate()
    written = 0
    for step in (_digests, _overdue_notes):
        try:
            written += step(today)
        except Exception:
            # One kind failing must not stop the other; the next run tries again.
            logger.exception("Could not write the action reminders (%s)", step.__name__)
    outbox_send_pending()
    return written


def _digests(today: date) -> int:
    if today.weekday() > 4:
        return 0
    horizon = add_working_days(today, DIGEST_WORKING_DAYS, HolidayCalendar.load())
    due = _open_actions().filter(current_due_on__lte=horizon, owner__isnull=False)
    owners = (
        User.objects.filter(digest_day=today.weekday(), is_active=True)
        .exclude(email="")
        .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
        .filter(pk__in=due.values("owner"))
        .order_by("pk")
    )
    written = 0
    for owner in owners:
        # Only councils the owner still belongs to: someone who left hears nothing of them.
        actions = list(
            due.filter(owner=owner, council__memberships__user=owner)
            .distinct()
            .order_by("current_due_on", "pk")
        )
        if not actions:
            continue
        with transaction.atomic():
            claimed = (
                User.objects.filter(pk=owner.pk)
                .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
                .update(digest_sent_on=today)
            )
            if claimed != 1:
                continue
            overdue = [a for a in actions if a.current_due_on < today]
            context = {
                "owner": owner,
                "overdue": [(a, _url(a)) for a in overdue],
                "due_soon": [(a, _url(a)) for a in actions if a.current_due_on >= today],
                "horizon": horizon,
                "days": DIGEST_WORKING_DAYS,
                "settings_url": settings.SITE_URL.rstrip("/") + "/account/reminders/",
            }
            outbox_add(
                to=[owner.email],
                subject=render_to_string("emails/action_digest_subject.txt", context).strip(),
                body=render_to_string("emails/action_digest_body.txt", context).rstrip("\n"),
            )
            written += 1
    return written


def _overdue_notes(today: date) -> int:
    """One note per council a day, listing the actions that became overdue since the last."""
    newly = (
        _open_actions()
        .filter(current_due_on__lt=today, current_due_on__gte=today - OVERDUE_WINDOW)
        .exclude(overdue_noted_for=F("current_due_on"))
        .order_by("council_id", "current_due_on", "pk")
    )
    by_council: dict[int, list[Action]] = defaultdict(list)
    for action in newly:
        by_council[action.council_id].append(action)
    written = 0
    for actions in by_council.values():
        council = actions[0].council
        with transaction.atomic():
            claimed = [a for a in actions if _claim_overdue(a)]
            if not claimed:
                continue
            to = council_officer_emails(council)
            if not to:
                continue  # no officer to tell: the notes are spent, as sent ones would be
            outbox_add(to=to, **_overdue_email(council, claimed, today))
            written += 1
    return written


def _claim_overdue(action: Action) -> bool:
    return (
        Action.objects.filter(pk=action.pk, current_due_on=action.current_due_on)
        .exclude(overdue_noted_for=action.current_due_on)
        .update(overdue_noted_for=action.current_due_on)
        == 1
    )


def _overdue_email(council: Council, actions: list[Action], today: date) -> dict:
    context = {
        "council": council,
        "actions": [(a, _url(a)) for a in actions],
        "count": len(actions),
        "today": today,
    }
    return {
        "subject": render_to_string("emails/action_overdue_subject.txt", context).strip(),
        "body": render_to_string("emails/action_overdue_body.txt", context).rstrip("\n"),
    }
