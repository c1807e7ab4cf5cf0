"""In real Chromium: the timeline on the inspection page, and the forms that keep it current."""

from datetime import date

import pytest
from playwright.sync_api import expect

from inspections.models import Inspection, Milestone
from inspections.services import inspection_save, inspection_set_judgements

from .browser import assert_accessible, sign_in
from .helpers import SPLIT_GRADES, fill_date

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the seeded rows are seeded again.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


@pytest.fixture
def scilly_2023(scilly, frameworks, deadline_rules):
    # Transactional: each service commits, and the recomputation runs in-process after it.
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
    assert inspection.milestones.count() == 4
    return inspection


def test_an_officer_keeps_the_timeline_up_to_date(page, alice, scilly_2023):
    sign_in(page, "alice")
    page.goto(scilly_2023.get_absolute_url())
    timeline = page.get_by_role("table", name="Deadlines and visits after this inspection")
    expect(timeline).to_contain_text("Mon 9 Oct 2023")
    expect(timeline).to_contain_text("Mon 4 Dec 2023")
    expect(timeline).to_contain_text("February 2024")
    assert_accessible(page)

    page.get_by_role("link", name="Record the date for Action planning visit with Ofsted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record the date a milestone happened"
    )
    expect(
        page.get_by_label("Action planning visit with Ofsted, due Mon 9 Oct 2023")
    ).to_be_checked()
    assert_accessible(page)
    fill_date(page, "Date it happened", "31", "9", "2023")
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date it happened must be a real date"
    )
    assert_accessible(page)
    assert not Milestone.objects.filter(done_on__isnull=False).exists()

    fill_date(page, "Date it happened", "9", "10", "2023")
    page.get_by_role("button", name="Save the date").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Action planning visit with Ofsted: date recorded"
    )
    row = page.get_by_role("row").filter(has_text="Action planning visit with Ofsted")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("on Mon 9 Oct 2023")
    assert_accessible(page)

    page.get_by_role("link", name="Add a visit agreed with Ofsted").click()
    page.get_by_role("button", name="Add the visit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select what was agreed with Ofsted")
    expect(summary).to_contain_text("Enter the agreed date")
    assert_accessible(page)
    page.get_by_label("Monitoring visit").check()
    fill_date(page, "Agreed date", "12", "6", "2024")
    page.get_by_role("button", name="Add the visit").click()
    expect(page.get_by_role("row").filter(has_text="Date agreed with Ofsted")).to_contain_text(
        "Wed 12 Jun 2024"
    )

    page.get_by_role("link", name="Change the deadline settings").click()
    expect(page.get_by_role("radiogroup", name="Will Ofsted monitor")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/councils/{scilly_2023.council.slug}/")
    expect(page.get_by_text("Next deadline")).to_be_visible()
    assert_accessible(page)


def test_anyone_signed_in_reads_the_bank_holidays(page, bob):
    sign_in(page, "bob")
    page.goto("/bank-holidays/?year=2023")
    table = page.get_by_role("table", name="Bank holidays in England and Wales, 2023")
    expect(table).to_contain_text("Coronation of Charles III")
    assert_accessible(page)
    page.get_by_label("Year", exact=True).fill("1066")
    page.get_by_role("button", name="Show the year").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a year from 2000 to 2100")
    assert_accessible(page)


def test_a_lead_member_reads_the_timeline_without_controls(page, bob, scilly_2023):
    sign_in(page, "bob")
    page.goto(scilly_2023.get_absolute_url())
    expect(page.get_by_role("heading", name="Deadlines and visits")).to_be_visible()
    expect(page.get_by_role("link", name="Add a visit agreed with Ofsted")).to_have_count(0)
    assert_accessible(page)
