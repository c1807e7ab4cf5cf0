"""Reminders as a council's next inspection window approaches: each goes once, through the
outbox, also when a real worker runs the job twice."""

from datetime import date, timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.utils import timezone

from councils.models import OutboundEmail
from inspections.services import inspection_set_judgements
from outcomes.selectors import next_inspection
from readiness.models import ReadinessReminder
from readiness.reminders import readiness_reminders_send, reminder_stage
from readiness.tasks import send_reminders
from scripts.kill_worker import celery_worker, queue_drained, wait_for

from .factories import InspectionFactory
from .helpers import SPLIT_GRADES

TODAY = date(2026, 12, 1)


def test_the_stages_of_a_window():
    opens = date(2027, 2, 1)
    assert reminder_stage(opens, opens - timedelta(days=91)) is None
    assert reminder_stage(opens, opens - timedelta(days=90)) == "approaching"
    assert reminder_stage(opens, opens) == "open"
    assert reminder_stage(opens, opens + timedelta(days=30)) == "open"
    assert reminder_stage(opens, opens + timedelta(days=31)) is None
    assert reminder_stage(None, opens) is None


def inspection_with_window_in(council, days: int, today: date):
    """An inadequate inspection of the council whose estimated next window opens about this
    many days after today."""
    start = date(2023, 7, 11)
    inspection = InspectionFactory(
        council=council, start_date=start, end_date=start + timedelta(days=2), published_on=None
    )
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    window = next_inspection(council, as_of=today).window_from
    if window is None:  # not published yet: estimate from a report published a month after
        inspection.published_on = start + timedelta(days=45)
        inspection.save()
        window = next_inspection(council, as_of=today).window_from
    shift = (window - today).days - days
    inspection.start_date = start - timedelta(days=shift)
    inspection.end_date = inspection.start_date + timedelta(days=2)
    inspection.published_on = inspection.start_date + timedelta(days=45)
    inspection.save()
    return next_inspection(council, as_of=today)


@pytest.mark.django_db
def test_running_it_twice_reminds_once(scilly, alice):
    alice.email = "alice@example.org"
    alice.save()
    estimate = inspection_with_window_in(scilly, 45, TODAY)
    assert 0 < (estimate.window_from - TODAY).days <= 90
    assert readiness_reminders_send(today=TODAY) == 1
    assert readiness_reminders_send(today=TODAY) == 0
    assert OutboundEmail.objects.count() == 1
    email = OutboundEmail.objects.get()
    assert email.to == ["alice@example.org"]
    assert email.subject.startswith(
        "Isles of Scilly: the likely window for the next inspection opens in"
    )
    assert "Self-evaluation: none signed off yet." in email.body
    assert "/councils/isles-of-scilly/readiness/" in email.body
    # When the window opens, the second reminder, once.
    opened = estimate.window_from + timedelta(days=1)
    assert readiness_reminders_send(today=opened) == 1
    assert readiness_reminders_send(today=opened) == 0
    assert sorted(ReadinessReminder.objects.values_list("stage", flat=True)) == [
        "approaching",
        "open",
    ]


@pytest.mark.django_db
def test_a_window_far_off_sends_nothing(scilly, alice):
    alice.email = "alice@example.org"
    alice.save()
    inspection_with_window_in(scilly, 200, TODAY)
    assert readiness_reminders_send(today=TODAY) == 0
    assert not mail.outbox and not ReadinessReminder.objects.exists()


def emails_in(directory) -> list:
    messages = []
    for path in sorted(directory.glob("*.log")) if directory.exists() else []:
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks", "deadline_rules")
def test_the_worker_running_the_job_twice_sends_one_email(broker, scilly, alice, tmp_path):
    alice.email = "alice@example.org"
    alice.save()
    today = timezone.localdate()
    inspection_with_window_in(scilly, 45, today)
    mail_dir = tmp_path / "mail"
    with celery_worker(
        broker,
        tmp_path / "worker.log",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    ):
        send_reminders.delay()
        send_reminders.delay()
        wait_for(lambda: queue_drained(broker), timeout=60)
        wait_for(lambda: len(emails_in(mail_dir)) >= 1, timeout=30)
        # Whatever a late send would add has had its chance.
        wait_for(lambda: queue_drained(broker), timeout=60)
    messages = emails_in(mail_dir)
    assert len(messages) == 1
    assert messages[0]["To"] == "alice@example.org"
    assert "the likely window for the next inspection opens in" in messages[0]["Subject"]
    assert (tmp_path / "worker.log").read_text().count("readiness.send_reminders") >= 2
    assert ReadinessReminder.objects.count() == 1
