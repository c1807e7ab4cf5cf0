"""DfE intervention, its duties and reviews, the improvement board, meetings and decisions."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from actions.models import Action
from governance import services
from governance.models import (
    Board,
    Decision,
    DfeReview,
    Intervention,
    InterventionKind,
    Meeting,
    MeetingKind,
)
from governance.selectors import calendar_events
from inspections.models import Milestone
from inspections.services import reminders_send

from .factories import ActionFactory, InspectionFactory, RecommendationFactory
from .helpers import date_fields, pdf_text, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def scilly_2023(scilly, django_capture_on_commit_callbacks):
    return record(scilly, django_capture_on_commit_callbacks)


def adviser(scilly, cycle, **fields) -> Intervention:
    values = {
        "council": scilly,
        "cycle": cycle,
        "kind": InterventionKind.ADVISER,
        "started_on": date(2023, 9, 1),
        "report_to": "the Secretary of State",
        "report_every_months": 3,
        "first_report_due_on": date(2023, 12, 1),
    } | fields
    return Intervention(**values)


def duties(intervention) -> list[tuple[str, date, str]]:
    return list(
        Milestone.objects.filter(
            source=Milestone.Source.DFE, key__startswith=f"iv{intervention.pk}-"
        )
        .order_by("due_on", "key")
        .values_list("title", "due_on", "precision")
    )


def open_duty_titles(intervention) -> list[str]:
    milestones = Milestone.objects.filter(
        source=Milestone.Source.DFE, key__startswith=f"iv{intervention.pk}-", done_on__isnull=True
    )
    return list(milestones.order_by("due_on").values_list("title", flat=True))


# --- Duties as milestones -----------------------------------------------------------------------


@time_machine.travel("2024-01-10 09:00 +0000", tick=False)
def test_an_intervention_plans_its_reports_and_the_next_dfe_review(scilly, scilly_2023, alice):
    intervention = services.intervention_save(
        intervention=adviser(
            scilly,
            scilly_2023,
            requirements="Agree the plan with the adviser",
            requirements_due_on=date(2023, 12, 15),
        ),
        user=alice,
    )
    planned = duties(intervention)
    assert planned[0] == ("Report 1 to the Secretary of State", date(2023, 12, 1), "day")
    assert ("Meet what the DfE improvement adviser requires", date(2023, 12, 15), "day") in planned
    assert ("DfE progress review", date(2024, 3, 1), "month") in planned
    reports = [due for title, due, _ in planned if title.startswith("Report ")]
    # Every three months from the first, a year ahead of today.
    assert reports == [
        date(2023, 12, 1),
        date(2024, 3, 1),
        date(2024, 6, 1),
        date(2024, 9, 1),
        date(2024, 12, 1),
    ]
    review = Milestone.objects.get(key=f"iv{intervention.pk}-review")
    assert review.due_by == date(2024, 3, 31)  # the DfE fixes only the month
    assert review.inspection == scilly_2023
    assert intervention.history.get().history_user == alice


def test_duties_sit_on_the_inspections_timeline_and_are_reminded_once(
    scilly, scilly_2023, alice, client
):
    alice.email = "alice@example.org"
    alice.save()
    with time_machine.travel("2023-09-05 09:00 +0100", tick=False):
        intervention = services.intervention_save(
            intervention=adviser(scilly, scilly_2023), user=alice
        )
    # 10 working days before the first report, due Friday 1 December 2023.
    with time_machine.travel("2023-11-17 06:30 +0000", tick=False):
        mail.outbox.clear()
        reminders_send()
        reminders_send()
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Isles of Scilly: Report 1 to the Secretary of State due in 10 working days"
    ]
    client.force_login(alice)
    html = client.get(scilly_2023.get_absolute_url()).content.decode()
    assert "Report 1 to the Secretary of State" in html
    assert "Every 3 months, as the DfE improvement adviser requires" in html
    assert intervention.is_current


def test_ending_an_intervention_drops_the_duties_after_its_end_and_keeps_those_done(
    scilly, scilly_2023, alice
):
    with time_machine.travel("2024-01-10 09:00 +0000", tick=False):
        intervention = services.intervention_save(
            intervention=adviser(scilly, scilly_2023), user=alice
        )
        Milestone.objects.filter(key=f"iv{intervention.pk}-report-1").update(
            done_on=date(2023, 11, 30)
        )
        intervention.ended_on = date(2024, 4, 15)
        services.intervention_save(intervention=intervention, user=alice)
    assert [(title, due) for title, due, _ in duties(intervention)] == [
        ("Report 1 to the Secretary of State", date(2023, 12, 1)),
        ("Report 2 to the Secretary of State", date(2024, 3, 1)),
    ]
    assert Milestone.objects.get(key=f"iv{intervention.pk}-report-1").done_on == date(2023, 11, 30)


def test_a_changed_report_date_is_a_new_deadline_with_fresh_reminders(scilly, scilly_2023, alice):
    with time_machine.travel("2023-10-01 09:00 +0000", tick=False):
        intervention = services.intervention_save(
            intervention=adviser(scilly, scilly_2023), user=alice
        )
        first = Milestone.objects.get(key=f"iv{intervention.pk}-report-1")
        Milestone.objects.filter(pk=first.pk).update(reminded_10_at="2023-11-17T06:30Z")
        intervention.first_report_due_on = date(2023, 12, 8)
        services.intervention_save(intervention=intervention, user=alice)
    first.refresh_from_db()
    assert first.due_on == date(2023, 12, 8)
    assert first.reminded_10_at is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"started_on": date(2023, 7, 1)}, "started_on", "must start after the inspection began"),
        ({"started_on": date(2099, 1, 1)}, "started_on", "today or in the past"),
        (
            {"ended_on": date(2023, 8, 1)},
            "ended_on",
            "must be on or after the date it started",
        ),
        (
            {"first_report_due_on": None},
            "first_report_due_on",
            "Enter the first report's due date and the months between reports, or neither",
        ),
        ({"report_every_months": 13}, "report_every_months", "between 1 and 12"),
        ({"report_to": ""}, "report_to", "Enter who the reports go to"),
        (
            {"requirements_due_on": date(2024, 1, 1)},
            "requirements",
            "Enter what the intervention requires",
        ),
    ],
)
def test_terms_that_contradict_each_other_are_refused_and_nothing_is_saved(
    scilly, scilly_2023, alice, fields, field, message
):
    with pytest.raises(ValidationError) as caught:
        services.intervention_save(intervention=adviser(scilly, scilly_2023, **fields), user=alice)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Intervention.objects.exists()
    assert not Milestone.objects.filter(source=Milestone.Source.DFE).exists()


def test_an_intervention_follows_a_graded_inspection_of_the_council(
    scilly, nottingham, scilly_2023, alice
):
    visit = InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2024, 2, 20),
        end_date=date(2024, 2, 21),
        published_on=None,
        cycle=scilly_2023,
    )
    elsewhere = InspectionFactory(council=nottingham, published_on=None)
    for cycle, message in [
        (visit, "Choose the graded inspection"),
        (elsewhere, "Choose an inspection of this council"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.intervention_save(intervention=adviser(scilly, cycle), user=alice)
        assert message in caught.value.message_dict["cycle"][0]


def test_a_new_step_follows_the_one_in_force_which_ends_the_day_it_starts(
    scilly, scilly_2023, alice
):
    first = services.intervention_save(intervention=adviser(scilly, scilly_2023), user=alice)
    notice = services.intervention_save(
        intervention=adviser(
            scilly, scilly_2023, kind=InterventionKind.NOTICE, started_on=date(2023, 11, 1)
        ),
        user=alice,
    )
    first.refresh_from_db()
    assert first.ended_on == date(2023, 11, 1) == notice.started_on
    assert first.history.first().history_change_reason == "Followed by an improvement notice"
    # No report or review of the adviser's is due after its end.
    assert "DfE progress review" not in open_duty_titles(first)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # Before the step in force began.
        ({"started_on": date(2023, 8, 1)}, "a step that follows it must start later"),
    ],
)
def test_a_step_may_not_start_before_the_one_in_force(scilly, scilly_2023, alice, fields, message):
    services.intervention_save(
        intervention=adviser(scilly, scilly_2023, started_on=date(2023, 9, 1)), user=alice
    )
    with pytest.raises(ValidationError) as caught:
        services.intervention_save(
            intervention=adviser(scilly, scilly_2023, kind=InterventionKind.NOTICE, **fields),
            user=alice,
        )
    assert message in caught.value.message_dict["started_on"][0]
    assert Intervention.objects.count() == 1


def test_steps_never_overlap_and_never_end_before_their_reviews(scilly, scilly_2023, alice):
    first = services.intervention_save(
        intervention=adviser(scilly, scilly_2023, ended_on=date(2024, 6, 1)), user=alice
    )
    with pytest.raises(ValidationError) as caught:
        services.intervention_save(
            intervention=adviser(
                scilly,
                scilly_2023,
                kind=InterventionKind.NOTICE,
                started_on=date(2024, 3, 1),
                ended_on=date(2024, 9, 1),
                first_report_due_on=date(2024, 6, 1),
            ),
            user=alice,
        )
    assert (
        "It would overlap the DfE improvement adviser from 1 September 2023 to 1 June 2024"
        in (caught.value.message_dict["started_on"][0])
    )
    first.ended_on = None
    services.intervention_save(intervention=first, user=alice)
    services.dfe_review_record(
        review=DfeReview(
            intervention=first, held_on=date(2024, 3, 14), findings="x", outcome="continues"
        ),
        user=alice,
    )
    first.ended_on = date(2024, 3, 1)
    with pytest.raises(ValidationError) as caught:
        services.intervention_save(intervention=first, user=alice)
    assert (
        "A DfE review of it is recorded on 14 March 2024"
        in caught.value.message_dict["ended_on"][0]
    )


# --- DfE reviews --------------------------------------------------------------------------------


def test_a_review_that_continues_marks_the_expected_review_done_and_expects_the_next(
    scilly, scilly_2023, alice
):
    intervention = services.intervention_save(intervention=adviser(scilly, scilly_2023), user=alice)
    services.dfe_review_record(
        review=DfeReview(
            intervention=intervention,
            held_on=date(2024, 3, 14),
            findings="Better oversight",
            outcome=DfeReview.Outcome.CONTINUES,
        ),
        user=alice,
    )
    reviews = Milestone.objects.filter(key=f"iv{intervention.pk}-review").order_by("due_on")
    assert [(m.due_on, m.done_on) for m in reviews] == [
        (date(2024, 3, 1), date(2024, 3, 14)),
        (date(2024, 9, 14), None),
    ]
    intervention.refresh_from_db()
    assert intervention.ended_on is None


def test_a_step_down_ends_the_step_and_starts_the_lighter_one_the_same_day(
    scilly, scilly_2023, alice
):
    notice = services.intervention_save(
        intervention=adviser(scilly, scilly_2023, kind=InterventionKind.NOTICE), user=alice
    )
    following = services.dfe_review_record(
        review=DfeReview(
            intervention=notice,
            held_on=date(2024, 9, 19),
            findings="Sustained progress",
            outcome=DfeReview.Outcome.STEPS_DOWN,
            steps_down_to=InterventionKind.ADVISER,
        ),
        user=alice,
    )
    notice.refresh_from_db()
    assert notice.ended_on == date(2024, 9, 19)
    assert (following.kind, following.started_on, following.cycle) == (
        InterventionKind.ADVISER,
        date(2024, 9, 19),
        scilly_2023,
    )
    # The notice's reports after its end are gone; no review is expected of an ended step.
    assert [due for _, due, _ in duties(notice)][-1] <= date(2024, 9, 19)
    assert "DfE progress review" not in open_duty_titles(notice)
    assert "DfE progress review" in open_duty_titles(following)


@pytest.mark.parametrize(
    ("kind", "outcome", "steps_down_to", "field", "message"),
    [
        (
            InterventionKind.NOTICE,
            DfeReview.Outcome.STEPS_DOWN,
            InterventionKind.DIRECTION,
            "steps_down_to",
            "Choose a DfE improvement adviser",
        ),
        (
            InterventionKind.ADVISER,
            DfeReview.Outcome.STEPS_DOWN,
            "",
            "outcome",
            "An improvement adviser is the lightest step",
        ),
    ],
)
def test_a_step_down_must_be_to_a_lighter_step(
    scilly, scilly_2023, alice, kind, outcome, steps_down_to, field, message
):
    intervention = services.intervention_save(
        intervention=adviser(scilly, scilly_2023, kind=kind), user=alice
    )
    before = duties(intervention)
    with pytest.raises(ValidationError) as caught:
        services.dfe_review_record(
            review=DfeReview(
                intervention=intervention,
                held_on=date(2024, 3, 14),
                findings="x",
                outcome=outcome,
                steps_down_to=steps_down_to,
            ),
            user=alice,
        )
    assert message in caught.value.message_dict[field][0]
    assert not DfeReview.objects.exists()
    assert duties(intervention) == before
    assert Intervention.objects.count() == 1


def test_a_review_of_an_ended_step_is_refused(scilly, scilly_2023, alice):
    intervention = services.intervention_save(
        intervention=adviser(scilly, scilly_2023, ended_on=date(2024, 1, 1)), user=alice
    )
    with pytest.raises(ValidationError, match="ended on 1 January 2024"):
        services.dfe_review_record(
            review=DfeReview(
                intervention=intervention,
                held_on=date(2024, 3, 14),
                findings="x",
                outcome=DfeReview.Outcome.CONTINUES,
            ),
            user=alice,
        )


# --- Meetings, decisions and the board's pack -------------------------------------------------


@pytest.fixture
def board_meetings(scilly, scilly_2023, alice):
    services.board_save(
        board=Board(
            council=scilly,
            name="Children's Services Improvement Board",
            chair="Dame Independent Chair",
            members="Cllr Joel Williams, Lead Member\nEssex County Council, partner",
        ),
        user=alice,
    )
    first = services.meeting_save(
        meeting=Meeting(
            council=scilly,
            kind=MeetingKind.BOARD,
            held_on=date(2024, 1, 18),
            agenda_item="Item 4",
        ),
        user=alice,
    )
    second = services.meeting_save(
        meeting=Meeting(
            council=scilly,
            kind=MeetingKind.BOARD,
            held_on=date(2024, 2, 15),
            starts_at=time(14, 0),
            location="Town Hall",
            agenda_item="Item 3: the front-door audit",
        ),
        user=alice,
    )
    return first, second


def test_a_decision_with_an_action_adds_it_to_the_live_plan(
    scilly, scilly_2023, alice, board_meetings
):
    older = InspectionFactory(council=scilly, start_date=date(2019, 10, 14))
    recommendation = RecommendationFactory(inspection=scilly_2023, position=1)
    first, _ = board_meetings
    decision = services.decision_add(
        meeting=first,
        text="Audit 20 referrals",
        user=alice,
        action=Action(
            recommendation=recommendation,
            title="Audit of 20 referrals",
            owner=alice,
            owner_name="Alice",
            due_on=date(2024, 3, 1),
            success_criterion="Reported to the board",
        ),
    )
    action = decision.action
    assert action.plan == scilly_2023 != older
    assert action.council == scilly
    assert list(Action.objects.live_plan(scilly)) == [action]
    assert "Arising from the improvement board of 18 January 2024" in action.description
    assert action.history.get().history_user == alice
    assert decision.history.get().history_user == alice


def test_a_decision_whose_action_is_invalid_saves_neither(
    scilly, scilly_2023, alice, board_meetings
):
    recommendation = RecommendationFactory(inspection=scilly_2023, position=1)
    first, _ = board_meetings
    with pytest.raises(ValidationError):
        services.decision_add(
            meeting=first,
            text="Audit",
            user=alice,
            action=Action(
                recommendation=recommendation,
                title="",
                owner_name="Alice",
                due_on=date(2024, 3, 1),
                success_criterion="x",
            ),
        )
    assert not Decision.objects.exists()
    assert not Action.objects.exists()


def test_the_board_pack_holds_its_front_matter_the_exceptions_and_the_decisions(
    client, scilly, scilly_2023, alice, board_meetings
):
    first, second = board_meetings
    recommendation = RecommendationFactory(inspection=scilly_2023, position=1)
    services.intervention_save(intervention=adviser(scilly, scilly_2023), user=alice)
    services.decision_add(
        meeting=first,
        text="Audit 20 front-door referrals",
        user=alice,
        action=Action(
            recommendation=recommendation,
            title="Front-door referral audit",
            owner=alice,
            owner_name="Alice Officer",
            due_on=date(2024, 2, 9),
            success_criterion="Reported to the February board",
        ),
    )
    services.decision_add(meeting=first, text="Receive the system timetable", user=alice)
    ActionFactory(recommendation=recommendation, title="Blocked training", status="blocked")
    client.force_login(alice)
    response = client.get(f"/councils/isles-of-scilly/meetings/{second.pk}/pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="isles-of-scilly-improvement-board-pack-2024-02-15.pdf"'
    )
    text = " ".join(pdf_text(response.content).split())
    for expected in [
        "Isles of Scilly: Children's Services Improvement Board",
        "Meeting of Thursday 15 February 2024, 14:00, Town Hall",
        "Agenda item: Item 3: the front-door audit",
        "Independent chair: Dame Independent Chair",
        "Cllr Joel Williams, Lead Member",
        "Decisions since the last meeting",
        "Audit 20 front-door referrals",
        "Front-door referral audit",
        "Receive the system timetable",
        "Exceptions: red, overdue and blocked actions",
        "Blocked training",
        "DfE improvement adviser since 1 September 2023",
    ]:
        assert expected in text, expected
    page = client.get(f"/councils/isles-of-scilly/meetings/{second.pk}/pack/").content.decode()
    assert "Audit 20 front-door referrals" in page
    assert "Blocked training" in page


def test_the_first_meeting_says_it_is_the_first(client, scilly, alice, board_meetings):
    first, _ = board_meetings
    client.force_login(alice)
    text = pdf_text(client.get(f"/councils/isles-of-scilly/meetings/{first.pk}/pack.pdf").content)
    assert "This is the first improvement board meeting on record." in text


# --- The calendar -------------------------------------------------------------------------------


@time_machine.travel("2024-01-10 09:00 +0000", tick=False)
def test_the_calendar_holds_meetings_reviews_visits_and_milestones_in_force(
    client, scilly, scilly_2023, alice, board_meetings
):
    intervention = services.intervention_save(intervention=adviser(scilly, scilly_2023), user=alice)
    services.meeting_save(
        meeting=Meeting(council=scilly, kind=MeetingKind.SCRUTINY, held_on=date(2024, 2, 1)),
        user=alice,
    )
    InspectionFactory(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2024, 2, 20),
        end_date=date(2024, 2, 21),
        published_on=None,
        cycle=scilly_2023,
    )
    events = calendar_events(scilly)
    titles = [e.title for e in events]
    assert "Improvement board, Item 3: the front-door audit" in titles
    assert "Scrutiny committee" in titles
    assert "Ofsted monitoring visit, 20 to 21 February 2024" in titles
    assert "Report 2 to the Secretary of State" in titles
    assert "DfE progress review" in titles
    assert [e.on for e in events] == sorted(e.on for e in events)

    client.force_login(alice)
    page = client.get("/councils/isles-of-scilly/calendar/").content.decode()
    assert "Report 2 to the Secretary of State" in page
    response = client.get("/councils/isles-of-scilly/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    entries = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    board = entries["Isles of Scilly: Improvement board, Item 3: the front-door audit"]
    assert board.decoded("dtstart").isoformat().startswith("2024-02-15T14:00")
    assert str(board["location"]) == "Town Hall"
    review = entries["Isles of Scilly: DfE progress review"]
    assert review.decoded("dtstart") == date(2024, 3, 1)
    assert "fixes only the month" in str(review["description"])
    # The same event keeps its identifier from one download to the next.
    again = Calendar.from_ical(client.get("/councils/isles-of-scilly/calendar.ics").content)
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(
        str(e["uid"]) for e in calendar.walk("VEVENT")
    )
    del intervention


def test_a_superseded_cycles_duties_leave_the_calendar(
    scilly, scilly_2023, alice, django_capture_on_commit_callbacks
):
    services.intervention_save(intervention=adviser(scilly, scilly_2023), user=alice)
    record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=None,
        start_date=date(2026, 5, 11),
        end_date=date(2026, 5, 22),
        published_on=date(2026, 7, 3),
    )
    titles = [e.title for e in calendar_events(scilly)]
    assert not [t for t in titles if t.startswith("Report ") or t == "DfE progress review"]


# --- The pages ----------------------------------------------------------------------------------


def test_recording_an_intervention_through_the_page(client, scilly, scilly_2023, alice):
    client.force_login(alice)
    page = client.get("/councils/isles-of-scilly/intervention/new/").content.decode()
    assert f'<option value="{scilly_2023.pk}" selected>' in page
    response = client.post(
        "/councils/isles-of-scilly/intervention/new/",
        {
            "cycle": scilly_2023.pk,
            "kind": "improvement_notice",
            **date_fields("started_on", ("14", "11", "2023")),
            "adviser": "Jane Adviser",
            "partner": "Essex County Council",
            "document_title": "Improvement notice",
            "document_url": "https://www.gov.uk/government/publications/notice",
            "requirements": "An improvement plan",
            **date_fields("requirements_due_on", ("1", "2", "2024")),
            "report_to": "the Secretary of State",
            "report_every_months": "3",
            **date_fields("first_report_due_on", ("1", "3", "2024")),
            **date_fields("ended_on", None),
        },
    )
    intervention = Intervention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == intervention.get_absolute_url()
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "Improvement notice saved" in page
    assert "Meet what the improvement notice requires" in page
    assert "Report 1 to the Secretary of State" in page


def test_a_refused_intervention_shows_the_errors_and_changes_nothing(
    client, scilly, scilly_2023, alice
):
    client.force_login(alice)
    response = client.post(
        "/councils/isles-of-scilly/intervention/new/",
        {
            "cycle": scilly_2023.pk,
            "kind": "adviser",
            **date_fields("started_on", ("1", "7", "2023")),
            "report_every_months": "three",
            **date_fields("first_report_due_on", ("31", "2", "2024")),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Months between reports must be a whole number, like 3" in html
    assert not Intervention.objects.exists()


def test_a_decision_that_needs_an_action_asks_for_each_of_its_fields(
    client, scilly, scilly_2023, alice, board_meetings
):
    first, _ = board_meetings
    client.force_login(alice)
    response = client.post(
        f"/councils/isles-of-scilly/meetings/{first.pk}/decisions/new/",
        {"text": "Audit referrals", "needs_action": "yes", **date_fields("due_on", None)},
    )
    html = response.content.decode()
    for message in [
        "Choose the recommendation the action answers",
        "Enter the action",
        "Choose the action&#x27;s owner",
        "Enter the action&#x27;s due date",
        "Enter how you will know the action worked",
    ]:
        assert message in html, message
    assert not Decision.objects.exists()


def test_recommendations_offered_are_the_live_plans_only(
    client, scilly, scilly_2023, alice, board_meetings
):
    older = InspectionFactory(council=scilly, start_date=date(2019, 10, 14))
    old = RecommendationFactory(inspection=older, position=1, text="Old recommendation")
    live = RecommendationFactory(inspection=scilly_2023, position=1, text="Live recommendation")
    first, _ = board_meetings
    client.force_login(alice)
    url = f"/councils/isles-of-scilly/meetings/{first.pk}/decisions/new/"
    html = client.get(url).content.decode()
    assert "Live recommendation" in html
    assert "Old recommendation" not in html
    response = client.post(
        url,
        {
            "text": "Do it",
            "needs_action": "yes",
            "recommendation": old.pk,
            "title": "x",
            "owner": alice.pk,
            **date_fields("due_on", ("1", "3", "2024")),
            "success_criterion": "y",
        },
    )
    assert "Choose a recommendation of the live plan" in response.content.decode()
    assert not Action.objects.exists()
    del live


def test_the_review_page_of_an_ended_step_says_so_and_saves_nothing(
    client, scilly, scilly_2023, alice
):
    intervention = services.intervention_save(
        intervention=adviser(scilly, scilly_2023, ended_on=date(2024, 1, 1)), user=alice
    )
    client.force_login(alice)
    url = f"/councils/isles-of-scilly/intervention/{intervention.pk}/reviews/new/"
    response = client.post(
        url,
        {
            **date_fields("held_on", ("14", "3", "2024")),
            "findings": "x",
            "outcome": "continues",
        },
    )
    assert "ended on 1 January 2024" in response.content.decode()
    assert not DfeReview.objects.exists()


# --- The copy of the notice or direction --------------------------------------------------------


def _upload(client, scilly_2023, document):
    return client.post(
        "/councils/isles-of-scilly/intervention/new/",
        {
            "cycle": scilly_2023.pk,
            "kind": "statutory_direction",
            **date_fields("started_on", ("14", "11", "2023")),
            **date_fields("ended_on", None),
            **date_fields("requirements_due_on", None),
            **date_fields("first_report_due_on", None),
            "document": document,
        },
    )


def test_a_copy_of_the_direction_is_kept_and_served_only_to_the_council(
    client, scilly, scilly_2023, alice, charlie
):
    client.force_login(alice)
    pdf = b"%PDF-1.7\n% a statutory direction\n"
    response = _upload(client, scilly_2023, SimpleUploadedFile("direction.pdf", pdf))
    assert response.status_code == 302
    intervention = Intervention.objects.get()
    # Stored under a name nobody can guess, not the one uploaded.
    assert "direction" not in intervention.document.name
    url = f"/councils/isles-of-scilly/intervention/{intervention.pk}/document.pdf"
    assert url in client.get(intervention.get_absolute_url()).content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert download["Content-Disposition"] == (
        'attachment; filename="isles-of-scilly-statutory-direction-2023-11-14.pdf"'
    )
    client.force_login(charlie)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("direction.pdf", b"MZ\x90\x00 not a pdf at all", "The file must be a PDF"),
        ("direction.pdf", b"%PDF-1.7" + b"0" * (10 * 1024 * 1024), "10 MB or smaller"),
    ],
)
def test_a_file_that_is_not_a_small_pdf_is_refused_and_nothing_saved(
    client, scilly, scilly_2023, alice, name, content, message
):
    client.force_login(alice)
    response = _upload(client, scilly_2023, SimpleUploadedFile(name, content))
    assert message in response.content.decode()
    assert not Intervention.objects.exists()


@time_machine.travel("2024-01-10 09:00 +0000", tick=False)
def test_the_council_page_and_dashboard_say_what_intervention_is_in_force_and_the_next_meetings(
    client, scilly, scilly_2023, alice, bob, board_meetings
):
    client.force_login(bob)
    assert "Intervention and meetings" in client.get("/councils/isles-of-scilly/").content.decode()
    services.intervention_save(
        intervention=adviser(scilly, scilly_2023, partner="Essex County Council"), user=alice
    )
    for url in ("/councils/isles-of-scilly/", "/councils/isles-of-scilly/dashboard/"):
        html = " ".join(client.get(url).content.decode().split())
        assert "since 1 September 2023, with Essex County Council as improvement partner" in html
        assert "Next: Report 2 to the Secretary of State, due 1 March 2024." in html
        assert "Next improvement board: " in html
        assert "Thursday 18 January 2024" in html


def test_nothing_about_intervention_shows_where_there_is_none(client, scilly, alice):
    client.force_login(alice)
    assert (
        "Intervention and meetings" not in client.get("/councils/isles-of-scilly/").content.decode()
    )


def test_the_calendar_may_hold_the_live_plans_open_actions_due_dates(
    client, scilly, scilly_2023, alice
):
    recommendation = RecommendationFactory(inspection=scilly_2023, position=1)
    ActionFactory(
        recommendation=recommendation,
        title="Audit supervision",
        owner_name="Jo Lead",
        due_on=date.today() + timedelta(days=30),
    )
    ActionFactory(
        recommendation=recommendation,
        title="Finished",
        status="complete",
        rag="blue",
        percent_complete=100,
        evidence_of_impact="Audit",
    )
    client.force_login(alice)
    assert (
        "Audit supervision"
        not in client.get("/councils/isles-of-scilly/calendar/").content.decode()
    )
    html = client.get("/councils/isles-of-scilly/calendar/?actions=yes").content.decode()
    assert "Action due: Audit supervision (Jo Lead)" in html
    assert "Finished" not in html
    assert 'href="/councils/isles-of-scilly/calendar.ics?actions=yes"' in html
    calendar = Calendar.from_ical(
        client.get("/councils/isles-of-scilly/calendar.ics?actions=yes").content
    )
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "Isles of Scilly: Action due: Audit supervision (Jo Lead)" in summaries


def test_the_meeting_page_says_who_recorded_the_meeting_and_its_decisions(
    client, scilly, alice, board_meetings
):
    alice.first_name, alice.last_name = "Alice", "Officer"
    alice.save()
    first, _ = board_meetings
    services.decision_add(meeting=first, text="Receive the timetable", user=alice)
    client.force_login(alice)
    html = client.get(first.get_absolute_url()).content.decode()
    history = html[html.index('id="history"') :]
    assert "Receive the timetable" in history
    assert "The meeting: Recorded" in history
    assert history.count("Alice Officer") == 2


# --- What the first trial by a new user found -----------------------------------------------


def test_a_meeting_saved_again_unchanged_keeps_its_start_time(
    client, scilly, alice, board_meetings
):
    _, second = board_meetings
    client.force_login(alice)
    url = f"/councils/isles-of-scilly/meetings/{second.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'name="starts_at" value="14:00"' in form
    response = client.post(
        url,
        {
            "kind": "board",
            **date_fields("held_on", second.held_on),
            "starts_at": "14:00",
            "location": "Town Hall",
            "agenda_item": second.agenda_item,
        },
    )
    assert response.status_code == 302


def test_an_end_before_the_start_is_said_on_the_end_date(client, scilly, scilly_2023, alice):
    client.force_login(alice)
    response = client.post(
        "/councils/isles-of-scilly/intervention/new/",
        {
            "cycle": scilly_2023.pk,
            "kind": "adviser",
            **date_fields("started_on", ("1", "9", "2023")),
            **date_fields("ended_on", ("1", "8", "2023")),
            **date_fields("requirements_due_on", None),
            **date_fields("first_report_due_on", None),
        },
    )
    html = response.content.decode()
    assert 'href="#id_ended_on_0"' in html or 'href="#id_ended_on"' in html
    assert "The date it ended must be on or after the date it started" in html
    assert "Constraint" not in html


def test_decisions_wait_for_the_meeting_and_actions_fall_due_after_it(
    scilly, scilly_2023, alice, board_meetings
):
    first, _ = board_meetings
    future = services.meeting_save(
        meeting=Meeting(
            council=scilly, kind=MeetingKind.BOARD, held_on=date.today() + timedelta(days=30)
        ),
        user=alice,
    )
    with pytest.raises(ValidationError, match="record its decisions once it has met"):
        services.decision_add(meeting=future, text="Too soon", user=alice)
    recommendation = RecommendationFactory(inspection=scilly_2023, position=1)
    with pytest.raises(ValidationError) as caught:
        services.decision_add(
            meeting=first,
            text="Audit",
            user=alice,
            action=Action(
                recommendation=recommendation,
                title="Audit",
                owner=alice,
                owner_name="Alice",
                due_on=date(2020, 1, 1),
                success_criterion="x",
            ),
        )
    assert "must be due after the meeting that decided it" in caught.value.message_dict["due_on"][0]
    services.decision_add(meeting=first, text="Noted", user=alice)
    first.held_on = date.today() + timedelta(days=40)
    with pytest.raises(ValidationError, match="it has met"):
        services.meeting_save(meeting=first, user=alice)
    assert not Action.objects.exists()


def test_one_dfe_review_a_day_and_the_form_offers_only_lighter_steps(
    client, scilly, scilly_2023, alice
):
    notice = services.intervention_save(
        intervention=adviser(scilly, scilly_2023, kind=InterventionKind.NOTICE), user=alice
    )
    review = {"held_on": date(2024, 3, 14), "findings": "x", "outcome": "continues"}
    services.dfe_review_record(review=DfeReview(intervention=notice, **review), user=alice)
    with pytest.raises(ValidationError, match="A DfE review on 14 March 2024 is already recorded"):
        services.dfe_review_record(review=DfeReview(intervention=notice, **review), user=alice)
    client.force_login(alice)
    url = f"/councils/isles-of-scilly/intervention/{notice.pk}/reviews/new/"
    html = client.get(url).content.decode()
    assert '<option value="adviser">DfE improvement adviser</option>' in html
    assert "statutory_direction" not in html
    response = client.post(
        url,
        {
            **date_fields("held_on", ("1", "9", "2024")),
            "findings": "x",
            "outcome": "continues",
            "steps_down_to": "adviser",
        },
    )
    assert "Choose a lighter step only when the intervention steps down" in (
        response.content.decode()
    )
    assert DfeReview.objects.count() == 1


def test_the_ics_file_describes_its_time_zone(client, scilly, alice):
    services.meeting_save(
        meeting=Meeting(
            council=scilly,
            kind=MeetingKind.SCRUTINY,
            held_on=date.today() + timedelta(days=20),
            starts_at=time(18, 30),
        ),
        user=alice,
    )
    client.force_login(alice)
    ics = client.get("/councils/isles-of-scilly/calendar.ics").content.decode()
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Europe/London" in ics


def test_a_past_meetings_pack_names_the_board_as_it_then_was(client, scilly, alice, board_meetings):
    first, _ = board_meetings
    board = Board.objects.get()
    with time_machine.travel("2024-01-01 09:00 +0000"):
        board.chair = "The chair in January 2024"
        services.board_save(board=board, user=alice)
    board.chair = "A later chair"
    services.board_save(board=board, user=alice)
    client.force_login(alice)
    text = " ".join(
        pdf_text(
            client.get(f"/councils/isles-of-scilly/meetings/{first.pk}/pack.pdf").content
        ).split()
    )
    assert "Independent chair: The chair in January 2024" in text
