"""In real Chromium, with JavaScript and without: an officer records the DfE's intervention and
an improvement board meeting with a decision that becomes an action of the live plan, downloads
the board's pack, and finds the meeting in the governance calendar; a lead member reads it all."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from actions.models import Action
from governance.models import Decision, Intervention, Meeting
from inspections.models import Inspection, Milestone
from inspections.services import (
    RecommendationInput,
    inspection_save,
    inspection_set_judgements,
    inspection_set_recommendations,
)

from .browser import assert_accessible as check_accessible
from .browser import sign_in
from .helpers import SPLIT_GRADES, fill_date, pdf_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]


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
    inspection_set_recommendations(
        inspection=inspection,
        items=[
            RecommendationInput("The quality of front-door decisions"),
            RecommendationInput("Management oversight of practice"),
        ],
    )
    return inspection


def test_an_officer_records_a_board_meeting_whose_decision_becomes_an_action(
    page_either_way, javascript, alice, bob, scilly_2023
):
    page = page_either_way
    assert_accessible = check_accessible if javascript else lambda page: None
    alice.first_name, alice.last_name = "Alice", "Officer"
    alice.save()
    sign_in(page, "alice")
    page.goto(scilly_2023.council.get_absolute_url())
    page.get_by_role("link", name="DfE intervention, the improvement board and meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intervention and improvement board")
    assert_accessible(page)

    # The intervention, with quarterly reports to the Secretary of State.
    page.get_by_role("button", name="Record an intervention").click()
    expect(page.get_by_label("Which inspection led to it?")).to_have_value(str(scilly_2023.pk))
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the kind of intervention")
    expect(summary).to_contain_text("Enter the date it started")
    assert_accessible(page)
    page.get_by_label("Improvement notice").check()
    fill_date(page, "Date it started", "14", "11", "2023")
    page.get_by_label("Sector-led improvement partner").fill("Essex County Council")
    page.get_by_label("Reports are due to").fill("the Secretary of State")
    page.get_by_label("Months between reports").fill("3")
    fill_date(page, "First report due", "1", "3", "2024")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvement notice")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Improvement notice saved")
    expect(page.get_by_role("rowheader", name="Report 1 to the Secretary of State")).to_be_visible()
    assert_accessible(page)
    intervention = Intervention.objects.get()
    assert Milestone.objects.filter(key__startswith=f"iv{intervention.pk}-report-").exists()

    # The board, then its meeting.
    page.get_by_role("link", name="Intervention and improvement board").click()
    page.get_by_role("link", name="Record the improvement board").click()
    page.get_by_label("Independent chair").fill("Dame Jane Chair")
    page.get_by_label("Members").fill("Cllr Joel Williams, Lead Member\nEssex County Council")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Dame Jane Chair")).to_be_visible()
    page.get_by_role("button", name="Record a meeting").click()
    page.get_by_role("button", name="Save the meeting").click()
    expect(summary).to_contain_text("Enter the date of the meeting")
    assert_accessible(page)
    expect(page.get_by_label("Improvement board")).to_be_checked()
    fill_date(page, "Date of the meeting", "15", "2", "2024")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Agenda item").fill("Item 3: the front-door audit")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvement board, 15 February 2024")
    assert_accessible(page)

    # A decision that needs an action, first without its details.
    page.get_by_role("button", name="Record a decision").click()
    page.get_by_label("Decision", exact=True).fill("Audit 20 front-door referrals")
    page.get_by_label("Yes, add an action").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(summary).to_contain_text("Enter the action")
    expect(summary).to_contain_text("Choose the action's owner")
    assert_accessible(page)
    assert not Decision.objects.exists()
    page.get_by_label("Which recommendation does the action answer?").select_option(
        label="1. The quality of front-door decisions"
    )
    page.get_by_label("Action", exact=True).fill("Front-door referral audit")
    page.get_by_label("Owner").select_option(label="Alice Officer")
    fill_date(page, "Due date", "28", "3", "2024")
    page.get_by_label("Measurable success criterion").fill("Findings reported to the board")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Decision recorded, and “Front-door referral audit” added to the live plan"
    )
    expect(page.get_by_role("link", name="Front-door referral audit")).to_be_visible()
    assert_accessible(page)
    action = Action.objects.get()
    assert action.plan == scilly_2023
    assert Decision.objects.get().action == action

    # The board's pack.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the improvement board pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "isles-of-scilly-improvement-board-pack-2024-02-15.pdf"
    with open(download.path(), "rb") as pdf:
        text = " ".join(pdf_text(pdf.read()).split())
    for expected in [
        "Isles of Scilly: Children's services improvement board",
        "Independent chair: Dame Jane Chair",
        "Agenda item: Item 3: the front-door audit",
        "Audit 20 front-door referrals",
        "Front-door referral audit",
        "Exceptions: red, overdue and blocked actions",
        "Improvement notice since 14 November 2023",
    ]:
        assert expected in text, expected

    # The calendar holds the reports to come (the meeting is more than a year ago).
    page.goto(scilly_2023.council.get_absolute_url())
    page.get_by_role("link", name="Governance calendar", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance calendar")
    coming_up = page.get_by_role("table", name="From today, earliest first")
    expect(
        coming_up.get_by_role("link", name=re.compile(r"Report \d+ to the Secretary"))
    ).not_to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar").click()
    assert download_info.value.suggested_filename == "isles-of-scilly-governance-calendar.ics"

    # The lead member reads the meeting and its pack, and is offered nothing to change.
    page.context.clear_cookies()
    sign_in(page, "bob")
    meeting = Meeting.objects.get()
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_role("link", name="Front-door referral audit")).to_be_visible()
    expect(page.get_by_role("button", name="Record a decision")).to_have_count(0)
    page.get_by_role("link", name="Read the pack as a web page").click()
    expect(page.get_by_text("Audit 20 front-door referrals")).to_be_visible()
    assert_accessible(page)
