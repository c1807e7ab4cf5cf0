"""Carrying an old plan's open actions into the new one, or closing them: all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from actions.carry import (
    ActionConflict,
    CarryDecision,
    actions_carry_over,
    awaiting_decision,
)
from actions.models import Action
from actions.services import action_update

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import two_plans

pytestmark = pytest.mark.django_db

TODAY = date(2024, 1, 15)


@pytest.fixture
def plans(scilly, alice):
    return two_plans(scilly, alice)


def carry(action, **kw):
    return CarryDecision(action_id=action.pk, version=action.version, decision="carry", **kw)


def close(action, reason="Replaced by the 2023 plan's work on placements"):
    return CarryDecision(action.pk, action.version, "close", reason)


def test_the_new_plan_waits_on_the_old_plans_open_actions_only(plans):
    waiting = list(awaiting_decision(plans["newer"]))
    assert waiting == plans["open"]
    assert list(awaiting_decision(plans["older"])) == []


def test_carrying_moves_the_action_into_the_new_plan_and_keeps_its_history(plans, alice):
    action = Action.objects.get(pk=plans["open"][0].pk)
    result = actions_carry_over(
        inspection=plans["newer"], decisions=[carry(action)], user=alice, today=TODAY
    )
    action.refresh_from_db()
    assert result.carried == [action] and result.closed == []
    assert action.plan == plans["newer"]
    assert action.carried_from == plans["older"]
    assert action.carried_on == TODAY
    assert action.recommendation.inspection == plans["older"]
    assert (action.status, action.rag, action.percent_complete) == ("in_progress", "amber", 40)
    assert action.updates.get().narrative == "Six carers approved."
    latest, *earlier = action.history.all()
    assert latest.history_change_reason == f"Carried over to the plan of {plans['newer']}"
    assert latest.history_user == alice
    assert [h.history_change_reason for h in earlier] == ["Progress update", None]
    assert action in Action.objects.live_plan(plans["newer"].council)


def test_closing_ends_the_action_unfinished_with_its_reason(plans, alice):
    action = plans["open"][1]
    actions_carry_over(
        inspection=plans["newer"], decisions=[close(action)], user=alice, today=TODAY
    )
    action.refresh_from_db()
    assert action.ended_on == TODAY
    assert action.end_reason == "Replaced by the 2023 plan's work on placements"
    assert action.plan == plans["older"]
    assert action.status == "not_started"
    assert action.history.first().history_change_reason == "Closed when the plan was replaced"
    assert action not in Action.objects.open()
    assert action not in awaiting_decision(plans["newer"])


def test_decide_later_leaves_the_action_waiting(plans, alice):
    first, second = plans["open"][:2]
    later = CarryDecision(second.pk, second.version, "later")
    actions_carry_over(inspection=plans["newer"], decisions=[carry(first), later], user=alice)
    second.refresh_from_db()
    assert second.version == 1 and second.plan == plans["older"]
    assert list(awaiting_decision(plans["newer"])) == plans["open"][1:]


def test_nothing_chosen_is_refused(plans, alice):
    later = CarryDecision(plans["open"][0].pk, 1, "later")
    with pytest.raises(ValidationError, match="at least one action"):
        actions_carry_over(inspection=plans["newer"], decisions=[later], user=alice)


def test_closing_without_a_reason_is_refused_and_changes_nothing(plans, alice):
    first, second = plans["open"][1:3]
    with pytest.raises(ValidationError, match="Enter the reason"):
        actions_carry_over(
            inspection=plans["newer"], decisions=[carry(first), close(second, "  ")], user=alice
        )
    first.refresh_from_db()
    assert first.plan == plans["older"] and first.version == 1


def test_a_complete_action_is_refused_and_nothing_changes(plans, alice):
    first = plans["open"][1]
    with pytest.raises(ValidationError, match="already complete"):
        actions_carry_over(
            inspection=plans["newer"], decisions=[carry(first), carry(plans["done"])], user=alice
        )
    assert Action.objects.get(pk=first.pk).plan == plans["older"]


def test_an_action_carried_already_is_refused_the_second_time(plans, alice):
    action = Action.objects.get(pk=plans["open"][2].pk)
    actions_carry_over(inspection=plans["newer"], decisions=[carry(action)], user=alice)
    action.refresh_from_db()
    with pytest.raises(ValidationError, match="already in this plan"):
        actions_carry_over(inspection=plans["newer"], decisions=[carry(action)], user=alice)
    assert action.history.count() == 2


def test_an_action_closed_already_is_refused(plans, alice):
    action = plans["open"][3]
    actions_carry_over(inspection=plans["newer"], decisions=[close(action)], user=alice)
    action.refresh_from_db()
    with pytest.raises(ValidationError, match="already closed unfinished"):
        actions_carry_over(inspection=plans["newer"], decisions=[carry(action)], user=alice)


def test_an_action_changed_since_the_page_loaded_refuses_the_whole_submission(plans, alice, dina):
    first, second = plans["open"][1:3]
    action_update(action=second, expected_version=1, user=dina, changes={"title": "Renamed"})
    stale = CarryDecision(second.pk, 1, "carry")
    with pytest.raises(ActionConflict) as error:
        actions_carry_over(inspection=plans["newer"], decisions=[carry(first), stale], user=alice)
    assert error.value.action_ids == [second.pk]
    first.refresh_from_db()
    assert (first.plan, first.version) == (plans["older"], 1)


def test_another_councils_action_is_refused(plans, alice, nottingham):
    theirs = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=nottingham))
    )
    with pytest.raises(ValidationError, match="no longer exists"):
        actions_carry_over(inspection=plans["newer"], decisions=[carry(theirs)], user=alice)
    theirs.refresh_from_db()
    assert theirs.version == 1


def test_an_action_of_a_later_plan_is_not_carried_back(plans, alice):
    own = plans["newer"].plan_actions.get()
    with pytest.raises(ValidationError, match="does not replace"):
        actions_carry_over(inspection=plans["older"], decisions=[carry(own)], user=alice)


def test_a_visit_has_no_plan_to_carry_into(plans, alice, scilly):
    visit = InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2024, 2, 6),
        end_date=date(2024, 2, 7),
        published_on=None,
    )
    with pytest.raises(ValidationError, match="graded inspection"):
        actions_carry_over(inspection=visit, decisions=[carry(plans["open"][0])], user=alice)
