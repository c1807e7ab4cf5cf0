"""In real Chromium, with and without JavaScript: carrying an old plan's actions into the new
one or closing them, and withdrawing an inspection recorded in error."""

import pytest
from playwright.sync_api import Page, expect

from actions.models import Action
from inspections.models import Inspection

from .browser import assert_accessible, sign_in
from .helpers import two_plans

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the seeded rows are seeded again.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frameworks", "deadline_rules"),
]

CLOSE_REASON = "Merged into the 2023 plan's action on placements"


def decide(page: Page, title: str, choice: str):
    group = page.get_by_role("group", name=title)
    group.get_by_label(choice).check()
    return group


def carry_three_and_close_one(page: Page, plans: dict, *, scripts: bool) -> None:
    # axe-core runs as a script in the page, which hangs where scripts are off: the pages are
    # checked with scripts on, where the reveal is also in its every state.
    check = assert_accessible if scripts else lambda page: None
    sign_in(page, "alice")
    page.goto(plans["newer"].get_absolute_url())
    banner = page.get_by_role("region", name="The previous plan")
    expect(banner).to_contain_text("4 open actions of the previous plan need a decision")
    check(page)
    banner.get_by_role("link", name="carry them into this plan or close them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Carry over the previous plan's actions"
    )
    check(page)

    first, second, third, fourth = plans["open"]
    for action in (first, second, third):
        decide(page, action.title, "Carry into the new plan")
    group = page.get_by_role("group", name=fourth.title)
    reason = group.get_by_label("Why is it closing unfinished?")
    if scripts:
        # Revealed only under "Close with a reason"; without scripts it shows whole.
        expect(reason).to_be_hidden()
    else:
        expect(reason).to_be_visible()
    decide(page, fourth.title, "Close with a reason")
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Save the decisions").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Enter the reason for closing \u201c{fourth.title}\u201d")
    check(page)
    assert not Action.objects.filter(plan=plans["newer"], carried_from__isnull=False).exists()
    # The choices made are kept; the reason is revealed under the chosen "Close".
    expect(page.get_by_role("group", name=first.title).get_by_label("Carry into")).to_be_checked()
    group = page.get_by_role("group", name=fourth.title)
    group.get_by_label("Why is it closing unfinished?").fill(CLOSE_REASON)
    page.get_by_role("button", name="Save the decisions").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "3 actions carried into this plan and 1 action closed unfinished"
    )
    expect(page.get_by_text("need a decision")).to_have_count(0)
    check(page)
    carried = Action.objects.filter(plan=plans["newer"], carried_from=plans["older"])
    assert set(carried) == {first, second, third}
    fourth.refresh_from_db()
    assert (fourth.end_reason, fourth.plan) == (CLOSE_REASON, plans["older"])

    page.goto(fourth.get_absolute_url())
    expect(page.get_by_text(f"Closed unfinished on {fourth.ended_on:%-d %B %Y}")).to_be_visible()
    check(page)


def test_an_officer_carries_three_actions_and_closes_one(page, scilly, alice):
    carry_three_and_close_one(page, two_plans(scilly, alice), scripts=True)


def test_the_carry_over_page_works_without_javascript(no_script_page, scilly, alice):
    carry_three_and_close_one(no_script_page, two_plans(scilly, alice), scripts=False)


def test_an_officer_withdraws_an_inspection_recorded_in_error(page, scilly, alice):
    plans = two_plans(scilly, alice)
    wrong = Inspection.objects.create(
        council=scilly,
        kind="focused_visit",
        start_date=plans["newer"].start_date.replace(year=2025),
        end_date=plans["newer"].end_date.replace(year=2025),
        cycle=None,
    )
    sign_in(page, "alice")
    page.goto(wrong.get_absolute_url())
    page.get_by_role("link", name="Withdraw this inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw this inspection")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the inspection").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the inspection is being withdrawn"
    )
    assert_accessible(page)
    page.get_by_label("Why is it being withdrawn?").fill("Recorded for the wrong council")
    page.get_by_role("button", name="Withdraw the inspection").click()
    expect(page.get_by_role("alert")).to_contain_text("withdrawn: it no longer appears anywhere")
    assert_accessible(page)
    assert not Inspection.objects.filter(pk=wrong.pk).exists()

    # Coming back to the withdrawal (a bookmark, the history) says it is done, and changes nothing.
    page.goto(f"/councils/{scilly.slug}/inspections/{wrong.pk}/withdraw/")
    expect(page.get_by_role("heading", level=1)).to_have_text(scilly.name)
    expect(page.get_by_role("region", name="Important")).to_contain_text("already withdrawn")
    assert_accessible(page)

    page.goto(plans["older"].get_absolute_url())
    page.get_by_role("link", name="Withdraw this inspection").click()
    expect(page.get_by_text("This inspection cannot be withdrawn")).to_be_visible()
    assert_accessible(page)
