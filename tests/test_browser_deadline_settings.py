"""In real Chromium: overriding monitoring, with the reason revealed under the chosen answer."""

from datetime import date

import pytest
from playwright.sync_api import expect

from inspections.models import DeadlineSettings, Inspection
from inspections.services import inspection_save, inspection_set_judgements

from .browser import assert_accessible, sign_in
from .helpers import SPLIT_GRADES

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the seeded rows are seeded again.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]

YES = "Yes, Ofsted will monitor the council"
NO = "No, Ofsted will not monitor the council"
WHY_YES = "Why will Ofsted monitor the council?"
WHY_NO = "Why will Ofsted not monitor the council?"


@pytest.fixture
def scilly_2023(scilly, frameworks, deadline_rules):
    inspection = inspection_save(
        inspection=Inspection(
            council=scilly,
            kind="standard_ilacs",
            start_date=date(2023, 7, 11),
            end_date=date(2023, 7, 13),
            published_on=date(2023, 8, 25),
        )
    )
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    return inspection


def settings_url(inspection):
    return f"/councils/{inspection.council.slug}/inspections/{inspection.pk}/deadline-settings/"


def test_an_officer_takes_an_inspection_out_of_monitoring_giving_a_reason(page, alice, scilly_2023):
    sign_in(page, "alice")
    page.goto(scilly_2023.get_absolute_url())
    monitoring = page.locator("#monitoring")
    expect(monitoring).to_contain_text("Monitoring follows this inspection")
    expect(monitoring).to_contain_text("overall effectiveness is inadequate")
    page.get_by_role("link", name="Change the deadline settings of this inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadline settings")
    # The reasons stay hidden until an override is chosen.
    expect(page.get_by_label(WHY_YES)).to_be_hidden()
    expect(page.get_by_label(WHY_NO)).to_be_hidden()
    assert_accessible(page)
    # As the page is without scripts, both reasons showing: axe itself needs scripts to run.
    page.evaluate("document.body.classList.remove('js-enabled', 'govuk-frontend-supported')")
    expect(page.get_by_label(WHY_YES)).to_be_visible()
    expect(page.get_by_label(WHY_NO)).to_be_visible()
    assert_accessible(page)
    page.evaluate("document.body.classList.add('js-enabled', 'govuk-frontend-supported')")

    page.get_by_label(NO).check()
    expect(page.get_by_label(WHY_NO)).to_be_visible()
    expect(page.get_by_label(WHY_YES)).to_be_hidden()
    page.get_by_label(YES).check()
    expect(page.get_by_label(WHY_YES)).to_be_visible()
    expect(page.get_by_label(WHY_NO)).to_be_hidden()
    page.get_by_label(NO).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the settings").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why Ofsted will not monitor the council")
    expect(page.get_by_label(NO)).to_be_checked()
    expect(page.get_by_label(WHY_NO)).to_be_visible()
    assert_accessible(page)
    assert not DeadlineSettings.objects.exists()
    # The summary's link takes the officer to the box.
    summary.get_by_role("link").click()
    expect(page.get_by_label(WHY_NO)).to_be_focused()

    page.get_by_label(WHY_NO).fill("Ofsted's letter of 1 September 2023: no monitoring visits")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("alert")).to_contain_text("Deadline settings saved")
    monitoring = page.locator("#monitoring")
    expect(monitoring).to_contain_text("Monitoring does not follow this inspection")
    expect(monitoring).to_contain_text(
        "Reason given: Ofsted's letter of 1 September 2023: no monitoring visits"
    )
    timeline = page.get_by_role("table", name="Deadlines and visits after this inspection")
    expect(timeline).not_to_contain_text("First monitoring visit")
    expect(timeline).to_contain_text("Publish the report")
    expect(timeline).to_contain_text("at least one local newspaper and one local radio station")
    assert_accessible(page)
    saved = DeadlineSettings.objects.get()
    assert saved.monitoring_reason == "Ofsted's letter of 1 September 2023: no monitoring visits"


def test_without_javascript_both_reasons_show_and_the_chosen_one_counts(
    chromium, live_server, frameworks, deadline_rules, alice, scilly_2023
):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, "alice")
        page.goto(settings_url(scilly_2023))
        expect(page.get_by_label(WHY_YES)).to_be_visible()
        expect(page.get_by_label(WHY_NO)).to_be_visible()
        # axe runs as a script, so it checks this layout in the test above instead.
        page.get_by_label(YES).check()
        page.get_by_label(WHY_NO).fill("Typed under the other answer")
        page.get_by_role("button", name="Save the settings").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter why Ofsted will monitor the council"
        )
        expect(page.get_by_label(WHY_YES)).to_be_visible()
        page.get_by_label(WHY_YES).fill("The DfE asked Ofsted to keep monitoring")
        page.get_by_role("button", name="Save the settings").click()
        expect(page.locator("#monitoring")).to_contain_text(
            "Reason given: The DfE asked Ofsted to keep monitoring"
        )
        saved = DeadlineSettings.objects.get()
        assert (saved.monitoring, saved.monitoring_reason) == (
            "yes",
            "The DfE asked Ofsted to keep monitoring",
        )
    finally:
        context.close()
