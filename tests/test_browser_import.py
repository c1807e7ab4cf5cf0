"""In real Chromium: an officer imports the Isles of Scilly 2023 report, corrects it and saves."""

import pytest
from playwright.sync_api import expect

from inspections.models import Inspection

from .browser import assert_accessible, sign_in
from .helpers import REPORTS, SCILLY_2023, fill_date

pytestmark = [
    pytest.mark.browser,
    # Transactional, so that the live server's thread sees the test's data.
    pytest.mark.django_db(transaction=True),
]

# The report ships with the repository: a missing file fails the test, it does not skip it.
SCILLY_2023_PDF = REPORTS / SCILLY_2023


def test_an_officer_imports_corrects_and_saves_the_report(page, deadline_rules, alice, scilly):
    sign_in(page, "alice")
    page.goto(f"/councils/{scilly.slug}/")
    page.get_by_role("button", name="Import from the Ofsted report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from the Ofsted report")
    assert_accessible(page)

    # A file that is not a PDF is refused, with the reason in the error summary.
    page.get_by_label("Ofsted report (PDF)").set_input_files(
        files=[{"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"Minutes\n"}]
    )
    page.get_by_role("button", name="Upload and read the report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This file is not a PDF.")
    assert_accessible(page)

    page.get_by_label("Ofsted report (PDF)").set_input_files(SCILLY_2023_PDF)
    fill_date(page, "Publication date", "25", "8", "2023")
    page.get_by_role("button", name="Upload and read the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what was read from the report")
    expect(page.get_by_role("table", name="Grades in the report")).to_contain_text("Inadequate")
    expect(page.get_by_label("Lead inspector")).to_have_value("Tracey Ledder")
    assert_accessible(page)

    # A mistake keeps the preview, with the corrections so far, and needs no new upload.
    page.get_by_label("Lead inspector").fill("Tracey Ledder HMI")
    fill_date(page, "Last day of fieldwork", "10", "7", "2023")
    page.get_by_role("button", name="Save the inspection").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last day of fieldwork must be on or after the first day"
    )
    expect(page.get_by_label("Lead inspector")).to_have_value("Tracey Ledder HMI")
    assert_accessible(page)
    assert not Inspection.objects.exists()

    fill_date(page, "Last day of fieldwork", "13", "7", "2023")
    page.get_by_role("group", name="Recommendation 6").get_by_label(
        "Recommendation", exact=True
    ).fill("The oversight of corporate parenting arrangements by the council.")
    page.get_by_role("button", name="Save the inspection").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("11 to 13 July 2023")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Inspection imported from the Ofsted report"
    )
    expect(page.locator(".app-recommendations li")).to_have_count(8)
    expect(page.locator(".app-recommendations li").nth(5)).to_have_text(
        "The oversight of corporate parenting arrangements by the council."
    )
    expect(page.get_by_text("Tracey Ledder HMI")).to_be_visible()
    expect(page.locator(".app-table-grades")).to_contain_text("Requires improvement to be good")
    # The deadlines follow from the publication date: the worked example in docs/domain.md,
    # "Deadlines after a graded inspection".
    timeline = page.get_by_role(
        "table", name="Deadlines and visits after this inspection, earliest first"
    )
    expect(timeline.get_by_role("row").filter(has_text="Action planning visit")).to_contain_text(
        "Mon 9 Oct 2023"
    )
    expect(timeline).to_contain_text("Mon 4 Dec 2023")
    expect(timeline).to_contain_text("February 2024")
    assert_accessible(page)

    inspection = Inspection.objects.get()
    assert inspection.recommendations.count() == 8
    assert inspection.judgements.count() == 5


def test_the_same_report_again_is_offered_as_an_update(page, alice, scilly):
    sign_in(page, "alice")
    for attempt in range(2):
        page.goto(f"/councils/{scilly.slug}/inspections/import/")
        page.get_by_label("Ofsted report (PDF)").set_input_files(SCILLY_2023_PDF)
        page.get_by_role("button", name="Upload and read the report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check what was read from the report"
        )
        if attempt == 0:
            page.get_by_role("button", name="Save the inspection").click()
    expect(page.get_by_role("region", name="Already recorded")).to_contain_text(
        "Saving will update it"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Update the inspection").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Inspection updated")
    assert Inspection.objects.count() == 1
