"""In real Chromium: a person chooses the day of their weekly email, or none, from any page."""

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_turns_their_weekly_email_off_and_on_again(page, alice):
    sign_in(page, "alice")
    page.get_by_role("link", name="Your emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your emails")
    expect(page.get_by_label("Every Monday")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Never").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You will get no weekly email of your actions"
    )
    expect(page.get_by_label("Never")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Every Thursday").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("every Thursday")
    alice.refresh_from_db()
    assert alice.digest_day == 3
