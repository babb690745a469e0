"""Calendar arithmetic the way people count: months are months, not 31-day blocks."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

COACH_TIME_ZONE = ZoneInfo("Europe/Amsterdam")
"""Where the coaches are: times in what they read are given in it, summer time and all."""


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier, when negative).

    A day the target month lacks becomes that month's last day: 31 January plus one month is
    28 (or 29) February, as a contract or a municipality's decision counts it.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_later(start: date, end: date, months: int) -> bool:
    """Whether `end` lies more than `months` calendar months after `start`."""
    return end > add_months(start, months)


def coach_time(moment: datetime) -> str:
    """`moment` as a coach reads it: date and time in Europe/Amsterdam, the zone named."""
    return f"{moment.astimezone(COACH_TIME_ZONE):%Y-%m-%d %H:%M} (Europe/Amsterdam)"
