"""Officers are reminded 10 and 3 working days before a milestone and when it is missed, once."""

import threading
from datetime import date
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection

from councils.models import OutboundEmail, Role, User
from inspections.models import BankHolidayChange, DeadlineRule, Milestone
from inspections.services import milestone_record_done, reminders_send
from inspections.tasks import daily_deadlines

from .factories import MembershipFactory, UserFactory
from .helpers import record

# Isles of Scilly 2023: the action planning visit is due Monday 9 October 2023.
VISIT_DUE = date(2023, 10, 9)


@pytest.fixture(autouse=True)
def only_the_visit_falls_due(db):
    """The report's publication falls due the same day as the action planning visit, 30 working
    days after publication: these stories follow the visit's reminders alone."""
    DeadlineRule.objects.filter(key="report_publication").update(active=False)


@pytest.fixture
def officers(alice, bob, sam, dina, charlie):
    """Everyone has an email address; only alice is an officer of Isles of Scilly."""
    for user in (alice, bob, sam, dina, charlie):
        user.email = f"{user.username}@example.org"
        user.save()
    return alice


@pytest.fixture
def scilly_2023(scilly, officers, django_capture_on_commit_callbacks):
    return record(scilly, django_capture_on_commit_callbacks)


def run_on(day: date) -> int:
    with time_machine.travel(f"{day.isoformat()} 06:30 +0100", tick=False):
        return reminders_send()


def subjects():
    return [message.subject for message in mail.outbox]


@pytest.mark.django_db
def test_officers_hear_ten_working_days_before_a_milestone_once(scilly_2023):
    assert run_on(date(2023, 9, 22)) == 0  # 11 working days before
    assert run_on(date(2023, 9, 25)) == 1
    assert run_on(date(2023, 9, 25)) == 0
    assert run_on(date(2023, 9, 26)) == 0
    assert subjects() == [
        "Isles of Scilly: Action planning visit with Ofsted due in 10 working days"
    ]
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "is due in 10 working days (on Monday 9 October 2023)" in message.body
    assert "30 working days after publication on Fri 25 Aug 2023" in message.body
    assert f"http://127.0.0.1:8000/councils/isles-of-scilly/inspections/{scilly_2023.pk}/" in (
        message.body
    )


@pytest.mark.django_db
def test_officers_hear_three_working_days_before_and_on_the_day_it_is_missed(scilly_2023):
    for day in (date(2023, 9, 25), date(2023, 10, 3), date(2023, 10, 4), date(2023, 10, 9)):
        run_on(day)
    run_on(date(2023, 10, 10))
    run_on(date(2023, 10, 10))
    run_on(date(2023, 10, 11))
    assert subjects() == [
        "Isles of Scilly: Action planning visit with Ofsted due in 10 working days",
        "Isles of Scilly: Action planning visit with Ofsted due in 3 working days",
        "Isles of Scilly: Action planning visit with Ofsted is overdue",
    ]
    stamps = Milestone.objects.get(key="action_planning_visit")
    assert stamps.reminded_10_at and stamps.reminded_3_at and stamps.reminded_missed_at


@pytest.mark.django_db
def test_a_milestone_recorded_as_done_sends_no_more_reminders(scilly_2023):
    run_on(date(2023, 9, 25))
    with time_machine.travel("2023-10-02 12:00 +0100", tick=False):
        milestone_record_done(
            milestone=Milestone.objects.get(key="action_planning_visit"), done_on=date(2023, 10, 2)
        )
    for day in (date(2023, 10, 4), date(2023, 10, 10)):
        run_on(day)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_only_the_councils_active_officers_are_emailed(scilly_2023, scilly):
    MembershipFactory(
        user=UserFactory(username="olive", email="olive@example.org"),
        council=scilly,
        role=Role.OFFICER,
    )
    MembershipFactory(
        user=UserFactory(username="left", email="left@example.org", is_active=False),
        council=scilly,
        role=Role.OFFICER,
    )
    run_on(date(2023, 9, 25))
    assert mail.outbox[0].to == ["alice@example.org", "olive@example.org"]


@pytest.mark.django_db
def test_a_council_without_officers_sends_nothing_and_does_not_try_again(scilly_2023):
    User.objects.filter(username="alice").update(email="")
    assert run_on(date(2023, 9, 25)) == 0
    User.objects.filter(username="alice").update(email="alice@example.org")
    assert run_on(date(2023, 9, 26)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_milestone_missed_long_ago_sends_nothing(scilly_2023):
    # The first run after deployment must not email about every old deadline.
    assert run_on(date(2024, 6, 3)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_monthly_milestone_is_due_by_the_end_of_its_month(scilly_2023):
    # The first monitoring visit is due in February 2024: by Thursday 29 February.
    run_on(date(2024, 2, 15))
    run_on(date(2024, 2, 26))
    run_on(date(2024, 3, 1))
    visit = [s for s in subjects() if "First monitoring visit" in s]
    assert visit == [
        "Isles of Scilly: First monitoring visit due in 10 working days",
        "Isles of Scilly: First monitoring visit due in 3 working days",
        "Isles of Scilly: First monitoring visit is overdue",
    ]
    assert "is due in 10 working days (in February 2024)" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_failed_send_is_tried_again_on_the_next_run(scilly_2023):
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("smtp down")
    ):
        assert run_on(date(2023, 9, 25)) == 1
    assert subjects() == []
    # The reminder is claimed with its email written to the outbox, where the email waits.
    assert Milestone.objects.get(key="action_planning_visit").reminded_10_at is not None
    email = OutboundEmail.objects.get()
    assert (email.sent_at, email.attempts, email.last_error) == (
        None,
        1,
        "ConnectionRefusedError: smtp down",
    )
    assert run_on(date(2023, 9, 26)) == 0
    assert run_on(date(2023, 9, 27)) == 0
    assert subjects() == [
        "Isles of Scilly: Action planning visit with Ofsted due in 10 working days"
    ]


@pytest.mark.django_db
def test_the_daily_job_recomputes_the_dates_before_it_reminds(scilly_2023):
    # With the August bank holiday taken out, the visit is due Friday 6 October: on Friday 22
    # September that is 10 working days away, where the old date was 11.
    BankHolidayChange.objects.create(day=date(2023, 8, 28), name="Summer", action="remove")
    with time_machine.travel("2023-09-22 06:30 +0100", tick=False):
        assert daily_deadlines.delay().get() == 1
    assert Milestone.objects.get(key="action_planning_visit").due_on == date(2023, 10, 6)
    assert subjects() == [
        "Isles of Scilly: Action planning visit with Ofsted due in 10 working days"
    ]
    assert "(on Friday 6 October 2023)" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_two_jobs_running_at_once_send_each_reminder_once(
    frameworks, deadline_rules, scilly, officers, django_capture_on_commit_callbacks
):
    # The transactional fixtures seed the rules again, after the autouse fixture ran.
    DeadlineRule.objects.filter(key="report_publication").update(active=False)
    record(scilly, django_capture_on_commit_callbacks)
    start = threading.Barrier(4)
    results = []

    def job():
        try:
            start.wait(timeout=10)
            results.append(reminders_send())
        finally:
            connection.close()

    with time_machine.travel("2023-09-25 06:30 +0100", tick=False):
        threads = [threading.Thread(target=job) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(results) == [0, 0, 0, 1]
    assert len(mail.outbox) == 1
