"""Impact measures' rules: periods, RAG against target and tolerance, direction of travel, and a
series with its comparators (entered values win over published ones)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from councils.models import StatisticalNeighbour
from measures.models import (
    ComparatorLoad,
    Indicator,
    IndicatorValue,
    Level,
    Measure,
    MeasureValue,
    Polarity,
    Unit,
)
from measures.periods import (
    Frequency,
    PeriodError,
    ees_frequency,
    ees_period_end,
    ees_period_label,
    period_end,
    period_label,
    previous_period_end,
    recent_period_ends,
)
from measures.series import ENGLAND, Direction, Rag, direction, measure_rag, measure_series
from measures.templatetags.measures_tags import format_value

from .factories import CouncilFactory


@pytest.mark.parametrize(
    ("frequency", "day", "end"),
    [
        (Frequency.MONTHLY, date(2024, 2, 10), date(2024, 2, 29)),
        (Frequency.QUARTERLY, date(2024, 2, 10), date(2024, 3, 31)),
        (Frequency.QUARTERLY, date(2024, 11, 30), date(2024, 12, 31)),
        (Frequency.YEARLY, date(2024, 3, 31), date(2024, 3, 31)),
        (Frequency.YEARLY, date(2024, 4, 1), date(2025, 3, 31)),
    ],
)
def test_a_day_falls_in_the_period_that_ends_on(frequency, day, end):
    assert period_end(frequency, day) == end


def test_periods_step_back_across_year_ends():
    assert previous_period_end(Frequency.MONTHLY, date(2024, 1, 31)) == date(2023, 12, 31)
    assert previous_period_end(Frequency.QUARTERLY, date(2024, 3, 31)) == date(2023, 12, 31)
    assert previous_period_end(Frequency.YEARLY, date(2024, 3, 31)) == date(2023, 3, 31)
    assert recent_period_ends(Frequency.QUARTERLY, date(2024, 5, 1), 3) == [
        date(2024, 3, 31),
        date(2023, 12, 31),
        date(2023, 9, 30),
    ]


def test_periods_are_named_as_councils_report_them():
    assert period_label(Frequency.MONTHLY, date(2024, 3, 31)) == "March 2024"
    assert period_label(Frequency.QUARTERLY, date(2024, 3, 31)) == "January to March 2024"
    assert period_label(Frequency.YEARLY, date(2024, 3, 31)) == "2023-24"


@pytest.mark.parametrize(
    ("time_period", "identifier", "label", "frequency"),
    [
        ("202324", "Financial year", "2023-24", Frequency.YEARLY),
        ("2024", "Reporting year", "2023-24", Frequency.YEARLY),
        ("202324", "Academic year", "2023/24 academic year", Frequency.YEARLY),
        ("2023", "Calendar year", "2023 calendar year", Frequency.YEARLY),
        ("202324", "Financial year Q1", "April to June 2023", Frequency.QUARTERLY),
        # An academic year's second quarter runs across the new year.
        ("202324", "Academic year Q2", "December 2023 to February 2024", Frequency.QUARTERLY),
        ("2024", "Calendar year Q4", "October to December 2024", Frequency.QUARTERLY),
        ("2024", "March", "March 2024", Frequency.MONTHLY),
    ],
)
def test_published_periods_are_named_as_their_files_name_them(
    time_period, identifier, label, frequency
):
    assert ees_period_label(time_period, identifier) == label
    assert ees_frequency(identifier) == frequency


def test_an_identifier_this_product_does_not_read_has_no_frequency():
    assert ees_frequency("Week 12") is None


@pytest.mark.parametrize(
    ("time_period", "identifier", "end"),
    [
        ("202324", "Financial year", date(2024, 3, 31)),
        ("2024", "Reporting year", date(2024, 3, 31)),
        ("202324", "Academic year", date(2024, 8, 31)),
        ("2023", "Calendar year", date(2023, 12, 31)),
        ("202324", "Financial year Q1", date(2023, 6, 30)),
        ("202324", "Financial year Q4", date(2024, 3, 31)),
        ("2024", "Calendar year Q2", date(2024, 6, 30)),
        ("2024", "March", date(2024, 3, 31)),
        (" 2024 ", "  reporting   YEAR ", date(2024, 3, 31)),
    ],
)
def test_explore_education_statistics_periods_end_on(time_period, identifier, end):
    assert ees_period_end(time_period, identifier) == end


@pytest.mark.parametrize(
    ("time_period", "identifier", "message"),
    [
        ("2024", "Financial year", "should be two years, like 202324"),
        ("202325", "Financial year", "should be consecutive years"),
        ("24", "Calendar year", "should be a year, like 2024"),
        ("2024", "Week 12", "is not one this product reads"),
    ],
)
def test_a_period_that_cannot_be_placed_is_refused_with_a_reason(time_period, identifier, message):
    with pytest.raises(PeriodError, match=message):
        ees_period_end(time_period, identifier)


@pytest.mark.parametrize(
    ("value", "polarity", "rag"),
    [
        ("20", Polarity.LOWER, Rag.GREEN),  # at the target
        ("19", Polarity.LOWER, Rag.GREEN),  # better
        ("22", Polarity.LOWER, Rag.AMBER),  # short by the tolerance exactly
        ("22.1", Polarity.LOWER, Rag.RED),
        ("20", Polarity.HIGHER, Rag.GREEN),
        ("18", Polarity.HIGHER, Rag.AMBER),
        ("17.9", Polarity.HIGHER, Rag.RED),
        ("25", Polarity.HIGHER, Rag.GREEN),
    ],
)
def test_rag_compares_the_latest_value_with_target_and_tolerance(value, polarity, rag):
    assert measure_rag(Decimal(value), Decimal(20), Decimal(2), polarity) == rag


def test_no_target_or_no_value_means_no_rag():
    assert measure_rag(None, Decimal(20), Decimal(2), Polarity.LOWER) is None
    assert measure_rag(Decimal(20), None, Decimal(2), Polarity.LOWER) is None


def test_direction_follows_polarity():
    assert direction(Decimal(18), Decimal(20), Polarity.LOWER) == Direction.IMPROVING
    assert direction(Decimal(18), Decimal(20), Polarity.HIGHER) == Direction.WORSENING
    assert direction(Decimal(20), Decimal(20), Polarity.HIGHER) == Direction.SAME
    assert direction(Decimal(20), None, Polarity.HIGHER) is None


def test_values_read_in_their_unit():
    assert format_value(Decimal("23.50"), Unit.PERCENTAGE) == "23.5%"
    assert format_value(Decimal("512.34"), Unit.RATE) == "512.3 per 10,000"
    assert format_value(Decimal("1"), Unit.DAYS) == "1 day"
    assert format_value(Decimal("1234"), Unit.COUNT) == "1,234"
    assert format_value(None, Unit.COUNT) == "Not available"


@pytest.fixture
def measure(db, scilly):
    return Measure.objects.create(
        council=scilly,
        name="Re-referrals within 12 months",
        definition="Referrals within 12 months of a previous one, of all referrals.",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.LOWER,
        frequency=Frequency.YEARLY,
        target=Decimal(20),
        target_on=date(2025, 3, 31),
        tolerance=Decimal(2),
    )


def test_a_value_must_fall_on_a_period_end_and_a_percentage_within_100(measure):
    value = MeasureValue(measure=measure, period_end=date(2024, 6, 30), value=Decimal(101))
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert error.value.message_dict["period_end"] == [
        "A yearly measure's periods end on days such as 31 March 2025"
    ]
    assert error.value.message_dict["value"] == ["A percentage must be from 0 to 100"]


def test_a_target_needs_its_date_after_the_baseline(measure):
    measure.baseline, measure.baseline_on = Decimal(25), date(2025, 3, 31)
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert error.value.message_dict["target_on"] == [
        "The target's date must be after the baseline's"
    ]


def test_the_series_puts_comparators_beside_the_council_and_entered_values_win(
    measure, scilly, django_assert_num_queries
):
    near, far = CouncilFactory(), CouncilFactory()
    StatisticalNeighbour.objects.create(council=scilly, neighbour=near, rank=1)
    load = ComparatorLoad.objects.create(source="test.csv", sha256="0" * 64, rows=0, indicators=1)
    indicator = Indicator.objects.create(column="re_referrals", label="Re-referrals", source="x")
    rows = [
        (Level.NATIONAL, "E92000001", "21.5", ""),
        (Level.REGIONAL, "E12000009", "19.0", ""),
        (Level.LOCAL, scilly.ons_code, "30.0", ""),
        (Level.LOCAL, near.ons_code, "24.0", ""),
        (Level.LOCAL, far.ons_code, "90.0", ""),
    ]
    for end in (date(2023, 3, 31), date(2024, 3, 31)):
        for level, code, value, suppressed in rows:
            IndicatorValue.objects.create(
                indicator=indicator,
                period_end=end,
                time_period=str(end.year),
                time_identifier="Reporting year",
                level=level,
                area_code=code,
                value=Decimal(value),
                suppressed=suppressed,
                load=load,
            )
    # Isles of Scilly's own figure for 2024 is suppressed in a later file: not available.
    IndicatorValue.objects.filter(area_code=scilly.ons_code, period_end=date(2024, 3, 31)).update(
        value=None, suppressed="c"
    )
    measure.indicator = indicator
    measure.save()
    MeasureValue.objects.create(measure=measure, period_end=date(2023, 3, 31), value=Decimal(21))
    MeasureValue.objects.create(measure=measure, period_end=date(2025, 3, 31), value=Decimal(19))

    with django_assert_num_queries(3):
        (series,) = measure_series(scilly, [measure])
    first, second, third = series.points
    assert (first.label, first.value, first.value_source) == ("2022-23", Decimal(21), "entered")
    assert (first.england, first.region, first.neighbours) == (
        Decimal("21.5"),
        Decimal("19.0"),
        Decimal("24.00"),
    )
    assert first.neighbours_count == 1  # the council that is no neighbour is left out
    assert (second.value, second.value_source) == (None, "")  # suppressed: not zero
    assert (third.value, third.england) == (Decimal(19), None)
    assert series.rag == Rag.GREEN
    assert series.direction == Direction.IMPROVING
    assert not series.off_target


def test_a_published_value_stands_in_where_none_was_entered(measure, scilly):
    load = ComparatorLoad.objects.create(source="test.csv", sha256="0" * 64, rows=0, indicators=1)
    indicator = Indicator.objects.create(column="re_referrals", label="Re-referrals", source="x")
    IndicatorValue.objects.create(
        indicator=indicator,
        period_end=date(2024, 3, 31),
        time_period="2024",
        time_identifier="Reporting year",
        level=Level.LOCAL,
        area_code=scilly.ons_code,
        value=Decimal("23.0"),
        load=load,
    )
    measure.indicator = indicator
    measure.save()
    (series,) = measure_series(scilly, [measure])
    assert (series.latest.value, series.latest.value_source) == (Decimal(23), "published")
    assert series.rag == Rag.RED
    assert series.off_target


def test_a_published_year_beside_a_quarterly_measure_is_named_as_the_year(measure, scilly):
    """A year's figures that end on the last day of a quarter are not that quarter's: where
    they stand in for the council's value the period is the year; beside an entered value for
    the quarter, the year is named as the published figures' period."""
    load = ComparatorLoad.objects.create(source="test.csv", sha256="0" * 64, rows=0, indicators=1)
    indicator = Indicator.objects.create(column="re_referrals", label="Re-referrals", source="x")
    for end, period in ((date(2023, 3, 31), "2023"), (date(2024, 3, 31), "2024")):
        for level, code in ((Level.LOCAL, scilly.ons_code), (Level.NATIONAL, ENGLAND)):
            IndicatorValue.objects.create(
                indicator=indicator,
                period_end=end,
                time_period=period,
                time_identifier="Reporting year",
                level=level,
                area_code=code,
                value=Decimal("21.5"),
                load=load,
            )
    measure.frequency = Frequency.QUARTERLY
    measure.indicator = indicator
    measure.save()
    MeasureValue.objects.create(measure=measure, period_end=date(2024, 3, 31), value=Decimal(19))
    (series,) = measure_series(scilly, [measure])
    published, entered = series.points
    assert (published.label, published.value_source, published.published_period) == (
        "2022-23",
        "published",
        "",
    )
    assert (entered.label, entered.value_source, entered.published_period) == (
        "January to March 2024",
        "entered",
        "2023-24",
    )
    # A yearly measure's year is the published year: nothing to add.
    measure.frequency = Frequency.YEARLY
    measure.save()
    MeasureValue.objects.filter(measure=measure).delete()
    (series,) = measure_series(scilly, [measure])
    assert [(p.label, p.published_period) for p in series.points] == [
        ("2022-23", ""),
        ("2023-24", ""),
    ]
