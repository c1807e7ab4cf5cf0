"""Officers import an inspection from the Ofsted report PDF: upload, check and correct, save."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.utils.html import escape
from pypdf import PdfReader, PdfWriter

from inspections.models import Inspection, InspectionKind, Judgement, Recommendation

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import (
    CONFIRM,
    REPORTS,
    SAMPLES,
    SCILLY_2023,
    SCILLY_2023_RECOMMENDATIONS,
    SOUTH_TYNESIDE_RECOMMENDATIONS,
    TRAFFORD_RECOMMENDATIONS,
    UPLOAD,
    confirm_post,
    date_fields,
    form_values,
    upload,
)

pytestmark = pytest.mark.django_db


def snapshot():
    """Every inspection, grade and recommendation, so that any change shows."""
    return [
        sorted(map(str, model.objects.values_list()))
        for model in (Inspection, Judgement, Recommendation)
    ]


def texts(inspection):
    return list(inspection.recommendations.values_list("text", flat=True))


# --- The happy path ---------------------------------------------------------------------------


def test_editors_see_the_import_button_and_readers_do_not(client, alice, bob, scilly):
    client.force_login(alice)
    assert (
        "Import from the Ofsted report" in client.get("/councils/isles-of-scilly/").content.decode()
    )
    client.force_login(bob)
    assert "Import from the Ofsted report" not in (
        client.get("/councils/isles-of-scilly/").content.decode()
    )


def test_the_upload_page_asks_for_the_pdf_and_an_optional_publication_date(client, alice):
    client.force_login(alice)
    html = client.get(UPLOAD).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "novalidate" in html
    assert 'type="file"' in html and "govuk-file-upload" in html
    assert "Publication date" in html
    assert "up to 20 MB" in html


def test_the_preview_shows_what_was_read_beside_the_grades(client, alice):
    client.force_login(alice)
    response = upload(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check what was read from the report" in html
    assert "Grades in the report" in html
    assert "11 to 13 July 2023" in html
    assert "Tracey Ledder" in html
    assert "ILACS framework (2023 to March 2026)" in html
    assert "The report says: Requires improvement to be good" in html
    assert 'govuk-tag govuk-tag--red">Inadequate' in html
    assert "This report is for" not in html
    assert "Already recorded" not in html
    values = form_values(response)
    assert values["kind"] == "standard_ilacs"
    assert (values["start_date_0"], values["start_date_1"], values["start_date_2"]) == (
        "11",
        "7",
        "2023",
    )
    assert (values["published_on_0"], values["published_on_2"]) == ("25", "2023")
    assert values["grade_leaders"] == "inadequate"
    assert values["grade_care_leavers"] == "requires_improvement"
    assert [values[f"rec-{i}-text"] for i in range(8)] == SCILLY_2023_RECOMMENDATIONS
    assert values["rec-8-text"] == ""  # room to add one
    assert not Inspection.objects.exists()


def test_an_officer_uploads_corrects_a_field_and_saves_everything(client, alice, scilly):
    client.force_login(alice)
    values = form_values(upload(client))
    values["lead_inspector"] = "Tracey Ledder HMI"
    values["rec-2-text"] = "The quality of strategy discussions."
    values["grade_care_leavers"] = "good"
    response = client.post(CONFIRM, values)

    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inspection.get_absolute_url()
    assert inspection.council == scilly
    assert inspection.kind == InspectionKind.STANDARD_ILACS
    assert (inspection.start_date, inspection.end_date) == (date(2023, 7, 11), date(2023, 7, 13))
    assert inspection.second_start_date is None
    assert inspection.published_on == date(2023, 8, 25)
    assert inspection.lead_inspector == "Tracey Ledder HMI"
    assert inspection.framework.code == "ilacs-2023"
    assert dict(inspection.judgements.values_list("area__key", "grade")) == {
        "leaders": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care": "requires_improvement",
        "care_leavers": "good",
        "overall_effectiveness": "inadequate",
    }
    expected = list(SCILLY_2023_RECOMMENDATIONS)
    expected[2] = "The quality of strategy discussions."
    assert texts(inspection) == expected
    assert list(inspection.recommendations.values_list("position", flat=True)) == list(range(1, 9))
    assert inspection.history.first().history_user == alice

    page = client.get(response["Location"]).content.decode()
    assert "Inspection imported from the Ofsted report" in page
    assert page.count("<li>", page.index("app-recommendations")) >= 8


def test_split_fieldwork_fills_the_second_block(client, alice, scilly):
    client.force_login(alice)
    values = form_values(
        upload(client, "south-tyneside-2023-05-10.pdf", published=("10", "5", "2023"))
    )
    assert (values["second_start_date_0"], values["second_start_date_1"]) == ("14", "2")
    assert (values["second_end_date_0"], values["second_end_date_2"]) == ("15", "2023")
    values["confirm_council"] = "on"
    assert client.post(CONFIRM, values).status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.fieldwork_blocks() == [
        (date(2022, 12, 5), date(2022, 12, 9)),
        (date(2023, 2, 14), date(2023, 2, 15)),
    ]
    assert inspection.framework.code == "ilacs-2018"
    assert dict(inspection.judgements.values_list("area__key", "grade")) == {
        "leaders": "inadequate",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "inadequate",
        "overall_effectiveness": "inadequate",
    }
    assert texts(inspection) == SOUTH_TYNESIDE_RECOMMENDATIONS


def test_a_2026_report_saves_four_grades_and_the_national_framework_references(client, alice):
    client.force_login(alice)
    values = form_values(upload(client, "trafford-2026-08-03.pdf", published=("3", "8", "2026")))
    assert "grade_overall_effectiveness" not in values
    values["confirm_council"] = "on"
    assert client.post(CONFIRM, values).status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.framework.code == "ilacs-2026"
    assert inspection.judgements.count() == 4
    assert [
        (r.text, r.national_framework_reference) for r in inspection.recommendations.all()
    ] == TRAFFORD_RECOMMENDATIONS


def test_a_report_with_no_recommendations_saves_none(client, alice):
    client.force_login(alice)
    response = upload(client, "thurrock-2024-10-29.pdf", published=("29", "10", "2024"))
    assert "The report has no recommendations" in response.content.decode()
    values = form_values(response)
    values["confirm_council"] = "on"
    assert client.post(CONFIRM, values).status_code == 302
    inspection = Inspection.objects.get()
    assert not inspection.recommendations.exists()
    assert set(inspection.judgements.values_list("grade", flat=True)) == {"outstanding"}


def test_updating_from_a_report_with_none_read_keeps_the_recorded_recommendations(client, alice):
    client.force_login(alice)
    values = form_values(upload(client, "thurrock-2024-10-29.pdf", published=("29", "10", "2024")))
    values["confirm_council"] = "on"
    assert client.post(CONFIRM, values).status_code == 302
    inspection = Inspection.objects.get()
    recorded = RecommendationFactory(inspection=inspection, position=1, text="Recorded by hand.")
    action = ActionFactory(recommendation=recorded, title="Audit supervision")

    response = upload(client, "thurrock-2024-10-29.pdf", published=("29", "10", "2024"))
    html = response.content.decode()
    assert "No recommendations were read from the report, so the 1 already recorded" in html
    values = form_values(response)
    assert values["rec-0-text"] == "Recorded by hand."
    values["confirm_council"] = "on"
    assert client.post(CONFIRM, values).status_code == 302
    action.refresh_from_db()
    assert action.recommendation.text == "Recorded by hand."
    assert inspection.recommendations.count() == 1


def test_the_publication_date_is_optional(client, alice):
    client.force_login(alice)
    values = form_values(upload(client, published=("", "", "")))
    assert values["published_on_0"] == ""
    assert client.post(CONFIRM, values).status_code == 302
    assert Inspection.objects.get().published_on is None


def test_an_officer_can_choose_a_short_inspection(client, alice):
    client.force_login(alice)
    assert client.post(CONFIRM, confirm_post(kind="short_ilacs")).status_code == 302
    assert Inspection.objects.get().kind == InspectionKind.SHORT_ILACS


# --- Correcting the preview --------------------------------------------------------------------


def test_a_validation_error_keeps_the_preview_without_uploading_again(client, alice):
    client.force_login(alice)
    values = form_values(upload(client))
    values.update(date_fields("end_date", date(2023, 7, 10)))
    values["lead_inspector"] = "Joy Howick"
    response = client.post(CONFIRM, values)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "The last day of fieldwork must be on or after the first day" in html
    assert "Grades in the report" in html  # what was read is still shown beside the form
    again = form_values(response)
    assert again["lead_inspector"] == "Joy Howick"
    assert again["rec-7-text"] == SCILLY_2023_RECOMMENDATIONS[7]
    assert not Inspection.objects.exists()

    again.update(date_fields("end_date", date(2023, 7, 13)))
    assert client.post(CONFIRM, again).status_code == 302
    assert Inspection.objects.get().lead_inspector == "Joy Howick"


def test_recommendations_can_be_removed_and_added(client, alice):
    client.force_login(alice)
    values = form_values(upload(client))
    values["rec-0-DELETE"] = "on"
    values["rec-8-text"] = "The timeliness of return home interviews."
    values["rec-8-national_framework_reference"] = "outcome 2, national framework"
    assert client.post(CONFIRM, values).status_code == 302
    inspection = Inspection.objects.get()
    assert texts(inspection) == [
        *SCILLY_2023_RECOMMENDATIONS[1:],
        "The timeliness of return home interviews.",
    ]
    assert inspection.recommendations.last().national_framework_reference == (
        "outcome 2, national framework"
    )


def test_add_another_recommendation_adds_a_row_and_saves_nothing(client, alice):
    client.force_login(alice)
    values = form_values(upload(client))
    values["rec-8-text"] = "First added."
    values["rec-9-text"] = "Second added."
    values["add_more"] = "1"
    response = client.post(CONFIRM, values)
    assert response.status_code == 200
    assert "There is a problem" not in response.content.decode()
    again = form_values(response)
    assert again["rec-TOTAL_FORMS"] == "11"
    assert again["rec-10-text"] == ""
    assert not Inspection.objects.exists()
    again["rec-10-text"] = "Third added."
    assert client.post(CONFIRM, again).status_code == 302
    assert texts(Inspection.objects.get())[-3:] == ["First added.", "Second added.", "Third added."]


def test_a_reference_without_its_recommendation_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        CONFIRM, confirm_post(**{"rec-0-text": "", "rec-0-national_framework_reference": "x"})
    )
    assert "Enter the recommendation, or remove its reference" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_corrected_start_date_asks_for_the_grades_of_its_framework(client, alice):
    client.force_login(alice)
    data = confirm_post(**date_fields("start_date", date(2022, 7, 11)))
    data.update(date_fields("end_date", date(2022, 7, 13)))
    response = client.post(CONFIRM, data)
    html = response.content.decode()
    assert "ILACS framework (2018 to 2022)" in html
    assert "Select the grade for children in care and care leavers" in html
    assert not Inspection.objects.exists()


def test_a_start_date_before_ilacs_is_refused(client, alice):
    client.force_login(alice)
    data = confirm_post(**date_fields("start_date", date(2016, 7, 11)))
    data.update(date_fields("end_date", date(2016, 7, 13)))
    html = client.post(CONFIRM, data).content.decode()
    assert "No ILACS framework was in force on 11 July 2016" in html
    assert not Inspection.objects.exists()


def test_free_text_is_escaped_in_the_preview(client, alice):
    payload = "<script>alert(1)</script>"
    client.force_login(alice)
    data = confirm_post(
        lead_inspector=payload,
        **{"rec-0-text": payload, "rec-0-national_framework_reference": payload},
        **date_fields("end_date", date(2023, 7, 1)),
    )
    html = client.post(CONFIRM, data).content.decode()
    assert payload not in html
    assert "&lt;script&gt;" in html


# --- Saving is all or nothing -------------------------------------------------------------------


def test_a_grade_rule_broken_after_the_inspection_was_saved_leaves_nothing(client, alice):
    client.force_login(alice)
    # The inspection row is written first; the grades then fail the hard rule: all rolls back.
    response = client.post(CONFIRM, confirm_post(grade_overall_effectiveness="good"))
    assert response.status_code == 200
    assert "Overall effectiveness must be inadequate when help and protection is inadequate" in (
        response.content.decode()
    )
    assert not Inspection.objects.exists()
    assert not Judgement.objects.exists()
    assert not Recommendation.objects.exists()


def test_a_crash_while_saving_the_recommendations_leaves_nothing(client, alice, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("inspections.services.importing.inspection_set_recommendations", crash)
    client.force_login(alice)
    with pytest.raises(RuntimeError):
        client.post(CONFIRM, confirm_post())
    assert not Inspection.objects.exists()
    assert not Judgement.objects.exists()


# --- The same report twice ------------------------------------------------------------------------


def test_importing_the_same_report_again_offers_an_update_not_a_duplicate(client, alice):
    client.force_login(alice)
    assert client.post(CONFIRM, confirm_post()).status_code == 302
    inspection = Inspection.objects.get()
    first_ids = list(inspection.recommendations.values_list("pk", flat=True))

    response = upload(client)
    html = response.content.decode()
    assert "Already recorded" in html
    assert "Saving will update it" in html
    assert "Update the inspection" in html
    values = form_values(response)
    assert values["update"] == str(inspection.pk)
    values["lead_inspector"] = "Rebecca Quested"
    values["rec-7-text"] = "How consistently the services meet statutory requirements."
    response = client.post(CONFIRM, values)

    assert response.status_code == 302
    assert response["Location"] == inspection.get_absolute_url()
    assert Inspection.objects.count() == 1
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Rebecca Quested"
    # The rows are updated in place, so anything attached to them stays attached.
    assert list(inspection.recommendations.values_list("pk", flat=True)) == first_ids
    assert texts(inspection)[7] == "How consistently the services meet statutory requirements."
    assert Judgement.objects.count() == 5


def test_an_inspection_recorded_by_hand_as_short_is_the_same_inspection(client, alice, scilly):
    existing = InspectionFactory(council=scilly, kind=InspectionKind.SHORT_ILACS, published_on=None)
    client.force_login(alice)
    values = form_values(upload(client))
    assert values["update"] == str(existing.pk)
    assert values["kind"] == "short_ilacs"  # the kind recorded is kept unless changed
    assert client.post(CONFIRM, values).status_code == 302
    existing.refresh_from_db()
    assert Inspection.objects.count() == 1
    assert existing.published_on == date(2023, 8, 25)
    assert existing.recommendations.count() == 8


def test_another_councils_inspection_on_the_same_day_is_not_a_duplicate(client, alice, nottingham):
    InspectionFactory(council=nottingham)
    client.force_login(alice)
    assert "Already recorded" not in upload(client).content.decode()


def test_an_inspection_recorded_meanwhile_is_not_duplicated(client, alice, scilly):
    client.force_login(alice)
    values = form_values(upload(client))
    assert values["update"] == ""
    meanwhile = InspectionFactory(council=scilly, lead_inspector="Someone else")

    response = client.post(CONFIRM, values)
    html = response.content.decode()
    assert response.status_code == 200
    assert "already has an inspection that started on 11 July 2023" in html
    assert Inspection.objects.count() == 1
    meanwhile.refresh_from_db()
    assert meanwhile.lead_inspector == "Someone else"

    again = form_values(response)
    assert again["update"] == str(meanwhile.pk)
    assert client.post(CONFIRM, again).status_code == 302
    meanwhile.refresh_from_db()
    assert meanwhile.lead_inspector == "Tracey Ledder"
    assert Inspection.objects.count() == 1


# --- Another council's report --------------------------------------------------------------------


def test_a_report_for_another_council_is_flagged_and_needs_confirming(client, alice):
    client.force_login(alice)
    response = upload(client, "trafford-2026-08-03.pdf", published=("3", "8", "2026"))
    html = response.content.decode()
    assert "This report is for Trafford, not Isles of Scilly" in html
    assert "Not Isles of Scilly" in html
    values = form_values(response)
    assert "confirm_council" not in values

    response = client.post(CONFIRM, values)
    assert response.status_code == 200
    assert "This report is for Trafford, not Isles of Scilly: confirm that it belongs here" in (
        response.content.decode()
    )
    assert not Inspection.objects.exists()

    values["confirm_council"] = "on"
    assert client.post(CONFIRM, values).status_code == 302
    assert Inspection.objects.get().council.slug == "isles-of-scilly"


# --- Files that are refused ---------------------------------------------------------------------


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def random_pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(
        string="<h1>Parish newsletter</h1><p>The summer fete raised 412 pounds for the "
        "lifeboat. Inspection dates for the allotments: 3 to 5 June 2024.</p>"
    ).write_pdf()


def encrypted_report() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(REPORTS / "thurrock-2024-10-29.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_FILES = {
    "a random pdf": (
        random_pdf,
        "This PDF is not an Ofsted inspection report of local authority children's services.",
    ),
    "a blank pdf": (blank_pdf, "This PDF has no readable text"),
    "a text file renamed .pdf": (
        lambda: b"Minutes of the scrutiny committee, 4 March 2024\n",
        "This file is not a PDF.",
    ),
    "an empty file": (lambda: b"", "The selected file is empty"),
    "a 50 MB file": (
        lambda: b"%PDF-1.4\n" + bytes(50 * 1024 * 1024),
        "The file is larger than the 20 MB limit.",
    ),
    "an encrypted pdf": (encrypted_report, "This PDF is password-protected."),
    "a truncated report": (
        lambda: (REPORTS / SCILLY_2023).read_bytes()[:40_000],
        "This PDF is incomplete",
    ),
    "a sif report": (
        lambda: (SAMPLES / "sif_report.pdf").read_bytes(),
        "This is a single inspection framework (SIF) report",
    ),
    "a focused visit letter": (
        lambda: (SAMPLES / "focused_visit.pdf").read_bytes(),
        "This is an Ofsted focused visit, monitoring visit or joint targeted area inspection",
    ),
    "committee minutes": (
        lambda: (SAMPLES / "committee_minutes.pdf").read_bytes(),
        "This PDF is not an Ofsted inspection report",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_a_message_and_nothing_saved(client, alice, kind):
    make, message = BAD_FILES[kind]
    client.force_login(alice)
    before = snapshot()
    response = upload(client, "report.pdf", data=make())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import from the Ofsted report" in html
    assert "There is a problem" in html
    assert escape(message) in html
    assert 'href="#id_report"' in html  # the summary links to the file input
    assert "Check what was read" not in html
    assert snapshot() == before


def test_a_huge_upload_is_refused_by_its_size_before_it_is_read(client, alice, monkeypatch):
    def must_not_parse(data):
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr("inspections.importing.parse_report", must_not_parse)
    client.force_login(alice)
    response = upload(client, "huge.pdf", data=b"%PDF-1.4\n" + bytes(50 * 1024 * 1024))
    assert "The file is larger than the 20 MB limit." in response.content.decode()


def test_the_size_limit_follows_the_setting(client, alice, settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 100 * 1024
    client.force_login(alice)
    response = upload(client)  # about 300 KB
    html = response.content.decode()
    assert "up to 100 KB" in html
    assert "The file is larger than the 100 KB limit." in html
    assert not Inspection.objects.exists()


def test_no_file_is_asked_for(client, alice):
    client.force_login(alice)
    response = client.post(
        UPLOAD, {"published_on_0": "", "published_on_1": "", "published_on_2": ""}
    )
    assert "Choose the Ofsted report PDF" in response.content.decode()


def test_a_bad_publication_date_is_refused_with_the_file(client, alice):
    client.force_login(alice)
    response = upload(client, published=("31", "2", "2023"))
    assert "The publication date must be a real date" in response.content.decode()
    assert "Check what was read" not in response.content.decode()


def test_a_tampered_preview_is_refused(client, alice):
    client.force_login(alice)
    data = confirm_post()
    data["report"] = data["report"][:-2] + "xx"
    response = client.post(CONFIRM, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This preview has expired or could not be read: upload the report again" in html
    assert not Inspection.objects.exists()


def test_an_expired_preview_is_refused(client, alice):
    client.force_login(alice)
    data = confirm_post()
    with time_machine.travel(date.today() + timedelta(days=2)):
        client.force_login(alice)
        html = client.post(CONFIRM, data).content.decode()
    assert "This preview has expired" in html
    assert not Inspection.objects.exists()


# --- Who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["bob", "sam"])
def test_read_only_roles_get_403_on_every_import_url(client, request, reader):
    client.force_login(request.getfixturevalue(reader))
    before = snapshot()
    assert client.get(UPLOAD).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(CONFIRM, confirm_post()).status_code == 403
    assert snapshot() == before


def test_another_councils_officer_gets_404_on_every_import_url(client, charlie, scilly):
    client.force_login(charlie)
    before = snapshot()
    assert client.get(UPLOAD).status_code == 404
    assert upload(client).status_code == 404
    assert client.post(CONFIRM, confirm_post()).status_code == 404
    assert snapshot() == before


def test_the_confirmation_refuses_get(client, alice):
    client.force_login(alice)
    assert client.get(CONFIRM).status_code == 405
