"""Query counts of the actions pages are pinned, and stay the same with ten times the data."""

import pytest

from actions.services import action_update
from councils.models import StatisticalNeighbour

from .factories import (
    ActionFactory,
    CouncilFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)
from .measure_helpers import add_measure

pytestmark = pytest.mark.django_db

# Every page starts with: the user, the council with the person's role at it (one query). The
# session comes from the cache (SESSION_ENGINE cached_db), written there at sign-in.
SIGNED_IN_COUNCIL_PAGE = 2


def build(council, user, scale):
    """Three recommendations, 4 x scale actions, each edited and updated `scale` times."""
    inspection = InspectionFactory(council=council)
    recommendations = [RecommendationFactory(inspection=inspection) for _ in range(3)]
    actions = []
    for i in range(4 * scale):
        action = ActionFactory(
            recommendation=recommendations[i % 3], owner=user, owner_name=f"Owner {i % 5}"
        )
        for n in range(scale):
            ProgressUpdateFactory(action=action, author=user)
            action_update(
                action=action, expected_version=n + 1, user=user, changes={"lead": f"Lead {n}"}
            )
        actions.append(action)
    return inspection, actions


@pytest.mark.parametrize("scale", [1, 10])
def test_the_actions_list_makes_seven_queries_whatever_the_number_of_actions(
    client, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(alice)
    # + the owners for the owner filter, the recommendations for its filter, the count for
    # the paginator, the people for the bulk form's owner list, the page of actions with their
    # recommendation, inspection and latest update.
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + 5):
        response = client.get("/councils/isles-of-scilly/actions/?sort=rag")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(25, 4 * scale)


@pytest.mark.parametrize("scale", [1, 10])
def test_an_htmx_filter_makes_the_same_queries_as_the_page(
    client, alice, scilly, scale, django_assert_num_queries
):
    build(scilly, alice, scale)
    client.force_login(alice)
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + 5):
        client.get("/councils/isles-of-scilly/actions/?owner=Owner+1", headers={"HX-Request": "1"})


@pytest.mark.parametrize("scale", [1, 10])
def test_the_action_page_makes_ten_queries_whatever_its_history(
    client, alice, scilly, scale, django_assert_num_queries
):
    _, actions = build(scilly, alice, scale)
    url = actions[0].get_absolute_url()
    client.force_login(alice)
    # + the action with its recommendation, inspection and owner; its history with who made
    # each change; the owners, recommendations and plans named in the history; its progress
    # updates with their authors; its evidence files, and their history.
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + 8):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["history"]) == scale + 1


@pytest.mark.parametrize("scale", [1, 10])
def test_the_action_plan_makes_ten_queries_whatever_the_number_of_actions_and_measures(
    client, bob, scilly, scale, django_assert_num_queries
):
    inspection, _ = build(scilly, bob, scale)
    StatisticalNeighbour.objects.create(council=scilly, neighbour=CouncilFactory(), rank=1)
    recommendations = list(inspection.recommendations.all())
    for n in range(2 * scale):
        measure = add_measure(
            scilly, f"Measure {n}", [30, 28, 26] * scale, england=[22] * 3, neighbours=[[25] * 3]
        )
        measure.recommendations.add(*recommendations[: 1 + n % 3])
    client.force_login(bob)
    # + the inspection, its recommendations, their actions, whether a later inspection
    # superseded it; the recommendations' impact measures: the links with their measures, the
    # measures' values, the council's neighbours and the published values (measures/series.py).
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + 4 + 4):
        response = client.get(f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/")
    assert response.context["counts"]["total"] == 4 * scale
    assert response.content.decode().count('href="/councils/isles-of-scilly/measures/') == (
        sum(1 + n % 3 for n in range(2 * scale))
    )


def test_the_action_plan_without_measures_makes_one_query_for_them(
    client, bob, scilly, django_assert_num_queries
):
    inspection, _ = build(scilly, bob, 1)
    client.force_login(bob)
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + 4 + 1):
        response = client.get(f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/")
    assert "Impact measures" not in response.content.decode()
