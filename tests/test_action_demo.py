"""The demo action plan for Isles of Scilly 2023 is realistic and loads once."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from actions.models import Action, ProgressUpdate, Status

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_every_recommendation_has_actions_with_a_spread_of_statuses():
    assert "Demo improvement actions: 17 created" in load()
    actions = Action.objects.filter(recommendation__inspection__start_date=date(2023, 7, 11))
    # And one the improvement board's decision added (governance/demo.py).
    assert actions.count() == 18
    assert set(actions.values_list("recommendation__position", flat=True)) == set(range(1, 9))
    assert set(actions.values_list("status", flat=True)) == set(Status)
    today = date.today()
    assert actions.overdue(today).count() >= 3
    assert actions.filter(revised_due_on__isnull=False).count() == 3
    assert actions.filter(status="complete", evidence_of_impact="").count() == 0


def test_progress_updates_span_several_months_and_history_is_recorded():
    load()
    dates = (
        ProgressUpdate.objects.filter(action__recommendation__inspection__start_date__year=2023)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    assert dates.first().date() == date(2024, 1, 10)
    assert (dates.last() - dates.first()).days > 180
    revised = Action.objects.filter(revised_due_on__isnull=False).first()
    record = revised.history.filter(history_change_reason="Edited").get()
    assert record.history_user.username in {"scilly-officer", "consultant"}
    assert record.history_date.year in {2024, 2025}


def test_running_load_demo_twice_adds_no_actions_updates_or_history():
    load()
    counts = (
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        Action.history.count(),
    )
    assert "Demo improvement actions: 0 created" in load()
    assert (Action.objects.count(), ProgressUpdate.objects.count(), Action.history.count()) == (
        counts
    )


def test_the_2019_plan_was_decided_on_when_the_2023_plan_was_agreed():
    assert "Demo actions of an earlier plan: 3 created" in load()
    older = Action.objects.filter(recommendation__inspection__start_date__year=2019)
    assert older.count() == 3
    carried = older.get(carried_from__isnull=False)
    assert carried.plan.start_date == date(2023, 7, 11)
    assert carried.updates.count() == 2  # its narrative comes with it
    assert carried in Action.objects.live_plan(carried.council)
    ended = older.get(ended_on__isnull=False)
    assert "sufficiency strategy" in ended.end_reason
    assert older.get(status="complete").plan.start_date.year == 2019
