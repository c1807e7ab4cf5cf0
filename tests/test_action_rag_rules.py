"""The glossary's RAG rule (overdue means Red unless the due date is revised) and the checks on
an action's dates, in the forms, the services and the daily task."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.models import Action, Rag, Status
from actions.services import (
    action_add_progress,
    action_close,
    action_update,
    actions_mark_overdue_red,
)
from actions.tasks import send_reminders

from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

OVERDUE_MESSAGE = (
    "This action was due on 31 March 2024, so it is overdue and Red: choose Red, or first "
    "revise its due date, with the reason, on its edit page"
)


def date_fields(name, day, month, year):
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


@pytest.fixture
def inspection(scilly):
    # Fieldwork began on 11 July 2023 (the factory's date).
    return InspectionFactory(council=scilly)


@pytest.fixture
def recommendation(inspection):
    return RecommendationFactory(inspection=inspection, position=1)


@pytest.fixture
def late(recommendation):
    """Due on 31 March 2024 and saved Green: as an action looked before the rule."""
    return ActionFactory(
        recommendation=recommendation, title="Audit strategy discussions", due_on=date(2024, 3, 31)
    )


def url(action, suffix=""):
    return f"/councils/{action.council.slug}/actions/{action.pk}/{suffix}"


def progress_post(action, **overrides):
    return {
        "narrative": "Audits resumed.",
        "status": "in_progress",
        "rag": "green",
        "percent_complete": "30",
        "version": action.version,
    } | overrides


def edit_post(action, **overrides):
    return {
        "recommendation": action.recommendation_id,
        "title": action.title,
        "description": action.description,
        "success_criterion": action.success_criterion,
        "owner_name": action.owner_name,
        "owner": "",
        "lead": action.lead,
        "revision_reason": action.revision_reason,
        "evidence_of_impact": "",
        "version": action.version,
    } | overrides


# The progress form


def test_the_progress_form_warns_that_an_overdue_action_is_red(client, alice, late):
    client.force_login(alice)
    html = client.get(url(late)).content.decode()
    assert "govuk-warning-text" in html
    assert "This action was due on 31 March 2024, so it is overdue and Red." in html
    assert f'href="{url(late, "edit/")}"' in html


def test_an_action_on_time_has_no_warning(client, alice, recommendation):
    action = ActionFactory(recommendation=recommendation)
    client.force_login(alice)
    assert "so it is overdue and Red" not in client.get(url(action)).content.decode()


@pytest.mark.parametrize("rag", ["green", "amber"])
def test_an_overdue_action_cannot_be_rated_other_than_red(client, alice, late, rag):
    client.force_login(alice)
    response = client.post(url(late, "progress/"), progress_post(late, rag=rag))
    assert response.status_code == 200
    html = response.content.decode()
    assert OVERDUE_MESSAGE in html
    assert "govuk-error-summary" in html
    late.refresh_from_db()
    assert (late.version, late.updates.count()) == (1, 0)


def test_an_overdue_action_rated_red_or_completed_is_saved(client, alice, late):
    client.force_login(alice)
    response = client.post(url(late, "progress/"), progress_post(late, rag="red"))
    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.rag, late.updates.count()) == (Rag.RED, 1)
    action_close(
        action=late,
        expected_version=late.version,
        user=alice,
        evidence_of_impact="Audits done.",
        narrative="Done, late.",
    )
    late.refresh_from_db()
    assert (late.status, late.rag) == (Status.COMPLETE, Rag.BLUE)


def test_the_service_refuses_green_for_an_overdue_action_whatever_calls_it(late, alice):
    with pytest.raises(ValidationError) as error:
        action_add_progress(
            action=late,
            expected_version=1,
            user=alice,
            narrative="All fine.",
            status=Status.IN_PROGRESS,
            rag=Rag.GREEN,
            percent_complete=50,
        )
    assert error.value.message_dict["rag"] == [OVERDUE_MESSAGE]
    # Backdated to a day before it was due, as when a plan's past is loaded, it was on time.
    action_add_progress(
        action=late,
        expected_version=1,
        user=alice,
        narrative="On track in March.",
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        percent_complete=50,
        at=timezone.make_aware(timezone.datetime(2024, 3, 1, 12)),
    )


def test_a_revised_date_lets_an_overdue_action_be_green_again(client, alice, late):
    client.force_login(alice)
    later = timezone.localdate() + timedelta(days=60)
    response = client.post(
        url(late, "edit/"),
        edit_post(late, revision_reason="Auditor off sick")
        | date_fields("revised_due_on", later.day, later.month, later.year),
    )
    assert response.status_code == 302
    late.refresh_from_db()
    response = client.post(url(late, "progress/"), progress_post(late, rag="green"))
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.rag == Rag.GREEN


# The daily task


def test_the_daily_task_rates_overdue_actions_red_once_with_a_reason(recommendation, late):
    on_time = ActionFactory(recommendation=recommendation, title="On time")
    done = ActionFactory(
        recommendation=recommendation,
        title="Done",
        due_on=date(2024, 1, 31),
        status="complete",
        rag="blue",
        percent_complete=100,
        evidence_of_impact="Done.",
    )
    assert actions_mark_overdue_red() == 1
    late.refresh_from_db()
    assert (late.rag, late.version) == (Rag.RED, 2)
    record = late.history.latest()
    assert record.history_change_reason == "Overdue since 31 March 2024, so Red"
    assert record.history_user is None
    for untouched in (on_time, done):
        assert Action.objects.get(pk=untouched.pk).version == 1
    # A second run finds nothing to do.
    assert actions_mark_overdue_red() == 0
    assert late.history.count() == 2  # made, then rated Red


def test_the_daily_task_runs_the_rule_before_the_reminders(late):
    send_reminders.apply()
    late.refresh_from_db()
    assert late.rag == Rag.RED


def test_an_action_created_past_its_due_date_is_red(client, alice, inspection, recommendation):
    client.force_login(alice)
    response = client.post(
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/new/",
        {
            "recommendation": recommendation.pk,
            "title": "Run monthly audits",
            "success_criterion": "90% rated good",
            "owner_name": "Morwenna Tregarthen",
        }
        | date_fields("due_on", "31", "3", "2024"),
        follow=True,
    )
    action = Action.objects.get()
    assert action.rag == Rag.RED
    assert "Action added: its due date has passed, so it is Red" in response.content.decode()


def test_taking_away_a_revised_date_makes_a_late_action_red(recommendation, alice):
    action = ActionFactory(
        recommendation=recommendation,
        due_on=date(2024, 3, 31),
        revised_due_on=timezone.localdate() + timedelta(days=30),
        revision_reason="Delayed",
    )
    assert action.rag == Rag.GREEN
    action_update(
        action=action,
        expected_version=1,
        user=alice,
        changes={"revised_due_on": None, "revision_reason": ""},
    )
    action.refresh_from_db()
    assert action.rag == Rag.RED
    assert action.history.latest().history_change_reason == "Edited; overdue, so Red"


# Dates


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("30", "6", "2023"), "The due date must be on or after 11 July 2023, when the inspection"),
        (("1", "1", "2019"), "The due date must be on or after 11 July 2023, when the inspection"),
    ],
)
def test_a_new_action_due_before_its_inspection_is_refused(
    client, alice, inspection, recommendation, day, message
):
    client.force_login(alice)
    response = client.post(
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/new/",
        {
            "recommendation": recommendation.pk,
            "title": "Run monthly audits",
            "success_criterion": "90% rated good",
            "owner_name": "Morwenna Tregarthen",
        }
        | date_fields("due_on", *day),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Action.objects.exists()


@time_machine.travel(date(2024, 5, 1), tick=False)
@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("30", "4", "2024"), "The revised due date must be today or in the future"),
        (("30", "6", "2024"), "The revised due date is the original due date, 30 June 2024"),
    ],
)
def test_a_revised_date_in_the_past_or_the_same_as_the_original_is_refused(
    client, alice, recommendation, day, message
):
    action = ActionFactory(recommendation=recommendation, due_on=date(2024, 6, 30))
    client.force_login(alice)
    response = client.post(
        url(action, "edit/"),
        edit_post(action, revision_reason="Delayed") | date_fields("revised_due_on", *day),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    action.refresh_from_db()
    assert (action.revised_due_on, action.version) == (None, 1)


def test_a_revised_date_set_earlier_stays_when_the_action_is_edited(client, alice, recommendation):
    action = ActionFactory(
        recommendation=recommendation,
        due_on=date(2024, 3, 31),
        revised_due_on=date(2024, 6, 30),
        revision_reason="Delayed",
    )
    client.force_login(alice)
    response = client.post(
        url(action, "edit/"),
        edit_post(action, title="Audit every discussion")
        | date_fields("revised_due_on", "30", "6", "2024"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Audit every discussion"


def test_a_revised_date_before_the_inspection_is_refused_by_the_model(recommendation):
    action = ActionFactory(recommendation=recommendation, due_on=date(2024, 3, 31))
    action.revised_due_on, action.revision_reason = date(2023, 1, 1), "Typo"
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert error.value.message_dict["revised_due_on"] == [
        "The revised due date must be on or after 11 July 2023, when the inspection began"
    ]


@time_machine.travel(date(2024, 5, 1), tick=False)
def test_the_bulk_form_refuses_a_new_date_in_the_past(client, alice, recommendation):
    action = ActionFactory(recommendation=recommendation, due_on=date(2024, 3, 31))
    client.force_login(alice)
    response = client.post(
        "/councils/isles-of-scilly/actions/assign/",
        {
            "actions": [action.pk],
            f"version-{action.pk}": action.version,
            "owner_name": "",
            "owner": "",
            "revision_reason": "New audit cycle",
            "query": "",
        }
        | date_fields("revised_due_on", "1", "4", "2024"),
    )
    assert "The new due date must be today or in the future" in response.content.decode()
    action.refresh_from_db()
    assert (action.revised_due_on, action.version) == (None, 1)


@time_machine.travel(date(2024, 5, 1), tick=False)
def test_a_refused_revised_date_has_one_message_not_two(client, alice, recommendation):
    action = ActionFactory(recommendation=recommendation, due_on=date(2024, 3, 31))
    client.force_login(alice)
    response = client.post(
        url(action, "edit/"),
        edit_post(action, revision_reason="Delayed")
        | date_fields("revised_due_on", "1", "4", "2024"),
    )
    html = response.content.decode()
    assert "The revised due date must be today or in the future" in html
    # The model's complaint that the date is missing would contradict it.
    assert "Enter the revised due date, or remove the reason" not in html
