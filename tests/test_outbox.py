"""Emails go through the outbox: written with the change that decides them, sent after it commits.

A mail server that never answers once held the lock of the milestone whose reminder was being
sent, so recording that milestone waited as long as the server did. The last test talks to a
real socket that accepts connections and never replies.
"""

import socket
import threading
import time
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from councils.models import OutboundEmail
from councils.outbox import MAX_ATTEMPTS, outbox_add, outbox_send_pending
from councils.tasks import send_emails
from inspections.models import DeadlineRule, Milestone
from inspections.services import reminders_send

from .helpers import date_fields, record


def add(n: int = 1) -> list[OutboundEmail]:
    return [
        outbox_add(to=["alice@example.org"], subject=f"Reminder {i}", body="Due soon.")
        for i in range(n)
    ]


@pytest.mark.django_db
def test_an_email_goes_once_however_often_the_outbox_is_sent():
    [email] = add()
    assert outbox_send_pending() == 1
    assert outbox_send_pending() == 0
    assert send_emails.delay().get() == 0
    assert [(m.subject, m.to) for m in mail.outbox] == [("Reminder 0", ["alice@example.org"])]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


@pytest.mark.django_db
def test_an_email_written_in_a_transaction_that_rolls_back_never_goes():
    with pytest.raises(RuntimeError), transaction.atomic():
        add()
        raise RuntimeError("the change failed")
    assert outbox_send_pending() == 0
    assert not OutboundEmail.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_the_send_is_queued_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add()
        assert mail.outbox == []  # nothing goes before the commit
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Reminder 0"]


@pytest.mark.django_db
def test_a_failed_send_waits_longer_each_time_and_stops_after_the_last_attempt():
    [email] = add()
    start = timezone.now()
    waits = []
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=ValueError("bad address")),
        time_machine.travel(start, tick=False) as clock,
    ):
        for _ in range(MAX_ATTEMPTS):
            assert outbox_send_pending() == 0
            email.refresh_from_db()
            waits.append(email.next_attempt_at - timezone.now())
            clock.move_to(email.next_attempt_at)
        assert outbox_send_pending() == 0  # given up: not tried a seventh time
    email.refresh_from_db()
    assert email.attempts == MAX_ATTEMPTS
    assert email.sent_at is None and email.last_error == "ValueError: bad address"
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes == [5, 10, 20, 40, 60, 60]


@pytest.mark.django_db
def test_a_server_that_cannot_be_reached_leaves_the_rest_for_the_next_run():
    add(3)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=TimeoutError("timed out")):
        assert outbox_send_pending() == 0
    assert sorted(OutboundEmail.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    # The two not tried go at once on the next run; the failed one after its wait.
    assert outbox_send_pending() == 2
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert outbox_send_pending() == 1
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_beat_and_the_daily_job_send_what_is_waiting():
    from django.conf import settings

    beat = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat["councils.send_emails"] <= timedelta(minutes=10)
    add()
    reminders_send()  # no reminder is due, but the waiting email goes
    assert [m.subject for m in mail.outbox] == ["Reminder 0"]


@pytest.fixture
def silent_mail_server():
    """A socket on 127.0.0.1 that accepts connections and never says a word."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    connected = threading.Event()
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(client)
            connected.set()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connected
    stop.set()
    thread.join(timeout=5)
    for client in accepted:
        client.close()
    server.close()


@pytest.mark.django_db(transaction=True)
def test_recording_a_milestone_while_the_mail_server_is_silent_is_prompt(
    frameworks,
    deadline_rules,
    scilly,
    alice,
    client,
    settings,
    silent_mail_server,
    django_capture_on_commit_callbacks,
):
    port, connected = silent_mail_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    alice.email = "alice@example.org"
    alice.save()
    # The report's publication falls due the same day: this story follows the visit's email.
    DeadlineRule.objects.filter(key="report_publication").update(active=False)
    inspection = record(scilly, django_capture_on_commit_callbacks)
    visit = inspection.milestones.get(key="action_planning_visit")  # due Monday 9 October 2023
    client.force_login(alice)
    errors = []

    def remind():
        try:
            reminders_send()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel("2023-09-25 06:30 +0100"):
        sender = threading.Thread(target=remind)
        sender.start()
        try:
            assert connected.wait(timeout=10), "the reminder never reached the mail server"
            # The sender waits on the silent server; the milestone's row is free.
            with transaction.atomic():
                Milestone.objects.select_for_update(nowait=True).get(pk=visit.pk)
            started = time.monotonic()
            response = client.post(
                f"/councils/{scilly.slug}/inspections/{inspection.pk}/milestones/record/",
                {"milestone": visit.pk} | date_fields("done_on", date(2023, 9, 22)),
            )
            took = time.monotonic() - started
            still_waiting = sender.is_alive()
        finally:
            sender.join(timeout=30)
    assert response.status_code == 302
    assert took < 1.0, f"recording the milestone took {took:.1f} s"
    assert still_waiting  # it was recorded while the email was still on its way
    assert errors == []
    visit.refresh_from_db()
    assert visit.done_on == date(2023, 9, 22) and visit.reminded_10_at is not None
    # The email stays in the outbox, to be tried again.
    email = OutboundEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1
    assert "timed out" in email.last_error
    assert email.subject == (
        "Isles of Scilly: Action planning visit with Ofsted due in 10 working days"
    )
