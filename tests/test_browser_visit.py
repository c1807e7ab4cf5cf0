"""In real Chromium, with JavaScript and without: an officer records a monitoring visit, and the
visit agreed with Ofsted shows on the timeline as done by it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from inspections.models import Inspection, Milestone
from inspections.services import inspection_save, inspection_set_judgements, milestone_add_agreed

from .browser import assert_accessible as check_accessible
from .browser import sign_in
from .helpers import SPLIT_GRADES, fill_date

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the seeded rows are seeded again.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


@pytest.fixture
def scilly_2023(scilly, frameworks, deadline_rules):
    """Inadequate, with a monitoring visit agreed with Ofsted for 12 June 2024."""
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
    milestone_add_agreed(inspection=inspection, key="monitoring_visit", due_on=date(2024, 6, 12))
    return inspection


def test_an_officer_records_a_monitoring_visit_that_fulfils_the_agreed_one(
    page_either_way, javascript, alice, scilly_2023
):
    page = page_either_way
    # axe runs as a script in the page: without JavaScript it cannot, and the markup it would
    # check is the same server-rendered HTML the run with JavaScript checks.
    assert_accessible = check_accessible if javascript else lambda page: None
    sign_in(page, "alice")
    page.goto(scilly_2023.council.get_absolute_url())
    page.get_by_role("button", name="Record a visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a visit")
    expect(page.get_by_label("Which inspection does the visit follow?")).to_have_value(
        str(scilly_2023.pk)
    )
    assert_accessible(page)

    # Nothing filled in: every problem is summarised, and nothing is saved.
    page.get_by_role("button", name="Save the visit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the kind of visit")
    expect(summary).to_contain_text("Enter the first day of fieldwork")
    assert_accessible(page)

    # A visit during the inspection's own fieldwork does not belong to its cycle.
    page.get_by_label("Monitoring visit").check()
    fill_date(page, "First day of fieldwork", "12", "7", "2023")
    fill_date(page, "Last day of fieldwork", "13", "7", "2023")
    page.get_by_role("button", name="Save the visit").click()
    expect(summary).to_contain_text(
        "The visit must start after the fieldwork of the inspection it follows, which ended on "
        "13 July 2023"
    )
    assert_accessible(page)
    assert not Inspection.objects.filter(kind="monitoring_visit").exists()

    fill_date(page, "First day of fieldwork", "11", "6", "2024")
    fill_date(page, "Last day of fieldwork", "12", "6", "2024")
    fill_date(page, "Date the letter was published", "10", "7", "2024")
    page.get_by_label("Lead inspector").fill("Nick Stacey")
    page.get_by_label("What the letter found").fill("Leaders have a firmer grip on practice.")
    page.get_by_label("Areas for priority action").fill("Strategy discussions\nCase recording")
    page.get_by_role("button", name="Save the visit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Monitoring visit, 11 to 12 June 2024"
    )
    expect(page.get_by_role("alert").first).to_contain_text("Monitoring visit recorded")
    expect(page.get_by_text("It fulfils the monitoring visit due Wed 12 Jun 2024")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Case recording")).to_be_visible()
    assert_accessible(page)
    visit = Inspection.objects.get(kind="monitoring_visit")
    assert Milestone.objects.get(key="monitoring_visit").fulfilled_by == visit

    page.get_by_role("link", name="The standard ILACS inspection of 11 to 13 July 2023").click()
    row = page.get_by_role("row").filter(has_text="Date agreed with Ofsted")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("on Tue 11 Jun 2024")
    row.get_by_role("link", name="by the monitoring visit of 11 to 12 June 2024").click()
    expect(page).to_have_url(f"{visit.get_absolute_url()}")
    assert_accessible(page)
