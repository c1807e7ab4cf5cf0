"""Query counts of the dashboard and the overview are pinned, and equal with ten times the data."""

from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from actions.services import action_add_progress
from councils.models import StatisticalNeighbour
from inspections.services import inspection_set_judgements, milestone_add_agreed
from outcomes.models import OutcomesLoad, PublishedOutcome
from readiness.models import EngagementMeeting, PlanAction

from .factories import (
    ActionFactory,
    CouncilFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)
from .helpers import SPLIT_GRADES
from .measure_helpers import add_measure, comparator_load

pytestmark = pytest.mark.django_db

URL = "/councils/isles-of-scilly/dashboard/"

# Every signed-in council page starts with: the user; the council with the person's role at it
# (for the dashboard, with the data versions that key its cache). The session comes from the
# cache (cached_db), where signing in put it.
SIGNED_IN_COUNCIL_PAGE = 2
# On a cache miss, the filters' choices: the council's inspections, its recommendations with their
# inspections; and the council's picture: the graded inspections and
# their judgements with areas (grade history), the council and its neighbours with their latest
# graded inspection, those inspections' judgements with areas, every published report of the
# national outcomes file and when it was loaded (issue 13), the intervention in force and the
# next board and scrutiny meetings (issue 18; a third query finds the intervention's next duty
# when one is in force). And the figures: the open
# milestones with their inspections, the bank holiday changes (working days left), counts by
# status and RAG, counts per recommendation, the exception list with latest narratives, the
# completed count, the newly overdue count, the RAG changes from the history; with the live plan,
# the open actions of superseded plans waiting to be carried over.
PICTURE = 10
FIGURES = 9
# The Impact section (issue: impact measures), whatever the filters: the council's measures with
# their indicators, their values, the council's statistical neighbours and the published values
# of the mapped indicators for England, the region, the council and its neighbours
# (measures/series.py); the same four with ten times the measures and values.
IMPACT = 4
# The self-evaluation plan's section (readiness app): its actions with their sources, in one query.
SELF_EVALUATION_PLAN = 1


def build(council, user, scale):
    """Two inspections and 4 x scale actions per recommendation, each updated scale times."""
    today = timezone.localdate()
    for year in (2019, 2023):
        inspection = InspectionFactory(
            council=council,
            start_date=timezone.datetime(year, 7, 11).date(),
            end_date=timezone.datetime(year, 7, 13).date(),
            published_on=timezone.datetime(year, 8, 25).date(),
        )
        inspection_set_judgements(
            inspection=inspection,
            grades=SPLIT_GRADES
            if year == 2023
            else {
                "leaders": "good",
                "help_and_protection": "good",
                "children_in_care_and_care_leavers": "good",
                "overall_effectiveness": "good",
            },
        )
        for n in range(scale):
            milestone_add_agreed(
                inspection=inspection,
                key="monitoring_visit",
                due_on=today + timedelta(days=30 + n),
            )
        for _ in range(3):
            recommendation = RecommendationFactory(inspection=inspection)
            for i in range(4 * scale):
                action = ActionFactory(
                    recommendation=recommendation, due_on=today + timedelta(days=i - 2 * scale)
                )
                for _ in range(scale):
                    ProgressUpdateFactory(action=action, author=user)
                action_add_progress(
                    action=action,
                    expected_version=1,
                    user=user,
                    narrative="Moved on",
                    status=["in_progress", "blocked"][i % 2],
                    # An overdue action is Red; the rest of every colour.
                    rag="red" if i < 2 * scale else ["red", "amber", "green"][i % 3],
                    percent_complete=40,
                )
    load = OutcomesLoad.objects.create(source="test", sha256="0" * 64, rows=0)
    for rank in range(1, 3 * scale + 1):
        neighbour = CouncilFactory()
        StatisticalNeighbour.objects.create(council=council, neighbour=neighbour, rank=rank)
        inspection_set_judgements(
            inspection=InspectionFactory(council=neighbour), grades=SPLIT_GRADES
        )
        # And reports in the national outcomes file, of the neighbour and of councils
        # that are no one's neighbour (issue 13).
        for other in (neighbour, CouncilFactory()):
            for year in (2019, 2024):
                PublishedOutcome.objects.create(
                    council=other,
                    load=load,
                    published_on=date(year, 3, 1),
                    is_latest=year == 2024,
                    overall_effectiveness="good",
                    overall_effectiveness_status="graded",
                )
    # 2 x scale impact measures, each with 4 x scale quarters of values and comparators from
    # England, the region and every neighbour.
    comparators = comparator_load()
    for n in range(2 * scale):
        periods = 4 * scale
        add_measure(
            council,
            f"Measure {n}",
            [30 - i * 0.5 for i in range(periods)],
            target=20 + n % 3 * 5,
            england=[22] * periods,
            region=[23] * periods,
            neighbours=[[25 - i * 0.1] * periods for i in range(3 * scale)],
            load=comparators,
        )
    # 3 x scale follow-up actions of an engagement meeting, one of each two overdue.
    meeting = EngagementMeeting.objects.create(
        council=council, held_on=today - timedelta(days=200), attendees="DCS", topics="Plans"
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            council=council,
            meeting=meeting,
            title=f"Follow-up {n}",
            owner_name="Head of service",
            due_on=today + timedelta(days=-30 if n % 2 else 30),
            rag="red" if n % 2 else "green",
        )
        for n in range(3 * scale)
    )


@pytest.mark.parametrize("scale", [1, 10])
def test_a_cold_dashboard_makes_twenty_six_queries_whatever_the_data(
    client, bob, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(bob)
    for each in caches.all():
        each.clear()
    client.force_login(bob)  # the session back in the cache
    with django_assert_num_queries(
        SIGNED_IN_COUNCIL_PAGE + PICTURE + FIGURES + IMPACT + SELF_EVALUATION_PLAN
    ):
        response = client.get(URL)
    # The live plan: the 2023 inspection's; the 2019 plan's actions wait to be carried over.
    assert response.context["figures"].summary.total == 3 * 4 * scale
    html = response.content.decode()
    assert f"of {2 * scale} measures off target" in html
    assert html.count('class="app-measure-chart"') == 2 * scale
    assert f"{3 * scale} actions of the self-evaluation plans" in html
    assert html.count(">Follow-up ") == 3 * scale


@pytest.mark.parametrize("scale", [1, 10])
def test_a_warm_dashboard_makes_two_queries_whatever_the_data(
    client, bob, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(bob)
    client.get(URL)
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE):
        response = client.get(URL)
    assert response.content.decode().count(">Neighbour ") == 3 * scale
    assert response.content.decode().count('class="app-measure-chart"') == 2 * scale


@pytest.mark.parametrize("scale", [1, 10])
def test_other_filters_reuse_the_rendered_impact_section(
    client, bob, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(bob)
    client.get(URL)
    recommendation = scilly.actions.first().recommendation_id
    # A full page for another choice of filters: its figures, and the choices and picture read
    # from the cache; the Impact section, rendered once, comes from the cache too.
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + FIGURES - 1):
        response = client.get(f"{URL}?recommendation={recommendation}")
    assert response.content.decode().count('class="app-measure-chart"') == 2 * scale


@pytest.mark.parametrize("scale", [1, 10])
def test_an_htmx_filter_makes_the_same_queries_as_the_page(
    client, bob, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(bob)
    client.get(URL)  # the picture is cached; the filtered figures are not yet
    recommendation = scilly.actions.first().recommendation_id
    # A recommendation's figures leave out the count of actions waiting to be carried over.
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + FIGURES - 1):
        client.get(f"{URL}?recommendation={recommendation}", headers={"HX-Request": "true"})


# The overview: the user; the regions for the filter; the count for the paginator; the page of
# councils with every figure as a subquery; the judgements of their latest graded inspections;
# their latest published reports, when the file was loaded and the day the April 2026 rule on
# focused visits starts (for the next inspection, issue 13).
OVERVIEW = 8


@pytest.mark.parametrize("scale", [1, 10])
def test_the_overview_makes_eight_queries_whatever_the_data(
    client, helen, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(helen)
    with django_assert_num_queries(OVERVIEW):
        response = client.get("/overview/?sort=-complete")
    assert len(response.context["councils"]) == min(25, 6 * scale + 1)
