"""Calendar arithmetic the way people count: months are months, not 31-day blocks."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
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


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def dutch_public_holidays(year: int) -> frozenset[date]:
    """The days a term does not end on in the Netherlands (Algemene termijnenwet, art. 3):
    New Year's Day, Easter Monday, Ascension Day, Whit Monday, King's Day (27 April, the 26th
    when the 27th is a Sunday), 5 May and both days of Christmas."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),
            easter + timedelta(days=39),
            easter + timedelta(days=50),
            kings_day,
            date(year, 5, 5),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def add_working_days(day: date, days: int) -> date:
    """The working day `days` working days after `day` (the day itself does not count)."""
    if days < 0:
        raise ValueError("count working days forward only")
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


REAL_DAY = timedelta(days=1)
WORKING_MORNING = time(9)


def clock_today(now: datetime, origin: datetime, day: timedelta = REAL_DAY) -> date:
    """The day it is on a clock whose days last `day`, counted from `origin`: the coaches'
    calendar day for a real day; for a demo day of a few seconds, the days since `origin`."""
    if day == REAL_DAY:
        return now.astimezone(COACH_TIME_ZONE).date()
    first = origin.astimezone(COACH_TIME_ZONE).date()
    return first + timedelta(days=max(0, (now - origin) // day))


def clock_moment(on: date, origin: datetime, day: timedelta = REAL_DAY) -> datetime:
    """When `on` begins to count on that clock: 9:00 in Amsterdam on a real day (a working
    morning); on a demo clock, the start of that demo day."""
    if day == REAL_DAY:
        return datetime.combine(on, WORKING_MORNING, COACH_TIME_ZONE)
    first = origin.astimezone(COACH_TIME_ZONE).date()
    return origin + (on - first).days * day
