"""In real Chromium, with JavaScript and without: an officer enters a quarter's values of the
council's impact measures in one grid, is told which value is wrong, saves them, and reads them
on the measure's page; the pages pass axe-core's checks."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measures.models import Measure, MeasureValue
from measures.periods import period_label, recent_period_ends
from measures.services import measure_create

from .browser import assert_accessible as check_accessible
from .browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


@pytest.fixture
def measures(scilly):
    def add(name, unit, polarity):
        return measure_create(
            measure=Measure(
                council=scilly,
                name=name,
                definition=f"{name}, as counted by the case recording system.",
                unit=unit,
                polarity=polarity,
                frequency="quarterly",
            ),
            user=None,
        )

    return (
        add("Re-referrals within 12 months", "percentage", "lower"),
        add("Days from referral to assessment", "days", "lower"),
    )


def test_an_officer_enters_a_quarter_of_values_and_reads_them_on_the_measure(
    page_either_way, javascript, alice, scilly, measures
):
    page = page_either_way
    assert_accessible = check_accessible if javascript else lambda page: None
    rereferrals, days = measures
    quarter = recent_period_ends("quarterly", timezone.localdate(), 1)[0]
    label = period_label("quarterly", quarter)

    sign_in(page, "alice")
    page.goto(scilly.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Impact measures")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact measures")
    page.get_by_role("button", name="Enter values").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Enter values for {label}")
    assert_accessible(page)

    # One value that is not a number: nothing is saved, and the summary names the measure.
    page.get_by_label(f"{rereferrals.name}, {label}").fill("about 20")
    if javascript:
        # With htmx the value is checked as soon as it changes, before anything is saved.
        page.keyboard.press("Tab")
        expect(page.locator(f"#value-cell-{rereferrals.pk} .govuk-error-message")).to_contain_text(
            "Enter re-referrals within 12 months as a number, like 23.5"
        )
        expect(page.locator("#live-region")).to_contain_text("Enter re-referrals within")
        assert_accessible(page)
    page.get_by_label(f"{days.name}, {label}").fill("41")
    page.get_by_label(f"Note on {days.name}").fill("From the quarterly return")
    page.get_by_role("button", name="Save the values").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter re-referrals within 12 months as a number, like 23.5")
    assert not MeasureValue.objects.exists()
    expect(page.get_by_label(f"{days.name}, {label}")).to_have_value("41")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    if javascript:
        expect(page.get_by_label(f"{rereferrals.name}, {label}")).to_be_focused()

    page.get_by_label(f"{rereferrals.name}, {label}").fill("23.5")
    page.get_by_role("button", name="Save the values").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Values for {label} saved: 2 entered"
    )
    assert MeasureValue.objects.count() == 2

    page.get_by_role("link", name=rereferrals.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(rereferrals.name)
    values = page.get_by_role("table", name="Values by period")
    row = values.get_by_role("row", name=re.compile(f"^{label}"))
    expect(row.get_by_role("cell").first).to_have_text("23.5%")
    expect(page.locator("#history")).to_contain_text("Value entered")
    expect(page.locator("#history")).to_contain_text(f"{label}: 23.5%")
    assert_accessible(page)

    # A correction: the old value stays in the history.
    page.get_by_role("link", name=re.compile("^Enter values")).click()
    page.get_by_label(f"{rereferrals.name}, {label}").fill("21")
    page.get_by_role("button", name="Save the values").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 corrected")
    page.goto(rereferrals.get_absolute_url())
    expect(page.locator("#history")).to_contain_text(f"{label}: from 23.5% to 21%")


def test_the_measure_form_and_the_upload_page_are_accessible(page, alice, scilly, measures):
    sign_in(page, "alice")
    page.goto(f"/councils/{scilly.slug}/measures/new/")
    check_accessible(page)
    page.get_by_role("button", name="Save the measure").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the measure's name")
    check_accessible(page)
    page.goto(f"/councils/{scilly.slug}/measures/values/upload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file of values")
    check_accessible(page)
