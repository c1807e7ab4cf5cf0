"""`manage.py next_inspection SLUG --as-of YYYY-MM-DD --json`: the likely kind and window of a
council's next inspection, from what was published before the date."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.services import inspection_set_judgements

from .factories import InspectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(frameworks):
    call_command("load_councils", stdout=StringIO())
    call_command("load_outcomes", stdout=StringIO())


def run(*args) -> dict:
    out = StringIO()
    call_command("next_inspection", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_before_its_2023_report_scilly_was_due_a_short_inspection(loaded):
    found = run("isles-of-scilly", "--as-of", "2023-08-25")
    assert found["next"] == "short" and found["title"] == "Short inspection"
    assert found["last_inspection"]["start_date"] == "2019-10-14"
    assert found["last_inspection"]["source"] == "published"
    # Only the pairs published before the date are measured: fewer than the file's 166.
    assert "166 pairs" not in " ".join(found["how"])
    assert found["window"]["from"] <= "2023-08-25" <= found["window"]["to"]


def test_after_its_2023_report_monitoring_until_a_reinspection(loaded):
    found = run("isles-of-scilly", "--as-of", "2023-08-26")
    assert found["next"] == "monitoring"
    assert found["title"] == "Monitoring visits until a standard re-inspection"
    # Fewer than 20 pairs after inadequate had been published then: every pair's figures.
    assert found["window"] == {"from": "2026-07-11", "to": "2028-05-11", "likeliest": "2027-07-11"}
    assert not any("judged inadequate" in line for line in found["how"])
    # Today the file holds 23 such pairs, and the window follows them.
    today = run("isles-of-scilly", "--as-of", "2026-11-30")
    assert today["window"] == {"from": "2026-07-11", "to": "2027-08-11", "likeliest": "2027-01-11"}
    assert any("23 pairs" in line and "judged inadequate" in line for line in today["how"])


def test_the_councils_own_record_wins_over_the_published_report(loaded, scilly):
    recorded = InspectionFactory(
        council=scilly,
        kind="short_ilacs",
        start_date=date(2023, 7, 11),
        end_date=date(2023, 7, 13),
        published_on=date(2023, 8, 25),
    )
    inspection_set_judgements(
        inspection=recorded,
        grades={
            "leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "children_in_care": "good",
            "care_leavers": "good",
            "overall_effectiveness": "requires_improvement",
        },
    )
    found = run("isles-of-scilly", "--as-of", "2024-01-01")
    assert found["last_inspection"]["source"] == "recorded"
    assert found["next"] == "standard"


def test_from_april_2026_a_focused_visit_comes_first_after_weak_practice(loaded):
    # Barking and Dagenham, 2023: leaders and two practice judgements requires improvement.
    found = run("barking-and-dagenham", "--as-of", "2026-11-30")
    assert found["last_inspection"]["published_on"] == "2023-09-04"
    assert found["focused_visit_first"] is True
    assert found["title"] == "A focused visit, then a standard inspection"


def test_it_prints_in_words_without_json(loaded):
    out = StringIO()
    call_command("next_inspection", "dorset", "--as-of", "2026-11-30", stdout=out)
    text = out.getvalue()
    assert text.startswith("Dorset, as of 30 November 2026: Short inspection")
    assert "Window: May 2028 to August 2030" in text


def test_with_nothing_published_before_the_date_it_says_so(loaded):
    found = run("isles-of-scilly", "--as-of", "2010-01-01")
    assert found["next"] == "unknown" and found["window"]["from"] is None
    assert found["how"] == ["No inspection report was published before 1 January 2010."]


def test_an_unknown_council_or_a_bad_date_is_refused(loaded):
    with pytest.raises(CommandError, match="No council has the address 'atlantis'"):
        run("atlantis")
    with pytest.raises(CommandError, match="is not a date"):
        run("dorset", "--as-of", "30/11/2026")
