"""Evidence files on actions: checked by content, stored privately, served only to the council's
people, listed on the action's page, in its history and in the pack."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Evidence

from .factories import ActionFactory, ProgressUpdateFactory
from .helpers import PDF, PNG, docx, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(scilly, alice):
    alice.first_name, alice.last_name = "Alice", "Officer"
    alice.save()
    return ActionFactory(recommendation__inspection__council=scilly, title="Audit supervision")


def url(action, suffix="new/"):
    return f"/councils/isles-of-scilly/actions/{action.pk}/evidence/{suffix}"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("March audit.pdf", PDF, "PDF"),
        ("minutes.docx", docx(), "Word document"),
        ("chart.png", PNG, "PNG image"),
    ],
)
def test_an_officer_adds_evidence_that_only_the_council_can_open(
    client, action, alice, charlie, name, content, kind
):
    client.force_login(alice)
    response = client.post(
        url(action), {"file": SimpleUploadedFile(name, content), "description": "The audit"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/actions/{action.pk}/#evidence")
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.kind, evidence.size) == (name, kind, len(content))
    assert name not in evidence.file.name  # stored under a name nobody can guess
    page = client.get(action.get_absolute_url()).content.decode()
    assert f'href="{evidence.get_absolute_url()}" download>{name}</a>' in page
    assert "Evidence added" in page[page.index('id="history"') :]
    download = client.get(evidence.get_absolute_url())
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(charlie)
    assert client.get(evidence.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(evidence.get_absolute_url()).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("audit.pdf", b"MZ\x90\x00\x03 a program renamed", "The file must be a PDF, a Word"),
        ("notes.txt", b"plain words", "The file must be a PDF, a Word"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_a_file_of_another_kind_is_refused_and_nothing_is_kept(
    client, action, alice, settings, name, content, message
):
    client.force_login(alice)
    response = client.post(url(action), {"file": SimpleUploadedFile(name, content)})
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert (
        not list((settings.MEDIA_ROOT / "evidence").glob("**/*"))
        if (settings.MEDIA_ROOT / "evidence").exists()
        else True
    )


def test_a_file_over_the_limit_is_refused(client, action, alice, settings):
    settings.EVIDENCE_MAX_MB = 1
    client.force_login(alice)
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(url(action), {"file": SimpleUploadedFile("big.pdf", big)})
    assert "The file must be 1 MB or smaller" in response.content.decode()
    assert not Evidence.objects.exists()


def test_no_file_says_so(client, action, alice):
    client.force_login(alice)
    response = client.post(url(action), {"description": "x"})
    html = response.content.decode()
    assert "There is a problem" in html and "Choose a file" in html


def test_evidence_may_support_one_of_the_actions_progress_updates(client, action, alice):
    update = ProgressUpdateFactory(action=action, author=alice, narrative="Audit done")
    other = ProgressUpdateFactory(author=alice)
    client.force_login(alice)
    refused = client.post(
        url(action), {"file": SimpleUploadedFile("a.pdf", PDF), "update": other.pk}
    )
    assert "Choose one of this action&#x27;s progress updates" in refused.content.decode()
    client.post(url(action), {"file": SimpleUploadedFile("a.pdf", PDF), "update": update.pk})
    assert Evidence.objects.get().update == update
    page = client.get(action.get_absolute_url()).content.decode()
    assert f"Supports the update of {update.created_at:%-d %B %Y}" in page


def test_readers_cannot_add_evidence(client, action, bob):
    client.force_login(bob)
    assert client.get(url(action)).status_code == 403
    response = client.post(url(action), {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_the_pack_lists_each_actions_evidence(
    client, scilly, alice, django_capture_on_commit_callbacks
):
    from .helpers import record

    inspection = record(scilly, django_capture_on_commit_callbacks)
    action = ActionFactory(recommendation__inspection=inspection, title="Audit supervision")
    client.force_login(alice)
    client.post(url(action), {"file": SimpleUploadedFile("March audit.pdf", PDF)})
    text = " ".join(pdf_text(client.get("/councils/isles-of-scilly/pack.pdf").content).split())
    today = date.today()
    assert f"Evidence files: March audit.pdf (PDF, {today:%-d %b %Y})" in text


def test_a_file_added_in_error_is_removed_with_a_reason_and_the_history_keeps_it(
    client, action, alice, settings, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    client.post(url(action), {"file": SimpleUploadedFile("wrong child.pdf", PDF)})
    evidence = Evidence.objects.get()
    stored = settings.MEDIA_ROOT / evidence.file.name
    assert stored.exists()
    remove = url(action, f"{evidence.pk}/remove/")
    refused = client.post(remove, {"reason": ""})
    assert "Say why the file is removed" in refused.content.decode()
    assert Evidence.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"reason": "The wrong child's audit"})
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not stored.exists()
    assert client.get(evidence.get_absolute_url()).status_code == 404
    history = client.get(action.get_absolute_url()).content.decode()
    assert "Evidence removed" in history
    assert "wrong child.pdf: The wrong child&#x27;s audit" in history
