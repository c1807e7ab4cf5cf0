"""Query counts of the readiness pages stay the same with ten times the data."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councils.models import Role
from inspections.services import inspection_set_judgements
from readiness import services
from readiness.models import EngagementMeeting, SelfEvaluation

from .factories import (
    ActionFactory,
    InspectionFactory,
    MembershipFactory,
    RecommendationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def years_ahead():
    """Ten years of self-evaluations from 2023 are all in the past (or this year)."""
    with time_machine.travel("2034-06-01 09:00 +0000"):
        yield


pytestmark = pytest.mark.django_db


def build(council, director, lead_member, scale):
    """`scale` signed-off self-evaluations, each with `scale` evidence links, plan actions and
    edits, `scale` meetings and `scale` graded inspections after them."""
    action = ActionFactory(recommendation=RecommendationFactory(inspection__council=council))
    for n in range(scale):
        year = 2023 + n
        evaluation = services.self_evaluation_start(council=council, year=year)
        for edit in range(scale):
            services.self_evaluation_update(
                self_evaluation=evaluation,
                what_we_know=f"Known {edit}",
                how_we_know="How",
                plans="Plans",
                director=director,
                lead_member=lead_member,
            )
            services.self_evaluation_add_evidence(
                self_evaluation=evaluation, title="", action=action
            )
            services.plan_action_add(
                council=council,
                self_evaluation=evaluation,
                title=f"Action {edit}",
                owner_name="Owner",
                due_on=date(year + 1, 3, 31),
            )
        grades = {a.key: ("good", "Why") for a in evaluation.framework.areas.all()}
        services.self_evaluation_set_grades(self_evaluation=evaluation, grades=grades)
        services.self_evaluation_sign_off(self_evaluation=evaluation, user=director)
        services.self_evaluation_sign_off(self_evaluation=evaluation, user=lead_member)
        SelfEvaluation.objects.filter(pk=evaluation.pk).update(
            signed_off_at=timezone.make_aware(datetime(year, 6, 1))
        )
        services.engagement_meeting_save(
            meeting=EngagementMeeting(
                council=council, held_on=date(year, 5, 1), attendees="HMI", topics="Practice"
            )
        )
        inspection = InspectionFactory(
            council=council,
            start_date=date(year, 9, 4),
            end_date=date(year, 9, 15),
            published_on=date(year, 10, 27),
        )
        areas = inspection.framework.areas.all()
        grades = {a.key: "requires_improvement" for a in areas}
        inspection_set_judgements(inspection=inspection, grades=grades)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "page",
    ["readiness/", "readiness/how-well-we-know-ourselves/", "self-evaluations/2023/"],
)
def test_the_readiness_pages_ask_as_many_queries_with_ten_times_the_data(
    client, scilly, nottingham, alice, bob, charlie, page
):
    build(scilly, alice, bob, 1)
    # Nottingham: the same pages with ten times the rows.
    councillor = UserFactory(username="nadia")
    MembershipFactory(user=councillor, council=nottingham, role=Role.LEAD_MEMBER)
    build(nottingham, charlie, councillor, 10)
    client.force_login(alice)
    few = queries(client, f"/councils/isles-of-scilly/{page}")
    client.force_login(charlie)
    assert queries(client, f"/councils/nottingham/{page}") == few
