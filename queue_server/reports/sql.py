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

from sqlalchemy import Float, Integer, cast, func, literal, or_, select
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
        seconds = int(self.at.astimezone(self.tz).utcoffset().total_seconds())
        return f"{seconds:+d} seconds"

    def seconds(self, later, earlier) -> ColumnElement:
        """later - earlier in seconds (a float)."""
        if self.name == "sqlite":
            return (func.julianday(later) - func.julianday(earlier)) * 86400.0
        return func.extract("epoch", later - earlier)

    def _local(self, column):
        return func.timezone(self.tz.key, column)

    def hour(self, column) -> ColumnElement:
        """The local hour (0-23) of a UTC datetime column."""
        if self.name == "sqlite":
            return cast(func.strftime("%H", column, self._modifier), Integer)
        return cast(func.extract("hour", self._local(column)), Integer)

    def weekday(self, column) -> ColumnElement:
        """The local weekday, 0 = Sunday to 6 = Saturday."""
        if self.name == "sqlite":
            return cast(func.strftime("%w", column, self._modifier), Integer)
        return cast(func.extract("dow", self._local(column)), Integer)

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


def _interpolate(values: dict[int, float], n: int, p: Fraction) -> float:
    low = p.numerator * (n - 1) // p.denominator + 1
    fraction = Fraction(p.numerator * (n - 1) % p.denominator, p.denominator)
    value = values[low]
    if fraction and low + 1 in values:
        value += float(fraction) * (values[low + 1] - value)
    return value


def distribution(session: Session, group, value, where=(), from_=None) -> dict[Any, dict]:
    """Per group: count, mean, median, 90th percentile and maximum of `value`.

    One query: the values ranked per group by a window function; only the (at most four)
    rows around each percentile's rank come back, whatever the number of rows.
    """
    inner = select(group.label("g"), cast(value, Float).label("v"))
    if from_ is not None:
        inner = inner.select_from(from_)
    inner = inner.where(value.is_not(None), *where).subquery()
    ranked = select(
        inner.c.g, inner.c.v,
        func.row_number().over(partition_by=inner.c.g, order_by=inner.c.v).label("rn"),
        func.count().over(partition_by=inner.c.g).label("n"),
        func.avg(inner.c.v).over(partition_by=inner.c.g).label("mean"),
        func.max(inner.c.v).over(partition_by=inner.c.g).label("top"),
    ).subquery()
    ranks = []
    for p in PERCENTILES:
        low = literal(p.numerator, Integer) * (ranked.c.n - 1) // p.denominator + 1
        ranks.extend([ranked.c.rn == low, ranked.c.rn == low + 1])
    rows = session.execute(select(ranked.c.g, ranked.c.rn, ranked.c.v, ranked.c.n,
                                  ranked.c.mean, ranked.c.top).where(or_(*ranks))).all()
    found: dict[Any, dict] = {}
    for g, rn, v, n, mean, top in rows:
        entry = found.setdefault(g, {"n": n, "mean": float(mean), "max": float(top),
                                     "values": {}})
        entry["values"][rn] = float(v)
    return {g: {"count": e["n"], "mean": round(e["mean"], 1),
                "median": round(_interpolate(e["values"], e["n"], PERCENTILES[0]), 1),
                "p90": round(_interpolate(e["values"], e["n"], PERCENTILES[1]), 1),
                "max": round(e["max"], 1)}
            for g, e in found.items()}
