"""A real Celery worker on the local Redis: milestones, reminders and a killed worker.

These start worker processes against the test database, so the tests are transactional: the
worker sees only committed data. A transactional test's flush removes the rows the migrations
seed, so the frameworks and deadline rules are seeded again for each.
"""

from datetime import date, timedelta
from email import message_from_bytes

import pytest
from django.db import transaction
from django.utils import timezone

from inspections.holidays import HolidayCalendar
from inspections.models import Inspection, Milestone
from inspections.services import inspection_save, inspection_set_judgements, milestone_add_agreed
from inspections.tasks import send_reminders
from inspections.workdays import add_working_days
from scripts.kill_worker import (
    celery_worker,
    delete_scratch_council,
    kill_and_restart,
    queue_drained,
    wait_for,
)

from .helpers import SPLIT_GRADES

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


def emails_in(directory) -> list:
    """Messages the worker's file-based email backend wrote, one or more per file."""
    messages = []
    for path in sorted(directory.glob("*.log")) if directory.exists() else []:
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages


def test_saving_an_inspection_produces_its_milestones_through_the_worker(broker, scilly, tmp_path):
    with transaction.atomic():
        inspection = inspection_save(
            inspection=Inspection(
                council=scilly,
                kind="standard_ilacs",
                start_date=date(2023, 7, 11),
                end_date=date(2023, 7, 13),
                published_on=date(2023, 8, 25),
            )
        )
        inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    # Committed and queued, but nothing runs in this process: no worker, no milestones.
    assert not inspection.milestones.exists()
    assert not queue_drained(broker)

    with celery_worker(broker, tmp_path / "worker.log"):

        def four_milestones():
            return inspection.milestones.count() == 4

        wait_for(four_milestones, timeout=60)
        wait_for(lambda: queue_drained(broker), timeout=60)
    assert list(inspection.milestones.values_list("key", "due_on")) == [
        ("action_planning_visit", date(2023, 10, 9)),
        ("report_publication", date(2023, 10, 9)),
        ("action_plan", date(2023, 12, 4)),
        ("first_monitoring_visit", date(2024, 2, 25)),
    ]
    assert "inspections.recompute_milestones" in (tmp_path / "worker.log").read_text()


def test_running_the_reminder_job_twice_sends_each_email_once(broker, scilly, alice, tmp_path):
    alice.email = "alice@example.org"
    alice.save()
    today = timezone.localdate()
    calendar = HolidayCalendar.load()
    inspection = Inspection.objects.create(
        council=scilly,
        kind="monitoring_visit",
        start_date=today - timedelta(days=60),
        end_date=today - timedelta(days=59),
    )
    for due_on in (
        add_working_days(today, 10, calendar),  # the 10-day reminder
        add_working_days(today, 2, calendar),  # the 3-day reminder
        today - timedelta(days=1),  # missed yesterday
    ):
        milestone_add_agreed(inspection=inspection, key="monitoring_visit", due_on=due_on)
    # Agreed a month ago, so the one missed yesterday was missed on the council's watch.
    Milestone.objects.update(created_at=timezone.now() - timedelta(days=30))
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
        wait_for(lambda: len(emails_in(mail_dir)) >= 3, timeout=30)
    messages = emails_in(mail_dir)
    assert sorted(m["Subject"] for m in messages) == [
        "Isles of Scilly: Monitoring visit due in 10 working days",
        "Isles of Scilly: Monitoring visit due in 2 working days",
        "Isles of Scilly: Monitoring visit is overdue",
    ]
    assert {m["To"] for m in messages} == {"alice@example.org"}
    log = (tmp_path / "worker.log").read_text()
    assert log.count("inspections.send_reminders") >= 2
    assert not Milestone.objects.filter(
        reminded_10_at__isnull=True, reminded_3_at__isnull=True, reminded_missed_at__isnull=True
    ).exists()


def test_a_worker_killed_mid_recomputation_leaves_the_milestones_right_once_restarted(
    broker, tmp_path
):
    try:
        outcome = kill_and_restart(redis_url=broker, log_dir=tmp_path, count=300, say=print)
    finally:
        delete_scratch_council()
    assert outcome["killed_mid_way"], outcome
    assert outcome["torn_at_kill"] == 0
    assert outcome["wrong_inspections"] == 0
    assert outcome["duplicates"] == 0
    assert outcome["written_after_restart"] == outcome["expected"]


def test_running_the_action_reminder_job_twice_sends_each_email_once(
    broker, scilly, alice, tmp_path
):
    from actions.tasks import send_reminders as send_action_reminders

    from .factories import ActionFactory, InspectionFactory, RecommendationFactory

    today = timezone.localdate()
    alice.email = "alice@example.org"
    alice.digest_day = today.weekday() if today.weekday() < 5 else None
    alice.save()
    recommendation = RecommendationFactory(inspection=InspectionFactory(council=scilly))
    ActionFactory(
        recommendation=recommendation,
        title="Newly overdue audit",
        owner=alice,
        due_on=today - timedelta(days=1),
    )
    mail_dir = tmp_path / "mail"
    with celery_worker(
        broker,
        tmp_path / "worker.log",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    ):
        send_action_reminders.delay()
        send_action_reminders.delay()
        wait_for(lambda: queue_drained(broker), timeout=60)
        expected = 2 if alice.digest_day is not None else 1
        wait_for(lambda: len(emails_in(mail_dir)) >= expected, timeout=30)
    # A long subject is folded over two header lines.
    subjects = sorted(" ".join(m["Subject"].split()) for m in emails_in(mail_dir))
    weekly = ["Your improvement actions: 1 overdue"]
    assert subjects == [
        "Isles of Scilly: 1 improvement action became overdue",
        *(weekly if alice.digest_day is not None else []),
    ]
    assert (tmp_path / "worker.log").read_text().count("actions.send_reminders") >= 2
