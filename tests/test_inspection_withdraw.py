"""Withdrawing an inspection recorded in error, and restoring it from the admin."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections.models import Inspection, Milestone
from inspections.services import (
    inspection_withdraw,
    inspections_restore,
    milestones_recompute,
    withdrawal_impact,
)

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import SPLIT_GRADES, record, two_plans

pytestmark = pytest.mark.django_db

REASON = "Recorded twice: the July 2023 inspection is already on the record"


@pytest.fixture
def twice(scilly, deadline_rules, frameworks, django_capture_on_commit_callbacks):
    """Isles of Scilly's 2023 inspection, and one of March 2024 recorded in error."""
    right = record(scilly, django_capture_on_commit_callbacks)
    wrong = record(
        scilly,
        django_capture_on_commit_callbacks,
        lead_inspector="Recorded in error",
        start_date=date(2024, 3, 4),
        end_date=date(2024, 3, 6),
        published_on=date(2024, 4, 19),
    )
    RecommendationFactory(inspection=wrong, text="A recommendation typed in twice.")
    return {"right": right, "wrong": wrong}


def url(inspection):
    return reverse("inspection_withdraw", args=[inspection.council.slug, inspection.pk])


# The service --------------------------------------------------------------------------------


def test_withdrawing_takes_the_inspection_off_the_record_and_says_why(twice, alice):
    wrong = twice["wrong"]
    inspection_withdraw(inspection=wrong, user=alice, reason=f"  {REASON} ")
    assert not Inspection.objects.filter(pk=wrong.pk).exists()
    withdrawn = Inspection.all_objects.get(pk=wrong.pk)
    assert (withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == (alice, REASON)
    assert withdrawn.withdrawn_at is not None
    latest = withdrawn.history.first()
    assert latest.history_user == alice
    assert latest.history_change_reason == f"Withdrawn as recorded in error: {REASON}"
    assert not Milestone.objects.current().filter(inspection=wrong).exists()
    assert Milestone.objects.current().filter(inspection=twice["right"]).exists()


def test_withdrawing_twice_is_refused_and_changes_nothing(twice, alice, dina):
    inspection_withdraw(inspection=twice["wrong"], user=alice, reason=REASON)
    with pytest.raises(ValidationError, match="already withdrawn by Alice"):
        inspection_withdraw(inspection=twice["wrong"], user=dina, reason="Again")
    withdrawn = Inspection.all_objects.get(pk=twice["wrong"].pk)
    assert withdrawn.withdrawn_by == alice and withdrawn.history.count() == 2


def test_a_reason_is_required(twice, alice):
    with pytest.raises(ValidationError) as error:
        inspection_withdraw(inspection=twice["wrong"], user=alice, reason="   ")
    assert error.value.message_dict == {"reason": ["Enter why the inspection is being withdrawn"]}
    assert Inspection.objects.filter(pk=twice["wrong"].pk).exists()


def test_an_inspection_whose_plan_holds_actions_is_not_withdrawn(twice, alice):
    ActionFactory(recommendation=twice["wrong"].recommendations.get())
    assert withdrawal_impact(twice["wrong"]).actions == 1
    with pytest.raises(ValidationError, match="plan holds 1 action"):
        inspection_withdraw(inspection=twice["wrong"], user=alice, reason=REASON)
    assert Inspection.objects.filter(pk=twice["wrong"].pk).exists()


def test_an_inspection_with_actions_carried_in_is_not_withdrawn(scilly, alice):
    from actions.carry import CarryDecision, actions_carry_over

    plans = two_plans(scilly, alice)
    moved = plans["open"][1]
    actions_carry_over(
        inspection=plans["newer"],
        decisions=[CarryDecision(moved.pk, moved.version, "carry")],
        user=alice,
    )
    with pytest.raises(ValidationError, match="1 action was carried into this inspection"):
        inspection_withdraw(inspection=plans["newer"], user=alice, reason=REASON)


def test_an_inspection_with_visits_in_its_cycle_is_not_withdrawn(twice, alice):
    InspectionFactory(
        council=twice["wrong"].council,
        kind="monitoring_visit",
        cycle=twice["wrong"],
        start_date=date(2024, 9, 10),
        end_date=date(2024, 9, 11),
        published_on=None,
    )
    with pytest.raises(ValidationError, match="1 visit is recorded in this inspection's cycle"):
        inspection_withdraw(inspection=twice["wrong"], user=alice, reason=REASON)


def test_restoring_puts_it_back_and_recomputes_its_milestones(
    twice, alice, helen, django_capture_on_commit_callbacks
):
    wrong = twice["wrong"]
    inspection_withdraw(inspection=wrong, user=alice, reason=REASON)
    Milestone._base_manager.filter(inspection=wrong, source="computed").delete()
    with django_capture_on_commit_callbacks(execute=True):
        restored = inspections_restore(inspections=[wrong, twice["right"]], user=helen)
    assert restored == [wrong]
    wrong = Inspection.objects.get(pk=wrong.pk)
    assert (wrong.withdrawn_at, wrong.withdrawn_by, wrong.withdrawal_reason) == (None, None, "")
    assert wrong.history.first().history_user == helen
    assert wrong.milestones.filter(key="action_plan").exists()


# The page -----------------------------------------------------------------------------------


def test_the_confirmation_page_says_what_leaves_the_pages(client, alice, twice):
    client.force_login(alice)
    html = client.get(url(twice["wrong"])).content.decode()
    milestones = twice["wrong"].milestones.count()
    assert "its 5 grades" in html
    assert "its 1 recommendation<" in html
    assert f"its {milestones} milestones on the timeline" in html
    assert 'name="reason"' in html
    page = client.get(twice["wrong"].get_absolute_url()).content.decode()
    assert url(twice["wrong"]) in page


def test_an_officer_withdraws_it_and_it_leaves_every_page(client, alice, helen, twice):
    wrong = twice["wrong"]
    pages = {
        # Each page, with what shows the March 2024 inspection on it while it is on the record.
        reverse("council_detail", args=["isles-of-scilly"]): "4 to 6 March 2024",
        reverse("dashboard", args=["isles-of-scilly"]): "4 to 6 March 2024",
        reverse("pack_page", args=["isles-of-scilly"]): f'value="{wrong.pk}"',
        reverse("overview"): 'datetime="2024-03-04"',
    }
    client.force_login(helen)
    for page, shown in pages.items():
        assert shown in client.get(page).content.decode(), page
    client.force_login(alice)
    response = client.post(url(wrong), {"reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == wrong.council.get_absolute_url()
    html = response.content.decode()
    assert "withdrawn: it no longer appears anywhere" in html
    assert wrong.get_absolute_url() not in html
    assert twice["right"].get_absolute_url() in html
    assert client.get(wrong.get_absolute_url()).status_code == 404
    action_plan = reverse("action_plan", args=["isles-of-scilly", wrong.pk])
    assert client.get(action_plan).status_code == 404
    client.force_login(helen)
    for page, shown in pages.items():
        assert shown not in client.get(page).content.decode(), page


def test_a_second_post_from_the_back_button_says_so_and_changes_nothing(client, alice, twice):
    client.force_login(alice)
    client.post(url(twice["wrong"]), {"reason": REASON})
    response = client.post(url(twice["wrong"]), {"reason": "Again"}, follow=True)
    assert response.status_code == 200
    assert "This inspection was already withdrawn by Alice on" in response.content.decode()
    assert Inspection.all_objects.get(pk=twice["wrong"].pk).withdrawal_reason == REASON


def test_a_missing_reason_shows_the_error_summary(client, alice, twice):
    client.force_login(alice)
    response = client.post(url(twice["wrong"]), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter why the inspection is being withdrawn" in html
    assert Inspection.objects.filter(pk=twice["wrong"].pk).exists()


def test_a_refused_withdrawal_explains_why_and_offers_no_form(client, alice, twice):
    ActionFactory(recommendation=twice["wrong"].recommendations.get())
    client.force_login(alice)
    html = client.get(url(twice["wrong"])).content.decode()
    assert "This inspection cannot be withdrawn" in html and 'name="reason"' not in html
    response = client.post(url(twice["wrong"]), {"reason": REASON})
    assert "plan holds 1 action" in response.content.decode()
    assert Inspection.objects.filter(pk=twice["wrong"].pk).exists()


def test_read_only_roles_and_other_councils_are_refused(client, bob, sam, charlie, twice):
    for person, status in ((bob, 403), (sam, 403), (charlie, 404)):
        client.force_login(person)
        assert client.get(url(twice["wrong"])).status_code == status
        assert client.post(url(twice["wrong"]), {"reason": REASON}).status_code == status
    assert Inspection.objects.filter(pk=twice["wrong"].pk).exists()


# The admin ----------------------------------------------------------------------------------


def test_a_platform_admin_finds_and_restores_a_withdrawn_inspection(
    client, alice, helen, twice, django_capture_on_commit_callbacks
):
    inspection_withdraw(inspection=twice["wrong"], user=alice, reason=REASON)
    client.force_login(helen)
    listing = client.get("/admin/inspections/inspection/?withdrawn=yes").content.decode()
    assert f"/admin/inspections/inspection/{twice['wrong'].pk}/change/" in listing
    assert f"/admin/inspections/inspection/{twice['right'].pk}/change/" not in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/inspections/inspection/",
            {"action": "restore", "_selected_action": [twice["wrong"].pk]},
            follow=True,
        )
    assert "1 inspection restored" in response.content.decode()
    restored = Inspection.objects.get(pk=twice["wrong"].pk)
    assert restored.history.first().history_user == helen


def test_the_split_grades_fixture_is_what_the_counts_assume():
    assert len(SPLIT_GRADES) == 5


def test_recompute_of_a_withdrawn_inspection_does_nothing(twice, alice):
    inspection_withdraw(inspection=twice["wrong"], user=alice, reason=REASON)
    assert milestones_recompute(inspection_id=twice["wrong"].pk) == []


def test_a_long_reason_is_kept_whole_in_the_record_and_its_history(client, alice, twice):
    wrong = twice["wrong"]
    reason = (
        "Recorded twice: the import of the March 2024 report made a second copy after the "
        "officer had typed it in by hand, so this one goes. " * 3
    ).strip()
    client.force_login(alice)
    response = client.post(url(wrong), {"reason": reason})
    assert response.status_code == 302
    withdrawn = Inspection.all_objects.get(pk=wrong.pk)
    assert withdrawn.withdrawal_reason == reason
    assert withdrawn.history.first().history_change_reason.endswith(reason)
