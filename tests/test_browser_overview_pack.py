"""In real Chromium: the platform admin's overview keeps its sort through filters and Back;
the scrutiny pack's web page and the overview fit a phone; axe finds no violations."""

import re

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, sign_in, wait_until_loaded
from .helpers import dashboard_plan, overview_councils

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(frameworks, scilly, alice, deadline_rules):
    """The dashboard's data (test_browser_dashboard.py) serves here too."""
    return dashboard_plan(scilly, alice)


@pytest.fixture
def councils(scilly, nottingham, alice):
    """The overview's data (test_overview.py) serves here too."""
    return overview_councils(scilly, nottingham, alice)


def council_names(page):
    return [name.split()[0] for name in page.locator("#results tbody th a").all_inner_texts()]


def test_a_filter_keeps_the_sort_a_heading_chose_and_back_restores_the_controls(
    page,
    helen,
    councils,
):
    sign_in(page, "helen")
    page.goto("/overview/")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    page.get_by_role("link", name=re.compile(r"^Council")).click()  # now descending
    expect(page).to_have_url(re.compile(r"sort=-name"))
    expect(page.get_by_role("columnheader", name=re.compile("Council"))).to_have_attribute(
        "aria-sort", "descending"
    )
    assert council_names(page)[0].startswith("Rutland")
    page.get_by_label("Region").select_option("East Midlands")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"sort=-name"))
    assert council_names(page) == ["Rutland", "Nottingham"]
    page.get_by_label("Only councils with an overdue milestone").check()
    expect(page).to_have_url(re.compile(r"overdue=on"))
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"overdue=on"))
    expect(page.get_by_label("Only councils with an overdue milestone")).not_to_be_checked()
    expect(page.get_by_label("Region")).to_have_value("East Midlands")
    wait_until_loaded(page)
    page.go_forward()
    expect(page.get_by_label("Only councils with an overdue milestone")).to_be_checked()
    assert_accessible(page)


def test_the_overview_and_the_pack_page_fit_a_phone(page, helen, bob, councils, plan):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "helen")
    page.goto("/overview/")
    expect(
        page.get_by_role("region", name=re.compile("Councils with their latest"))
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    page.goto("/councils/isles-of-scilly/pack/")
    expect(page.get_by_role("heading", name="The action plan")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)


def test_a_table_region_is_a_tab_stop_only_while_it_must_scroll(page, bob, plan):
    sign_in(page, "bob")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/councils/isles-of-scilly/pack/")
    expect(page.get_by_role("heading", name="The action plan")).to_be_visible()
    stops = "document.querySelectorAll('.app-table-scroll[tabindex]').length"
    overflowing = (
        "[...document.querySelectorAll('.app-table-scroll')]"
        ".filter(r => r.scrollWidth > r.clientWidth).length"
    )
    assert page.evaluate(stops) == page.evaluate(overflowing) == 0
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(f"{stops} > 0")
    assert page.evaluate(stops) == page.evaluate(overflowing)
