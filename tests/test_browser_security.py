"""In real Chromium: the Content-Security-Policy refuses nothing our pages do, htmx swaps
included, and the admin's main pages pass axe (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from inspections.models import Inspection

from .browser import assert_accessible, sign_in, wait_until_loaded
from .factories import ActionFactory, InspectionFactory, RecommendationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def action(scilly):
    inspection = InspectionFactory(council=scilly)
    recommendation = RecommendationFactory(inspection=inspection, position=1, text="Strategy.")
    return ActionFactory(recommendation=recommendation, title="Audit strategy discussions")


def watch_for_refusals(page) -> list[str]:
    """Console messages about anything the page's policies refused. Scripts the test itself
    evaluates in the page (axe-core) have no address: what they do is not the page's."""
    refused = []

    def seen(message):
        text = message.text
        if not message.location.get("url"):
            return
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            refused.append(f"{page.url}: {text}")

    page.on("console", seen)
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def scripts_ran(page) -> None:
    """The inline scripts (with the nonce) and htmx ran."""
    wait_until_loaded(page)
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    assert page.evaluate("document.querySelector('style') === null"), "an inline <style> appeared"


def test_the_policy_refuses_nothing_an_officer_does(page, alice, action):
    refused = watch_for_refusals(page)
    sign_in(page, "alice")
    scripts_ran(page)

    page.goto("/councils/isles-of-scilly/actions/")
    scripts_ran(page)
    page.get_by_label("Only overdue actions").check()
    expect(page).to_have_url(re.compile(r"overdue=on"))
    page.get_by_label("Only overdue actions").uncheck()
    expect(page).not_to_have_url(re.compile(r"overdue=on"))
    row = page.locator(f"#action-row-{action.pk}")
    expect(row).to_be_visible()
    row.get_by_role("link", name="Add update").click()
    expect(row.get_by_label("Progress update")).to_be_focused()

    page.goto(action.get_absolute_url())
    scripts_ran(page)
    page.get_by_label("Progress update").fill("First audit done.")
    page.get_by_role("radiogroup", name="Status").get_by_label("In progress").check()
    page.get_by_role("radiogroup", name="RAG rating").get_by_label("Amber: at risk").check()
    page.get_by_label("Percent complete").fill("30")
    page.get_by_role("button", name="Add progress update").click()
    expect(page.locator("#live-region")).to_contain_text("Progress update added")

    page.goto("/councils/isles-of-scilly/dashboard/")
    scripts_ran(page)
    assert refused == []


def admin_pages(helen, action):
    inspection = Inspection.objects.get(pk=action.recommendation.inspection_id)
    return {
        "index": "/admin/",
        "user change": f"/admin/councils/user/{helen.pk}/change/",
        "action change": f"/admin/actions/action/{action.pk}/change/",
        "inspection change": f"/admin/inspections/inspection/{inspection.pk}/change/",
    }


def test_the_admins_main_pages_pass_axe_and_break_no_policy(page, helen, action):
    refused = watch_for_refusals(page)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("helen")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    failures = []
    for name, url in admin_pages(helen, Action.objects.get(pk=action.pk)).items():
        page.goto(url)
        page.wait_for_load_state("load")
        # The two-list selector (permissions) is drawn by the admin's scripts once loaded.
        if name == "user change":
            expect(page.locator(".selector .search-label-icon").first).to_have_attribute(
                "role", "img"
            )
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{name} ({url}):\n{error}")
    assert not failures, "\n\n".join(failures)
    assert refused == []


def test_the_admins_sign_in_page_passes_axe(page):
    page.goto("/admin/login/")
    assert_accessible(page)
