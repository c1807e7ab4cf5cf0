"""In real Chromium: a lead member and a scrutiny member read the dashboard, filter it in place,
and download the scrutiny pack; axe finds no violations in any state."""

import re

import pytest
from playwright.sync_api import expect

from councils.models import StatisticalNeighbour

from .browser import assert_accessible, sign_in, wait_until_loaded
from .factories import CouncilFactory, InspectionFactory
from .helpers import dashboard_plan
from .measure_helpers import add_measure

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the page fixture seeds the frameworks.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def plan(frameworks, scilly, alice, deadline_rules):
    plan = dashboard_plan(scilly, alice)
    # Impact measures, one off target with comparators and one on target without, so that axe
    # and the phone's width see the Impact section's charts, tables and details.
    neighbour = CouncilFactory(name="Torbay", slug="torbay")
    StatisticalNeighbour.objects.create(council=scilly, neighbour=neighbour, rank=2)
    add_measure(
        scilly,
        "Re-referrals within 12 months",
        [30, 28, 27, None, 25, 24],
        target=20,
        england=[22, 22, 21, 21, 21, 20],
        region=[23, 23, 22, 22, 22, 21],
        neighbours=[[25, 24, None, 23, 23, 22]],
    )
    add_measure(scilly, "Social worker turnover", [18, 14], target=15)
    return plan


def mark_page(page):
    """Set a marker that a full page load would wipe, to prove updates happen in place."""
    page.evaluate("window.__notReloaded = true")


@pytest.mark.parametrize("username", ["bob", "sam"])
def test_a_councillor_filters_the_dashboard_in_place_and_downloads_the_pack(
    page, plan, bob, sam, username
):
    sign_in(page, username)
    page.goto("/councils/isles-of-scilly/")
    page.get_by_role("link", name=re.compile("dashboard")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("#figures")).to_contain_text("Figures for the live plan")
    expect(page.locator("#figures")).to_contain_text("Audit strategy discussions")
    # The 2019 plan's action waits to be carried over or closed: it is not in the live plan.
    expect(page.locator("#figures")).not_to_contain_text("Recruit foster carers")
    expect(page.get_by_role("link", name=re.compile("Add an update"))).to_have_count(0)
    # The figures in a sentence at the top, and a way straight to the exceptions.
    expect(page.locator("#dashboard-summary")).to_contain_text(
        re.compile(r"^\s*\d+ actions? in the live plan: \d+ complete, ")
    )
    assert_accessible(page)
    # The Impact section: the count, the measure off target, each chart named for what it shows.
    impact = page.locator("#impact")
    expect(impact).to_contain_text("1 of 2 measures off target.")
    expect(
        impact.get_by_role("img", name=re.compile("^Re-referrals within 12 months"))
    ).to_be_visible()
    impact.get_by_text("The figures in the chart").first.click()
    expect(
        impact.get_by_role("table", name=re.compile("Re-referrals within 12 months"))
    ).to_be_visible()
    assert_accessible(page)
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name=re.compile("^Exceptions")).click()
    expect(page).to_have_url(re.compile("#exceptions$"))
    expect(page.get_by_role("heading", name="Exceptions", exact=True)).to_be_in_viewport()

    mark_page(page)
    page.get_by_label("Inspection", exact=True).focus()
    page.get_by_label("Inspection", exact=True).select_option(str(plan["older"].pk))
    expect(page.locator("#figures")).to_contain_text("Figures for the short ILACS inspection")
    # The filters are drawn again with the figures; keyboard focus stays on the one changed.
    expect(page.get_by_label("Inspection", exact=True)).to_be_focused()
    expect(page.locator("#figures")).not_to_contain_text("Audit strategy discussions")
    expect(page.locator("#live-region")).to_contain_text("1 action, 0% complete")
    # The sentence at the top follows the filters.
    expect(page.locator("#dashboard-summary")).to_contain_text(
        "1 action in the plan of the short ILACS inspection"
    )
    expect(page).to_have_url(re.compile(rf"inspection={plan['older'].pk}"))
    assert page.evaluate("window.__notReloaded === true")
    assert_accessible(page)

    # A date that does not exist is reported in place, and the figures stay.
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("2")
    page.get_by_label("Year", exact=True).fill("2024")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    # As on a full page: the field itself shows the error, and so does the title.
    expect(page.locator("#dashboard-filters .govuk-error-message")).to_contain_text(
        "must be a real date"
    )
    expect(page).to_have_title(re.compile(r"^Error: Dashboard"))
    expect(page.locator("#figures")).to_contain_text("Recruit foster carers")
    assert page.evaluate("window.__notReloaded === true")
    assert_accessible(page)

    # The shared address shows the same figures on a fresh load.
    page.goto(page.url)
    expect(page.locator("#figures")).to_contain_text("Figures for the short ILACS inspection")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the scrutiny pack (PDF)").click()
    download = download_info.value
    assert re.fullmatch(
        r"isles-of-scilly-scrutiny-pack-short-ilacs-2019-10-made-\d{4}-\d\d-\d\d\.pdf",
        download.suggested_filename,
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_dashboard_works_without_javascript(chromium, live_server, frameworks, plan, bob):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "bob")
        page.goto("/councils/isles-of-scilly/dashboard/")
        page.get_by_label("Inspection", exact=True).select_option(str(plan["older"].pk))
        page.get_by_role("button", name="Show the figures").click()
        expect(page.locator("#figures")).to_contain_text("Figures for the short ILACS inspection")
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    finally:
        context.close()


def test_on_a_phone_the_dashboard_fits_and_filtering_logs_no_errors(page, plan, bob):
    # Statistical neighbours, so that the widest table is there.
    neighbour = InspectionFactory(council=CouncilFactory(name="Rutland", slug="rutland")).council
    StatisticalNeighbour.objects.create(
        council=plan["inspection"].council, neighbour=neighbour, rank=1
    )
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in {"error", "log"} else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "bob")
    page.goto("/councils/isles-of-scilly/dashboard/")
    expect(
        page.get_by_role("region", name=re.compile("^Latest grades.*statistical neighbours"))
    ).to_be_visible()
    # Wide tables scroll in their own region; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Inspection", exact=True).select_option(str(plan["older"].pk))
    expect(page.locator("#figures")).to_contain_text("Figures for the short ILACS inspection")
    assert_accessible(page)
    assert not [p for p in problems if "initialised" in p or "Error" in p], problems


def test_back_and_forward_show_the_whole_page_as_its_address_says(page, plan, bob):
    sign_in(page, "bob")
    page.goto("/councils/isles-of-scilly/dashboard/")
    day = page.get_by_label("Day", exact=True)
    # More changes than htmx used to keep copies of (10): every step back must still be whole.
    for n in range(1, 13):
        day.fill(str(n))
        page.get_by_label("Month", exact=True).fill("3")
        page.get_by_label("Year", exact=True).fill("2024")
        page.get_by_role("button", name="Show the figures").click()
        expect(page).to_have_url(re.compile(rf"since_0={n}&"))
    for n in range(11, 0, -1):
        page.go_back()
        expect(page).to_have_url(re.compile(rf"since_0={n}&"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
        expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
        expect(page.get_by_label("Day", exact=True)).to_have_value(str(n))
        # As a person would, wait for the page to finish loading before pressing Back again.
        wait_until_loaded(page)
    page.go_forward()
    expect(page.get_by_label("Day", exact=True)).to_have_value("2")
    # No copy of the council's pages is left in the tab's storage.
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    assert_accessible(page)


def test_back_after_saving_an_update_shows_the_figures_with_it(page, plan, alice):
    sign_in(page, "alice")
    page.goto("/councils/isles-of-scilly/dashboard/")
    expect(page.locator("#figures")).not_to_contain_text("Panel approved three carers")
    page.get_by_role("link", name="Add an update to Audit strategy discussions").click()
    page.get_by_label("Progress update").fill("Panel approved three carers.")
    page.get_by_role("button", name=re.compile("Add progress update")).click()
    expect(page.get_by_text("Progress update added")).to_be_visible()
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("#figures")).to_contain_text("Panel approved three carers")
