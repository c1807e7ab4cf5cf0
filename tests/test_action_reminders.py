"""Owners hear weekly about their actions due soon or overdue; officers hear when one becomes
overdue; each once, and each person chooses the day of their weekly email or turns it off."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from actions.models import Action
from actions.reminders import action_reminders_send
from councils.models import Membership

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

# Monday 4 March 2024; 10 working days later is Monday 18 March.
MONDAY = date(2024, 3, 4)


def run_on(day: date) -> int:
    with time_machine.travel(f"{day.isoformat()} 06:40 +0000", tick=False):
        mail.outbox.clear()
        return action_reminders_send()


@pytest.fixture
def owned(scilly, alice, bob):
    """Alice owns four actions; bob (lead member) only reads."""
    for user in (alice, bob):
        user.email = f"{user.username}@example.org"
        user.save()
    alice.first_name = "Alice"
    alice.save()
    recommendation = RecommendationFactory(inspection=InspectionFactory(council=scilly))
    values = {"recommendation": recommendation, "owner": alice, "owner_name": "Alice"}
    return {
        "overdue": ActionFactory(title="Overdue audit", due_on=date(2024, 2, 1), **values),
        "soon": ActionFactory(title="Supervision policy", due_on=date(2024, 3, 15), **values),
        "later": ActionFactory(title="Training plan", due_on=date(2024, 6, 28), **values),
        "done": ActionFactory(
            title="Finished",
            due_on=date(2024, 3, 8),
            status="complete",
            rag="blue",
            percent_complete=100,
            evidence_of_impact="Audit",
            **values,
        ),
    }


def test_an_owner_gets_one_weekly_email_of_their_actions_overdue_and_due_soon(owned, alice):
    assert run_on(MONDAY) == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == (
        "Your improvement actions: 1 overdue, 1 due in the next 10 working days"
    )
    assert "Overdue audit (Isles of Scilly), was due Thursday 1 February 2024" in message.body
    assert "Due by Monday 18 March 2024 (1):" in message.body
    assert "Supervision policy (Isles of Scilly), due Friday 15 March 2024" in message.body
    assert f"http://127.0.0.1:8000/councils/isles-of-scilly/actions/{owned['soon'].pk}/" in (
        message.body
    )
    assert "Training plan" not in message.body
    assert "Finished" not in message.body
    assert "http://127.0.0.1:8000/account/reminders/" in message.body
    # Once a week: the same day again, and the days after, send nothing more.
    assert run_on(MONDAY) == 0
    assert run_on(date(2024, 3, 5)) == 0
    assert run_on(date(2024, 3, 11)) == 1


def test_the_email_goes_on_the_chosen_day_or_not_at_all(owned, alice):
    alice.digest_day = 2  # Wednesday
    alice.save()
    assert run_on(MONDAY) == 0
    assert run_on(date(2024, 3, 6)) == 1
    alice.digest_day = None
    alice.save()
    assert run_on(date(2024, 3, 13)) == 0


def test_an_owner_who_left_the_council_hears_nothing_of_it(owned, alice, scilly):
    Membership.objects.filter(user=alice, council=scilly).delete()
    assert run_on(MONDAY) == 0
    assert mail.outbox == []


def test_officers_hear_once_when_an_action_becomes_overdue(owned, alice, scilly):
    alice.digest_day = None
    alice.save()
    # Due Friday 15 March: overdue from Saturday; the Monday run tells the officers.
    assert run_on(date(2024, 3, 18)) == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]  # the council's officers; not bob, who reads
    assert message.subject == "Isles of Scilly: 1 improvement action became overdue"
    assert "Supervision policy, owned by Alice, was due Friday 15 March 2024" in message.body
    assert "Overdue audit" not in message.body  # overdue for more than a week: old news
    assert run_on(date(2024, 3, 18)) == 0
    assert run_on(date(2024, 3, 19)) == 0
    # A revised date that slips again is a new deadline missed.
    Action.objects.filter(pk=owned["soon"].pk).update(
        revised_due_on=date(2024, 3, 20), current_due_on=date(2024, 3, 20)
    )
    assert run_on(date(2024, 3, 21)) == 1
    assert "was due Wednesday 20 March 2024" in mail.outbox[0].body


def test_the_settings_page_sets_the_day_or_turns_the_email_off(client, alice):
    client.force_login(alice)
    page = client.get("/account/reminders/").content.decode()
    assert 'name="digest_day" type="radio" value="0" checked>' in page
    response = client.post("/account/reminders/", {"digest_day": "off"}, follow=True)
    assert "You will get no weekly email of your actions" in response.content.decode()
    alice.refresh_from_db()
    assert alice.digest_day is None
    client.post("/account/reminders/", {"digest_day": "3"})
    alice.refresh_from_db()
    assert alice.digest_day == 3
    response = client.post("/account/reminders/", {"digest_day": "6"})
    assert "Select the day of your weekly email, or never" in response.content.decode()
    alice.refresh_from_db()
    assert alice.digest_day == 3
