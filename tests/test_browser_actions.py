"""In real Chromium: an officer filters actions and updates progress in place; conflicts show."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from actions.models import Action, ProgressUpdate
from actions.services import action_add_progress, action_update

from .browser import assert_accessible, sign_in
from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the page fixture seeds the frameworks.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def plan(scilly):
    inspection = InspectionFactory(council=scilly)
    first = RecommendationFactory(inspection=inspection, position=1, text="Strategy discussions.")
    second = RecommendationFactory(inspection=inspection, position=2, text="Chronologies.")
    return {
        "inspection": inspection,
        "audit": ActionFactory(
            recommendation=first,
            title="Audit strategy discussions",
            owner_name="Ann Jenkins",
            due_on=date(2030, 3, 31),
        ),
        "chronology": ActionFactory(
            recommendation=second,
            title="Chronology in every record",
            owner_name="Ben Hicks",
            due_on=date(2030, 6, 30),
        ),
        "training": ActionFactory(
            recommendation=second,
            title="Train managers on chronologies",
            owner_name="Ann Jenkins",
            due_on=date(2024, 1, 31),
        ),
    }


def mark_page(page):
    """Set a marker that a full page load would wipe, to prove updates happen in place."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page):
    assert page.evaluate("window.__notReloaded === true")


def test_an_officer_filters_the_list_and_adds_a_progress_update_inline(page, alice, plan):
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/")
    page.get_by_role("link", name="Filter, update and download").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvement actions")
    expect(page.locator("#results tbody")).to_have_count(3)
    assert_accessible(page)
    mark_page(page)

    page.get_by_label("Owner", exact=True).select_option("Ann Jenkins")
    expect(page.locator("#results tbody")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/actions/\?.*owner=Ann(\+|%20)Jenkins"))
    expect(page.locator("#live-region")).to_have_text("2 actions found")
    page.get_by_label("Only overdue actions").check()
    expect(page.locator("#results tbody")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Train managers on chronologies")
    assert_not_reloaded(page)
    assert_accessible(page)

    # The filtered address is shareable: loading it afresh shows the same list.
    shared = page.url
    page.goto(shared)
    expect(page.locator("#results tbody")).to_have_count(1)
    mark_page(page)

    training = plan["training"]
    row = page.locator(f"#action-row-{training.pk}")
    row.get_by_role("link", name="Add update").click()
    expect(row.get_by_label("Progress update")).to_be_focused()
    row.get_by_role("button", name="Add progress update").click()
    expect(row.locator(".govuk-error-summary")).to_contain_text("Enter the progress update")
    # As on a full page, the swapped-in error summary takes focus so the error is read first.
    expect(row.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("Not saved")
    assert_accessible(page)
    assert not ProgressUpdate.objects.exists()

    row.get_by_label("Progress update").fill("Two sessions run; the third is booked.")
    row.get_by_role("radiogroup", name="Status").get_by_label("In progress").check()
    # It is overdue, so Red: the form says so beside the ratings.
    expect(row).to_contain_text("so it is overdue and Red")
    row.get_by_role("radiogroup", name="RAG rating").get_by_label("Red: slipped").check()
    row.get_by_label("Percent complete").fill("60")
    row.get_by_role("button", name="Add progress update").click()

    expect(row).to_contain_text("Two sessions run; the third is booked.")
    expect(row).to_contain_text("60%")
    expect(row.locator("form")).to_have_count(0)
    expect(row.get_by_role("link", name="Add update")).to_be_focused()
    expect(page.locator("#live-region")).to_have_text(
        "Progress update added to \u201cTrain managers on chronologies\u201d"
    )
    assert_not_reloaded(page)
    assert_accessible(page)
    training.refresh_from_db()
    assert (training.status, training.rag, training.percent_complete) == (
        "in_progress",
        "red",
        60,
    )

    # Opened again by mistake, the form closes with Cancel and saves nothing.
    row.get_by_role("link", name="Add update").click()
    row.get_by_label("Progress update").fill("Not meant to be saved")
    row.get_by_role("link", name="Cancel").click()
    expect(row.locator("form")).to_have_count(0)
    expect(row.get_by_role("link", name="Add update")).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("without saving")
    assert_not_reloaded(page)
    assert ProgressUpdate.objects.count() == 1

    page.get_by_label("Search").fill("nothing matches this")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results")).to_contain_text("No actions match these filters.")
    assert_accessible(page)


def test_an_officer_adds_an_update_on_the_action_page_and_sees_a_conflict(page, alice, dina, plan):
    action = plan["audit"]
    sign_in(page, "alice")
    page.goto(action.get_absolute_url())
    assert_accessible(page)
    mark_page(page)

    page.get_by_label("Progress update").fill("First audit done: 6 of 10 good.")
    page.get_by_role("radiogroup", name="Status").get_by_label("In progress").check()
    page.get_by_label("Percent complete").fill("20")
    page.get_by_role("button", name="Add progress update").click()
    timeline = page.locator(".app-timeline")
    expect(timeline).to_contain_text("First audit done: 6 of 10 good.")
    expect(page.locator("#action-status")).to_contain_text("In progress")
    expect(page.locator("#history")).to_contain_text("Status: from Not started to In progress")
    # The save is confirmed where it happened, as it is by a full page after a save without
    # JavaScript: a success banner in the section, which takes keyboard focus and is read out.
    saved = page.locator("#progress .govuk-notification-banner--success")
    expect(saved).to_be_visible()
    expect(saved).to_have_attribute("role", "alert")
    expect(saved).to_contain_text("Progress update saved on")
    expect(saved).to_be_focused()
    expect(page.locator("#live-region")).to_have_text("")
    assert_not_reloaded(page)
    assert_accessible(page)

    # Dina saves first while Alice is writing her next update.
    action_add_progress(
        action=Action.objects.get(pk=action.pk),
        expected_version=2,
        user=dina,
        narrative="Audit moved to the quality team.",
        status="blocked",
        rag="red",
        percent_complete=20,
    )
    page.get_by_label("Progress update").fill("Second audit: 8 of 10 good.")
    page.get_by_role("button", name="Add progress update").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Dina changed this action")
    expect(banner).to_be_focused()
    # The confirmation of the earlier update has gone with the form that was refused.
    expect(saved).to_have_count(0)
    status_row = banner.get_by_role("row", name=re.compile("^Status Different"))
    expect(status_row).to_contain_text("Blocked")
    expect(status_row).to_contain_text("In progress")
    expect(page.get_by_label("Progress update")).to_have_value("Second audit: 8 of 10 good.")
    expect(page.locator("#live-region")).to_contain_text("someone else changed this action")
    assert_not_reloaded(page)
    assert_accessible(page)
    assert ProgressUpdate.objects.filter(action=action).count() == 2

    # Having seen Dina's change, Alice saves her update on top of it.
    page.get_by_role("button", name="Add progress update").click()
    expect(timeline).to_contain_text("Second audit: 8 of 10 good.")
    expect(page.locator(".govuk-notification-banner")).to_have_count(1)
    expect(saved).to_be_focused()
    assert ProgressUpdate.objects.filter(action=action).count() == 3


def test_an_officer_editing_an_action_gets_the_conflict_page_when_someone_saved_first(
    page, alice, dina, plan
):
    action = plan["audit"]
    sign_in(page, "alice")
    page.goto(action.get_absolute_url())
    page.get_by_role("button", name="Change the details").click()
    page.get_by_label("Owner", exact=True).fill("Cara Ward")

    action_update(
        action=Action.objects.get(pk=action.pk),
        expected_version=1,
        user=dina,
        changes={"owner_name": "Dan Penrose"},
    )
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the action")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Dina changed this action")
    expect(banner).to_be_focused()
    owner_row = banner.get_by_role("row", name="Owner Different")
    expect(owner_row).to_contain_text("Dan Penrose")
    expect(owner_row).to_contain_text("Cara Ward")
    assert_accessible(page)
    assert Action.objects.get(pk=action.pk).owner_name == "Dan Penrose"

    page.get_by_role("button", name="Save my version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit strategy discussions")
    assert Action.objects.get(pk=action.pk).owner_name == "Cara Ward"


def test_a_lead_member_reads_the_plan_list_and_action_without_edit_controls(page, bob, plan):
    sign_in(page, "bob")
    page.goto(f"/councils/isles-of-scilly/inspections/{plan['inspection'].pk}/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan")
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    assert_accessible(page)

    page.goto("/councils/isles-of-scilly/actions/")
    expect(page.locator("#results tbody")).to_have_count(3)
    expect(page.get_by_role("link", name="Add update")).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Select")).to_have_count(0)
    expect(page.get_by_text("Assign an owner or due date")).to_have_count(0)
    assert_accessible(page)

    page.goto(plan["audit"].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit strategy discussions")
    expect(page.get_by_role("button", name="Add progress update")).to_have_count(0)
    expect(page.get_by_role("button", name="Change the details")).to_have_count(0)
    expect(page.get_by_role("button", name="Close the action")).to_have_count(0)
    assert_accessible(page)
