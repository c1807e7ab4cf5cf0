"""The timeline on the inspection page, and the pages officers use to keep it up to date."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from inspections.models import BankHolidayChange, DeadlineRule, Inspection, Milestone

from .factories import InspectionFactory
from .helpers import date_fields, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def scilly_2023(scilly, django_capture_on_commit_callbacks):
    return record(scilly, django_capture_on_commit_callbacks)


def record_url(inspection, milestone=None):
    url = f"/councils/{inspection.council.slug}/inspections/{inspection.pk}/milestones/record/"
    return f"{url}?milestone={milestone.pk}" if milestone else url


def add_url(inspection):
    return f"/councils/{inspection.council.slug}/inspections/{inspection.pk}/milestones/new/"


def settings_url(inspection):
    return f"/councils/{inspection.council.slug}/inspections/{inspection.pk}/deadline-settings/"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel("2023-10-02 09:00 +0100", tick=False)
def test_the_inspection_page_shows_the_timeline_with_days_left(client, bob, scilly_2023):
    client.force_login(bob)
    html = page(client, scilly_2023.get_absolute_url())
    assert "Deadlines and visits" in html
    assert '<time datetime="2023-10-09">Mon 9 Oct 2023</time>' in html
    assert '<time datetime="2023-12-04">Mon 4 Dec 2023</time>' in html
    assert '<time datetime="2024-02">February 2024</time>' in html
    assert "30 working days after publication on Fri 25 Aug 2023" in html
    assert 'govuk-tag--yellow">Due soon' in html
    assert html.count('govuk-tag--grey">Upcoming') == 2
    # From Monday 2 October: 5 working days to 9 October, 45 to 4 December, 105 to 29 February.
    for left in (">5<", ">45<", ">105<"):
        assert left in html
    # A lead member reads the timeline but is offered nothing to change.
    assert "/milestones/" not in html and "/deadline-settings/" not in html


@time_machine.travel("2023-12-06 09:00 +0000", tick=False)
def test_done_and_overdue_milestones_say_so(client, alice, scilly_2023):
    Milestone.objects.filter(key="action_planning_visit").update(done_on=date(2023, 10, 9))
    client.force_login(alice)
    html = page(client, scilly_2023.get_absolute_url())
    assert 'govuk-tag--green">Done</strong> <span class="govuk-!-display-block">on Mon 9 Oct' in (
        html
    )
    assert 'govuk-tag--red">Overdue' in html
    assert "None (2 working days late)" in html
    assert 'Record the date<span class="govuk-visually-hidden"> for Action plan' in html


def test_the_page_explains_an_empty_timeline(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    unpublished = record(scilly, django_capture_on_commit_callbacks, published_on=None)
    visit = InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2024, 3, 5),
        end_date=date(2024, 3, 6),
        published_on=None,
    )
    client.force_login(alice)
    assert "once it is recorded" in page(client, unpublished.get_absolute_url())
    assert "A monitoring visit sets no statutory deadlines" in page(
        client, visit.get_absolute_url()
    )


@time_machine.travel("2023-10-10 09:00 +0100", tick=False)
def test_an_officer_records_the_date_of_the_action_planning_visit(client, alice, scilly_2023):
    visit = Milestone.objects.get(key="action_planning_visit")
    client.force_login(alice)
    html = page(client, record_url(scilly_2023, visit))
    assert f'value="{visit.pk}" checked' in html
    response = client.post(
        record_url(scilly_2023),
        {"milestone": visit.pk} | date_fields("done_on", ("9", "10", "2023")),
    )
    assert response.status_code == 302
    assert response["Location"] == scilly_2023.get_absolute_url() + "#timeline"
    assert Milestone.objects.get(pk=visit.pk).done_on == date(2023, 10, 9)
    html = page(client, scilly_2023.get_absolute_url())
    assert "Action planning visit with Ofsted: date recorded" in html
    assert 'govuk-tag--green">Done' in html


@time_machine.travel("2023-10-10 09:00 +0100", tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (date_fields("done_on", ("31", "9", "2023")), "The date it happened must be a real date"),
        (date_fields("done_on", ("9", "", "2023")), "The date it happened must include a month"),
        (date_fields("done_on", ("11", "10", "2023")), "must be today or in the past"),
        (date_fields("done_on", ("1", "7", "2023")), "must be after the inspection started"),
        ({"milestone": "", **date_fields("done_on", ("9", "10", "2023"))}, "Select the milestone"),
        (
            {"milestone": "999999", **date_fields("done_on", ("9", "10", "2023"))},
            "Select one of this inspection&#x27;s milestones",
        ),
    ],
)
def test_a_bad_date_it_happened_is_refused_and_nothing_changes(
    client, alice, scilly_2023, data, message
):
    visit = Milestone.objects.get(key="action_planning_visit")
    client.force_login(alice)
    response = client.post(record_url(scilly_2023), {"milestone": visit.pk} | data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error:" in html
    assert not Milestone.objects.filter(done_on__isnull=False).exists()


def test_a_milestone_of_another_councils_inspection_cannot_be_recorded(
    client, alice, charlie, scilly_2023, nottingham, django_capture_on_commit_callbacks
):
    theirs = record(nottingham, django_capture_on_commit_callbacks)
    their_visit = theirs.milestones.get(key="action_planning_visit")
    client.force_login(alice)
    response = client.post(
        record_url(scilly_2023),
        {"milestone": their_visit.pk} | date_fields("done_on", ("9", "10", "2023")),
    )
    assert response.status_code == 200
    assert not Milestone.objects.filter(done_on__isnull=False).exists()
    assert client.get(record_url(theirs)).status_code == 404


def test_an_officer_adds_a_monitoring_visit_agreed_with_ofsted(client, alice, scilly_2023):
    client.force_login(alice)
    response = client.post(
        add_url(scilly_2023),
        {"key": "monitoring_visit"} | date_fields("due_on", ("12", "6", "2024")),
    )
    assert response.status_code == 302
    agreed = Milestone.objects.get(source="agreed")
    assert (agreed.title, agreed.due_on) == ("Monitoring visit", date(2024, 6, 12))
    html = page(client, scilly_2023.get_absolute_url())
    assert "Monitoring visit added" in html
    assert "Date agreed with Ofsted" in html
    # The same visit entered again is refused, not listed twice with two sets of reminders.
    response = client.post(
        add_url(scilly_2023),
        {"key": "monitoring_visit"} | date_fields("due_on", ("12", "6", "2024")),
    )
    assert response.status_code == 200
    assert "A monitoring visit on 12 June 2024 is already recorded" in response.content.decode()
    assert Milestone.objects.filter(source="agreed").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "monitoring_visit"}, "Enter the agreed date"),
        (
            {"key": "monitoring_visit", **date_fields("due_on", ("1", "7", "2023"))},
            "The agreed date must be after the inspection&#x27;s fieldwork",
        ),
        (date_fields("due_on", ("12", "6", "2024")), "Select what was agreed with Ofsted"),
        (
            {"key": "garden_party", **date_fields("due_on", ("12", "6", "2024"))},
            "Select a valid choice",
        ),
    ],
)
def test_a_bad_agreed_visit_is_refused_and_nothing_is_added(
    client, alice, scilly_2023, data, message
):
    client.force_login(alice)
    response = client.post(add_url(scilly_2023), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not Milestone.objects.filter(source="agreed").exists()


def test_an_officer_says_a_focused_visit_set_priority_actions(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    visit = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=None,
        kind="focused_visit",
        start_date=date(2023, 3, 6),
        end_date=date(2023, 3, 7),
        published_on=date(2023, 5, 9),
    )
    client.force_login(alice)
    html = page(client, settings_url(visit))
    assert "Ofsted&#x27;s letter sets priority actions" in html
    assert "Will Ofsted monitor" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(settings_url(visit), {"priority_actions": "on"})
    assert response.status_code == 302
    assert list(visit.milestones.values_list("key", "due_on")) == [
        ("draft_action_plan", date(2023, 6, 7)),
        ("action_plan", date(2023, 8, 16)),
    ]


def test_deadline_settings_refuse_a_monitoring_choice_that_does_not_exist(
    client, alice, scilly_2023
):
    client.force_login(alice)
    response = client.post(settings_url(scilly_2023), {"monitoring": "perhaps"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not hasattr(Inspection.objects.get(pk=scilly_2023.pk), "deadline_settings")


def test_a_monitoring_visit_has_no_deadline_settings_to_change(client, alice, scilly):
    visit = InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2024, 3, 5),
        end_date=date(2024, 3, 6),
        published_on=None,
    )
    client.force_login(alice)
    response = client.post(settings_url(visit), {"monitoring": "yes"})
    assert response.status_code == 200
    assert "sets no statutory deadlines, so there is nothing to set" in response.content.decode()
    assert not hasattr(Inspection.objects.get(pk=visit.pk), "deadline_settings")


@time_machine.travel("2023-10-02 09:00 +0100", tick=False)
def test_the_council_page_shows_the_next_deadline(client, sam, scilly, scilly_2023):
    client.force_login(sam)
    html = page(client, f"/councils/{scilly.slug}/")
    assert "Next deadline" in html
    assert (
        "Action planning visit with Ofsted</a>, due Monday 9 October 2023, in 5 working days"
        in (html)
    )


def test_the_council_page_has_no_next_deadline_when_all_are_done(client, sam, scilly, scilly_2023):
    Milestone.objects.update(done_on=date(2023, 10, 9))
    client.force_login(sam)
    assert "Next deadline" not in page(client, f"/councils/{scilly.slug}/")


def test_the_bank_holidays_page_lists_the_year_with_sources(client, charlie, helen):
    BankHolidayChange.objects.create(day=date(2023, 6, 5), name="A newly announced holiday")
    BankHolidayChange.objects.create(day=date(2023, 8, 28), name="Summer", action="remove")
    client.force_login(charlie)
    html = page(client, "/bank-holidays/?year=2023")
    assert "Bank holidays in 2023" in html
    assert "Coronation of Charles III" in html
    assert "A newly announced holiday</td>" in html
    assert "Added by an admin" in html
    assert "No, a working day" in html
    assert "Holidays package (England and Wales)" in html
    assert "/admin/" not in html
    client.force_login(helen)
    assert "/admin/inspections/bankholidaychange/" in page(client, "/bank-holidays/")


def test_the_bank_holidays_year_box_is_a_numeric_text_box(client, bob):
    client.force_login(bob)
    html = page(client, "/bank-holidays/")
    box = re.search(r'<input[^>]*name="year"[^>]*>', html)[0]
    assert 'type="text"' in box and 'inputmode="numeric"' in box, box


@pytest.mark.parametrize(
    ("year", "message"),
    [("1066", "Enter a year from 2000 to 2100"), ("next", "Enter the year as a number")],
)
@time_machine.travel("2024-05-01 09:00 +0100", tick=False)
def test_the_bank_holidays_page_explains_a_bad_year(client, bob, year, message):
    client.force_login(bob)
    html = page(client, f"/bank-holidays/?year={year}")
    assert "There is a problem" in html and message in html
    assert "Bank holidays in 2024" in html


def test_free_text_on_the_timeline_is_escaped(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    # Every rule of a graded inspection, so that whichever comes first is the council's next.
    DeadlineRule.objects.filter(trigger="graded").update(
        name="<script>alert(1)</script>", description="<script>alert(2)</script>"
    )
    inspection = record(scilly, django_capture_on_commit_callbacks, grades=None)
    client.force_login(alice)
    for url in (inspection.get_absolute_url(), record_url(inspection), f"/councils/{scilly.slug}/"):
        html = page(client, url)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = page(client, inspection.get_absolute_url())
    assert "<script>alert(2)</script>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_the_demo_shows_the_isles_of_scilly_2023_timeline(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    inspection = Inspection.objects.get(
        council__slug="isles-of-scilly", start_date=date(2023, 7, 11)
    )
    client.force_login(inspection.council.memberships.get(role="lead_member").user)
    html = page(client, inspection.get_absolute_url())
    assert "Mon 9 Oct 2023" in html
    assert "Mon 4 Dec 2023" in html
    assert "February 2024" in html


def test_an_officer_removes_a_visit_agreed_in_error_and_the_history_keeps_it(
    client, alice, scilly_2023
):
    client.force_login(alice)
    client.post(
        add_url(scilly_2023),
        {"key": "monitoring_visit"} | date_fields("due_on", ("12", "6", "2024")),
    )
    agreed = Milestone.objects.get(source="agreed")
    timeline = page(client, scilly_2023.get_absolute_url())
    remove = f"{scilly_2023.get_absolute_url()}milestones/{agreed.pk}/remove/"
    assert f'href="{remove}"' in timeline
    assert "Remove the monitoring visit of 12 June 2024?" in page(client, remove)
    assert Milestone.objects.filter(source="agreed").exists()  # a GET changes nothing
    response = client.post(remove)
    assert response.status_code == 302
    assert not Milestone.objects.filter(source="agreed").exists()
    removed = Milestone.history.filter(id=agreed.pk, history_type="-").get()
    assert removed.history_user == alice
    assert "Monitoring visit of 12 June 2024 removed" in page(
        client, scilly_2023.get_absolute_url()
    )


def test_a_computed_milestone_cannot_be_removed(client, alice, scilly_2023):
    computed = scilly_2023.milestones.exclude(source="agreed").first()
    client.force_login(alice)
    url = f"{scilly_2023.get_absolute_url()}milestones/{computed.pk}/remove/"
    assert client.post(url).status_code == 404
    assert Milestone.objects.filter(pk=computed.pk).exists()
