"""The scrutiny pack's cover: the committee, its meeting, the agenda item, the report's author and
the recommendation to the committee, set on the pack's page, kept per council and shown on the
PDF's first page and at the top of the web page."""

import io
import re
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from PIL import Image

from councils.models import Council
from inspections.services import inspection_set_judgements
from reports.models import PackCover, PackJob
from reports.pack import pack_pdf
from reports.services import pack_cover_save, pack_job_run

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import SPLIT_GRADES, date_fields, pdf_text, snapshot

pytestmark = pytest.mark.django_db

PAGE = "/councils/isles-of-scilly/pack/"
COVER = "/councils/isles-of-scilly/pack/cover/"
COMMITTEE = "Children and Young People's Scrutiny Committee"
RECOMMENDATION = (
    "That the committee notes the progress made against the improvement plan and asks for a "
    "report on the overdue actions at its next meeting."
)


def cover_post(**overrides) -> dict:
    data = {
        "committee": COMMITTEE,
        **date_fields("meeting_date", date(2027, 1, 14)),
        "agenda_item": "Item 6",
        "author": "Jane Smith, Head of Improvement",
        "recommendation": RECOMMENDATION,
    }
    return data | overrides


def saved_cover(council, **overrides) -> PackCover:
    values = {
        "committee": COMMITTEE,
        "meeting_date": date(2027, 1, 14),
        "agenda_item": "Item 6",
        "author": "Jane Smith, Head of Improvement",
        "recommendation": RECOMMENDATION,
    }
    return pack_cover_save(council=council, user=None, **(values | overrides))


@pytest.fixture
def inspection(scilly):
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    RecommendationFactory(inspection=inspection, position=1, text="Strategy discussions.")
    return inspection


def words(text: str) -> str:
    return " ".join(text.split())


# --- The form on the pack's page -----------------------------------------------------------------


def test_an_officer_saves_the_cover_and_finds_it_filled_in_next_time(client, alice, scilly):
    client.force_login(alice)
    page = client.get(PAGE).content.decode()
    assert f'action="{COVER}"' in page
    assert "Add a cover page for the committee" in page

    response = client.post(COVER, cover_post())
    assert response.status_code == 302
    assert response["Location"] == PAGE
    cover = PackCover.objects.get(council=scilly)
    assert (cover.committee, cover.meeting_date, cover.agenda_item) == (
        COMMITTEE,
        date(2027, 1, 14),
        "Item 6",
    )
    assert cover.author == "Jane Smith, Head of Improvement"
    assert cover.recommendation == RECOMMENDATION

    page = client.get(response["Location"]).content.decode()
    assert "Cover page saved" in page
    assert "govuk-notification-banner--success" in page
    assert "Change the cover page" in page
    # Remembered: the form comes back filled in, the date in its three boxes.
    assert re.search(r'name="committee"[^>]*value="Children and Young People&#x27;s', page)
    for name, value in (
        ("meeting_date_0", "14"),
        ("meeting_date_1", "1"),
        ("meeting_date_2", "2027"),
    ):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', page), name
    assert re.search(r'name="agenda_item"[^>]*value="Item 6"', page)
    assert RECOMMENDATION in page


def test_saving_again_changes_the_one_cover_and_each_change_is_in_the_history(
    client, alice, dina, scilly
):
    client.force_login(alice)
    client.post(COVER, cover_post())
    client.force_login(dina)
    client.post(COVER, cover_post(agenda_item="Item 7", **date_fields("meeting_date", None)))
    cover = PackCover.objects.get(council=scilly)
    assert cover.agenda_item == "Item 7"
    assert cover.meeting_date is None
    history = list(cover.history.order_by("history_date"))
    assert [(h.history_user, h.history_change_reason, h.agenda_item) for h in history] == [
        (alice, "Recorded", "Item 6"),
        (dina, "Changed", "Item 7"),
    ]


def test_the_page_keeps_its_inspection_and_date_after_saving(client, alice, scilly, inspection):
    client.force_login(alice)
    query = f"?inspection={inspection.pk}&since=2024-01-01"
    page = client.get(f"{PAGE}{query}").content.decode()
    assert f'action="{COVER}{query.replace("&", "&amp;")}"' in page
    response = client.post(f"{COVER}{query}", cover_post())
    assert response["Location"] == f"{PAGE}{query}"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (date_fields("meeting_date", ("31", "2", "2026")), "meeting_date_0",
         "The date of the meeting must be a real date, like 25 8 2023"),
        (date_fields("meeting_date", ("14", "", "2027")), "meeting_date_0",
         "The date of the meeting must include a month"),
        ({"committee": "  "}, "committee", "Enter the name of the committee"),
        ({"agenda_item": "x" * 101}, "agenda_item",
         "The agenda item must be 100 characters or fewer"),
        ({"recommendation": "x" * 2001}, "recommendation",
         "The recommendation to the committee must be 2000 characters or fewer"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_on_its_field_and_changes_nothing(
    client, alice, scilly, changes, field, message
):
    saved_cover(scilly, agenda_item="Item 2")
    client.force_login(alice)
    before = snapshot()
    response = client.post(COVER, cover_post(**changes))
    assert response.status_code == 400
    assert snapshot() == before
    html = response.content.decode()
    assert "<title>Error: Scrutiny pack" in html
    # In the error summary, linked to its field, and beside the field itself.
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert re.search(rf'class="govuk-error-message">.*?{re.escape(message)}', html)
    assert re.search(
        r"<details class=\"govuk-details\" open>\s*<summary[^>]*><span[^>]*>Change", html
    )
    # What was typed stays in the form to be put right.
    for name, value in changes.items():
        if name.startswith("meeting_date_") and value:
            assert re.search(rf'name="{name}"[^>]*value="{value}"', html), name


def test_lead_members_and_scrutiny_members_read_the_cover_but_cannot_change_it(
    client, bob, sam, scilly, inspection
):
    saved_cover(scilly)
    for person in (bob, sam):
        client.force_login(person)
        page = client.get(PAGE).content.decode()
        assert COMMITTEE.replace("'", "&#x27;") in page
        assert "Recommendation to the committee" in page
        assert COVER not in page
        assert 'name="committee"' not in page
        before = snapshot()
        assert client.post(COVER, cover_post(agenda_item="Item 9")).status_code == 403
        assert snapshot() == before


def test_another_councils_person_gets_not_found(client, charlie, scilly):
    client.force_login(charlie)
    before = snapshot()
    assert client.post(COVER, cover_post()).status_code == 404
    assert snapshot() == before
    assert not PackCover.objects.exists()


def test_each_council_keeps_its_own_cover(client, alice, charlie, scilly, nottingham):
    saved_cover(scilly)
    client.force_login(charlie)
    client.post("/councils/nottingham/pack/cover/", cover_post(committee="Nottingham's committee"))
    assert PackCover.objects.get(council=scilly).committee == COMMITTEE
    assert PackCover.objects.get(council=nottingham).committee == "Nottingham's committee"
    page = client.get("/councils/nottingham/pack/").content.decode()
    front = page[page.index('id="cover"') : page.index("</div>", page.index('id="cover"'))]
    assert "Nottingham&#x27;s committee" in front and "Young People" not in front


def test_the_cover_is_not_asked_for_by_get(client, alice, scilly):
    client.force_login(alice)
    assert client.get(COVER).status_code == 405


# --- The PDF and the web page -------------------------------------------------------------------


def first_page(pdf: bytes) -> str:
    return words(pdf_text(pdf).split("\f")[0])


def test_the_packs_first_page_pictured_with_pdftoppm_shows_the_committee_front_matter(
    scilly, inspection, tmp_path
):
    saved_cover(scilly)
    pdf = pack_pdf(council=scilly)
    text = first_page(pdf)
    assert COMMITTEE in text
    assert "Meeting of 14 January 2027" in text
    assert "Agenda item: Item 6" in text
    assert "Isles of Scilly: Ofsted improvement plan" in text
    assert "Report author: Jane Smith, Head of Improvement" in text
    assert "Recommendation to the committee" in text
    assert words(RECOMMENDATION) in text
    # The front matter comes in a committee report's order.
    order = [COMMITTEE, "Meeting of", "Agenda item", "Ofsted improvement plan", "Report author"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)
    # The generic line of a pack with no cover gives way to the committee's own.
    assert "children's services scrutiny committee" not in text
    # Page 2 is the contents: the cover did not run over.
    assert words(pdf_text(pdf).split("\f")[1]).startswith("Contents")

    (tmp_path / "pack.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-png", "-r", "50", "pack.pdf", "cover"],
        cwd=tmp_path,
        check=True,
    )
    [picture] = tmp_path.glob("cover*.png")
    image = Image.open(picture).convert("L")
    width, height = image.size  # A4 at 50 dots an inch
    assert abs(width - 413) <= 2 and abs(height - 585) <= 2, image.size
    dark = sum(1 for value in image.get_flattened_data() if value < 128)
    assert dark > 2000, f"only {dark} dark pixels: the page is nearly blank"
    # The committee's name sits above the title: ink in the top third of the page.
    top = image.crop((0, 0, image.width, image.height // 3))
    assert sum(1 for value in top.get_flattened_data() if value < 128) > 300


def test_a_pack_with_no_cover_saved_reads_well(client, bob, scilly, inspection):
    pdf = pack_pdf(council=scilly)
    text = first_page(pdf)
    assert "Prepared for Isles of Scilly's children's services scrutiny committee" in text
    for label in ("Meeting of", "Agenda item", "Report author", "Recommendation to the committee"):
        assert label not in text
    client.force_login(bob)
    page = client.get(PAGE).content.decode()
    for label in ("Meeting of", "Agenda item:", "Report author", "Recommendation to the committee"):
        assert label not in page
    assert "Isles of Scilly's children's services scrutiny committee" in page


def test_a_cover_with_only_the_committee_shows_no_empty_labels(scilly, inspection):
    pack_cover_save(council=scilly, user=None, committee=COMMITTEE)
    text = first_page(pack_pdf(council=scilly))
    assert COMMITTEE in text
    for label in ("Meeting of", "Agenda item", "Report author", "Recommendation to the committee"):
        assert label not in text


def test_the_web_page_shows_the_same_front_matter_at_the_top(client, sam, scilly, inspection):
    saved_cover(scilly, recommendation=f"{RECOMMENDATION}\n\nThat the committee thanks the staff.")
    client.force_login(sam)
    html = client.get(PAGE).content.decode()
    top = html[html.index("<h1") : html.index('id="judgements"')]
    text = words(re.sub(r"<[^>]+>", " ", top)).replace("&#x27;", "'")
    for part in (
        COMMITTEE,
        "Meeting of 14 January 2027",
        "Agenda item: Item 6",
        "Report author: Jane Smith, Head of Improvement",
        "Recommendation to the committee",
        words(RECOMMENDATION),
        "That the committee thanks the staff.",
    ):
        assert part in text, part
    # Each paragraph of the recommendation is a paragraph of the page.
    assert '<p class="govuk-body">That the committee thanks the staff.</p>' in top


def test_the_cover_text_is_escaped_in_the_page_and_plain_in_the_pdf(
    client, bob, scilly, inspection
):
    saved_cover(scilly, committee="<script>alert(1)</script> Committee")
    client.force_login(bob)
    html = client.get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Committee" in html
    assert "<script>alert(1)</script> Committee" in first_page(pack_pdf(council=scilly))


def test_a_pack_built_in_the_background_has_the_same_cover(scilly, alice, inspection):
    saved_cover(scilly)
    job = PackJob.objects.create(council=scilly, requested_by=alice)
    pack_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == PackJob.Status.DONE
    text = first_page(bytes(job.pdf))
    for part in (COMMITTEE, "Meeting of 14 January 2027", "Agenda item: Item 6", "Report author"):
        assert part in text
    assert words(RECOMMENDATION) in text


def test_the_demo_councils_have_a_cover(db):
    call_command("load_demo", stdout=io.StringIO())
    covers = {c.council.slug: c for c in PackCover.objects.select_related("council")}
    assert set(covers) == {"isles-of-scilly", "nottingham", "barking-and-dagenham"}
    scilly = covers["isles-of-scilly"]
    assert scilly.committee and scilly.agenda_item and scilly.author and scilly.recommendation
    assert scilly.meeting_date.weekday() == 3  # a Thursday
    assert scilly.history.count() == 1
    # Loading again leaves each cover as it was.
    call_command("load_demo", stdout=io.StringIO())
    assert PackCover.objects.count() == 3
    council = Council.objects.get(slug="isles-of-scilly")
    assert COMMITTEE in first_page(pack_pdf(council=council))


def test_the_prepare_page_of_a_large_pack_sends_officers_to_set_the_cover_first(
    client, alice, sam, scilly, inspection, settings
):
    settings.PACK_DIRECT_MAX_ACTIONS = 0
    ActionFactory(recommendation=inspection.recommendations.get())
    client.force_login(alice)
    html = client.get("/councils/isles-of-scilly/pack.pdf").content.decode()
    assert "Prepare the scrutiny pack (PDF)" in html
    assert "set them on the pack's web page</a> before you prepare it" in html
    client.force_login(sam)
    html = client.get("/councils/isles-of-scilly/pack.pdf").content.decode()
    assert "Prepare the scrutiny pack (PDF)" in html
    assert "web page</a> before you prepare it" not in html
