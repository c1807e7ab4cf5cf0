"""Files in readiness: a self-evaluation's evidence as an uploaded file or an impact measure, and
Ofsted's letter after the engagement meeting; checked as action evidence is, and served only to
the council's people."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from measures.models import Measure
from measures.services import measure_remove
from readiness import services
from readiness.models import EngagementMeeting, EvidenceLink, SelfEvaluation

from .helpers import PDF, PNG, date_fields, docx, pdf_text, readiness_world

pytestmark = pytest.mark.django_db

BASE = "/councils/isles-of-scilly"
EVIDENCE = f"{BASE}/self-evaluations/2024/evidence/"


@pytest.fixture
def world(scilly, alice, bob):
    return readiness_world(scilly, director=alice, lead_member=bob)


def measure(council, name="Re-referrals within 12 months") -> Measure:
    return Measure.objects.create(
        council=council,
        name=name,
        definition="Referrals within 12 months of a previous referral, of all referrals.",
        unit="percentage",
        polarity="lower",
        frequency="quarterly",
    )


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "readiness"
    return [p for p in folder.glob("**/*") if p.is_file()] if folder.exists() else []


def meeting_post(**overrides) -> dict:
    return {
        **date_fields("held_on", ("14", "5", "2024")),
        "attendees": "Regional director",
        "topics": "Practice",
        **date_fields("letter_on", ("1", "6", "2024")),
        "letter_summary": "",
        "letter_url": "",
        "focus": "",
    } | overrides


# --- Self-evaluation evidence ---------------------------------------------------------------


def test_an_officer_uploads_a_file_that_only_the_council_can_open(client, alice, charlie, world):
    client.force_login(alice)
    response = client.post(
        EVIDENCE, {"title": "", "file": SimpleUploadedFile("Case audit.pdf", PDF)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/self-evaluations/2024/#evidence"
    link = EvidenceLink.objects.get()
    assert (link.title, link.file_name, link.size) == ("Case audit.pdf", "Case audit.pdf", len(PDF))
    assert "Case audit" not in link.file.name  # stored under a name nobody can guess
    download_url = f"{EVIDENCE}{link.pk}/file/"
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert f'href="{download_url}" download>Case audit.pdf</a>' in page
    assert link.history.count() == 1
    download = client.get(download_url)
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(charlie)
    assert client.get(download_url).status_code == 404
    client.logout()
    assert client.get(download_url).status_code == 302


def test_a_word_file_keeps_the_title_given(client, alice, world):
    client.force_login(alice)
    client.post(
        EVIDENCE, {"title": "Practice week findings", "file": SimpleUploadedFile("f.docx", docx())}
    )
    link = EvidenceLink.objects.get()
    assert (link.title, link.file_name) == ("Practice week findings", "f.docx")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("audit.pdf", b"MZ\x90\x00\x03 a program renamed", "The file must be a PDF, a Word"),
        ("notes.txt", b"plain words", "The file must be a PDF, a Word"),
    ],
)
def test_a_file_of_another_kind_is_refused_and_nothing_is_kept(
    client, alice, world, settings, name, content, message
):
    client.force_login(alice)
    response = client.post(EVIDENCE, {"title": "", "file": SimpleUploadedFile(name, content)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert not EvidenceLink.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(client, alice, world, settings):
    settings.EVIDENCE_MAX_MB = 1
    client.force_login(alice)
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(EVIDENCE, {"title": "", "file": SimpleUploadedFile("big.pdf", big)})
    assert "The file must be 1 MB or smaller" in response.content.decode()
    assert not EvidenceLink.objects.exists()
    assert stored_files(settings) == []


def test_a_file_and_a_web_address_at_once_are_refused(client, alice, world):
    client.force_login(alice)
    response = client.post(
        EVIDENCE,
        {
            "title": "Audit",
            "url": "https://example.org/audit.pdf",
            "file": SimpleUploadedFile("audit.pdf", PDF),
        },
    )
    assert "Give one piece of evidence at a time" in response.content.decode()
    assert not EvidenceLink.objects.exists()


def test_the_lead_member_cannot_add_evidence(client, bob, world, settings):
    client.force_login(bob)
    response = client.post(EVIDENCE, {"title": "", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 403
    assert not EvidenceLink.objects.exists()
    assert stored_files(settings) == []


def test_another_councils_evidence_file_is_not_found(client, alice, charlie, world):
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "", "file": SimpleUploadedFile("a.pdf", PDF)})
    link = EvidenceLink.objects.get()
    client.force_login(charlie)
    assert client.get(f"{EVIDENCE}{link.pk}/file/").status_code == 404
    other = f"/councils/nottingham/self-evaluations/2024/evidence/{link.pk}/file/"
    assert client.get(other).status_code == 404
    client.force_login(alice)
    # A web address is no file to download.
    client.post(EVIDENCE, {"title": "Audit", "url": "https://example.org/audit.pdf"})
    url_link = EvidenceLink.objects.get(url="https://example.org/audit.pdf")
    assert client.get(f"{EVIDENCE}{url_link.pk}/file/").status_code == 404


def test_a_measure_of_the_council_is_evidence_linked_to_its_page(
    client, alice, world, scilly, nottingham
):
    ours = measure(scilly)
    theirs = measure(nottingham, name="Nottingham's own measure")
    client.force_login(alice)
    form = client.get(EVIDENCE).content.decode()
    assert "Re-referrals within 12 months" in form
    assert "Nottingham&#x27;s own measure" not in form and "Nottingham's own" not in form
    response = client.post(EVIDENCE, {"title": "", "measure": theirs.pk})
    assert "Choose one of this council&#x27;s measures" in response.content.decode()
    assert not EvidenceLink.objects.exists()
    response = client.post(EVIDENCE, {"title": "", "measure": ours.pk})
    assert response.status_code == 302
    link = EvidenceLink.objects.get()
    assert (link.title, link.measure, link.measure_name) == (ours.name, ours, ours.name)
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert f'href="{ours.get_absolute_url()}">{ours.name}</a> (impact measure' in page


def test_a_measure_removed_later_is_still_named(client, alice, world, scilly):
    ours = measure(scilly)
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "", "measure": ours.pk})
    measure_remove(measure=ours, user=alice, reason="No longer reported")
    link = EvidenceLink.objects.get()
    assert (link.measure, link.measure_name) == (None, "Re-referrals within 12 months")
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert "Re-referrals within 12 months (impact measure: Re-referrals within 12 months)" in page


def test_a_council_without_measures_is_not_offered_any(client, alice, world):
    client.force_login(alice)
    assert 'name="measure"' not in client.get(EVIDENCE).content.decode()


def test_a_signed_off_self_evaluation_takes_no_new_evidence(client, alice, bob, world, settings):
    for person in (alice, bob):
        client.force_login(person)
        client.post(f"{BASE}/self-evaluations/2024/sign-off/")
    client.force_login(alice)
    response = client.post(EVIDENCE, {"title": "", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert "cannot be changed" in response.content.decode()
    assert not EvidenceLink.objects.exists()


def test_next_years_copy_keeps_the_file_and_the_measure(client, alice, world, scilly):
    ours = measure(scilly)
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "", "file": SimpleUploadedFile("a.pdf", PDF)})
    client.post(EVIDENCE, {"title": "", "measure": ours.pk})
    new = services.self_evaluation_start(
        council=scilly, year=2025, copy_from=world["self_evaluation"]
    )
    copied = list(new.evidence.order_by("pk"))
    assert [c.file_name for c in copied] == ["a.pdf", ""]
    assert copied[0].file.read() == PDF
    assert copied[1].measure == ours


def test_the_pdf_names_each_file_and_measure(client, alice, world, scilly):
    ours = measure(scilly)
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "Case audit", "file": SimpleUploadedFile("march.pdf", PDF)})
    client.post(EVIDENCE, {"title": "Re-referrals", "measure": ours.pk})
    response = client.get(f"{BASE}/self-evaluations/2024/self-evaluation.pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "Case audit (file: march.pdf)" in text
    assert "Re-referrals (impact measure: Re-referrals within 12 months)" in text


# --- Ofsted's letter after the engagement meeting --------------------------------------------

MEETINGS = f"{BASE}/engagement-meetings/new/"


@pytest.mark.parametrize(("name", "content"), [("letter.pdf", PDF), ("letter.docx", docx())])
def test_an_officer_keeps_ofsteds_letter_that_only_the_council_can_open(
    client, alice, bob, charlie, scilly, name, content
):
    client.force_login(alice)
    response = client.post(MEETINGS, meeting_post(letter_file=SimpleUploadedFile(name, content)))
    assert response.status_code == 302
    meeting = EngagementMeeting.objects.get()
    assert meeting.letter_file_name == name
    assert name not in meeting.letter_file.name
    assert meeting.history.get().history_change_reason == f"Ofsted's letter uploaded: {name}"
    letter_url = f"{BASE}/engagement-meetings/{meeting.pk}/letter/"
    client.force_login(bob)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{letter_url}" download>Download the letter</a> ({name})' in page
    assert b"".join(client.get(letter_url).streaming_content) == content
    client.force_login(charlie)
    assert client.get(letter_url).status_code == 404
    client.logout()
    assert client.get(letter_url).status_code == 302


def test_a_letter_that_is_not_a_pdf_or_word_document_is_refused(client, alice, settings):
    client.force_login(alice)
    response = client.post(MEETINGS, meeting_post(letter_file=SimpleUploadedFile("l.png", PNG)))
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The file must be a PDF or a Word document" in html
    assert not EngagementMeeting.objects.exists()
    assert stored_files(settings) == []


def test_a_letter_over_the_limit_is_refused(client, alice, settings):
    settings.EVIDENCE_MAX_MB = 1
    client.force_login(alice)
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(MEETINGS, meeting_post(letter_file=SimpleUploadedFile("l.pdf", big)))
    assert "The file must be 1 MB or smaller" in response.content.decode()
    assert not EngagementMeeting.objects.exists()


def test_the_lead_member_cannot_upload_the_letter(client, bob, settings):
    client.force_login(bob)
    response = client.post(MEETINGS, meeting_post(letter_file=SimpleUploadedFile("l.pdf", PDF)))
    assert response.status_code == 403
    assert not EngagementMeeting.objects.exists()
    assert stored_files(settings) == []


def test_a_meeting_without_a_letter_file_has_none_to_download(client, alice, world):
    client.force_login(alice)
    meeting = world["meeting"]
    assert client.get(f"{BASE}/engagement-meetings/{meeting.pk}/letter/").status_code == 404
    assert "Download the letter" not in client.get(meeting.get_absolute_url()).content.decode()


def test_the_letter_can_come_after_the_meeting_and_replace_one_kept(client, alice, world):
    """The letter follows the meeting by weeks: it is uploaded on the meeting's change page,
    and a second upload replaces the first, the history keeping both names."""
    meeting = world["meeting"]
    edit = f"{BASE}/engagement-meetings/{meeting.pk}/edit/"
    client.force_login(alice)
    assert 'enctype="multipart/form-data"' in client.get(edit).content.decode()

    def post(name, content, version):
        return client.post(
            edit,
            {
                **date_fields("held_on", meeting.held_on),
                "attendees": meeting.attendees,
                "topics": meeting.topics,
                **date_fields("letter_on", meeting.letter_on),
                "letter_summary": meeting.letter_summary,
                "letter_url": meeting.letter_url,
                "focus": meeting.focus,
                "version": version,
                "letter_file": SimpleUploadedFile(name, content),
            },
        )

    assert post("first.pdf", PDF, meeting.version).status_code == 302
    meeting.refresh_from_db()
    assert meeting.letter_file_name == "first.pdf"
    page = client.get(edit).content.decode()
    assert "Or upload the letter again" in page
    assert "It replaces the letter kept now, first.pdf" in page
    # A file of another kind is refused and the letter kept stays.
    response = post("photo.png", PNG, meeting.version)
    assert response.status_code == 200
    assert "a PDF or a Word document" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.letter_file_name, meeting.version) == ("first.pdf", 2)
    assert post("second.docx", docx(), meeting.version).status_code == 302
    meeting.refresh_from_db()
    assert meeting.letter_file_name == "second.docx"
    letter = client.get(f"{BASE}/engagement-meetings/{meeting.pk}/letter/")
    assert b"".join(letter.streaming_content) == docx()
    assert [h.history_change_reason for h in meeting.history.all()[:2]] == [
        "Ofsted's letter uploaded: second.docx",
        "Ofsted's letter uploaded: first.pdf",
    ]


def test_the_history_names_a_file_and_a_measure_as_a_reader_knows_them(
    client, alice, world, scilly
):
    ours = measure(scilly)
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "Audit", "file": SimpleUploadedFile("audit.pdf", PDF)})
    client.post(EVIDENCE, {"title": "", "measure": ours.pk})
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert "File set to audit.pdf" in page
    assert f"Impact measure set to {ours.name}" in page
    # Neither the stored file's path, its type and size, nor a measure "no longer on record".
    assert "no longer on record" not in page
    assert "readiness/" not in page.split('id="history"')[-1]
    assert "Content type" not in page and "Size set to" not in page


def test_evidence_added_by_mistake_is_removed_while_a_draft(client, alice, bob, world, charlie):
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "Wrong file", "file": SimpleUploadedFile("w.pdf", PDF)})
    link = EvidenceLink.objects.get()
    remove = f"{EVIDENCE}{link.pk}/remove/"
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert f'href="{remove}">Remove<span class="govuk-visually-hidden"> Wrong file</span>' in page
    confirm = client.get(remove).content.decode()
    assert "Remove the evidence “Wrong file”?" in confirm
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
    # Read-only roles and other councils cannot.
    client.force_login(bob)
    assert client.post(remove).status_code == 403
    client.force_login(charlie)
    assert client.post(remove).status_code == 404
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
    client.force_login(alice)
    response = client.post(remove)
    assert response.status_code == 302
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert "“Wrong file” is no longer linked as evidence" in page
    assert "Removed the evidence “Wrong file”" in page
    assert "Removed the evidence “Wrong file”. Reason given" not in page
    assert client.post(remove).status_code == 404


def test_a_signed_off_self_evaluations_evidence_stays(client, alice, world):
    client.force_login(alice)
    client.post(EVIDENCE, {"title": "Audit", "url": "https://example.org/audit.pdf"})
    link = EvidenceLink.objects.get()
    now = timezone.now()
    SelfEvaluation.objects.filter(pk=world["self_evaluation"].pk).update(
        director_signed_at=now, lead_member_signed_at=now, signed_off_at=now
    )
    response = client.post(f"{EVIDENCE}{link.pk}/remove/")
    assert "This self-evaluation cannot be changed" in response.content.decode()
    assert EvidenceLink.objects.filter(pk=link.pk).exists()


def test_a_web_address_and_a_measure_at_once_are_told_to_choose_one(client, alice, world, scilly):
    ours = measure(scilly)
    client.force_login(alice)
    response = client.post(
        EVIDENCE, {"title": "", "url": "https://example.org/a.pdf", "measure": ours.pk}
    )
    html = response.content.decode()
    assert "Give one piece of evidence at a time" in html
    assert "Enter the title of the document" not in html
    assert not EvidenceLink.objects.exists()
