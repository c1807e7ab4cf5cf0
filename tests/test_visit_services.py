"""Recording a visit in its cycle: the milestone a monitoring visit fulfils, and the deadlines a
focused visit's letter sets."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inspections.models import DeadlineSettings, Inspection, Milestone
from inspections.services import (
    milestone_add_agreed,
    visit_fulfil_milestone,
    visit_record,
    visit_release_milestone,
)

from .helpers import record

pytestmark = pytest.mark.django_db

GOOD_GRADES = {
    "leaders": "good",
    "help_and_protection": "good",
    "children_in_care": "good",
    "care_leavers": "good",
    "overall_effectiveness": "good",
}


@pytest.fixture
def scilly_2023(scilly, django_capture_on_commit_callbacks):
    """Inadequate, fieldwork 11 to 13 July 2023: first monitoring visit in February 2024."""
    return record(scilly, django_capture_on_commit_callbacks)


@pytest.fixture
def agreed(scilly_2023):
    """Monitoring visits agreed with Ofsted for 12 June and 15 October 2024."""
    return [
        milestone_add_agreed(inspection=scilly_2023, key="monitoring_visit", due_on=due)
        for due in (date(2024, 6, 12), date(2024, 10, 15))
    ]


def visit(head, **fields) -> Inspection:
    values = {
        "cycle": head,
        "kind": "monitoring_visit",
        "start_date": date(2024, 6, 11),
        "end_date": date(2024, 6, 12),
        "published_on": date(2024, 7, 10),
    } | fields
    return Inspection(council=head.council, **values)


def rows():
    return sorted(
        Milestone.objects.values_list("pk", "key", "due_on", "done_on", "fulfilled_by_id")
    ), sorted(Inspection.all_objects.values_list("pk", "kind", "start_date"))


def test_a_monitoring_visit_fulfils_the_agreed_visit_nearest_its_start(scilly_2023, agreed):
    recorded = visit_record(visit=visit(scilly_2023))
    june, october = (Milestone.objects.get(pk=m.pk) for m in agreed)
    assert recorded.fulfilled == june
    assert june.done_on == date(2024, 6, 11)
    assert june.fulfilled_by == recorded.visit
    assert october.done_on is None and october.fulfilled_by is None
    # The others it could have fulfilled, nearest first: February's first visit, then October.
    assert [m.due_on for m in recorded.also_waiting] == [date(2024, 2, 25), date(2024, 10, 15)]
    reason = june.history.first().history_change_reason
    assert reason == "Fulfilled by the monitoring visit of 11 to 12 June 2024"


def test_the_first_monitoring_visit_is_fulfilled_by_a_visit_in_its_month(scilly_2023):
    recorded = visit_record(
        visit=visit(scilly_2023, start_date=date(2024, 2, 20), end_date=date(2024, 2, 21))
    )
    assert recorded.fulfilled.key == "first_monitoring_visit"
    assert recorded.fulfilled.source == "computed"
    assert recorded.fulfilled.done_on == date(2024, 2, 20)
    assert recorded.also_waiting == []


def test_a_milestone_already_fulfilled_waits_for_no_second_visit(scilly_2023, agreed):
    first = visit_record(visit=visit(scilly_2023)).visit
    second = visit_record(
        visit=visit(scilly_2023, start_date=date(2024, 6, 25), end_date=date(2024, 6, 26))
    )
    assert second.fulfilled.due_on == date(2024, 10, 15)
    assert Milestone.objects.get(pk=agreed[0].pk).fulfilled_by == first


def test_a_visit_with_no_milestone_waiting_is_recorded_all_the_same(
    scilly, django_capture_on_commit_callbacks
):
    good = record(scilly, django_capture_on_commit_callbacks, grades=GOOD_GRADES)
    recorded = visit_record(visit=visit(good))
    assert recorded.fulfilled is None
    assert Inspection.objects.filter(pk=recorded.visit.pk, cycle=good).exists()
    assert not Milestone.objects.filter(fulfilled_by__isnull=False).exists()


def test_a_visit_without_a_cycle_joins_the_graded_inspection_before_it(scilly_2023, agreed):
    recorded = visit_record(visit=visit(scilly_2023, cycle=None))
    assert recorded.visit.cycle == scilly_2023
    assert recorded.fulfilled == agreed[0]


def test_fulfilling_twice_changes_nothing_and_releasing_undoes_it(scilly_2023, agreed):
    recorded = visit_record(visit=visit(scilly_2023))
    assert visit_fulfil_milestone(visit=recorded.visit).fulfilled == agreed[0]
    assert Milestone.objects.filter(fulfilled_by=recorded.visit).count() == 1

    released = visit_release_milestone(visit=recorded.visit)
    assert released == [agreed[0]]
    june = Milestone.objects.get(pk=agreed[0].pk)
    assert june.done_on is None and june.fulfilled_by is None
    assert june.history.first().history_change_reason == (
        "No longer fulfilled by the monitoring visit of 11 to 12 June 2024"
    )
    # Fulfilled again, as after its dates are corrected.
    assert visit_fulfil_milestone(visit=recorded.visit).fulfilled == agreed[0]


def test_a_focused_visit_letter_with_priority_actions_owes_plans_20_and_70_days_after_it(
    scilly_2023, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recorded = visit_record(
            visit=visit(
                scilly_2023,
                kind="focused_visit",
                start_date=date(2024, 3, 5),
                end_date=date(2024, 3, 6),
                published_on=date(2024, 4, 9),
            ),
            priority_actions=True,
        )
    assert recorded.fulfilled is None
    assert DeadlineSettings.objects.get(inspection=recorded.visit).priority_actions is True
    # 20 and 70 working days after Tuesday 9 April 2024 (the 6 May and 27 May bank holidays
    # fall in between).
    assert list(recorded.visit.milestones.values_list("key", "due_on", "basis")) == [
        (
            "draft_action_plan",
            date(2024, 5, 8),
            "20 working days after publication on Tue 9 Apr 2024",
        ),
        ("action_plan", date(2024, 7, 18), "70 working days after publication on Tue 9 Apr 2024"),
    ]
    # The graded inspection's monitoring visit is not the focused visit's to fulfil.
    assert not Milestone.objects.filter(fulfilled_by__isnull=False).exists()


def test_a_jtai_letter_without_priority_actions_sets_no_deadlines(
    scilly_2023, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recorded = visit_record(
            visit=visit(scilly_2023, kind="jtai", start_date=date(2024, 3, 5)),
            priority_actions=False,
        )
    assert DeadlineSettings.objects.get(inspection=recorded.visit).priority_actions is False
    assert not recorded.visit.milestones.exists()


@pytest.mark.parametrize(
    "fields, priority_actions, message",
    [
        (
            {"start_date": date(2023, 7, 13), "end_date": date(2023, 7, 14)},
            False,
            "The visit must start after the fieldwork of the inspection it follows, which "
            "ended on 13 July 2023",
        ),
        (
            {"published_on": date(2024, 6, 11)},
            False,
            "The publication date must be after fieldwork ends",
        ),
        ({"kind": "standard_ilacs"}, False, "Select a monitoring visit, a focused visit or a JTAI"),
        ({}, True, "Only a focused visit or a JTAI letter sets priority actions"),
    ],
)
def test_a_visit_that_does_not_fit_its_cycle_changes_nothing(
    scilly_2023, agreed, fields, priority_actions, message
):
    before = rows()
    with pytest.raises(ValidationError, match=message):
        visit_record(visit=visit(scilly_2023, **fields), priority_actions=priority_actions)
    assert rows() == before


def test_a_visit_cannot_follow_another_councils_inspection(
    scilly_2023, nottingham, django_capture_on_commit_callbacks
):
    theirs = record(nottingham, django_capture_on_commit_callbacks)
    before = rows()
    bad = visit(theirs)
    bad.council = scilly_2023.council
    with pytest.raises(ValidationError, match="Choose a graded inspection of this council"):
        visit_record(visit=bad)
    assert rows() == before


def test_withdrawing_a_visit_releases_its_milestone_and_restoring_fulfils_it_again(
    scilly_2023, agreed, alice
):
    from inspections.services import inspection_withdraw, inspections_restore

    recorded = visit_record(visit=visit(scilly_2023))
    inspection_withdraw(inspection=recorded.visit, user=alice, reason="Entered twice")
    june = Milestone.objects.get(pk=agreed[0].pk)
    assert (june.done_on, june.fulfilled_by) == (None, None)
    inspections_restore(inspections=[recorded.visit], user=alice)
    june.refresh_from_db()
    assert (june.done_on, june.fulfilled_by_id) == (date(2024, 6, 11), recorded.visit.pk)
