"""In real Chromium, with JavaScript and without: an officer sets the scrutiny pack's cover on the
pack's page, is told plainly what to put right, and finds the front matter at the top of the page;
axe finds no violations, in the form's error state too. A lead member reads it, with no form."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from reports.models import PackCover

from .browser import assert_accessible as check_accessible
from .browser import sign_in
from .helpers import dashboard_plan, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMITTEE = "Children and Young People's Scrutiny Committee"


@pytest.fixture
def plan(frameworks, scilly, alice, deadline_rules):
    """The dashboard's data (test_browser_dashboard.py) serves here too."""
    return dashboard_plan(scilly, alice)


def test_an_officer_sets_the_cover_and_a_lead_member_reads_it(
    page_either_way, javascript, alice, bob, plan
):
    page = page_either_way
    assert_accessible = check_accessible if javascript else lambda page: None
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/pack/")
    page.get_by_text("Add a cover page for the committee").click()
    cover = page.get_by_role("group", name="Cover page")
    cover.get_by_label("Committee", exact=True).fill(COMMITTEE)
    fill_date(page, "Date of the meeting", "31", "2", "2026")
    cover.get_by_label("Agenda item").fill("Item 6")
    cover.get_by_label("Report author").fill("Jane Smith, Head of Improvement")
    cover.get_by_label("Recommendation to the committee").fill(
        "That the committee notes the progress made against the improvement plan."
    )
    page.get_by_role("button", name="Save the cover page").click()

    # The error state: a summary linking to the field, the message beside it, nothing saved.
    summary = page.locator(".govuk-error-summary")
    message = "The date of the meeting must be a real date, like 25 8 2023"
    expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile("^Error: Scrutiny pack"))
    expect(page.get_by_role("group", name="Date of the meeting")).to_contain_text(message)
    expect(cover.get_by_label("Agenda item")).to_have_value("Item 6")
    assert not PackCover.objects.exists()
    assert_accessible(page)
    summary.get_by_role("link", name=message).click()
    expect(
        page.get_by_role("group", name="Date of the meeting").get_by_label("Day")
    ).to_be_focused()

    fill_date(page, "Date of the meeting", "14", "1", "2027")
    page.get_by_role("button", name="Save the cover page").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Cover page saved")
    front = page.locator("#cover")
    expect(front).to_contain_text(COMMITTEE)
    expect(front).to_contain_text("Meeting of 14 January 2027")
    expect(front).to_contain_text("Agenda item: Item 6")
    expect(page.get_by_text("Report author: Jane Smith, Head of Improvement")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendation to the committee")).to_be_visible()
    assert PackCover.objects.get().meeting_date == date(2027, 1, 14)
    assert_accessible(page)

    # Remembered: the form opens filled in.
    page.get_by_text("Change the cover page").click()
    expect(cover.get_by_label("Committee", exact=True)).to_have_value(COMMITTEE)
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "bob")
    page.goto("/councils/isles-of-scilly/pack/")
    expect(page.locator("#cover")).to_contain_text(COMMITTEE)
    expect(page.get_by_text("Change the cover page")).to_have_count(0)
    expect(page.get_by_role("button", name="Save the cover page")).to_have_count(0)
