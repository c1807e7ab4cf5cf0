"""Working-day arithmetic for statutory deadlines: pure functions, no database.

A working day is any day but Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in
England and Wales (Inspection of Local Authorities Regulations 2007, SI 2007/462, reg 1(2)).
Bank holidays are passed in by the caller, so that this module stays free of the ORM and of
where the holidays come from; Christmas Day and Good Friday are excluded here because the
regulations name them whether or not they are bank holidays.
"""

import calendar
from collections.abc import Container
from datetime import date, timedelta

from dateutil.easter import easter

SATURDAY = 5


def good_friday(year: int) -> date:
    return easter(year) - timedelta(days=2)


def is_statutory_closure(day: date) -> bool:
    """Christmas Day or Good Friday, which the regulations exclude by name."""
    return (day.month, day.day) == (12, 25) or day == good_friday(day.year)


def is_working_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays and not is_statutory_closure(day)


def add_working_days(start: date, days: int, holidays: Container[date]) -> date:
    """The Nth working day after start, where start itself is day 0 whatever kind of day it is."""
    if days < 0:
        raise ValueError("Count forwards: the number of working days cannot be negative")
    day = start
    remaining = days
    try:
        while remaining:
            day += timedelta(days=1)
            if is_working_day(day, holidays):
                remaining -= 1
    except OverflowError:
        raise ValueError(f"{days} working days after {start} is out of range") from None
    return day


def working_days_between(start: date, end: date, holidays: Container[date]) -> int:
    """Working days after start up to and including end; negative when end is before start.

    working_days_between(start, add_working_days(start, n, holidays), holidays) == n.
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def add_months(start: date, months: int) -> date:
    """The same day of the month N calendar months later, or that month's last day if shorter.

    31 August 2023 + 6 months is 29 February 2024.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError(f"{months} months after {start} is out of range")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
