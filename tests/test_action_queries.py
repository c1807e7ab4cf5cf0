"""Query counts of the actions pages are pinned, and stay the same with ten times the data."""

import pytest

from actions.services import action_update

from .factories import (
    ActionFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
)

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
def test_the_action_plan_makes_six_queries_whatever_the_number_of_actions(
    client, bob, scilly, scale, django_assert_num_queries
):
    inspection, _ = build(scilly, bob, scale)
    client.force_login(bob)
    # + the inspection, its recommendations, their actions, whether a later inspection
    # superseded it.
    with django_assert_num_queries(SIGNED_IN_COUNCIL_PAGE + 4):
        response = client.get(f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/")
    assert response.context["counts"]["total"] == 4 * scale
