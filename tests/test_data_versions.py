"""Every recorded change bumps its council's data version, the key of the dashboard's cache."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from actions.services import action_add_progress, action_update
from councils.models import Council, StatisticalNeighbour
from inspections.models import BankHolidayChange
from inspections.services import (
    RecommendationInput,
    inspection_set_judgements,
    inspection_set_recommendations,
    milestone_add_agreed,
    milestone_record_done,
)

from .factories import ActionFactory, InspectionFactory, ProgressUpdateFactory
from .helpers import SPLIT_GRADES

pytestmark = pytest.mark.django_db


def version_of(council) -> int:
    return Council.objects.get(pk=council.pk).data_version


@pytest.fixture
def action(scilly):
    return ActionFactory(recommendation__inspection__council=scilly)


def _judgements(action, alice):
    inspection_set_judgements(inspection=action.recommendation.inspection, grades=SPLIT_GRADES)


def _recommendations(action, alice):
    inspection_set_recommendations(
        inspection=action.recommendation.inspection,
        items=[
            RecommendationInput(id=action.recommendation_id, text="Improve supervision"),
            RecommendationInput(id=None, text="Improve the quality of plans"),
        ],
    )


def _milestone(action, alice):
    milestone = milestone_add_agreed(
        inspection=action.recommendation.inspection,
        key="monitoring_visit",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    milestone_record_done(milestone=milestone, done_on=timezone.localdate())


def _progress(action, alice):
    action_add_progress(
        action=action,
        expected_version=action.version,
        user=alice,
        narrative="Started",
        status="in_progress",
        rag="amber",
        percent_complete=10,
    )


def _edit(action, alice):
    action_update(
        action=action, expected_version=action.version, user=alice, changes={"title": "Renamed"}
    )


def _inspection_edit(action, alice):
    inspection = action.recommendation.inspection
    inspection.published_on = date(2023, 9, 1)
    inspection.save()


def _progress_deleted(action, alice):
    ProgressUpdateFactory(action=action, author=alice).delete()


CHANGES = [
    _judgements,
    _recommendations,
    _milestone,
    _progress,
    _edit,
    _inspection_edit,
    _progress_deleted,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_recorded_change_bumps_its_own_councils_version_only(
    change, action, alice, scilly, nottingham
):
    before, other = version_of(scilly), version_of(nottingham)
    change(action, alice)
    assert version_of(scilly) > before
    assert version_of(nottingham) == other


def test_a_change_rolled_back_leaves_the_version_as_it_was(action, alice, scilly):
    before = version_of(scilly)
    with pytest.raises(RuntimeError), transaction.atomic():
        _progress(action, alice)
        raise RuntimeError("the request failed after the write")
    assert version_of(scilly) == before


def test_saving_a_council_read_before_a_change_does_not_put_its_version_back(action, alice, scilly):
    stale = Council.objects.get(pk=scilly.pk)
    _progress(action, alice)
    bumped = version_of(scilly)
    stale.name = "Isles of Scilly Council"
    stale.save()
    assert version_of(scilly) > bumped


def test_neighbour_links_and_bank_holidays_bump_the_versions(scilly, nottingham):
    before = version_of(scilly)
    link = StatisticalNeighbour.objects.create(council=scilly, neighbour=nottingham, rank=1)
    assert version_of(scilly) > before
    before, other = version_of(scilly), version_of(nottingham)
    link.delete()
    assert version_of(scilly) > before
    assert version_of(nottingham) == other
    BankHolidayChange.objects.create(day=date(2027, 1, 4), name="A royal occasion")
    assert version_of(scilly) > before + 1
    assert version_of(nottingham) > other


def test_the_neighbours_version_follows_the_neighbours_changes(scilly, nottingham):
    StatisticalNeighbour.objects.create(council=scilly, neighbour=nottingham, rank=1)

    def versions():
        council = Council.objects.with_neighbours_version().get(pk=scilly.pk)
        return council.data_version, council.neighbours_version

    own, neighbours = versions()
    inspection_set_judgements(inspection=InspectionFactory(council=nottingham), grades=SPLIT_GRADES)
    assert versions()[0] == own
    assert versions()[1] > neighbours
    assert Council.objects.with_neighbours_version().get(pk=nottingham.pk).neighbours_version == 0


def test_every_model_with_a_history_is_council_data():
    """A model recorded in the history is a council's data: its writes must bump the version."""
    from django.apps import apps

    from councils.models import CouncilData

    recorded = [
        model
        for model in apps.get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    ]
    assert recorded
    assert [m.__name__ for m in recorded if not issubclass(m, CouncilData)] == []


def test_deleting_an_inspection_with_its_rows_bumps_its_councils_version(scilly, nottingham):
    inspection = InspectionFactory(council=scilly)
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    before, other = version_of(scilly), version_of(nottingham)
    inspection.delete()  # cascades to the judgements
    assert version_of(scilly) > before
    assert version_of(nottingham) == other


def test_a_queryset_delete_bumps_the_version(scilly, nottingham):
    StatisticalNeighbour.objects.create(council=scilly, neighbour=nottingham, rank=1)
    before = version_of(scilly)
    StatisticalNeighbour.objects.filter(council=scilly).delete()
    assert version_of(scilly) > before


def test_an_admin_edit_bumps_the_version(client, action, scilly, nottingham):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    recommendation = action.recommendation
    before, other = version_of(scilly), version_of(nottingham)
    response = client.post(
        f"/admin/inspections/recommendation/{recommendation.pk}/change/",
        {
            "inspection": recommendation.inspection_id,
            "position": recommendation.position,
            "text": "Edited in the admin",
            "national_framework_reference": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recommendation.refresh_from_db()
    assert recommendation.text == "Edited in the admin"
    assert version_of(scilly) > before
    assert version_of(nottingham) == other
