"""In real Chromium: an admin invites an officer, who accepts, signs in, forgets the password
and resets it by email."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, pattern: str) -> str:
    return re.search(pattern, message.body).group(1)


def test_invite_accept_sign_in_and_reset_the_password(page, live_server, dina, scilly):
    sign_in(page, "dina")
    page.goto(live_server.url + scilly.get_absolute_url())
    page.get_by_role("link", name=re.compile("Manage Isles of Scilly's people")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the email address of the person to invite"
    )
    assert_accessible(page)
    page.get_by_label("Email address").fill("nia.jones@example.org")
    page.get_by_label("Officer").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Invitation sent to nia.jones@example.org"
    )
    expect(page.get_by_role("cell", name="nia.jones@example.org", exact=True)).to_be_visible()
    assert_accessible(page)
    [invitation] = mail.outbox
    link = link_in(invitation, r"http://127\.0\.0\.1:8000(/invitations/\S+/)")

    page.context.clear_cookies()
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Isles of Scilly")
    assert_accessible(page)
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase")
    page.get_by_label("Confirm the password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Make the account and join").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Welcome to Isles of Scilly")
    expect(page.get_by_role("heading", level=1)).to_have_text("Isles of Scilly")

    # Signed out, she forgets her password and resets it by email.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)
    page.get_by_label("Email address").fill("nia.jones@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    reset = link_in(mail.outbox[-1], r"https?://[^/]+(/password-reset/\S+/)")
    page.goto(live_server.url + reset)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("another long passphrase")
    page.get_by_label("Confirm the new password").fill("another long passphrase")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    sign_in(page, "nia", "another long passphrase")
    expect(page.get_by_role("link", name="Isles of Scilly")).to_be_visible()
