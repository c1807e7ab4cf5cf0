"""The "Record a visit" page, and what a visit's page shows of its cycle."""

import re
from datetime import date

import pytest

from actions.models import Action
from inspections.models import Inspection, Milestone
from inspections.services import milestone_add_agreed

from .factories import ActionFactory, RecommendationFactory
from .helpers import inspection_post, record, visit_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def scilly_2023(scilly, django_capture_on_commit_callbacks):
    """Inadequate, with a monitoring visit agreed with Ofsted for 12 June 2024."""
    inspection = record(scilly, django_capture_on_commit_callbacks)
    milestone_add_agreed(inspection=inspection, key="monitoring_visit", due_on=date(2024, 6, 12))
    return inspection


def url(council, query=""):
    return f"/councils/{council.slug}/visits/new/{query}"


def snapshot():
    return (
        sorted(Inspection.all_objects.values_list("pk", "kind", "start_date")),
        sorted(Milestone.objects.values_list("pk", "done_on", "fulfilled_by_id")),
    )


def test_the_form_asks_for_a_visit_in_the_live_cycle(client, alice, scilly, scilly_2023):
    client.force_login(alice)
    html = client.get(url(scilly)).content.decode()
    assert '<h1 class="govuk-heading-l">Record a visit</h1>' in html
    for kind in ("Monitoring visit", "Focused visit", "Joint targeted area inspection (JTAI)"):
        assert kind in html
    assert "Standard ILACS inspection</label>" not in html
    assert f'<option value="{scilly_2023.pk}" selected>' in html
    assert "Did the letter set priority actions?" in html


def test_a_link_from_an_inspection_chooses_its_cycle(
    client, alice, scilly, scilly_2023, django_capture_on_commit_callbacks
):
    older = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=None,
        start_date=date(2019, 3, 4),
        end_date=date(2019, 3, 8),
        published_on=date(2019, 4, 10),
    )
    client.force_login(alice)
    html = client.get(url(scilly, f"?cycle={older.pk}")).content.decode()
    assert f'<option value="{older.pk}" selected>' in html
    # Offered on the live inspection; a superseded one's cycle has ended.
    assert "Record a visit that follows this inspection" in (
        client.get(scilly_2023.get_absolute_url()).content.decode()
    )
    assert "Record a visit that follows this inspection" not in (
        client.get(older.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("value", ["999999", "abc", "", "nottingham"])
def test_an_unknown_cycle_in_the_link_is_not_found(
    client, alice, scilly, nottingham, scilly_2023, django_capture_on_commit_callbacks, value
):
    if value == "nottingham":
        value = str(record(nottingham, django_capture_on_commit_callbacks).pk)
    client.force_login(alice)
    assert client.get(url(scilly, f"?cycle={value}")).status_code == 404


def test_an_officer_records_a_monitoring_visit_that_fulfils_the_agreed_one(
    client, alice, scilly, scilly_2023
):
    client.force_login(alice)
    response = client.post(
        url(scilly), visit_post(scilly_2023.pk, priority_areas="Strategy discussions\n\nPlans\n")
    )
    visit = Inspection.objects.get(kind="monitoring_visit")
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert visit.cycle == scilly_2023
    assert visit.findings == "Leaders have made progress."
    milestone = Milestone.objects.get(fulfilled_by=visit)
    assert (milestone.key, milestone.source, milestone.done_on) == (
        "monitoring_visit",
        "agreed",
        date(2024, 6, 11),
    )

    html = client.get(visit.get_absolute_url()).content.decode()
    assert "Monitoring visit recorded" in html
    # February's first monitoring visit was also waiting: the message says which was chosen.
    assert "It fulfils the monitoring visit due Wed 12 Jun 2024, the nearest of those" in html
    assert "still waiting: February 2024" in html
    assert f'href="{scilly_2023.get_absolute_url()}">The standard ILACS inspection of' in html
    assert "Monitoring visit, due Wed 12 Jun 2024</a>" in html
    assert "<li>Strategy discussions</li>" in html and "<li>Plans</li>" in html
    assert "Letter published" in html
    # Not graded: no grades to record.
    assert "/grades/" not in html

    timeline = client.get(scilly_2023.get_absolute_url()).content.decode()
    assert f'href="{visit.get_absolute_url()}">by the monitoring visit of 11 to 12 June 2024' in (
        timeline
    )


def test_a_monitoring_visit_with_nothing_waiting_is_recorded_with_a_warning(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    good = record(scilly, django_capture_on_commit_callbacks, grades=None)
    client.force_login(alice)
    response = client.post(url(scilly), visit_post(good.pk), follow=True)
    html = response.content.decode()
    assert "No monitoring visit was waiting" in html
    assert Inspection.objects.filter(kind="monitoring_visit", cycle=good).exists()
    assert not Milestone.objects.filter(fulfilled_by__isnull=False).exists()


def test_a_focused_visit_letter_with_priority_actions_sets_its_deadlines(
    client, alice, scilly, scilly_2023, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(scilly),
            visit_post(scilly_2023.pk, kind="focused_visit", priority_actions="yes"),
        )
    visit = Inspection.objects.get(kind="focused_visit")
    assert visit.deadline_settings.priority_actions is True
    # 20 and 70 working days after the letter of Wednesday 10 July 2024.
    assert list(visit.milestones.values_list("key", "due_on")) == [
        ("draft_action_plan", date(2024, 8, 7)),
        ("action_plan", date(2024, 10, 17)),
    ]
    assert not Milestone.objects.filter(fulfilled_by__isnull=False).exists()
    html = client.get(visit.get_absolute_url()).content.decode()
    assert '<time datetime="2024-08-07">' in html and '<time datetime="2024-10-17">' in html


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"start_date_0": "12", "start_date_1": "7", "start_date_2": "2023"},
            "The visit must start after the fieldwork of the inspection it follows, which ended "
            "on 13 July 2023",
        ),
        (
            {"published_on_0": "1", "published_on_1": "6", "published_on_2": "2024"},
            "The publication date must be after fieldwork ends",
        ),
        ({"kind": "focused_visit", "priority_actions": ""}, "Select whether the letter set"),
        ({"priority_actions": "yes"}, "Only a focused visit or a JTAI letter sets priority"),
        ({"kind": "standard_ilacs"}, "Select a monitoring visit, a focused visit or a JTAI"),
        ({"cycle": "999999"}, "Select one of this council&#x27;s graded inspections"),
        ({"start_date_0": "31", "start_date_1": "2"}, "must be a real date"),
    ],
)
def test_errors_are_summarised_and_nothing_is_saved(
    client, alice, scilly, scilly_2023, overrides, message
):
    client.force_login(alice)
    before = snapshot()
    response = client.post(url(scilly), visit_post(scilly_2023.pk, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "<title>Error: Record a visit" in html
    assert snapshot() == before


def test_a_visit_cannot_follow_another_councils_inspection(
    client, alice, scilly, nottingham, scilly_2023, django_capture_on_commit_callbacks
):
    theirs = record(nottingham, django_capture_on_commit_callbacks)
    client.force_login(alice)
    before = snapshot()
    response = client.post(url(scilly), visit_post(theirs.pk))
    assert "Select one of this council&#x27;s graded inspections" in response.content.decode()
    assert snapshot() == before


def test_readers_may_not_record_a_visit_and_outsiders_find_nothing(
    client, bob, sam, charlie, scilly, scilly_2023
):
    before = snapshot()
    for person, status in ((bob, 403), (sam, 403), (charlie, 404)):
        client.force_login(person)
        assert client.get(url(scilly)).status_code == status
        assert client.post(url(scilly), visit_post(scilly_2023.pk)).status_code == status
    assert snapshot() == before


def test_with_no_graded_inspection_the_visit_is_recorded_on_its_own(client, alice, scilly):
    client.force_login(alice)
    html = client.get(url(scilly)).content.decode()
    assert "No graded inspection of Isles of Scilly is on record" in html
    data = visit_post("")
    del data["cycle"]
    response = client.post(url(scilly), data)
    assert response.status_code == 302
    visit = Inspection.objects.get()
    assert visit.cycle is None
    assert "No graded inspection on record" in client.get(response["Location"]).content.decode()


def test_the_council_page_offers_officers_a_visit(client, alice, bob, scilly):
    client.force_login(alice)
    assert url(scilly) in client.get(scilly.get_absolute_url()).content.decode()
    client.force_login(bob)
    assert url(scilly) not in client.get(scilly.get_absolute_url()).content.decode()


def test_the_inspection_form_records_graded_inspections_and_points_to_visits(client, alice, scilly):
    client.force_login(alice)
    html = client.get(f"/councils/{scilly.slug}/inspections/new/").content.decode()
    assert "Record a visit</a>" in html
    assert 'value="monitoring_visit"' not in html and 'value="jtai"' not in html
    response = client.post(
        f"/councils/{scilly.slug}/inspections/new/", inspection_post(kind="monitoring_visit")
    )
    assert "Select a graded inspection" in response.content.decode()
    assert not Inspection.objects.exists()


def test_actions_on_a_visits_recommendation_join_its_cycles_plan(client, alice, scilly_2023):
    client.force_login(alice)
    client.post(url(scilly_2023.council), visit_post(scilly_2023.pk))
    visit = Inspection.objects.get(kind="monitoring_visit")
    html = client.get(visit.get_absolute_url()).content.decode()
    assert f"/inspections/{visit.pk}/recommendations/" in html
    action = ActionFactory(recommendation=RecommendationFactory(inspection=visit))
    assert Action.objects.get(pk=action.pk).plan == scilly_2023


def test_changing_a_visits_dates_moves_it_to_the_milestone_then_nearest(
    client, alice, scilly, scilly_2023
):
    october = milestone_add_agreed(
        inspection=scilly_2023, key="monitoring_visit", due_on=date(2024, 10, 15)
    )
    client.force_login(alice)
    client.post(url(scilly), visit_post(scilly_2023.pk))
    visit = Inspection.objects.get(kind="monitoring_visit")
    edit = f"/councils/{scilly.slug}/inspections/{visit.pk}/edit/"
    html = client.get(edit).content.decode()
    assert "Change the visit details" in html and "Leaders have made progress." in html

    moved = visit_post(scilly_2023.pk, start_date_0="14", start_date_1="10")
    moved |= {"end_date_0": "15", "end_date_1": "10", "published_on_1": "11"}
    response = client.post(edit, moved, follow=True)
    assert "Monitoring visit details saved" in response.content.decode()
    june = Milestone.objects.get(key="monitoring_visit", due_on=date(2024, 6, 12))
    assert (june.done_on, june.fulfilled_by) == (None, None)
    october.refresh_from_db()
    assert (october.done_on, october.fulfilled_by) == (date(2024, 10, 14), visit)


def test_a_focused_visit_edited_to_set_no_priority_actions_loses_its_deadlines(
    client, alice, scilly, scilly_2023, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(scilly), visit_post(scilly_2023.pk, kind="focused_visit", priority_actions="yes")
        )
    visit = Inspection.objects.get(kind="focused_visit")
    assert visit.milestones.count() == 2
    edit = f"/councils/{scilly.slug}/inspections/{visit.pk}/edit/"
    assert re.search(r'value="yes"[^>]*checked', client.get(edit).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, visit_post(scilly_2023.pk, kind="focused_visit", priority_actions="no"))
    assert not visit.milestones.exists()
    assert visit.deadline_settings.priority_actions is False
