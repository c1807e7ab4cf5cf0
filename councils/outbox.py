"""The outbox: an email is written in the transaction that decides it goes, and sent after.

outbox_add() writes the email in the caller's transaction and queues a send for when it
commits. outbox_send_pending() sends what is due outside any transaction, so that a mail server
that is slow or silent (each step waits at most EMAIL_TIMEOUT) holds no row lock. Each email is
claimed by a conditional UPDATE before it goes and marked sent by another, so it goes once
however many senders run at once. A failed send is tried again later, waiting longer each time,
up to MAX_ATTEMPTS; the beat's job every few minutes and the daily deadlines job send whatever
is due, so an email whose send could not be queued still goes.
"""

import logging
import smtplib
import socket
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# Tried at most this many times: after 5, 10, 20, 40 and 60 minutes' waits, about three hours.
MAX_ATTEMPTS = 6
FIRST_WAIT = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=1)
# Errors that say the mail server cannot be reached at all: the rest of the batch waits too.
SERVER_UNREACHABLE = (
    TimeoutError,
    ConnectionError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)


def outbox_add(*, to: Iterable[str], subject: str, body: str) -> OutboundEmail:
    """Write an email to send once the current transaction commits; it goes with the change."""
    email = OutboundEmail.objects.create(to=list(to), subject=subject, body=body)
    transaction.on_commit(_enqueue_send)
    return email


def _enqueue_send() -> None:
    from .tasks import send_emails

    try:
        send_emails.delay()
    except BrokerError:
        logger.exception("Could not queue the sending of emails; the next beat sends them")


def _claim_for() -> timedelta:
    """How long a sender keeps others off an email: longer than an SMTP exchange can last."""
    return timedelta(seconds=10 * (settings.EMAIL_TIMEOUT or 60) + 30)


def outbox_send_pending(*, limit: int = 200) -> int:
    """Send the emails that are due, each once; return how many went.

    Call it outside any transaction: each email is claimed, sent and marked in steps that commit
    on their own, so no lock is held while the mail server is talked to.
    """
    due = (
        OutboundEmail.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due[:limit]):
        try:
            sent += _send_once(pk)
        except SERVER_UNREACHABLE:
            break  # the others would wait as long for the same answer: the next run sends them
    return sent


def _send_once(pk: int) -> bool:
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + _claim_for())
    if not claimed:
        return False  # another sender has it, or has sent it
    email = OutboundEmail.objects.get(pk=pk)
    try:
        EmailMessage(subject=email.subject, body=email.body, to=email.to).send()
    except Exception as exc:
        wait = min(FIRST_WAIT * 2 ** (email.attempts - 1), LONGEST_WAIT)
        OutboundEmail.objects.filter(pk=pk, sent_at__isnull=True).update(
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
            next_attempt_at=timezone.now() + wait,
        )
        final = email.attempts >= MAX_ATTEMPTS
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "Could not send email %s (attempt %s of %s)%s",
            pk,
            email.attempts,
            MAX_ATTEMPTS,
            ": giving up" if final else "",
            exc_info=True,
        )
        if isinstance(exc, SERVER_UNREACHABLE):
            raise
        return False
    OutboundEmail.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True
