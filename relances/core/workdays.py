"""Working days: no follow-up on a weekend or a public holiday of the user's country.

Public holidays come from the holidays package (FR by default; BE, CH, LU and CA
work too), fetched lazily, one year at a time, the first time a date needs them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


class WorkCalendar:
    """The days a small business works, for one country."""

    def __init__(self, country: str = "FR", working_days_only: bool = True) -> None:
        self.country = country
        self.working_days_only = working_days_only
        self._holidays: Any = None

    def holiday(self, day: date) -> str | None:
        """The holiday's French name, so a moved date can say why."""
        if self._holidays is None:
            import holidays

            self._holidays = holidays.country_holidays(self.country, language="fr")
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if not self.working_days_only:
            return True
        return day.weekday() < 5 and self.holiday(day) is None

    def next_working_day(self, day: date) -> date:
        """The day itself when worked, else the first worked day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_before(self, day: date, count: int) -> date:
        """`count` worked days before `day`: two working days before a quote expires."""
        for _ in range(count):
            day -= timedelta(days=1)
            while not self.is_working_day(day):
                day -= timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """`count` worked days after `day`: "retry in 2 working days" skips a weekend."""
        for _ in range(count):
            day = self.next_working_day(day + timedelta(days=1))
        return day
