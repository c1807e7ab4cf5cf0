"""The framework, and so the judgement set, follows from the inspection's start date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inspections.models import Framework, Inspection, InspectionKind
from inspections.services import inspection_save

pytestmark = pytest.mark.django_db


def save(council, kind=InspectionKind.STANDARD_ILACS, **dates):
    return inspection_save(inspection=Inspection(council=council, kind=kind, **dates))


def area_keys(inspection):
    return list(inspection.framework.areas.values_list("key", flat=True))


def test_south_tyneside_december_2022_has_the_combined_judgement(scilly):
    # Inspected 5 to 9 December 2022 and 14 to 15 February 2023, published May 2023.
    inspection = save(
        scilly,
        start_date=date(2022, 12, 5),
        end_date=date(2022, 12, 9),
        second_start_date=date(2023, 2, 14),
        second_end_date=date(2023, 2, 15),
        published_on=date(2023, 5, 10),
    )
    assert inspection.framework.code == "ilacs-2018"
    assert area_keys(inspection) == [
        "leaders",
        "help_and_protection",
        "children_in_care_and_care_leavers",
        "overall_effectiveness",
    ]


def test_bristol_january_2023_has_children_in_care_and_care_leavers_split(scilly):
    inspection = save(scilly, start_date=date(2023, 1, 16), end_date=date(2023, 1, 27))
    assert inspection.framework.code == "ilacs-2023"
    assert area_keys(inspection) == [
        "leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "overall_effectiveness",
    ]


def test_wolverhampton_january_2026_still_has_overall_effectiveness(scilly):
    inspection = save(
        scilly,
        start_date=date(2026, 1, 19),
        end_date=date(2026, 1, 30),
        published_on=date(2026, 6, 1),
    )
    assert "overall_effectiveness" in area_keys(inspection)


def test_an_inspection_from_27_april_2026_has_no_overall_effectiveness(scilly):
    inspection = save(scilly, start_date=date(2026, 4, 27), end_date=date(2026, 5, 8))
    assert inspection.framework.code == "ilacs-2026"
    assert area_keys(inspection) == [
        "leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
    ]


def test_a_sif_inspection_in_2016_uses_the_single_inspection_framework(scilly):
    inspection = save(
        scilly, kind=InspectionKind.SIF, start_date=date(2016, 3, 1), end_date=date(2016, 3, 24)
    )
    assert inspection.framework.code == "sif"


def test_it_refuses_an_ilacs_inspection_before_ilacs_began(scilly):
    with pytest.raises(ValidationError) as exc:
        save(scilly, start_date=date(2016, 3, 1), end_date=date(2016, 3, 24))
    assert "start_date" in exc.value.message_dict
    assert not Inspection.objects.exists()


def test_focused_visits_are_not_graded(scilly):
    inspection = save(
        scilly,
        kind=InspectionKind.FOCUSED_VISIT,
        start_date=date(2024, 5, 1),
        end_date=date(2024, 5, 2),
    )
    assert inspection.framework is None


def test_a_new_framework_added_as_data_applies_without_code_changes(scilly):
    future = Framework.objects.create(
        code="ilacs-2027", name="Renewed framework", family="ilacs", starts_on=date(2027, 9, 1)
    )
    future.areas.create(key="leaders", name="Leadership", short_name="Leadership", position=1)
    inspection = save(scilly, start_date=date(2027, 10, 4), end_date=date(2027, 10, 15))
    assert inspection.framework == future
    assert area_keys(inspection) == ["leaders"]


def test_moving_the_start_date_across_frameworks_drops_the_old_grades(scilly):
    from inspections.services import inspection_set_judgements

    inspection = save(scilly, start_date=date(2022, 11, 7), end_date=date(2022, 11, 18))
    inspection_set_judgements(
        inspection=inspection,
        grades={
            "leaders": "good",
            "help_and_protection": "good",
            "children_in_care_and_care_leavers": "good",
            "overall_effectiveness": "good",
        },
    )
    inspection.start_date = date(2023, 1, 9)
    inspection.end_date = date(2023, 1, 20)
    save_again = inspection_save(inspection=inspection)
    assert save_again.framework.code == "ilacs-2023"
    assert not save_again.judgements.exists()


def test_lancashire_june_2018_under_sif_is_accepted_with_adoption_graded(scilly):
    # Fieldwork June to July 2018 under SIF, adoption graded, published August 2018.
    inspection = save(
        scilly,
        kind=InspectionKind.SIF,
        start_date=date(2018, 6, 4),
        end_date=date(2018, 7, 13),
        published_on=date(2018, 8, 1),
    )
    assert inspection.framework.code == "sif"
    assert "adoption" in area_keys(inspection)


def test_an_ilacs_inspection_in_2018_still_gets_ilacs_2018(scilly):
    inspection = save(scilly, start_date=date(2018, 6, 4), end_date=date(2018, 6, 15))
    assert inspection.framework.code == "ilacs-2018"


def test_a_sif_inspection_starting_in_2019_is_refused_with_a_clear_message(scilly):
    with pytest.raises(ValidationError) as exc:
        save(
            scilly, kind=InspectionKind.SIF, start_date=date(2019, 1, 7), end_date=date(2019, 1, 18)
        )
    assert exc.value.message_dict["start_date"] == [
        "A single inspection framework (SIF) inspection cannot start on 7 January 2019: the last "
        "ones started by 31 December 2018. Check the kind of inspection and its dates"
    ]
    assert not Inspection.objects.exists()


def test_a_chosen_framework_that_could_apply_is_kept_and_one_that_could_not_is_replaced(scilly):
    overlap = Framework.objects.get(code="ilacs-2023")
    overlap.last_starts_on = date(2026, 6, 30)
    overlap.save()
    kept = save(scilly, start_date=date(2026, 5, 4), end_date=date(2026, 5, 15), framework=overlap)
    assert kept.framework.code == "ilacs-2023"
    replaced = save(
        scilly,
        start_date=date(2026, 7, 6),
        end_date=date(2026, 7, 17),
        framework=Framework.objects.get(code="sif"),
    )
    assert replaced.framework.code == "ilacs-2026"
