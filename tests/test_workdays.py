"""Working days as SI 2007/462 defines them, with the bank holidays of the holidays package."""

from datetime import date

import holidays
import pytest

from inspections.workdays import (
    add_months,
    add_working_days,
    good_friday,
    is_working_day,
    last_day_of_month,
    working_days_between,
)

ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2019, 2029))
NONE: frozenset[date] = frozenset()


def test_the_isles_of_scilly_worked_example_gives_the_dates_ofsted_set():
    published = date(2023, 8, 25)  # a Friday, before the August bank holiday
    assert add_working_days(published, 30, ENGLAND) == date(2023, 10, 9)
    assert add_working_days(published, 70, ENGLAND) == date(2023, 12, 4)
    assert add_months(published, 6) == date(2024, 2, 25)  # a Sunday: Ofsted fixes the month


def test_the_stockton_worked_example_gives_the_date_the_council_stated():
    assert add_working_days(date(2023, 5, 9), 70, ENGLAND) == date(2023, 8, 16)


def test_publication_day_is_day_zero_whatever_day_it_is():
    assert add_working_days(date(2023, 8, 25), 0, ENGLAND) == date(2023, 8, 25)
    assert add_working_days(date(2023, 8, 26), 1, ENGLAND) == date(2023, 8, 29)  # Sat, then BH


def test_weekends_are_not_working_days():
    friday = date(2024, 6, 7)
    assert add_working_days(friday, 1, NONE) == date(2024, 6, 10)
    assert not is_working_day(date(2024, 6, 8), NONE)
    assert not is_working_day(date(2024, 6, 9), NONE)
    assert working_days_between(friday, date(2024, 6, 10), NONE) == 1


def test_easter_takes_out_good_friday_and_easter_monday():
    # Thursday 28 March 2024; Good Friday 29 March, Easter Monday 1 April.
    assert add_working_days(date(2024, 3, 28), 1, ENGLAND) == date(2024, 4, 2)


def test_good_friday_and_christmas_day_are_never_working_days_even_if_left_out():
    # The regulations name them, so they hold even without a bank-holiday list.
    assert good_friday(2024) == date(2024, 3, 29)
    assert not is_working_day(date(2024, 3, 29), NONE)
    assert not is_working_day(date(2024, 12, 25), NONE)
    assert is_working_day(date(2024, 12, 24), NONE)


def test_the_christmas_substitute_days_of_2026_and_2027_are_holidays():
    # 2026: Christmas Friday, Boxing Day Saturday, substitute Monday 28 December.
    assert date(2026, 12, 28) in ENGLAND
    assert add_working_days(date(2026, 12, 24), 1, ENGLAND) == date(2026, 12, 29)
    # 2027: Christmas Saturday and Boxing Day Sunday, substitutes Monday 27 and Tuesday 28.
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= set(ENGLAND)
    assert add_working_days(date(2027, 12, 24), 1, ENGLAND) == date(2027, 12, 29)
    # Between Christmas and New Year 2027/28 only 29, 30 and 31 December work.
    assert working_days_between(date(2027, 12, 24), date(2028, 1, 4), ENGLAND) == 4


@pytest.mark.parametrize(
    ("day", "occasion"),
    [
        (date(2022, 6, 2), "Spring bank holiday moved for the Platinum Jubilee"),
        (date(2022, 6, 3), "Platinum Jubilee"),
        (date(2022, 9, 19), "State funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of King Charles III"),
    ],
)
def test_the_one_off_bank_holidays_count(day, occasion):
    assert day in ENGLAND, occasion
    assert is_working_day(day, NONE)
    assert not is_working_day(day, ENGLAND)


def test_a_deadline_across_the_2022_one_off_holidays_moves_by_them():
    # 70 working days after 1 June 2022 crosses 2, 3 June, 29 August and 19 September.
    assert add_working_days(date(2022, 6, 1), 70, NONE) == date(2022, 9, 7)
    assert add_working_days(date(2022, 6, 1), 70, ENGLAND) == date(2022, 9, 12)


def test_counting_back_gives_the_same_number():
    start = date(2023, 8, 25)
    for days in (0, 1, 3, 10, 30, 70, 200):
        end = add_working_days(start, days, ENGLAND)
        assert working_days_between(start, end, ENGLAND) == days
        assert working_days_between(end, start, ENGLAND) == -days


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        add_working_days(date(2023, 8, 25), -1, NONE)


def test_a_date_beyond_the_calendar_is_a_value_error():
    with pytest.raises(ValueError, match="out of range"):
        add_working_days(date(9999, 12, 30), 5, NONE)
    with pytest.raises(ValueError, match="out of range"):
        add_months(date(9999, 10, 1), 6)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2023, 8, 25), 6, date(2024, 2, 25)),
        (date(2023, 10, 31), 1, date(2023, 11, 30)),
        (date(2023, 12, 15), 1, date(2024, 1, 15)),
        (date(2023, 7, 31), 18, date(2025, 1, 31)),
    ],
)
def test_calendar_months_keep_the_day_or_take_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


def test_the_last_day_of_a_month():
    assert last_day_of_month(date(2024, 2, 25)) == date(2024, 2, 29)
    assert last_day_of_month(date(2023, 12, 1)) == date(2023, 12, 31)
