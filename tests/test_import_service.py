"""The import service: size limit, council names, pairing recommendations, one transaction."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inspections.importing import Fieldwork, fieldwork_from_blocks, is_same_council, report_read
from inspections.models import Inspection
from inspections.report_parser import ReportRejected
from inspections.services.importing import ImportValues, inspection_import, recommendations_matched

from .factories import CouncilFactory, InspectionFactory, RecommendationFactory


@pytest.mark.parametrize(
    ("printed", "council"),
    [
        ("Isles of Scilly", "Isles of Scilly"),
        ("Bristol City Council", "Bristol, City of"),
        ("St Helens", "St. Helens"),
        ("the London Borough of Barking and Dagenham", "Barking and Dagenham"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
    ],
)
def test_it_knows_a_council_by_the_name_the_report_prints(printed, council):
    assert is_same_council(printed, CouncilFactory.build(name=council))


@pytest.mark.parametrize(
    ("printed", "council"),
    [
        ("Nottinghamshire", "Nottingham"),
        ("North Somerset", "Bath and North East Somerset"),
        ("Trafford", "Isles of Scilly"),
        ("Council", "Council"),
    ],
)
def test_it_tells_another_council_apart(printed, council):
    assert not is_same_council(printed, CouncilFactory.build(name=council))


def test_it_refuses_a_file_over_the_limit_even_when_its_size_is_misstated(settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ReportRejected, match="larger than the 1 KB limit"):
        report_read(file=io.BytesIO(b"%PDF-1.4\n" + bytes(4096)), size=10)


def test_a_third_fieldwork_block_extends_the_second():
    blocks = [
        (date(2022, 12, 5), date(2022, 12, 9)),
        (date(2023, 1, 9), date(2023, 1, 10)),
        (date(2023, 2, 14), date(2023, 2, 15)),
    ]
    assert fieldwork_from_blocks(blocks) == Fieldwork(
        date(2022, 12, 5), date(2022, 12, 9), date(2023, 1, 9), date(2023, 2, 15)
    )


@pytest.mark.django_db
def test_recommendations_keep_their_rows_by_text_then_by_order(scilly):
    inspection = InspectionFactory(council=scilly)
    a = RecommendationFactory(inspection=inspection, position=1, text="A.")
    b = RecommendationFactory(inspection=inspection, position=2, text="B.")
    c = RecommendationFactory(inspection=inspection, position=3, text="C.")
    items = recommendations_matched(
        inspection=inspection, items=[("B.", ""), ("A, reworded.", "outcome 1"), ("D.", "")]
    )
    assert [(item.id, item.text) for item in items] == [
        (b.pk, "B."),
        (a.pk, "A, reworded."),
        (c.pk, "D."),
    ]
    assert items[1].national_framework_reference == "outcome 1"


@pytest.mark.django_db
def test_a_new_inspection_has_no_rows_to_keep():
    assert [item.id for item in recommendations_matched(inspection=None, items=[("A.", "")])] == [
        None
    ]


@pytest.mark.django_db
def test_it_refuses_to_update_another_councils_inspection(scilly, nottingham):
    theirs = InspectionFactory(council=nottingham)
    values = ImportValues(
        kind="standard_ilacs",
        fieldwork=Fieldwork(date(2023, 7, 11), date(2023, 7, 13)),
        published_on=None,
        lead_inspector="Tracey Ledder",
    )
    with pytest.raises(ValidationError, match="belongs to another council"):
        inspection_import(council=scilly, values=values, update=theirs)
    theirs.refresh_from_db()
    assert theirs.lead_inspector == ""
    assert Inspection.objects.count() == 1
