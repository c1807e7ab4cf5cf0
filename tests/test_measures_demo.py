"""The demo's impact measures: six each for Isles of Scilly and Nottingham, illustrative, linked
to their live plans, mapped to published indicators where loaded; loading again adds nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from measures.demo import ILLUSTRATIVE, MEASURES, demo_load_measures
from measures.models import Measure, MeasureValue
from measures.series import measure_series

pytestmark = pytest.mark.django_db

COLUMNS = {
    "re_referrals_within_12_months_pct",
    "cpp_lasting_two_years_or_more_pct",
    "assessments_within_45_days_pct",
    "care_leavers_suitable_accommodation_pct",
    "care_leavers_eet_pct",
    "social_worker_turnover_pct",
}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_six_illustrative_measures_each_for_scilly_and_nottingham():
    output = load()
    assert "Demo impact measures and values: " in output
    assert {m.column for m in MEASURES} == COLUMNS
    for slug in ("isles-of-scilly", "nottingham"):
        measures = list(Measure.objects.filter(council__slug=slug))
        assert len(measures) == 6
        for measure in measures:
            assert measure.source == ILLUSTRATIVE
            assert ILLUSTRATIVE in measure.definition
            assert measure.unit == "percentage"
            assert measure.baseline is not None and measure.target is not None
            assert measure.target_on > measure.baseline_on
            measure.full_clean()
            values = list(measure.values.all())
            assert len(values) in (3, 8)
            today = date.today()
            assert all(v.period_end < today for v in values)
            # About two years of values.
            assert (values[-1].period_end - values[0].period_end).days >= 365 + 180
            if measure.frequency == "yearly":
                assert {(v.period_end.month, v.period_end.day) for v in values} == {(3, 31)}
            assert measure.recommendations.exists()
    polarity = dict(
        Measure.objects.filter(council__slug="nottingham").values_list("name", "polarity")
    )
    assert polarity["Re-referrals within 12 months"] == "lower"
    assert polarity["Assessments completed within 45 working days"] == "higher"
    assert polarity["Social worker turnover"] == "lower"


def test_measures_link_to_the_live_plans_recommendations_and_scillys_actions():
    load()
    scilly = Measure.objects.get(
        council__slug="isles-of-scilly", name="Re-referrals within 12 months"
    )
    (recommendation,) = scilly.recommendations.select_related("inspection")
    assert recommendation.inspection.start_date == date(2023, 7, 11)
    assert recommendation.position == 1
    assert list(scilly.actions.values_list("title", flat=True)) == [
        "Single front door: every contact screened and recorded within 24 hours"
    ]
    nottingham = Measure.objects.get(council__slug="nottingham", name="Social worker turnover")
    assert [r.position for r in nottingham.recommendations.all()] == [3]


def test_the_demo_has_measures_of_every_rag():
    load()
    measures = list(Measure.objects.filter(council__slug="isles-of-scilly"))
    council = measures[0].council
    rags = {s.rag for s in measure_series(council, measures)}
    assert rags == {"red", "amber", "green"}


def test_running_it_again_adds_nothing():
    load()
    measures, values = Measure.objects.count(), MeasureValue.objects.count()
    output = load()
    assert "Demo impact measures and values: 0 created" in output
    assert (Measure.objects.count(), MeasureValue.objects.count()) == (measures, values)


def test_measures_map_to_the_illustrative_indicators_loaded_before_them():
    load()
    mapped = Measure.objects.filter(indicator__isnull=False)
    assert mapped.count() == 12  # six measures, two councils
    assert set(mapped.values_list("indicator__column", flat=True)) == {
        "re_referrals_within_12_months_pct",
        "cpp_lasting_two_years_or_more_pct",
        "assessments_within_45_days_pct",
        "care_leavers_suitable_accommodation_pct",
        "care_leavers_eet_pct",
        "social_worker_turnover_pct",
    }
    # A measure left unmapped is mapped on a later run, once its indicator is there.
    Measure.objects.update(indicator=None)
    assert demo_load_measures(today=date.today()) == 0
    assert Measure.objects.filter(indicator__isnull=False).count() == 12
