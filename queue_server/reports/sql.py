"""SQL pieces both databases understand: durations, local hours and days, percentiles.

SQLite keeps UTC datetimes as text and knows no time zones: local times there add the
office's UTC offset at the period's start (Indonesia's zones keep one offset all year).
PostgreSQL converts with the zone's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, cast, func
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

PERCENTILES = (Fraction(1, 2), Fraction(9, 10))
"""Median and 90th percentile, interpolated between ranks (as PERCENTILE.INC does)."""


@dataclass(frozen=True)
class Dialect:
    """Local-time SQL for one database and office time zone."""

    name: str
    tz: ZoneInfo
    at: datetime
    """A moment in the period: its UTC offset is the one SQLite uses."""

    @classmethod
    def of(cls, session: Session, tz: ZoneInfo, at: datetime) -> Dialect:
        return cls(session.get_bind().dialect.name, tz, at)

    @property
    def _modifier(self) -> str:
        return f"{self._offset:+d} seconds"

    def seconds(self, later, earlier) -> ColumnElement:
        """later - earlier in seconds (a float)."""
        if self.name == "sqlite":
            return (func.julianday(later) - func.julianday(earlier)) * 86400.0
        return func.extract("epoch", later - earlier)

    def _local(self, column):
        return func.timezone(self.tz.key, column)

    @property
    def _offset(self) -> int:
        return int(self.at.astimezone(self.tz).utcoffset().total_seconds())

    def hour(self, column) -> ColumnElement:
        """The local hour (0-23) of a UTC datetime column."""
        if self.name == "sqlite" and self._offset % 3600 == 0:
            # The text's hour digits plus the whole-hour offset: much cheaper than strftime
            utc = cast(func.substr(column, 12, 2), Integer)
            return (utc + self._offset // 3600 + 24) % 24
        if self.name == "sqlite":
            return cast(func.strftime("%H", column, self._modifier), Integer)
        return cast(func.extract("hour", self._local(column)), Integer)

    def day(self, column) -> ColumnElement:
        """The local date of a UTC datetime column, as YYYY-MM-DD text."""
        if self.name == "sqlite":
            return func.date(column, self._modifier)
        return func.to_char(self._local(column), "YYYY-MM-DD")

    def day_text(self, day_column) -> ColumnElement:
        """A date column as YYYY-MM-DD text (comparable with day())."""
        if self.name == "sqlite":
            return day_column
        return func.to_char(day_column, "YYYY-MM-DD")

    def month(self, day_column) -> ColumnElement:
        """YYYY-MM of a date column."""
        if self.name == "sqlite":
            return func.strftime("%Y-%m", day_column)
        return func.to_char(day_column, "YYYY-MM")


BUCKET_SECONDS = 60
"""Durations are counted per whole minute in SQL (means stay exact): a year's histogram is
a few hundred rows per group, whatever the number of tickets."""


class Histogram:
    """Counts of a duration per whole-minute bucket, with the exact sum and maximum."""

    def __init__(self) -> None:
        self.buckets: dict[int, int] = {}
        self.sums: dict[int, float] = {}
        self.tops: dict[int, float] = {}
        """Per bucket: the exact sum and maximum (a roll-up keeps them per bucket)."""
        self.count = 0
        self.total = 0.0
        self.top: float | None = None

    def add(self, bucket: int, count: int, total: float, top: float) -> None:
        total, top = float(total), float(top)  # PostgreSQL's epoch arithmetic gives Decimal
        self.buckets[bucket] = self.buckets.get(bucket, 0) + count
        self.sums[bucket] = self.sums.get(bucket, 0.0) + total
        self.tops[bucket] = max(self.tops.get(bucket, top), top)
        self.count += count
        self.total += total
        self.top = top if self.top is None else max(self.top, top)

    def merge(self, other: Histogram) -> None:
        for bucket, count in other.buckets.items():
            self.add(bucket, count, other.sums[bucket], other.tops[bucket])

    def total_of(self, bucket: int) -> float:
        return self.sums[bucket]

    def top_of(self, bucket: int) -> float:
        return self.tops[bucket]

    def _at_rank(self, rank: int, ordered: list[tuple[int, int]]) -> float:
        seen = 0
        for bucket, count in ordered:
            seen += count
            if seen >= rank:
                return float(bucket * BUCKET_SECONDS)
        return float(ordered[-1][0] * BUCKET_SECONDS)

    def percentile(self, p: Fraction) -> float:
        """Interpolated between ranks, as PERCENTILE.INC does, over the buckets."""
        ordered = sorted(self.buckets.items())
        low = p.numerator * (self.count - 1) // p.denominator + 1
        fraction = Fraction(p.numerator * (self.count - 1) % p.denominator, p.denominator)
        value = self._at_rank(low, ordered)
        if fraction:
            value += float(fraction) * (self._at_rank(low + 1, ordered) - value)
        return value

    def summary(self) -> dict[str, Any]:
        if not self.count:
            return {"count": 0, "mean": None, "median": None, "p90": None, "max": None}
        return {"count": self.count, "mean": round(self.total / self.count, 1),
                "median": round(self.percentile(PERCENTILES[0]), 1),
                "p90": round(self.percentile(PERCENTILES[1]), 1),
                "max": round(self.top, 1)}
