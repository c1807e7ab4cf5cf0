"""Action services: validation, version claims, append-only progress and history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Rag, Status
from actions.services import (
    ActionConflict,
    BulkAssignment,
    action_add_progress,
    action_close,
    action_create,
    action_update,
    actions_bulk_assign,
)

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(scilly):
    return RecommendationFactory(inspection=InspectionFactory(council=scilly))


@pytest.fixture
def action(recommendation):
    return ActionFactory(recommendation=recommendation)


def new_action(recommendation, **overrides):
    values = {
        "recommendation": recommendation,
        "title": "Audit strategy discussions",
        "owner_name": "Morwenna Tregarthen",
        "due_on": date(2024, 3, 31),
        "success_criterion": "90% rated good",
    }
    return Action(**values | overrides)


@time_machine.travel(date(2024, 2, 1))
def test_creating_an_action_takes_the_council_of_its_recommendation(recommendation, alice):
    action = action_create(action=new_action(recommendation), user=alice)
    assert action.council == recommendation.inspection.council
    assert action.current_due_on == date(2024, 3, 31)
    assert (action.version, action.status, action.rag) == (1, Status.NOT_STARTED, Rag.GREEN)
    record = action.history.get()
    assert record.history_type == "+"
    assert record.history_user == alice


def test_creating_an_action_without_a_success_criterion_is_refused(recommendation, alice):
    with pytest.raises(ValidationError) as error:
        action_create(action=new_action(recommendation, success_criterion=""), user=alice)
    assert "success_criterion" in error.value.message_dict
    assert not Action.objects.exists()


def test_an_update_claims_the_version_and_records_who_changed_what(action, alice):
    action_update(
        action=action, expected_version=1, user=alice, changes={"title": "Audit every month"}
    )
    action.refresh_from_db()
    assert (action.title, action.version) == ("Audit every month", 2)
    latest, first = action.history.all()[:2]
    assert latest.history_user == alice
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "title"] == [
        ("title", first.title, "Audit every month")
    ]


def test_an_update_from_a_stale_version_is_refused_and_changes_nothing(action, alice, dina):
    action_update(action=action, expected_version=1, user=dina, changes={"title": "Dina's"})
    stale = Action.objects.get(pk=action.pk)
    with pytest.raises(ActionConflict):
        action_update(action=stale, expected_version=1, user=alice, changes={"title": "Alice's"})
    action.refresh_from_db()
    assert (action.title, action.version) == ("Dina's", 2)
    assert action.history.count() == 2


def test_a_revised_due_date_needs_a_reason_and_keeps_the_original(recommendation, alice):
    action = ActionFactory(recommendation=recommendation, due_on=date(2024, 3, 31))
    with pytest.raises(ValidationError) as error:
        action_update(
            action=action,
            expected_version=1,
            user=alice,
            changes={"revised_due_on": date(2024, 6, 30)},
        )
    assert error.value.message_dict["revision_reason"] == [
        "Enter the reason the due date was revised"
    ]
    action.refresh_from_db()
    assert (action.version, action.revised_due_on) == (1, None)

    action_update(
        action=action,
        expected_version=1,
        user=alice,
        changes={"revised_due_on": date(2024, 6, 30), "revision_reason": "Audit tool delayed"},
    )
    action.refresh_from_db()
    assert action.due_on == date(2024, 3, 31)
    assert action.current_due_on == date(2024, 6, 30)


def test_an_edit_cannot_change_status_which_belongs_to_progress_updates(action, alice):
    with pytest.raises(ValueError):
        action_update(action=action, expected_version=1, user=alice, changes={"status": "blocked"})


def test_a_progress_update_sets_status_rag_and_percent(action, alice):
    update = action_add_progress(
        action=action,
        expected_version=1,
        user=alice,
        narrative="  First audit done.  ",
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        percent_complete=30,
    )
    action.refresh_from_db()
    assert update.narrative == "First audit done."
    assert (action.status, action.rag, action.percent_complete) == ("in_progress", "amber", 30)
    assert action.version == 2
    assert action.history.first().history_user == alice


def _update(action, user, version, narrative="Second audit done.", at=None, **fields):
    values = {"status": Status.IN_PROGRESS, "rag": Rag.GREEN, "percent_complete": 40} | fields
    return action_add_progress(
        action=Action.objects.get(pk=action.pk),
        expected_version=version,
        user=user,
        narrative=narrative,
        at=at,
        **values,
    )


def test_the_same_update_sent_again_soon_after_is_refused_and_changes_nothing(action, alice):
    _update(action, alice, 1)
    with pytest.raises(ValidationError, match="has not been added a second time"):
        _update(action, alice, 2)
    assert ProgressUpdate.objects.filter(action=action).count() == 1
    assert Action.objects.get(pk=action.pk).version == 2


@pytest.mark.parametrize(
    "change",
    [
        {"narrative": "Third audit done."},
        {"rag": Rag.AMBER},
        {"percent_complete": 45},
        {"later": timedelta(minutes=31)},
        {"by": "dina"},
    ],
)
def test_a_different_update_or_the_same_one_later_or_from_someone_else_is_added(
    action, alice, dina, change
):
    first = _update(action, alice, 1)
    user = dina if change.pop("by", None) else alice
    later = change.pop("later", None)
    at = first.created_at + later if later else None
    _update(action, user, 2, at=at, **change)
    assert ProgressUpdate.objects.filter(action=action).count() == 2


@pytest.mark.parametrize(
    ("status", "rag", "percent", "field"),
    [
        (Status.IN_PROGRESS, Rag.BLUE, 50, "rag"),
        (Status.COMPLETE, Rag.GREEN, 100, "rag"),
        (Status.COMPLETE, Rag.BLUE, 80, "percent_complete"),
        (Status.IN_PROGRESS, Rag.GREEN, 101, "percent_complete"),
    ],
)
def test_a_contradictory_progress_update_is_refused(action, alice, status, rag, percent, field):
    with pytest.raises(ValidationError) as error:
        action_add_progress(
            action=action,
            expected_version=1,
            user=alice,
            narrative="Done",
            status=status,
            rag=rag,
            percent_complete=percent,
        )
    assert field in error.value.message_dict
    action.refresh_from_db()
    assert action.version == 1
    assert not ProgressUpdate.objects.exists()


def test_a_progress_update_cannot_complete_an_action_without_evidence(action, alice):
    with pytest.raises(ValidationError) as error:
        action_add_progress(
            action=action,
            expected_version=1,
            user=alice,
            narrative="All done",
            status=Status.COMPLETE,
            rag=Rag.BLUE,
            percent_complete=100,
        )
    assert "evidence_of_impact" in error.value.message_dict
    assert not ProgressUpdate.objects.exists()
    assert Action.objects.get().version == 1


def test_closing_an_action_records_the_evidence_and_a_final_entry(action, alice):
    action_close(
        action=action,
        expected_version=1,
        user=alice,
        evidence_of_impact="Audit in May: 92% good or better.",
        narrative="Closed after the May audit.",
    )
    action.refresh_from_db()
    assert (action.status, action.rag, action.percent_complete) == ("complete", "blue", 100)
    assert action.closed_on is not None
    assert action.updates.get().narrative == "Closed after the May audit."


def test_the_database_refuses_blue_for_an_open_action(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(rag=Rag.BLUE)


def test_bulk_assignment_sets_owner_and_revised_date_on_every_selected_action(
    scilly, recommendation, alice
):
    first, second = ActionFactory.create_batch(
        2, recommendation=recommendation, due_on=date(2024, 3, 31)
    )
    actions_bulk_assign(
        council=scilly,
        versions={first.pk: 1, second.pk: 1},
        user=alice,
        assignment=BulkAssignment(
            owner_name="Joel Penrose",
            revised_due_on=date(2024, 9, 30),
            revision_reason="New audit cycle",
        ),
    )
    for action in (first, second):
        action.refresh_from_db()
        assert (action.owner_name, action.current_due_on, action.version) == (
            "Joel Penrose",
            date(2024, 9, 30),
            2,
        )


def test_bulk_assignment_is_all_or_nothing_when_one_action_is_stale(scilly, recommendation, alice):
    first, second = ActionFactory.create_batch(2, recommendation=recommendation)
    action_update(action=second, expected_version=1, user=alice, changes={"lead": "Someone"})
    with pytest.raises(ActionConflict) as conflict:
        actions_bulk_assign(
            council=scilly,
            versions={first.pk: 1, second.pk: 1},
            user=alice,
            assignment=BulkAssignment(owner_name="Joel Penrose"),
        )
    assert conflict.value.action_ids == [second.pk]
    first.refresh_from_db()
    assert (first.owner_name, first.version) == ("Morwenna Tregarthen", 1)


def test_bulk_assignment_ignores_another_councils_actions(scilly, nottingham, alice):
    theirs = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(council=nottingham))
    )
    with pytest.raises(ValidationError):
        actions_bulk_assign(
            council=scilly,
            versions={theirs.pk: 1},
            user=alice,
            assignment=BulkAssignment(owner_name="Alice"),
        )
    theirs.refresh_from_db()
    assert theirs.version == 1


def test_removing_a_recommendation_with_actions_is_refused_with_a_message(action, alice):
    with pytest.raises(ValidationError) as error:
        action.recommendation.delete()
    assert error.value.messages == [
        f"Recommendation {action.recommendation.position} has improvement actions, so it "
        "cannot be removed: close its actions instead"
    ]


def test_an_officer_removing_a_recommendation_with_actions_sees_why_and_nothing_changes(
    client, action, alice
):
    inspection = action.recommendation.inspection
    client.force_login(alice)
    response = client.post(
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/recommendations/",
        {"rec-TOTAL_FORMS": "1", "rec-INITIAL_FORMS": "0", "rec-0-text": "Something else."},
    )
    assert response.status_code == 200
    assert "has improvement actions, so it cannot be removed" in response.content.decode()
    assert list(inspection.recommendations.all()) == [action.recommendation]


def test_a_save_after_a_backdated_one_on_the_same_object_is_dated_now(action, alice):
    long_ago = timezone.now() - timedelta(days=400)
    action_add_progress(
        action=action,
        expected_version=1,
        user=alice,
        narrative="Loaded from the old plan.",
        status="in_progress",
        rag="red",
        percent_complete=10,
        at=long_ago,
    )
    action_add_progress(
        action=action,
        expected_version=2,
        user=alice,
        narrative="This week's update.",
        status="in_progress",
        rag="amber",
        percent_complete=20,
    )
    latest = action.history.order_by("-history_date").first()
    assert latest.rag == "amber"
    assert latest.history_date > timezone.now() - timedelta(minutes=5)
