"""Reporting periods of impact measures, and the periods of DfE's published statistics.

A period is held as the date it ends: a month ends on its last day, a quarter on the last day of
June, September, December or March, a year on 31 March (councils report by financial year, and
the DfE's children in need and looked-after figures are for years ending 31 March). Comparators
from Explore Education Statistics files are placed on the same dates (ees_period_end), so that a
council's value and England's for one period sit side by side.
"""

import calendar
import re
from datetime import date

from django.db import models


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly (to 31 March)"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_end(frequency: str, day: date) -> date:
    """The end of the period of the given frequency that contains the day."""
    if frequency == Frequency.MONTHLY:
        return _month_end(day.year, day.month)
    if frequency == Frequency.QUARTERLY:
        month = ((day.month - 1) // 3 + 1) * 3
        return _month_end(day.year, month)
    if frequency == Frequency.YEARLY:
        return date(day.year if day.month <= 3 else day.year + 1, 3, 31)
    raise ValueError(f"Unknown frequency: {frequency!r}")


def is_period_end(frequency: str, day: date) -> bool:
    return period_end(frequency, day) == day


def previous_period_end(frequency: str, end: date) -> date:
    if frequency == Frequency.MONTHLY:
        if end.month == 1:
            return date(end.year - 1, 12, 31)
        return _month_end(end.year, end.month - 1)
    if frequency == Frequency.QUARTERLY:
        month = end.month - 3
        year = end.year
        if month <= 0:
            month += 12
            year -= 1
        return _month_end(year, month)
    if frequency == Frequency.YEARLY:
        return date(end.year - 1, 3, 31)
    raise ValueError(f"Unknown frequency: {frequency!r}")


def recent_period_ends(frequency: str, today: date, count: int) -> list[date]:
    """The last ``count`` periods that have ended by today, latest first."""
    end = period_end(frequency, today)
    if end > today:
        end = previous_period_end(frequency, end)
    ends = []
    for _ in range(count):
        ends.append(end)
        end = previous_period_end(frequency, end)
    return ends


def _three_months_to(end: date) -> str:
    """ "January to March 2024", "December 2023 to February 2024"."""
    year, month = (end.year, end.month - 2) if end.month > 2 else (end.year - 1, end.month + 10)
    first = date(year, month, 1)
    if first.year == end.year:
        return f"{first:%B} to {end:%B %Y}"
    return f"{first:%B %Y} to {end:%B %Y}"


def period_label(frequency: str, end: date) -> str:
    """How a period is named on pages and in the pack: "March 2024", "January to March 2024",
    "2023-24"."""
    if frequency == Frequency.MONTHLY:
        return f"{end:%B %Y}"
    if frequency == Frequency.QUARTERLY:
        return _three_months_to(end)
    if frequency == Frequency.YEARLY:
        if (end.month, end.day) == (3, 31):
            return f"{end.year - 1}-{end.year % 100:02d}"
        return f"Year to {end.day} {end:%B %Y}"
    return f"{end.day} {end:%B %Y}"


# Explore Education Statistics: time_identifier and the shape of time_period it comes with.
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_QUARTER = re.compile(r"^(financial|academic|calendar) year q([1-4])$")


class PeriodError(ValueError):
    """A time_period and time_identifier that name no period this product can place."""


def _two_years(time_period: str) -> int:
    """The second year of a "202324" period: 2024."""
    if not re.fullmatch(r"\d{6}", time_period):
        raise PeriodError(f"time_period {time_period!r} should be two years, like 202324")
    first, second = int(time_period[:4]), int(time_period[4:])
    if (first + 1) % 100 != second:
        raise PeriodError(f"time_period {time_period!r} should be consecutive years, like 202324")
    return first + 1


def _one_year(time_period: str) -> int:
    if not re.fullmatch(r"\d{4}", time_period):
        raise PeriodError(f"time_period {time_period!r} should be a year, like 2024")
    return int(time_period)


def ees_period_end(time_period: str, time_identifier: str) -> date:
    """The last day of an EES period: 202324 "Financial year" ends on 31 March 2024, 2024
    "Reporting year" on 31 March 2024, 202324 "Academic year" on 31 August 2024, 2023
    "Calendar year" on 31 December 2023, 202324 "Financial year Q1" on 30 June 2023, 2024
    "March" on 31 March 2024."""
    period = time_period.strip()
    identifier = " ".join(time_identifier.strip().lower().split())
    if identifier == "financial year":
        return date(_two_years(period), 3, 31)
    if identifier == "reporting year":
        # The year ending 31 March of the year named, as in the children in need census.
        return date(_one_year(period), 3, 31)
    if identifier == "academic year":
        return date(_two_years(period), 8, 31)
    if identifier == "calendar year":
        return date(_one_year(period), 12, 31)
    if match := _QUARTER.match(identifier):
        kind, quarter = match.group(1), int(match.group(2))
        if kind == "calendar":
            return _month_end(_one_year(period), quarter * 3)
        first_year = _two_years(period) - 1
        start_month = 4 if kind == "financial" else 9
        month = start_month + quarter * 3 - 1
        year = first_year + (month - 1) // 12
        return _month_end(year, (month - 1) % 12 + 1)
    if identifier in _MONTHS:
        return _month_end(_one_year(period), _MONTHS[identifier])
    raise PeriodError(
        f"time_identifier {time_identifier!r} is not one this product reads (financial, "
        "reporting, academic or calendar year, their quarters, or a month)"
    )


def _identifier(time_identifier: str) -> str:
    return " ".join(time_identifier.strip().lower().split())


def ees_frequency(time_identifier: str) -> str | None:
    """The frequency of an EES period, to compare with a measure's: a published year beside a
    quarterly measure is not one of its quarters. None for an identifier this product does not
    read."""
    identifier = _identifier(time_identifier)
    if identifier in ("financial year", "reporting year", "academic year", "calendar year"):
        return Frequency.YEARLY
    if _QUARTER.match(identifier):
        return Frequency.QUARTERLY
    if identifier in _MONTHS:
        return Frequency.MONTHLY
    return None


def ees_period_label(time_period: str, time_identifier: str) -> str:
    """A published period named as its file names it: "2023-24" (financial or reporting year),
    "2023/24 academic year", "2023 calendar year", "April to June 2023", "March 2024"."""
    identifier = _identifier(time_identifier)
    end = ees_period_end(time_period, time_identifier)
    if identifier in ("financial year", "reporting year"):
        return period_label(Frequency.YEARLY, end)
    if identifier == "academic year":
        return f"{end.year - 1}/{end.year % 100:02d} academic year"
    if identifier == "calendar year":
        return f"{end.year} calendar year"
    if _QUARTER.match(identifier):
        return _three_months_to(end)
    return f"{end:%B %Y}"
