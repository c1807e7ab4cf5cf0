"""Officers record inspections, grades and recommendations; others read them."""

from datetime import date

import pytest

from inspections.models import Inspection, Judgement, Recommendation
from inspections.services import inspection_set_judgements

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import SPLIT_GRADES, date_fields, inspection_post

pytestmark = pytest.mark.django_db


def test_the_council_page_lists_inspections_with_latest_grades(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    client.force_login(alice)
    response = client.get(f"/councils/{scilly.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Standard ILACS inspection" in html
    assert "11 to 13 July 2023" in html
    assert 'govuk-tag govuk-tag--red">Inadequate' in html
    assert "Requires improvement to be good" in html
    assert "Record an inspection" in html


def test_an_officer_records_an_inspection_then_its_grades_then_recommendations(
    client, alice, scilly
):
    client.force_login(alice)
    response = client.post(f"/councils/{scilly.slug}/inspections/new/", inspection_post())
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/grades/?setup=1"
    )
    assert inspection.framework.code == "ilacs-2023"

    response = client.post(response["Location"], SPLIT_GRADES)
    assert response.status_code == 302
    assert response["Location"].endswith("/recommendations/?setup=1")
    assert Judgement.objects.filter(inspection=inspection).count() == 5

    response = client.post(
        response["Location"],
        {
            "rec-TOTAL_FORMS": "2",
            "rec-INITIAL_FORMS": "0",
            "rec-0-text": "The quality of strategy discussions.",
            "rec-0-national_framework_reference": "",
            "rec-1-text": "The oversight of corporate parenting arrangements.",
            "rec-1-national_framework_reference": "outcome 2, national framework",
        },
    )
    assert response.status_code == 302
    assert [
        (r.position, r.text, r.national_framework_reference) for r in Recommendation.objects.all()
    ] == [
        (1, "The quality of strategy discussions.", ""),
        (2, "The oversight of corporate parenting arrangements.", "outcome 2, national framework"),
    ]
    page = client.get(f"/councils/{scilly.slug}/").content.decode()
    assert "11 to 13 July 2023" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            date_fields("end_date", ("10", "7", "2023")),
            "The last day of fieldwork must be on or after the first day",
        ),
        (
            date_fields("published_on", ("12", "7", "2023")),
            "The publication date must be after fieldwork ends",
        ),
        (
            date_fields("start_date", ("31", "2", "2023")),
            "The first day of fieldwork must be a real date",
        ),
        (
            date_fields("start_date", ("", "7", "2023")),
            "The first day of fieldwork must include a day",
        ),
        (date_fields("start_date", ("", "", "")), "Enter the first day of fieldwork"),
        ({"kind": "inspection_by_post"}, "Select a graded inspection"),
        (
            date_fields("second_start_date", ("1", "9", "2023")),
            "Enter both days of the second fieldwork block",
        ),
        ({"report_url": "not a web address"}, "Enter a web address like https://..."),
        (
            date_fields("start_date", ("1", "6", "2030"))
            | date_fields("end_date", ("5", "6", "2030")),
            "The first day of fieldwork must be today or in the past",
        ),
        (
            date_fields("published_on", ("1", "1", "2031")),
            "The publication date must be today or in the past",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, alice, scilly, overrides, message
):
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/new/", inspection_post(**overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Inspection.objects.exists()


def test_editing_with_bad_dates_changes_nothing(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/edit/",
        inspection_post(**date_fields("published_on", ("1", "1", "2023"))),
    )
    assert response.status_code == 200
    inspection.refresh_from_db()
    assert inspection.published_on == date(2023, 8, 25)


def test_the_hard_grade_rule_is_shown_in_the_error_summary(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/grades/",
        SPLIT_GRADES | {"overall_effectiveness": "requires_improvement"},
    )
    assert response.status_code == 200
    assert "Overall effectiveness must be inadequate when help and protection is inadequate" in (
        response.content.decode()
    )
    assert not inspection.judgements.exists()


def test_a_missing_grade_is_asked_for_by_name(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    client.force_login(alice)
    data = dict(SPLIT_GRADES)
    del data["care_leavers"]
    response = client.post(f"/councils/{scilly.slug}/inspections/{inspection.pk}/grades/", data)
    assert "Select the grade for care leavers" in response.content.decode()
    assert not inspection.judgements.exists()


def test_a_soft_rule_is_shown_as_a_warning_on_the_inspection_page(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/grades/",
        SPLIT_GRADES
        | {
            "help_and_protection": "good",
            "overall_effectiveness": "requires_improvement",
            "care_leavers": "inadequate",
        },
        follow=True,
    )
    assert inspection.judgements.count() == 5
    # Said at once, on the page the save leads to, as well as whenever the inspection is shown.
    said = response.content.decode()
    assert "Important" in said and "Check this against the report: A judgement on" in said
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "govuk-warning-text" in page
    assert "Ofsted has always graded overall effectiveness inadequate" in page


def test_an_inspection_without_an_overall_grade_says_so(client, alice, scilly):
    inspection = InspectionFactory(
        council=scilly, start_date=date(2026, 5, 4), end_date=date(2026, 5, 15), published_on=None
    )
    client.force_login(alice)
    page = client.get(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/grades/"
    ).content.decode()
    assert "Overall effectiveness" not in page
    assert "The experiences and progress of care leavers" in page


def test_recommendations_can_be_changed_removed_and_reordered(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    first = RecommendationFactory(inspection=inspection, position=1, text="First.")
    second = RecommendationFactory(inspection=inspection, position=2, text="Second.")
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/recommendations/",
        {
            "rec-TOTAL_FORMS": "3",
            "rec-INITIAL_FORMS": "2",
            "rec-0-id": first.pk,
            "rec-0-text": "First, reworded.",
            "rec-0-DELETE": "on",
            "rec-1-id": second.pk,
            "rec-1-text": "Second.",
            "rec-2-text": "Third.",
        },
    )
    assert response.status_code == 302
    assert list(inspection.recommendations.values_list("position", "text")) == [
        (1, "Second."),
        (2, "Third."),
    ]
    assert inspection.recommendations.get(position=1).pk == second.pk


def test_reordering_recommendations_moves_each_with_its_actions(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    first = RecommendationFactory(inspection=inspection, position=1, text="Supervision.")
    second = RecommendationFactory(inspection=inspection, position=2, text="Chronologies.")
    action = ActionFactory(recommendation=second, title="Chronology in every record")
    client.force_login(alice)
    url = f"/councils/{scilly.slug}/inspections/{inspection.pk}/recommendations/"
    page = client.get(url).content.decode()
    assert "Position in the report" in page
    response = client.post(
        url,
        {
            "rec-TOTAL_FORMS": "2",
            "rec-INITIAL_FORMS": "2",
            "rec-0-id": first.pk,
            "rec-0-text": "Supervision.",
            "rec-0-ORDER": "2",
            "rec-1-id": second.pk,
            "rec-1-text": "Chronologies.",
            "rec-1-ORDER": "1",
        },
    )
    assert response.status_code == 302
    assert list(inspection.recommendations.values_list("position", "text")) == [
        (1, "Chronologies."),
        (2, "Supervision."),
    ]
    action.refresh_from_db()
    assert action.recommendation.text == "Chronologies."


def test_emptying_a_recommendations_box_asks_to_tick_remove_and_changes_nothing(
    client, alice, scilly
):
    inspection = InspectionFactory(council=scilly)
    first = RecommendationFactory(inspection=inspection, position=1, text="Supervision.")
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/recommendations/",
        {
            "rec-TOTAL_FORMS": "1",
            "rec-INITIAL_FORMS": "1",
            "rec-0-id": first.pk,
            "rec-0-text": "",
        },
    )
    assert response.status_code == 200
    assert "Enter the recommendation, or tick the box to remove it" in response.content.decode()
    assert inspection.recommendations.get().text == "Supervision."


def test_zero_recommendations_is_valid(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    RecommendationFactory(inspection=inspection)
    client.force_login(alice)
    response = client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/recommendations/",
        {"rec-TOTAL_FORMS": "0", "rec-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    assert not inspection.recommendations.exists()
    assert (
        "No recommendations recorded" in client.get(inspection.get_absolute_url()).content.decode()
    )


def test_read_only_roles_see_no_edit_controls(client, bob, scilly):
    inspection = InspectionFactory(council=scilly)
    client.force_login(bob)
    for url in (f"/councils/{scilly.slug}/", inspection.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Record an inspection" not in html
        assert "/edit/" not in html and "/grades/" not in html and "/recommendations/" not in html


def test_free_text_is_escaped_on_every_page(client, alice, scilly):
    payload = "<script>alert(1)</script>"
    inspection = InspectionFactory(council=scilly, lead_inspector=payload)
    RecommendationFactory(inspection=inspection, text=payload, national_framework_reference=payload)
    client.force_login(alice)
    for url in (
        inspection.get_absolute_url(),
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/edit/",
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/recommendations/",
    ):
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;" in html


def test_the_history_records_who_changed_an_inspection(client, alice, scilly):
    inspection = InspectionFactory(council=scilly)
    client.force_login(alice)
    client.post(
        f"/councils/{scilly.slug}/inspections/{inspection.pk}/edit/",
        inspection_post(lead_inspector="Joy Howick"),
    )
    latest = inspection.history.first()
    assert latest.history_user == alice
    assert latest.lead_inspector == "Joy Howick"
    assert latest.prev_record.lead_inspector == ""


@pytest.mark.parametrize(
    "kind, words",
    [
        ("standard_ilacs", "standard ILACS inspection"),
        ("jtai", "joint targeted area inspection (JTAI)"),
        ("sif", "single inspection framework (SIF) inspection"),
        ("focused_visit", "focused visit"),
    ],
)
def test_the_kind_of_inspection_keeps_its_acronyms_inside_a_sentence(kind, words):
    assert Inspection(kind=kind).kind_in_sentence() == words
