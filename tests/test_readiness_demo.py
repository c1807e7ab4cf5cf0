"""`manage.py load_demo` loads the demo self-evaluations: Barking and Dagenham's 2022 ahead of
its expected 2023 inspection (seed 004), and Isles of Scilly's 2023 beside its 2023 grades."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from readiness import selectors
from readiness.models import PlanAction, SelfEvaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_barking_and_dagenhams_2022_self_evaluation_is_signed_off_before_the_assembly(loaded):
    evaluation = SelfEvaluation.objects.get(council__slug="barking-and-dagenham", year=2022)
    assert evaluation.is_signed_off
    assert evaluation.signed_off_at.date() < date(2023, 5, 17)
    assert evaluation.framework.code == "ilacs-2018"
    assert {g.area.key: g.grade for g in evaluation.grades.all()} == {
        "leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "requires_improvement",
        "overall_effectiveness": "requires_improvement",
    }
    for _field, _question, answer in evaluation.answers():
        assert answer.startswith("Illustrative text for the demo")
    assert evaluation.actions.count() == 3
    assert "Demo self-evaluations: 2 created" in loaded


def test_isles_of_scilly_sets_its_2023_self_evaluation_beside_ofsteds_grades(loaded):
    scilly = SelfEvaluation.objects.get(council__slug="isles-of-scilly", year=2023).council
    knowledge = selectors.self_knowledge(scilly)
    at_2023 = [c for c in knowledge.comparisons if c.inspection.start_date == date(2023, 7, 11)]
    assert {c.area_key: (c.own, c.ofsted) for c in at_2023} == {
        "leaders": ("good", "inadequate"),
        "help_and_protection": ("requires_improvement", "inadequate"),
        "children_in_care": ("good", "requires_improvement"),
        "care_leavers": ("good", "requires_improvement"),
        "overall_effectiveness": ("requires_improvement", "inadequate"),
    }
    assert PlanAction.objects.filter(meeting__council=scilly).count() == 1


def test_running_it_again_changes_nothing(loaded):
    counts = (SelfEvaluation.objects.count(), PlanAction.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (SelfEvaluation.objects.count(), PlanAction.objects.count()) == counts


def test_no_open_action_past_its_due_date_is_left_green_or_amber(loaded):
    overdue = PlanAction.objects.overdue(date.today())
    assert overdue.exists()
    assert set(overdue.values_list("rag", flat=True)) == {"red"}
