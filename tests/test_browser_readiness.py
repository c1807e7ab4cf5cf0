"""In real Chromium, with and without JavaScript: an officer drafts the year's self-evaluation,
the two people it names sign it off, and an edit of the signed-off version is refused."""

import re
from datetime import date, datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspections.services import inspection_set_judgements
from readiness import services
from readiness.models import SelfEvaluation

from .browser import _pages, sign_in
from .browser import assert_accessible as check_accessible
from .factories import InspectionFactory
from .helpers import SPLIT_GRADES, fill_date, readiness_world

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the seeded rows are seeded again.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]

ANSWERS = {
    "What do we know about the quality and impact of social work practice?": (
        "Practice is improving; strategy discussions are not yet consistent."
    ),
    "How do we know it?": "Monthly case audits and practice observations.",
    "What are our plans for the next 12 months?": "Audit every strategy discussion.",
}
EVIDENCE_PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AREAS = [
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "Overall effectiveness",
]


def test_drafting_signing_off_and_a_refused_edit(
    page_either_way, javascript, chromium, live_server, scilly, alice, bob
):
    page = page_either_way
    # axe-core runs in the page: with JavaScript off, the run with it has checked the same pages.
    assert_accessible = check_accessible if javascript else lambda page: None
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/readiness/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness for the next inspection")
    assert_accessible(page)

    page.get_by_role("link", name="Start a self-evaluation").click()
    page.get_by_label("Year").fill("2024")
    assert_accessible(page)
    page.get_by_role("button", name="Start the self-evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Self-evaluation of social work practice, 2024"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Change the answers and who signs").click()
    for question, answer in ANSWERS.items():
        page.get_by_label(question).fill(answer)
    page.get_by_label("Director of children's services").select_option(label="Alice")
    # Only people with the lead member role are offered as lead member.
    lead_members = page.get_by_label("Lead member for children's services")
    expect(lead_members.locator("option", has_text="Alice")).to_have_count(0)
    lead_members.select_option(label="Bob")
    page.get_by_role("button", name="Save the self-evaluation").click()

    page.get_by_role("link", name="Change the self-assessed grades").click()
    for area in AREAS:
        page.get_by_label(f"{area}: self-assessed grade").select_option(
            label="Requires improvement to be good"
        )
    page.get_by_role("button", name="Save the grades").click()
    # A grade needs its reason.
    expect(page.locator(".govuk-error-summary")).to_contain_text("is graded as it is")
    assert_accessible(page)
    for reason in page.get_by_label(re.compile(r": why this grade$")).all():
        reason.fill("Audits show inconsistent practice.")
    page.get_by_role("button", name="Save the grades").click()
    expect(page.get_by_role("table", name="Self-assessed grade and rationale")).to_contain_text(
        "Requires improvement to be good"
    )

    page.get_by_role("button", name="Sign off the 2024 self-evaluation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Signed off as director of children's services: the other signature is awaited"
    )
    assert_accessible(page)

    # Alice opens the form again while the lead member signs it off elsewhere.
    page.get_by_role("link", name="Change the answers and who signs").click()
    for other in _pages(chromium, live_server, javascript=javascript):
        sign_in(other, "bob")
        other.goto("/councils/isles-of-scilly/self-evaluations/2024/")
        expect(other.get_by_role("link", name="Change the answers and who signs")).to_have_count(0)
        other.get_by_role("button", name="Sign off the 2024 self-evaluation").click()
        expect(other.locator(".govuk-notification-banner")).to_contain_text(
            "the 2024 self-evaluation is signed off and can no longer be changed"
        )
        assert_accessible(other)

    page.get_by_label(list(ANSWERS)[0]).fill("Changed after sign-off")
    page.get_by_role("button", name="Save the self-evaluation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The 2024 self-evaluation was signed off on")
    expect(summary).to_contain_text(
        "cannot be changed: start the 2025 self-evaluation from it instead"
    )
    assert_accessible(page)
    evaluation = SelfEvaluation.objects.get()
    assert evaluation.is_signed_off
    assert evaluation.what_we_know == list(ANSWERS.values())[0]

    page.goto("/councils/isles-of-scilly/self-evaluations/2024/grades/")
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be changed")
    expect(page.get_by_role("button", name="Save the grades")).to_have_count(0)
    assert_accessible(page)

    page.goto("/councils/isles-of-scilly/self-evaluations/2024/")
    expect(page.get_by_role("table", name="Every change to this self-evaluation")).to_contain_text(
        "Signed off by both: this version can no longer be changed"
    )


def test_a_lead_member_reads_the_readiness_page_and_how_well_the_council_knew_itself(
    page, scilly, alice, bob
):
    evaluation = readiness_world(scilly, director=alice, lead_member=bob)["self_evaluation"]
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice)
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=bob)
    SelfEvaluation.objects.update(signed_off_at=timezone.make_aware(datetime(2024, 5, 1, 12)))
    inspection = InspectionFactory(
        council=scilly,
        start_date=date(2024, 7, 8),
        end_date=date(2024, 7, 19),
        published_on=date(2024, 8, 30),
    )
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    sign_in(page, "bob")
    page.goto("/councils/isles-of-scilly/")
    page.get_by_role("link", name="Readiness for the next inspection").click()
    expect(page.get_by_role("table", name="Open actions")).to_contain_text(
        "Audit strategy discussions"
    )
    expect(page.get_by_role("link", name="Start a self-evaluation")).to_have_count(0)
    check_accessible(page)
    page.get_by_role("link", name="How well do we know ourselves").click()
    table = page.get_by_role("table", name="Impact of leaders: self-assessed and Ofsted")
    expect(table).to_contain_text("Requires improvement to be good")
    expect(table).to_contain_text("Higher than Ofsted")
    expect(page.get_by_role("img", name="Impact of leaders: self-assessed grade")).to_be_visible()
    check_accessible(page)


def test_changing_and_removing_a_plan_action(page, scilly, alice, bob):
    readiness_world(scilly, director=alice, lead_member=bob)
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/self-evaluations/2024/")
    page.get_by_role("link", name="Change Audit strategy discussions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the action")
    check_accessible(page)
    # A due date before the self-evaluation's year is refused, and says why.
    page.get_by_label("Action", exact=True).fill("Audit every strategy discussion")
    page.get_by_label("Owner", exact=True).fill("Principal social worker")
    fill_date(page, "Due date", "31", "12", "2023")
    page.get_by_role("button", name="Save the action").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Actions in the 2024 plan cannot be due before 2024")
    expect(summary).to_contain_text("Say why the due date is changing")
    check_accessible(page)
    fill_date(page, "Due date", "30", "6", "2025")
    page.get_by_label("Why is the due date changing?").fill("The audit tool arrives in May")
    page.get_by_role("button", name="Save the action").click()
    plan = page.get_by_role("table", name="Tracked actions of the plans")
    expect(plan).to_contain_text("Audit every strategy discussion")
    expect(plan).to_contain_text("Principal social worker")
    expect(plan).to_contain_text("30 Jun 2025")

    page.get_by_role("link", name="Remove Audit every strategy discussion").click()
    check_accessible(page)
    page.get_by_role("button", name="Remove the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the action is removed")
    check_accessible(page)
    page.get_by_label("Why is it removed?").fill("Replaced by the audit plan")
    page.get_by_role("button", name="Remove the action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been removed")
    expect(page.get_by_role("table", name="Tracked actions of the plans")).to_have_count(0)
    check_accessible(page)


def test_changing_an_engagement_meeting_and_a_save_someone_else_beat(page, scilly, alice, bob):
    meeting = readiness_world(scilly, director=alice, lead_member=bob)["meeting"]
    sign_in(page, "alice")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Change the meeting's details").click()
    check_accessible(page)
    # Someone else saves the meeting while the form is open.
    services.engagement_meeting_update(
        meeting=meeting, expected_version=1, changes={"topics": "Their topics"}
    )
    page.get_by_label("Topics discussed").fill("My topics")
    page.get_by_role("button", name="Save the meeting").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Your changes have not been saved")
    expect(banner).to_contain_text("Their topics")
    check_accessible(page)
    page.get_by_role("button", name="Save my version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(meeting))
    expect(page.locator("main")).to_contain_text("My topics")
    check_accessible(page)


def test_the_progress_form_of_an_overdue_action_says_it_is_red(page, scilly, alice, bob):
    readiness_world(scilly, director=alice, lead_member=bob)  # due 31 March 2025
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/readiness/")
    check_accessible(page)
    page.get_by_role("link", name="Update progress of Audit strategy discussions").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "This action was due on 31 March 2025, so it is overdue and Red"
    )
    check_accessible(page)
    page.get_by_label("In progress").check()
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Save the progress").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "This action was due on 31 March 2025, so it is overdue and Red"
    )
    check_accessible(page)
    page.get_by_label("Red").check()
    page.get_by_role("button", name="Save the progress").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been saved")


def test_an_officer_uploads_a_file_as_evidence_and_finds_it_listed(page, scilly, alice, bob):
    readiness_world(scilly, director=alice, lead_member=bob)
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/self-evaluations/2024/")
    page.get_by_role("link", name="Add evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add evidence")
    check_accessible(page)

    # A file of another kind is refused, with the reason beside the field.
    page.get_by_label("Or upload a file").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"plain words"}
    )
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file must be a PDF")
    check_accessible(page)

    page.get_by_label("Title").fill("Case audit, quarter 3")
    page.get_by_label("Or upload a file").set_input_files(
        {"name": "Case audit.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}
    )
    page.get_by_role("button", name="Add the evidence").click()
    evidence = page.locator("#evidence + ul")
    expect(evidence).to_contain_text("Case audit, quarter 3 (file: Case audit.pdf")
    link = evidence.get_by_role("link", name="Case audit, quarter 3", exact=True)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Case audit.pdf"
    # Afresh, so that the focus GOV.UK draws on the clicked link does not stand in the way.
    page.reload()
    check_accessible(page)


def test_an_officer_records_a_meeting_with_ofsteds_letter_as_a_file(page, scilly, alice):
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/engagement-meetings/new/")
    check_accessible(page)
    fill_date(page, "Date of the meeting", "14", "5", "2024")
    page.get_by_label("Who attended").fill("Regional director")
    page.get_by_label("Topics discussed").fill("Strategy discussions")
    page.get_by_label("Or upload the letter").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}
    )
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Annual engagement meeting, 14 May 2024"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter").click()
    assert download.value.suggested_filename == "letter.pdf"
    page.reload()
    check_accessible(page)
