"""In real Chromium: the national outcomes page filters, sorts and pages in place and without
JavaScript; the dashboard shows the neighbours' published grades and the national picture; the
council page tells an officer where the record and the file disagree. axe finds nothing."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from councils.models import Council, Membership, Role
from inspections.services import inspection_set_judgements

from .browser import assert_accessible, sign_in
from .factories import InspectionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the page fixture seeds the frameworks.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def england(frameworks):
    """Every council and its published outcomes, as a fresh `make run` loads them; a lead
    member and an officer at Isles of Scilly, and an officer at Nottingham whose record of its
    2022 inspection has the combined judgement where the file grades care leavers apart."""
    call_command("load_councils", stdout=StringIO())
    call_command("load_outcomes", stdout=StringIO())
    people = {}
    for username, slug, role in [
        ("bob", "isles-of-scilly", Role.LEAD_MEMBER),
        ("nora", "nottingham", Role.OFFICER),
    ]:
        people[username] = UserFactory(username=username)
        Membership.objects.create(
            user=people[username], council=Council.objects.get(slug=slug), role=role
        )
    inspection = InspectionFactory(
        council=Council.objects.get(slug="nottingham"),
        start_date=date(2022, 7, 4),
        end_date=date(2022, 7, 22),
        published_on=date(2022, 9, 5),
    )
    inspection_set_judgements(
        inspection=inspection,
        grades={
            "leaders": "requires_improvement",
            "help_and_protection": "inadequate",
            "children_in_care_and_care_leavers": "requires_improvement",
            "overall_effectiveness": "inadequate",
        },
    )
    return people


def mark_page(page):
    """Set a marker that a full page load would wipe, to prove updates happen in place."""
    page.evaluate("window.__notReloaded = true")


def rows(page):
    return page.locator("#results tbody tr")


def test_the_national_page_lists_every_council_and_filters_sorts_and_pages_in_place(page, england):
    sign_in(page, "bob")
    page.get_by_role("link", name="National outcomes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("National outcomes")
    expect(page.locator("#results h2")).to_contain_text("153 councils")
    expect(rows(page)).to_have_count(50)
    expect(page.get_by_text("from the national outcomes file loaded on")).to_be_visible()
    assert_accessible(page)

    mark_page(page)
    page.get_by_label("Region").select_option("South West")
    expect(page.locator("#results h2")).to_contain_text("15 councils")
    expect(page.locator("#live-region")).to_have_text("15 councils found")
    expect(page).to_have_url(re.compile(r"region=South\+West"))
    page.get_by_label("Judgement").select_option("overall_effectiveness")
    page.get_by_label("Grade", exact=True).select_option("inadequate")
    expect(page.locator("#results h2")).to_contain_text("3 councils")
    expect(rows(page).first).to_contain_text("Inadequate")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Latest inspection")).click()
    expect(page).to_have_url(re.compile(r"sort=inspected"))
    expect(
        page.get_by_role("columnheader", name=re.compile("Latest inspection"))
    ).to_have_attribute("aria-sort", "ascending")
    # A filter keeps the sort the heading chose.
    page.get_by_label("Grade", exact=True).select_option("")
    expect(page.locator("#results h2")).to_contain_text("15 councils")
    expect(page).to_have_url(re.compile(r"sort=inspected"))
    assert page.evaluate("window.__notReloaded === true")

    csv_link = page.get_by_role("link", name=re.compile("Download these councils"))
    assert "region=South+West" in csv_link.get_attribute("href")
    with page.expect_download() as download_info:
        csv_link.click()
    with open(download_info.value.path(), encoding="utf-8") as csv_file:
        assert len(csv_file.read().strip().splitlines()) == 16

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="Page 4").click()
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#results h2")).to_contain_text("page 4 of 4")
    page.goto("/national/isles-of-scilly/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Isles of Scilly: inspection history")
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("img", name="Grades at each inspection, by judgement")).to_be_visible()
    assert_accessible(page)
    # On a phone the chart keeps readable labels and scrolls sideways, a keyboard stop.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    chart = page.get_by_role("region", name="Grades at each inspection, by judgement")
    expect(chart).to_have_attribute("tabindex", "0")
    assert_accessible(page)


def test_the_national_page_works_without_javascript(chromium, live_server, england):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "bob")
        page.goto("/national/")
        page.get_by_label("Region").select_option("London")
        page.get_by_label("Year of the latest inspection").select_option("2025")
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"region=London"))
        expect(page.get_by_role("heading", level=1)).to_have_text("National outcomes")
        count = rows(page).count()
        assert 0 < count < 33
        expect(page.locator("#results h2")).to_contain_text(f"{count} council")
    finally:
        context.close()


def test_the_dashboard_shows_the_neighbours_grades_and_the_national_picture(page, england):
    sign_in(page, "bob")
    page.goto("/councils/isles-of-scilly/dashboard/")
    neighbours = page.get_by_role("region", name=re.compile("statistical neighbours"))
    expect(neighbours.locator("tbody tr")).to_have_count(11)
    expect(neighbours.locator("tbody tr", has=page.locator(".govuk-tag"))).to_have_count(11)
    expect(neighbours).to_contain_text("Published by Ofsted")
    expect(page.get_by_role("heading", name="Compared with England and South West")).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Share of councils at each grade"))
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_text("The figures in the chart for England").click()
    expect(
        page.get_by_role("table", name=re.compile("Overall effectiveness in England"))
    ).to_be_visible()
    assert_accessible(page)


def test_an_officer_sees_where_the_record_and_the_file_disagree(page, england):
    sign_in(page, "nora")
    page.goto("/councils/nottingham/")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Care leavers: Inadequate in the file, judged with children in care in your record"
    )
    expect(page.get_by_role("heading", name="Next inspection")).to_be_visible()
    page.get_by_text("How this was estimated").click()
    expect(
        page.get_by_text("Counted from the standard inspection that started 4 July 2022")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="check it against the report").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("in this record")
    page.get_by_text("The grades as Ofsted published them").click()
    assert_accessible(page)


def test_the_overview_and_home_page_show_every_councils_latest_grades(page, england):
    UserFactory(username="helen", is_superuser=True, is_staff=True)
    sign_in(page, "helen")
    page.goto("/overview/?region=North+East")
    expect(rows(page)).to_have_count(12)
    expect(page.locator("#results")).not_to_contain_text("No inspection recorded")
    expect(page.locator("#results tbody tr").first).to_contain_text("Likely ")
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("region", name=re.compile("Councils you can see"))).to_contain_text(
        "Inspected Jul 2022; Recorded by the council"
    )
    assert_accessible(page)
