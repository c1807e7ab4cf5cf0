"""In real Chromium: an officer records an inspection; a lead member only reads."""

import pytest
from playwright.sync_api import expect

from inspections.models import Inspection

from .browser import assert_accessible, sign_in
from .factories import InspectionFactory, RecommendationFactory
from .helpers import fill_date

pytestmark = [
    pytest.mark.browser,
    # Transactional, so that the live server's thread sees the test's data.
    pytest.mark.django_db(transaction=True),
]


def test_an_officer_records_an_inspection_with_grades_and_recommendations(page, alice, scilly):
    sign_in(page, "alice")
    assert_accessible(page)
    page.get_by_role("link", name="Isles of Scilly").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Isles of Scilly")
    assert_accessible(page)

    page.get_by_role("button", name="Record an inspection").click()
    page.get_by_label("Standard ILACS inspection").check()
    fill_date(page, "First day of fieldwork", "11", "7", "2023")
    fill_date(page, "Last day of fieldwork", "10", "7", "2023")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The last day of fieldwork must be on or after the first day")
    assert_accessible(page)
    assert not Inspection.objects.exists()

    fill_date(page, "Last day of fieldwork", "13", "7", "2023")
    fill_date(page, "Publication date", "25", "8", "2023")
    page.get_by_label("Lead inspector").fill("Tracey Ledder")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Grades")
    assert_accessible(page)
    grades = {
        "The impact of leaders on social work practice with children and families": "Inadequate",
        "The experiences and progress of children who need help and protection": "Inadequate",
        "The experiences and progress of children in care": "Requires improvement to be good",
        "The experiences and progress of care leavers": "Requires improvement to be good",
        "Overall effectiveness": "Inadequate",
    }
    for legend, grade in grades.items():
        page.get_by_role("radiogroup", name=legend).get_by_label(grade, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What needs to improve?")
    assert_accessible(page)
    page.get_by_label("Recommendation", exact=True).first.fill(
        "The quality of strategy discussions and subsequent child protection enquiries."
    )
    page.get_by_label("Recommendation", exact=True).nth(1).fill(
        "The oversight of corporate parenting arrangements."
    )
    page.get_by_role("button", name="Save recommendations").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("11 to 13 July 2023")
    expect(page.locator(".app-recommendations li")).to_have_count(2)
    assert_accessible(page)

    page.get_by_role("link", name="Isles of Scilly").click()
    row = page.get_by_role("row").filter(has_text="11 to 13 July 2023")
    expect(row).to_contain_text("Inadequate")
    expect(row).to_contain_text("25 Aug 2023")


def test_a_lead_member_reads_everything_and_sees_no_edit_controls(page, bob, scilly):
    inspection = InspectionFactory(council=scilly)
    RecommendationFactory(inspection=inspection, text="The oversight of corporate parenting.")
    sign_in(page, "bob")
    page.goto(f"/councils/{scilly.slug}/")
    expect(page.get_by_role("button", name="Record an inspection")).to_have_count(0)
    assert_accessible(page)
    page.goto(inspection.get_absolute_url())
    expect(page.get_by_text("The oversight of corporate parenting.")).to_be_visible()
    expect(page.get_by_role("link", name="Change the details")).to_have_count(0)
    assert_accessible(page)
