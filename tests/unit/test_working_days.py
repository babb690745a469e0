"""Working days as a Dutch term counts them: weekends and the public holidays off."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.shared import add_working_days, dutch_public_holidays, easter_sunday, is_working_day


def test_easter_on_known_dates() -> None:
    known = {2024: date(2024, 3, 31), 2025: date(2025, 4, 20), 2026: date(2026, 4, 5),
             2027: date(2027, 3, 28), 2038: date(2038, 4, 25), 2285: date(2285, 3, 22)}  # fmt: skip
    assert {year: easter_sunday(year) for year in known} == known


def test_the_holidays_of_2026_and_a_kings_day_on_a_sunday() -> None:
    assert sorted(dutch_public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25), date(2026, 12, 26),
    ]  # fmt: skip
    assert date(2025, 4, 26) in dutch_public_holidays(2025)  # the 27th was a Sunday
    assert date(2025, 4, 27) not in dutch_public_holidays(2025)


def test_five_working_days_over_christmas_and_new_year() -> None:
    # Tuesday 22 December 2026: the 25th (Friday) and 1 January (Friday) are off.
    assert add_working_days(date(2026, 12, 22), 5) == date(2026, 12, 30)
    assert add_working_days(date(2026, 12, 22), 10) == date(2027, 1, 7)
    # Over Easter and King's Day 2027 (Easter Monday 29 March; 27 April a Tuesday).
    assert add_working_days(date(2027, 3, 26), 1) == date(2027, 3, 30)
    assert add_working_days(date(2027, 4, 26), 1) == date(2027, 4, 28)


@given(st.dates(date(2020, 1, 1), date(2040, 12, 31)), st.integers(0, 40))
def test_n_working_days_later_is_a_working_day_with_n_between(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert n == 0 or is_working_day(end)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_working_day(d) for d in between) == n
