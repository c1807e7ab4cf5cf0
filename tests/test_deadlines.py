"""Milestones follow from the rules, the dates and the grades, and stay in step when they change."""

import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from config.celery import app as celery_app
from inspections.holidays import HolidayCalendar
from inspections.models import (
    BankHolidayChange,
    DeadlineRule,
    DeadlineSettings,
    Inspection,
    InspectionKind,
    Milestone,
    Monitoring,
)
from inspections.services import (
    deadline_settings_save,
    inspection_save,
    inspection_set_judgements,
    milestone_add_agreed,
    milestone_record_done,
    milestones_recompute,
    milestones_recompute_all,
)

from .helpers import record

pytestmark = pytest.mark.django_db

RI_GRADES = {
    "leaders": "requires_improvement",
    "help_and_protection": "requires_improvement",
    "children_in_care": "good",
    "care_leavers": "good",
    "overall_effectiveness": "requires_improvement",
}


def timeline(inspection):
    return [
        (m.key, m.due_on, m.due_by, m.precision)
        for m in Milestone.objects.filter(inspection=inspection).order_by("due_by", "key")
    ]


def test_an_inadequate_inspection_gets_the_isles_of_scilly_timetable(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    assert timeline(inspection) == [
        ("action_planning_visit", date(2023, 10, 9), date(2023, 10, 9), "day"),
        ("report_publication", date(2023, 10, 9), date(2023, 10, 9), "day"),
        ("action_plan", date(2023, 12, 4), date(2023, 12, 4), "day"),
        ("first_monitoring_visit", date(2024, 2, 25), date(2024, 2, 29), "month"),
    ]
    basis = dict(Milestone.objects.values_list("key", "basis"))
    assert basis["action_plan"] == "70 working days after publication on Fri 25 Aug 2023"
    assert basis["first_monitoring_visit"] == (
        "6 calendar months after publication on Fri 25 Aug 2023; "
        "Ofsted fixes the month, not the day"
    )
    plan = Milestone.objects.get(key="action_plan")
    # The inadequate rule and the graded rule give the same date: the specific one is named.
    assert plan.rule.trigger == "inadequate"
    assert plan.title == "Action plan shared with Ofsted"
    assert plan.due_display() == "Mon 4 Dec 2023"
    assert Milestone.objects.get(key="first_monitoring_visit").due_display() == "February 2024"


def test_stockton_requires_improvement_owes_only_the_action_plan(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=RI_GRADES,
        start_date=date(2023, 3, 6),
        end_date=date(2023, 3, 17),
        published_on=date(2023, 5, 9),
    )
    assert timeline(inspection) == [
        ("report_publication", date(2023, 6, 21), date(2023, 6, 21), "day"),
        ("action_plan", date(2023, 8, 16), date(2023, 8, 16), "day"),
    ]


def test_a_graded_inspection_owes_publication_and_an_action_plan_before_its_grades_are_entered(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks, grades=None)
    assert [key for key, *_ in timeline(inspection)] == ["report_publication", "action_plan"]


def test_no_milestones_until_the_report_is_published(scilly, django_capture_on_commit_callbacks):
    inspection = record(scilly, django_capture_on_commit_callbacks, published_on=None)
    assert timeline(inspection) == []


def test_the_date_the_report_was_received_restarts_the_clock(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(
        scilly, django_capture_on_commit_callbacks, report_received_on=date(2023, 8, 29)
    )
    assert timeline(inspection) == [
        ("action_planning_visit", date(2023, 10, 10), date(2023, 10, 10), "day"),
        ("report_publication", date(2023, 10, 10), date(2023, 10, 10), "day"),
        ("action_plan", date(2023, 12, 5), date(2023, 12, 5), "day"),
        ("first_monitoring_visit", date(2024, 2, 29), date(2024, 2, 29), "month"),
    ]
    assert "after the report was received on Tue 29 Aug 2023" in (
        Milestone.objects.get(key="action_plan").basis
    )


def test_better_grades_drop_the_monitoring_timetable_but_keep_what_happened(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    visit = Milestone.objects.get(key="action_planning_visit")
    milestone_record_done(milestone=visit, done_on=date(2023, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        inspection_set_judgements(inspection=inspection, grades=RI_GRADES)
    assert [key for key, *_ in timeline(inspection)] == [
        "action_planning_visit",
        "report_publication",
        "action_plan",
    ]
    plan = Milestone.objects.get(key="action_plan")
    assert plan.rule.trigger == "graded"
    assert plan.title == (
        "Written statement of action published and sent to Ofsted and the Secretary of State"
    )


def test_a_new_publication_date_moves_the_deadlines_and_their_reminders_start_afresh(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    Milestone.objects.update(reminded_10_at="2023-09-25T07:00Z")
    inspection.published_on = date(2023, 9, 1)
    with django_capture_on_commit_callbacks(execute=True):
        inspection_save(inspection=inspection)
    plan = Milestone.objects.get(key="action_plan")
    assert plan.due_on == date(2023, 12, 8)
    assert plan.reminded_10_at is None


def test_recomputing_twice_changes_nothing(scilly, django_capture_on_commit_callbacks):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    before = list(Milestone.objects.order_by("pk").values())
    milestones_recompute(inspection_id=inspection.pk)
    milestones_recompute(inspection_id=inspection.pk)
    assert list(Milestone.objects.order_by("pk").values()) == before


def test_recomputing_a_deleted_inspection_does_nothing(db):
    assert milestones_recompute(inspection_id=987654) == []


def test_an_officer_can_put_an_inspection_into_monitoring_or_take_it_out(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks, grades=RI_GRADES)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_settings_save(
            inspection=inspection,
            priority_actions=False,
            monitoring=Monitoring.YES,
            monitoring_reason="Ofsted's letter of 1 September 2023 says it will monitor",
        )
    assert len(timeline(inspection)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        deadline_settings_save(
            inspection=inspection,
            priority_actions=False,
            monitoring="no",
            monitoring_reason="The regional director confirmed no monitoring",
        )
    assert [key for key, *_ in timeline(inspection)] == ["report_publication", "action_plan"]
    reasons = [h.monitoring_reason for h in DeadlineSettings.objects.get().history.all()]
    assert reasons == [
        "The regional director confirmed no monitoring",
        "Ofsted's letter of 1 September 2023 says it will monitor",
        "",
    ]


@pytest.mark.parametrize("inadequate", ["leaders", "care_leavers"])
def test_from_april_2026_any_inadequate_judgement_starts_monitoring(
    scilly, django_capture_on_commit_callbacks, inadequate
):
    grades = dict.fromkeys(["leaders", "help_and_protection", "children_in_care"], "good")
    grades["care_leavers"] = "requires_improvement"
    grades[inadequate] = "inadequate"
    inspection = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=grades,
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 15),
        published_on=date(2026, 7, 3),
    )
    assert inspection.framework.monitoring_rule == "any_inadequate"
    assert [key for key, *_ in timeline(inspection)] == [
        "action_planning_visit",
        "report_publication",
        "action_plan",
        "first_monitoring_visit",
    ]


def test_before_april_2026_overall_effectiveness_decides_monitoring(
    scilly, django_capture_on_commit_callbacks
):
    # Care leavers inadequate alone, overall requires improvement: Ofsted would rarely grade
    # so, but if it did, overall effectiveness is what starts monitoring under ILACS 2023.
    grades = {**RI_GRADES, "care_leavers": "inadequate"}
    inspection = record(scilly, django_capture_on_commit_callbacks, grades=grades)
    assert inspection.framework.monitoring_rule == "overall_inadequate"
    assert [key for key, *_ in timeline(inspection)] == ["report_publication", "action_plan"]


def test_without_an_overall_grade_inadequate_leaders_start_monitoring(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades={
            "leaders": "inadequate",
            "help_and_protection": "requires_improvement",
            "children_in_care": "good",
            "care_leavers": "good",
        },
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 15),
        published_on=date(2026, 7, 3),
    )
    assert inspection.framework.code == "ilacs-2026"
    assert [key for key, *_ in timeline(inspection)] == [
        "action_planning_visit",
        "report_publication",
        "action_plan",
        "first_monitoring_visit",
    ]


def test_a_focused_visit_with_priority_actions_owes_a_draft_and_a_final_plan(
    scilly, django_capture_on_commit_callbacks
):
    visit = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=None,
        kind=InspectionKind.FOCUSED_VISIT,
        published_on=date(2023, 5, 9),
        start_date=date(2023, 3, 6),
        end_date=date(2023, 3, 7),
    )
    assert timeline(visit) == []
    with django_capture_on_commit_callbacks(execute=True):
        deadline_settings_save(inspection=visit, priority_actions=True, monitoring="from_grades")
    assert timeline(visit) == [
        ("draft_action_plan", date(2023, 6, 7), date(2023, 6, 7), "day"),
        ("action_plan", date(2023, 8, 16), date(2023, 8, 16), "day"),
    ]


def test_settings_that_do_not_fit_the_kind_of_visit_are_refused(scilly):
    graded = Inspection.objects.create(
        council=scilly,
        kind="standard_ilacs",
        start_date=date(2023, 7, 11),
        end_date=date(2023, 7, 13),
    )
    monitoring = Inspection.objects.create(
        council=scilly,
        kind="monitoring_visit",
        start_date=date(2023, 7, 11),
        end_date=date(2023, 7, 11),
    )
    with pytest.raises(ValidationError, match="Only a focused visit or a JTAI"):
        deadline_settings_save(inspection=graded, priority_actions=True, monitoring="from_grades")
    with pytest.raises(ValidationError, match="Only a graded inspection"):
        deadline_settings_save(inspection=monitoring, priority_actions=False, monitoring="yes")
    assert not DeadlineSettings.objects.exists()


def test_the_rules_are_data_an_admin_can_change(scilly, django_capture_on_commit_callbacks):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    DeadlineRule.objects.filter(key="action_planning_visit").update(amount=25)
    DeadlineRule.objects.filter(key="first_monitoring_visit").update(active=False)
    milestones_recompute_all()
    assert [(key, due) for key, due, *_ in timeline(inspection)] == [
        ("action_planning_visit", date(2023, 10, 2)),
        ("report_publication", date(2023, 10, 9)),
        ("action_plan", date(2023, 12, 4)),
    ]


def test_a_holiday_added_by_an_admin_moves_deadlines_on_the_daily_recomputation(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    BankHolidayChange.objects.create(day=date(2023, 10, 2), name="A newly announced holiday")
    assert milestones_recompute_all() == 1
    due = {key: due for key, due, *_ in timeline(inspection)}
    assert (due["action_planning_visit"], due["action_plan"]) == (
        date(2023, 10, 10),
        date(2023, 12, 5),
    )


def test_a_holiday_removed_by_an_admin_becomes_a_working_day(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    # The August bank holiday of 2023 fell on the first working day after publication.
    BankHolidayChange.objects.create(day=date(2023, 8, 28), name="Summer", action="remove")
    milestones_recompute_all()
    assert timeline(inspection)[0][1] == date(2023, 10, 6)


def test_christmas_day_and_good_friday_cannot_be_removed(db):
    for day in (date(2026, 12, 25), date(2026, 4, 3)):
        change = BankHolidayChange(day=day, name="Mistake", action="remove")
        with pytest.raises(ValidationError, match="never working days"):
            change.full_clean()


@pytest.mark.parametrize("action", ["add", "remove"])
def test_a_weekend_day_is_refused_as_a_bank_holiday_change(db, action):
    change = BankHolidayChange(day=date(2026, 12, 19), name="A Saturday", action=action)
    with pytest.raises(ValidationError, match="Saturday 19 December 2026 is a weekend day"):
        change.full_clean()


def test_the_calendar_lists_each_holiday_with_its_source(db):
    BankHolidayChange.objects.create(day=date(2023, 6, 5), name="Newly announced")
    BankHolidayChange.objects.create(day=date(2023, 5, 8), name="Coronation", action="remove")
    calendar = HolidayCalendar.load()
    entries = {e.day: e for e in calendar.entries(2023)}
    assert entries[date(2023, 6, 5)].source == "Added by an admin"
    assert entries[date(2023, 6, 5)].in_force
    assert entries[date(2023, 5, 8)].source == "Holidays package (England and Wales)"
    assert not entries[date(2023, 5, 8)].in_force
    assert entries[date(2023, 12, 25)].in_force
    assert date(2023, 6, 5) in calendar and date(2023, 5, 8) not in calendar
    assert len(entries) == 11


def test_an_officer_records_when_a_milestone_happened_and_can_clear_it(
    scilly, django_capture_on_commit_callbacks
):
    record(scilly, django_capture_on_commit_callbacks)
    visit = Milestone.objects.get(key="action_planning_visit")
    milestone_record_done(milestone=visit, done_on=date(2023, 10, 9))
    assert Milestone.objects.get(pk=visit.pk).done_on == date(2023, 10, 9)
    assert visit.history.first().done_on == date(2023, 10, 9)
    milestone_record_done(milestone=visit, done_on=None)
    assert Milestone.objects.get(pk=visit.pk).done_on is None


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        (date(2999, 1, 1), "must be today or in the past"),
        (date(2023, 7, 1), "must be after the inspection started"),
    ],
)
def test_an_impossible_date_it_happened_is_refused(
    scilly, django_capture_on_commit_callbacks, done_on, message
):
    record(scilly, django_capture_on_commit_callbacks)
    visit = Milestone.objects.get(key="action_planning_visit")
    with pytest.raises(ValidationError, match=message):
        milestone_record_done(milestone=visit, done_on=done_on)
    assert Milestone.objects.get(pk=visit.pk).done_on is None


def test_an_agreed_monitoring_visit_joins_the_timeline_and_survives_recomputation(
    scilly, django_capture_on_commit_callbacks
):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    milestone_add_agreed(inspection=inspection, key="monitoring_visit", due_on=date(2024, 6, 12))
    milestones_recompute(inspection_id=inspection.pk)
    agreed = Milestone.objects.get(source="agreed")
    assert (agreed.title, agreed.due_on, agreed.due_by, agreed.basis) == (
        "Monitoring visit",
        date(2024, 6, 12),
        date(2024, 6, 12),
        "Date agreed with Ofsted",
    )
    assert inspection.milestones.count() == 5


def test_an_agreed_date_before_the_fieldwork_is_refused(scilly, django_capture_on_commit_callbacks):
    inspection = record(scilly, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="after the inspection's fieldwork"):
        milestone_add_agreed(inspection=inspection, key="monitoring_visit", due_on=date(2023, 7, 1))
    with pytest.raises(ValidationError, match="Select what was agreed"):
        milestone_add_agreed(inspection=inspection, key="party", due_on=date(2024, 7, 1))
    assert not inspection.milestones.filter(source="agreed").exists()


@pytest.fixture
def broker_down():
    """Point Celery at a port where no broker listens, as if Redis were down."""
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url="redis://127.0.0.1:9/0", task_always_eager=False)
    # Forget producers bound to another broker URL, as Celery itself does after a fork.
    celery_app._after_fork()
    yield
    celery_app.conf.update(saved)
    celery_app._after_fork()


def test_a_save_succeeds_when_the_broker_is_down_and_the_daily_job_catches_up(
    scilly, django_capture_on_commit_callbacks, broker_down, caplog
):
    with caplog.at_level(logging.ERROR, logger="inspections.services.milestones"):
        inspection = record(scilly, django_capture_on_commit_callbacks)
    assert Inspection.objects.filter(pk=inspection.pk, published_on=date(2023, 8, 25)).exists()
    assert inspection.judgements.count() == 5
    assert not inspection.milestones.exists()
    assert "the daily job will recompute them" in caplog.text
    milestones_recompute_all()
    assert len(timeline(inspection)) == 4


def test_one_broken_inspection_does_not_stop_the_daily_recomputation(
    scilly, django_capture_on_commit_callbacks, caplog
):
    good = record(scilly, django_capture_on_commit_callbacks)
    # A publication date so late that its deadlines fall off the calendar.
    Inspection.objects.create(
        council=scilly,
        kind="standard_ilacs",
        start_date=date(9999, 12, 1),
        end_date=date(9999, 12, 2),
        published_on=date(9999, 12, 30),
    )
    Milestone.objects.all().delete()
    assert milestones_recompute_all() == 2
    assert len(timeline(good)) == 4
