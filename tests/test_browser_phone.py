"""In real Chromium at 375px, the width of a small phone: every page of the demo fits, its wide
tables scrolling in their own labelled regions rather than the page scrolling sideways."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.demo import demo_password
from inspections.models import Inspection

from .browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_an_officer_uses_fits_a_phone(page):
    call_command("load_demo", stdout=io.StringIO())
    scilly = Inspection.objects.filter(council__slug="isles-of-scilly")
    inspection = scilly.graded().first()
    visit = scilly.filter(kind="monitoring_visit").first()
    action = inspection.recommendations.first().actions.first()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "scilly-officer", demo_password("scilly-officer"))
    for url in [
        "/",
        "/councils/isles-of-scilly/",
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/",
        f"/councils/isles-of-scilly/inspections/{inspection.pk}/actions/",
        f"/councils/isles-of-scilly/inspections/{visit.pk}/",
        "/councils/isles-of-scilly/actions/",
        f"/councils/isles-of-scilly/actions/{action.pk}/",
        "/councils/isles-of-scilly/dashboard/",
        "/councils/isles-of-scilly/pack/",
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide"
        # Each region that scrolls can be reached with the keyboard, and only those.
        regions = page.evaluate(
            "[...document.querySelectorAll('.app-table-scroll, .app-chart-wrapper--wide')]"
            ".map(r => [r.scrollWidth > r.clientWidth, r.hasAttribute('tabindex')])"
        )
        assert all(scrolls == stop for scrolls, stop in regions), (url, regions)
    assert_accessible(page)
    expect(page).to_have_url(re.compile("/pack/"))
