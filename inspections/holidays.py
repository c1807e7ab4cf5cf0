"""The bank holidays in force: the holidays package for England and Wales, with admin changes.

workdays.py does the arithmetic over any container of dates; HolidayCalendar is the one it is
given. Admins add or remove days in the admin (BankHolidayChange); every deadline then moves.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays as holidays_package

from .models import BankHolidayChange

# The years a bank-holiday listing may be asked for: the package's data is reliable in this range.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@lru_cache(maxsize=256)
def _package_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays for one year, as the holidays package knows them."""
    return dict(holidays_package.country_holidays("GB", subdiv="ENG", years=year))


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    name: str
    source: str
    in_force: bool


class HolidayCalendar:
    """The bank holidays in force: the holidays package, with the days an admin added or removed.

    Works as the container of dates that workdays.py expects.
    """

    PACKAGE = "Holidays package (England and Wales)"
    ADDED = "Added by an admin"
    REMOVED = "Removed by an admin"

    def __init__(self, changes: Iterable[BankHolidayChange] = ()):
        self.added = {c.day: c.name for c in changes if c.action == BankHolidayChange.Action.ADD}
        self.removed = {
            c.day: c.name for c in changes if c.action == BankHolidayChange.Action.REMOVE
        }

    @classmethod
    def load(cls) -> "HolidayCalendar":
        return cls(BankHolidayChange.objects.all())

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.removed:
            return False
        return day in self.added or day in _package_holidays(day.year)

    def entries(self, year: int) -> list[HolidayEntry]:
        """Every bank holiday of a year with where it came from, removed ones included."""
        entries = {
            day: HolidayEntry(day, name, self.PACKAGE, day not in self.removed)
            for day, name in _package_holidays(year).items()
        }
        for day, name in self.added.items():
            if day.year == year:
                entries[day] = HolidayEntry(day, name, self.ADDED, True)
        for day, name in self.removed.items():
            if day.year == year and day not in entries:
                entries[day] = HolidayEntry(day, name, self.REMOVED, False)
        return sorted(entries.values(), key=lambda e: e.day)
