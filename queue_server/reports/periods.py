"""A report's period (a range of local days) and its filters, read from the query string."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from queue_server.platform.errors import invalid

PRESETS = ("today", "this_week", "this_month", "last_month", "this_year")
MAX_DAYS = 366
"""The longest range a report covers (a leap year)."""
FILTERS = ("service", "category", "counter", "officer")
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


@dataclass(frozen=True)
class Period:
    """The local days start..end (both included) in the office's time zone."""

    start: date
    end: date
    tz: ZoneInfo

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def utc_start(self) -> datetime:
        """The first moment of the first day, in UTC."""
        return datetime.combine(self.start, time(), self.tz).astimezone(ZoneInfo("UTC"))

    @property
    def utc_end(self) -> datetime:
        """The first moment after the last day, in UTC."""
        return datetime.combine(self.end + timedelta(days=1), time(),
                                self.tz).astimezone(ZoneInfo("UTC"))


@dataclass(frozen=True)
class Query:
    """What a report is asked for: the period, the filters and the language of its labels."""

    period: Period
    filters: dict[str, str | int] = field(default_factory=dict)
    language: str = "id"
    today: date | None = None
    now: datetime | None = None
    """The office clock's now (a roll-up notes when it was made)."""


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The days a preset covers, up to today."""
    if preset == "today":
        return today, today
    if preset == "this_week":  # Monday to today
        return today - timedelta(days=today.weekday()), today
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today.replace(month=1, day=1), today


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(f"{name} must be a date like 2024-05-07", "bad_range") from None


def parse_period(args, tz: ZoneInfo, today: date) -> Period:
    """The period of ?preset= or ?from=&to= (default: this month); 422 for a bad range
    (a blank value too: the page drops its form's empty fields before asking)."""
    given = {name: args.get(name) for name in ("preset", "from", "to") if name in args}
    if "from" not in given and "to" not in given:
        preset = given.get("preset", "this_month")
        if preset not in PRESETS:
            raise invalid(f"Query parameter 'preset' must be one of {list(PRESETS)}",
                          "bad_range")
        return Period(*preset_range(preset, today), tz)
    start = _day(given.get("from", given.get("to")), "from")
    end = _day(given["to"], "to") if "to" in given else start
    if end < start:
        raise invalid("to must not be before from", "bad_range")
    if (end - start).days + 1 > MAX_DAYS:
        raise invalid(f"A report covers at most {MAX_DAYS} days", "bad_range")
    return Period(start, end, tz)


def parse_filters(args, config) -> dict[str, str | int]:
    """The filters given: service, category and counter codes the office knows, an officer's
    user id; 422 naming the parameter otherwise."""
    known = {"service": config.services, "category": config.categories,
             "counter": config.counters}
    filters: dict[str, str | int] = {}
    for name in FILTERS:
        value = args.get(name)
        if value is None:
            continue
        if name == "officer":
            if not value.isdigit() or not 0 < int(value) < 2**31:
                raise invalid("Query parameter 'officer' must be a user id")
            filters[name] = int(value)
        elif not _CODE.match(value) or value not in known[name]:
            raise invalid(f"Query parameter {name!r} must be one of {sorted(known[name])}")
        else:
            filters[name] = value
    return filters
