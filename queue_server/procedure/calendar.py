"""Working days: weekends and the office's listed holidays do not count."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

SATURDAY = 5


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date `days` working days after `start` (start itself does not count; 0 is start)."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """How many working days lie after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            count += 1
    return count


def count_from(received: date, days: int, holidays: Collection[date],
               receipt_is_day_one: bool = False) -> date:
    """The last day of a `days`-working-day period for something received on `received`.

    Day 1 is the next working day after receipt (UU 14/2008 counts "sejak diterimanya"),
    or, with receipt_is_day_one, the day of receipt itself when it is a working day.
    """
    if days < 1:
        raise ValueError("days must be 1 or more")
    if receipt_is_day_one and is_working_day(received, holidays):
        return add_working_days(received, days - 1, holidays)
    return add_working_days(received, days, holidays)


def years_without_holidays(start: date, end: date, holidays: Collection[date]) -> list[int]:
    """The years from start to end (inclusive) that have no holiday listed at all."""
    listed = {day.year for day in holidays}
    return [year for year in range(start.year, end.year + 1) if year not in listed]
