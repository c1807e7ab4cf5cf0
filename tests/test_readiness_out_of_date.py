"""The readiness page warns when the council's latest signed-off self-evaluation is more than
12 months old, or when none has been signed off, saying how old it is."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from readiness import services
from readiness.models import SelfEvaluation
from readiness.selectors import months_between

from .helpers import readiness_world

pytestmark = pytest.mark.django_db

URL = "/councils/isles-of-scilly/readiness/"
WARNING = "govuk-warning-text"


@pytest.fixture
def signed_on_15_may_2024(scilly, alice, bob):
    evaluation = readiness_world(scilly, director=alice, lead_member=bob)["self_evaluation"]
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice)
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=bob)
    SelfEvaluation.objects.update(signed_off_at=timezone.make_aware(datetime(2024, 5, 15, 12)))
    return evaluation


def test_with_none_signed_off_it_says_so(client, alice, scilly, bob):
    readiness_world(scilly, director=alice, lead_member=bob)  # a draft only
    client.force_login(alice)
    html = client.get(URL).text
    assert WARNING in html
    assert "No self-evaluation has been signed off: it is refreshed every year" in html


@pytest.mark.parametrize(
    ("today", "warned"),
    [(date(2025, 4, 14), False), (date(2025, 5, 15), False), (date(2025, 5, 16), True)],
)
def test_it_warns_once_the_latest_is_more_than_12_months_old(
    client, alice, signed_on_15_may_2024, today, warned
):
    client.force_login(alice)
    with time_machine.travel(datetime(today.year, today.month, today.day, 12), tick=False):
        html = client.get(URL).text
    assert (WARNING in html) is warned


def test_the_warning_says_how_old_it_is(client, bob, signed_on_15_may_2024):
    client.force_login(bob)  # every role reads it
    with time_machine.travel(datetime(2025, 7, 1, 12), tick=False):
        html = client.get(URL).text
    assert (
        "The latest signed-off self-evaluation, for 2024, is 13 months old: it was signed off "
        "on 15 May 2024." in html
    )


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 5, 15), date(2025, 5, 14), 11),
        (date(2024, 5, 15), date(2025, 5, 15), 12),
        (date(2024, 1, 31), date(2024, 2, 29), 0),
        (date(2024, 1, 31), date(2024, 3, 31), 2),
    ],
)
def test_months_between_counts_whole_calendar_months(start, end, months):
    assert months_between(start, end) == months
