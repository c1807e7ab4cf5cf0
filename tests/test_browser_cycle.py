"""In real Chromium, with JavaScript and without, the cycle from start to end: an officer records a
new graded inspection, carries three of the old plan's actions into it and closes one, then
records the monitoring visit that fulfils the visit agreed with Ofsted."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from actions.models import Action
from inspections.models import Inspection, Milestone
from inspections.services import inspection_set_judgements

from .browser import assert_accessible as check_accessible
from .browser import sign_in
from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import fill_date

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the seeded rows are seeded again.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]

TITLES = ["Recruit foster carers", "Review placements", "Train panel members", "Audit plans"]
REASON = "The new plan's placement sufficiency work replaces it"


@pytest.fixture
def older_plan(scilly, frameworks, deadline_rules):
    """Isles of Scilly's 2019 short inspection, good, with four open actions."""
    older = InspectionFactory(
        council=scilly,
        kind="short_ilacs",
        start_date=date(2019, 10, 14),
        end_date=date(2019, 10, 18),
        published_on=date(2019, 12, 19),
    )
    inspection_set_judgements(
        inspection=older,
        grades={
            "leaders": "outstanding",
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": "good",
            "overall_effectiveness": "good",
        },
    )
    recommendation = RecommendationFactory(inspection=older, position=1, text="Foster care.")
    return older, [ActionFactory(recommendation=recommendation, title=t) for t in TITLES]


def test_new_inspection_then_carry_over_then_a_monitoring_visit(
    page_either_way, javascript, alice, scilly, older_plan
):
    page = page_either_way
    # axe runs as a script in the page: without JavaScript it cannot, and the markup it would
    # check is the same server-rendered HTML the run with JavaScript checks.
    assert_accessible = check_accessible if javascript else lambda page: None
    older, actions = older_plan
    sign_in(page, "alice")
    page.goto(scilly.get_absolute_url())

    # 1. The new graded inspection.
    page.get_by_role("button", name="Record an inspection").click()
    page.get_by_label("Standard ILACS inspection").check()
    fill_date(page, "First day of fieldwork", "11", "7", "2023")
    fill_date(page, "Last day of fieldwork", "13", "7", "2023")
    fill_date(page, "Publication date", "25", "8", "2023")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grades")
    for legend in (
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "Overall effectiveness",
    ):
        page.get_by_role("radiogroup", name=legend).get_by_label("Inadequate").check()
    for legend in (
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
    ):
        page.get_by_role("radiogroup", name=legend).get_by_label(
            "Requires improvement to be good"
        ).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Recommendation", exact=True).first.fill(
        "The quality of strategy discussions and subsequent child protection enquiries."
    )
    page.get_by_role("button", name="Save recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("11 to 13 July 2023")
    newer = Inspection.objects.get(start_date=date(2023, 7, 11))
    assert_accessible(page)

    # 2. The old plan's open actions wait: carry three, close one with a reason.
    banner = page.get_by_role("region", name="The previous plan")
    expect(banner).to_contain_text("4 open actions of the previous plan need a decision")
    banner.get_by_role("link", name="carry them into this plan or close them").click()
    for title in TITLES[:3]:
        page.get_by_role("group", name=title).get_by_label("Carry into the new plan").check()
    closing = page.get_by_role("group", name=TITLES[3])
    closing.get_by_label("Close with a reason").check()
    closing.get_by_label("Why is it closing unfinished?").fill(REASON)
    assert_accessible(page)
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "3 actions carried into this plan and 1 action closed unfinished"
    )
    assert set(Action.objects.filter(plan=newer).values_list("title", flat=True)) == set(TITLES[:3])
    assert Action.objects.get(title=TITLES[3]).end_reason == REASON

    # 3. A monitoring visit agreed with Ofsted, then the visit itself, which fulfils it.
    page.goto(newer.get_absolute_url())
    page.get_by_role("link", name="Add a visit agreed with Ofsted").click()
    page.get_by_label("Monitoring visit").check()
    fill_date(page, "Agreed date", "12", "6", "2024")
    page.get_by_role("button", name="Add the visit").click()
    page.get_by_role("link", name="Record a visit that follows this inspection").click()
    expect(page.get_by_label("Which inspection does the visit follow?")).to_have_value(
        str(newer.pk)
    )
    page.get_by_label("Monitoring visit").check()
    fill_date(page, "First day of fieldwork", "11", "6", "2024")
    fill_date(page, "Last day of fieldwork", "12", "6", "2024")
    page.get_by_label("What the letter found").fill("Leaders have a firmer grip on practice.")
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_text("It fulfils the monitoring visit due Wed 12 Jun 2024")).to_be_visible()
    assert_accessible(page)
    visit = Inspection.objects.get(kind="monitoring_visit")
    agreed = Milestone.objects.get(inspection=newer, source="agreed")
    assert (agreed.fulfilled_by, agreed.done_on) == (visit, date(2024, 6, 11))

    # 4. The new inspection's timeline shows it done by the visit; the old one is superseded.
    page.goto(newer.get_absolute_url())
    row = page.get_by_role("row").filter(has_text="Date agreed with Ofsted")
    expect(row).to_contain_text("Done")
    expect(row.get_by_role("link", name="by the monitoring visit of 11 to 12 June 2024"))
    page.goto(older.get_absolute_url())
    expect(page.get_by_text("Overdue")).to_have_count(0)
    expect(page.locator(".app-timeline")).to_contain_text("Superseded")
    assert_accessible(page)

    # 5. The council page shows the two cycles, the new one live with its visit.
    page.goto(scilly.get_absolute_url())
    expect(
        page.get_by_role("heading", name="2023: Standard ILACS inspection Live plan")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "table",
            name=re.compile("The standard ILACS inspection of 11 to 13 July 2023 and the visits"),
        )
    ).to_contain_text("Monitoring visit")
    expect(page.get_by_text("Overdue")).to_have_count(0)
    assert_accessible(page)
