"""Overall effectiveness is entered, and checked against the other grades."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inspections.rules import check_grades
from inspections.services import inspection_set_judgements

from .factories import InspectionFactory

PRACTICE = {"help_and_protection", "children_in_care", "care_leavers"}


def grades(**overrides):
    values = {
        "leaders": "good",
        "help_and_protection": "good",
        "children_in_care": "good",
        "care_leavers": "good",
        "overall_effectiveness": "good",
    }
    values.update(overrides)
    return values


def test_consistent_grades_pass_without_warnings():
    result = check_grades(grades(), PRACTICE)
    assert result.errors == [] and result.warnings == []


def test_help_and_protection_inadequate_with_overall_not_inadequate_is_an_error():
    result = check_grades(grades(help_and_protection="inadequate"), PRACTICE)
    assert result.errors == [
        "Overall effectiveness must be inadequate when help and protection is inadequate"
    ]


def test_a_practice_judgement_inadequate_without_overall_inadequate_is_a_warning():
    result = check_grades(
        grades(children_in_care="inadequate", overall_effectiveness="requires_improvement"),
        PRACTICE,
    )
    assert result.errors == []
    assert len(result.warnings) == 1
    assert "inadequate" in result.warnings[0]


def test_leaders_inadequate_alone_does_not_force_overall_inadequate():
    # Slough 2023 and Doncaster 2022: leaders inadequate, overall requires improvement.
    result = check_grades(
        grades(
            leaders="inadequate",
            help_and_protection="requires_improvement",
            children_in_care="requires_improvement",
            care_leavers="requires_improvement",
            overall_effectiveness="requires_improvement",
        ),
        PRACTICE,
    )
    assert result.errors == [] and result.warnings == []


def test_overall_outside_the_range_of_the_other_grades_is_a_warning():
    result = check_grades(grades(overall_effectiveness="outstanding"), PRACTICE)
    assert result.errors == []
    assert result.warnings == [
        "Overall effectiveness lies outside the range of the other grades: check it against "
        "the report"
    ]


def test_without_overall_effectiveness_there_is_nothing_to_check():
    values = grades(help_and_protection="inadequate")
    del values["overall_effectiveness"]
    result = check_grades(values, PRACTICE)
    assert result.errors == [] and result.warnings == []


@pytest.mark.django_db
def test_the_service_refuses_the_hard_rule_and_saves_nothing(scilly):
    inspection = InspectionFactory(council=scilly)
    with pytest.raises(ValidationError):
        inspection_set_judgements(
            inspection=inspection, grades=grades(help_and_protection="inadequate")
        )
    assert not inspection.judgements.exists()


@pytest.mark.django_db
def test_the_service_saves_grades_with_a_soft_warning_and_returns_it(scilly):
    inspection = InspectionFactory(council=scilly)
    result = inspection_set_judgements(
        inspection=inspection,
        grades=grades(care_leavers="inadequate", overall_effectiveness="requires_improvement"),
    )
    assert len(result.warnings) == 1
    assert inspection.judgements.count() == 5


@pytest.mark.django_db
def test_the_service_refuses_grades_for_areas_the_framework_does_not_have(scilly):
    inspection = InspectionFactory(
        council=scilly, start_date=date(2026, 5, 4), end_date=date(2026, 5, 15), published_on=None
    )
    with pytest.raises(ValidationError):
        inspection_set_judgements(inspection=inspection, grades=grades())
    assert not inspection.judgements.exists()
