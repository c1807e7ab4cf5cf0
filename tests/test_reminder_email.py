"""The reminder email, word for word: due soon, due today and missed, by day and by month.

The wording comes from templates/emails/milestone_reminder_*.txt; these tests pin it to what
officers have always received, and check that a council's name is not HTML-escaped in it.
"""

from datetime import date

import pytest
import time_machine
from django.core import mail

from inspections.models import DeadlineRule
from inspections.services import reminders_send

from .helpers import record

pytestmark = pytest.mark.django_db

FOOTER = (
    "When it has happened, record the date on the inspection's timeline:\n"
    "http://127.0.0.1:8000/councils/{slug}/inspections/{pk}/\n\n"
    "You receive this email as an improvement officer of {council} on the Ofsted improvement "
    "tracker."
)


@pytest.fixture(autouse=True)
def only_the_visit_falls_due(db):
    """The report's publication falls due the same day as the action planning visit, 30 working
    days after publication: these stories follow the visit's reminders alone."""
    DeadlineRule.objects.filter(key="report_publication").update(active=False)


@pytest.fixture
def officer(alice):
    alice.email = "alice@example.org"
    alice.save()
    return alice


def send_on(day: date) -> list:
    with time_machine.travel(f"{day.isoformat()} 06:30 +0100", tick=False):
        reminders_send()
    return mail.outbox


def test_the_email_ten_working_days_before(scilly, officer, django_capture_on_commit_callbacks):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    [message] = send_on(date(2023, 9, 25))
    assert message.subject == (
        "Isles of Scilly: Action planning visit with Ofsted due in 10 working days"
    )
    assert message.body == (
        "Action planning visit with Ofsted is due in 10 working days (on Monday 9 October 2023)."
        "\n\n"
        "Inspection: Standard ILACS inspection, 11 to 13 July 2023\n"
        "Basis: 30 working days after publication on Fri 25 Aug 2023\n\n"
        + FOOTER.format(slug="isles-of-scilly", pk=inspection.pk, council="Isles of Scilly")
    )
    assert message.to == ["alice@example.org"]


def test_the_email_one_working_day_before(scilly, officer, django_capture_on_commit_callbacks):
    record(scilly, django_capture_on_commit_callbacks)
    [message] = send_on(date(2023, 10, 6))  # Friday, before Monday 9 October
    assert message.subject == (
        "Isles of Scilly: Action planning visit with Ofsted due in 1 working day"
    )
    assert message.body.startswith(
        "Action planning visit with Ofsted is due in 1 working day (on Monday 9 October 2023).\n\n"
    )


def test_the_email_on_the_day(scilly, officer, django_capture_on_commit_callbacks):
    record(scilly, django_capture_on_commit_callbacks)
    [message] = send_on(date(2023, 10, 9))
    assert message.subject == "Isles of Scilly: Action planning visit with Ofsted due today"
    assert message.body.startswith(
        "Action planning visit with Ofsted is due today (on Monday 9 October 2023).\n\n"
    )


def test_the_email_when_a_milestone_is_missed(scilly, officer, django_capture_on_commit_callbacks):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    [message] = send_on(date(2023, 10, 10))
    assert message.subject == "Isles of Scilly: Action planning visit with Ofsted is overdue"
    assert message.body == (
        "Action planning visit with Ofsted was due on Monday 9 October 2023 and is not recorded "
        "as done.\n\n"
        "Inspection: Standard ILACS inspection, 11 to 13 July 2023\n"
        "Basis: 30 working days after publication on Fri 25 Aug 2023\n\n"
        + FOOTER.format(slug="isles-of-scilly", pk=inspection.pk, council="Isles of Scilly")
    )


def test_the_email_of_a_monthly_milestone_missed(
    scilly, officer, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    messages = [m for m in send_on(date(2024, 3, 1)) if "First monitoring" in m.subject]
    assert [m.subject for m in messages] == ["Isles of Scilly: First monitoring visit is overdue"]
    assert messages[0].body == (
        "First monitoring visit was due in February 2024 and is not recorded as done.\n\n"
        "Inspection: Standard ILACS inspection, 11 to 13 July 2023\n"
        "Basis: 6 calendar months after publication on Fri 25 Aug 2023; Ofsted fixes the month, "
        "not the day\n\n"
        + FOOTER.format(slug="isles-of-scilly", pk=inspection.pk, council="Isles of Scilly")
    )


def test_a_council_name_is_written_as_it_is(officer, django_capture_on_commit_callbacks):
    from .factories import CouncilFactory, MembershipFactory

    council = CouncilFactory(name="Brighton & Hove's <Council>", slug="brighton", dfe_code="846")
    MembershipFactory(user=officer, council=council, role="officer")
    record(council, django_capture_on_commit_callbacks)
    [message] = send_on(date(2023, 9, 25))
    assert message.subject.startswith("Brighton & Hove's <Council>: Action planning visit")
    assert message.body.endswith(
        "an improvement officer of Brighton & Hove's <Council> on the Ofsted improvement tracker."
    )
