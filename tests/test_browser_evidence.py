"""In real Chromium, with JavaScript and without: an officer adds evidence to an action; another
council's officer who has its address gets 404."""

import pytest
from playwright.sync_api import expect

from actions.models import Evidence

from .browser import assert_accessible as check_accessible
from .browser import sign_in
from .factories import ActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_officer_adds_evidence_that_another_council_cannot_open(
    page_either_way, javascript, live_server, alice, charlie, scilly, tmp_path
):
    page = page_either_way
    assert_accessible = check_accessible if javascript else lambda page: None
    action = ActionFactory(recommendation__inspection__council=scilly, title="Audit supervision")
    sign_in(page, "alice")
    page.goto(live_server.url + action.get_absolute_url())
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add evidence")
    assert_accessible(page)
    page.get_by_role("button", name="Add the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a file")
    assert_accessible(page)
    program = tmp_path / "audit.pdf"
    program.write_bytes(b"MZ\x90\x00 a program, named as a PDF")
    page.get_by_label("File").set_input_files(program)
    page.get_by_role("button", name="Add the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file must be a PDF")
    audit = tmp_path / "March audit.pdf"
    audit.write_bytes(PDF)
    page.get_by_label("File").set_input_files(audit)
    page.get_by_label("What it shows (optional)").fill("The March audit of supervision")
    page.get_by_role("button", name="Add the file").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "March audit.pdf added as evidence"
    )
    link = page.get_by_role("link", name="March audit.pdf", exact=True)
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == "March audit.pdf"
    evidence = Evidence.objects.get()

    page.context.clear_cookies()
    sign_in(page, "charlie")
    response = page.goto(live_server.url + evidence.get_absolute_url())
    assert response.status == 404
