"""The procedure report's figures for a period: closed days from a roll-up, the rest live,
through one computation (as reports/rollup.py does for the queue).

Per step: the whole-minute histogram of its times (with the exact sums and maxima) and how
many ended within their standard, for the steps of the visits of each local day; the
deviations per step and per officer, by the day they were recorded. Kept per month up to
`through`.

What can still change is left out of the roll-up: a visit still active when its day was
rolled up is noted (report_step_pending) and always computed live; a completed or cancelled
visit's steps do not change, and a deviation is written once, on its own day.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from queue_server.platform.database import Base, UTCDateTime
from queue_server.procedure.models import Deviation, StepRecord, Visit, VisitStatus
from queue_server.reports.periods import Query
from queue_server.reports.sql import BUCKET_SECONDS, Dialect, Histogram


class StepMonth(Base):
    __tablename__ = "report_step_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    through: Mapped[date] = mapped_column(Date)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StepPending(Base):
    """A visit still active when its day was rolled up: computed live from then on."""

    __tablename__ = "report_step_pending"

    visit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)


class StepTime(Base):
    __tablename__ = "report_step_times"

    step_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    within: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    top: Mapped[float] = mapped_column(Float)


class StepDeviations(Base):
    __tablename__ = "report_step_deviations"

    by: Mapped[str] = mapped_column(String(8), primary_key=True)
    """"step" or "officer"."""
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    over: Mapped[int] = mapped_column(Integer)


@dataclass
class StepSummary:
    times: dict[str, Histogram] = field(default_factory=dict)
    within: dict[tuple[str, int], int] = field(default_factory=dict)
    """(step, bucket) -> steps of that bucket done within their standard."""
    deviations: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """("step" | "officer", key) -> [count, seconds over]."""

    def add_time(self, step: str, bucket: int, count, within, total, top) -> None:
        self.times.setdefault(step, Histogram()).add(bucket, count, total, top)
        self.within[(step, bucket)] = self.within.get((step, bucket), 0) + int(within or 0)

    def add_deviations(self, key: tuple[str, str], count, over) -> None:
        found = self.deviations.setdefault(key, [0, 0])
        found[0] += int(count or 0)
        found[1] += int(over or 0)

    def merge(self, other: StepSummary) -> None:
        for step, histogram in other.times.items():
            for bucket, count in histogram.buckets.items():
                self.add_time(step, bucket, count, other.within.get((step, bucket), 0),
                              histogram.total_of(bucket), histogram.top_of(bucket))
        for key, (count, over) in other.deviations.items():
            self.add_deviations(key, count, over)


def summarise(session: Session, visits: list, deviations: list, sql: Dialect) -> StepSummary:
    """The steps of the visits `visits` picks, and the deviations `deviations` picks."""
    summary = StepSummary()
    took = sql.seconds(StepRecord.ended_at, StepRecord.started_at)
    bucket = cast(func.round(took / BUCKET_SECONDS), Integer)
    within = case((StepRecord.due_at.is_(None) | (StepRecord.ended_at <= StepRecord.due_at), 1),
                  else_=0)
    rows = session.execute(
        select(StepRecord.step_key, bucket, func.count(), func.sum(within), func.sum(took),
               func.max(took)).select_from(StepRecord).join(Visit, Visit.id == StepRecord.visit_id)
        .where(StepRecord.ended_at.is_not(None), StepRecord.started_at.is_not(None), *visits)
        .group_by(StepRecord.step_key, bucket)).all()
    for step, at, *values in rows:
        summary.add_time(step, int(at), *values)
    for by, column in (("step", Deviation.step_key), ("officer", Deviation.responsible_user_id)):
        for key, count, over in session.execute(
                select(column, func.count(), func.sum(Deviation.over_seconds))
                .where(*deviations).group_by(column)):
            summary.add_deviations((by, "" if key is None else str(key)), count, over)
    return summary


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _dialect(session: Session, query: Query) -> Dialect:
    return Dialect.of(session, query.period.tz,
                      datetime.combine(query.period.start, time(), query.period.tz))


def roll_up(session: Session, query: Query) -> None:
    """Roll up the closed days of the months that start in the query's range."""
    period, today = query.period, query.today or query.period.end
    last_closed = min(today - timedelta(days=1), period.end)
    rolled = dict(session.execute(select(StepMonth.month, StepMonth.through).where(
        StepMonth.month >= period.start, StepMonth.month <= period.end)).all())
    month = period.start if period.start.day == 1 else _month_end(period.start) + timedelta(1)
    while month <= last_closed:
        through = min(_month_end(month), last_closed)
        first = rolled[month] + timedelta(days=1) if month in rolled else month
        if first <= through:
            _roll(session, query, month, first, through)
        month = _month_end(month) + timedelta(days=1)


def _roll(session: Session, query: Query, month: date, first: date, through: date) -> None:
    session.execute(insert(StepPending).from_select(
        ["visit_id", "month"], select(Visit.id, literal(month, Date)).where(
            Visit.day >= first, Visit.day <= through, Visit.status == VisitStatus.ACTIVE)))
    pending = select(StepPending.visit_id).where(StepPending.month == month)
    found = summarise(session, [Visit.day >= first, Visit.day <= through,
                                Visit.id.not_in(pending)],
                      [Deviation.day >= first, Deviation.day <= through], _dialect(session, query))
    kept = _read(session, [month])
    kept.merge(found)
    session.execute(delete(StepTime).where(StepTime.month == month))
    session.execute(delete(StepDeviations).where(StepDeviations.month == month))
    times = [{"step_key": step, "bucket": bucket, "month": month, "count": count,
              "within": kept.within.get((step, bucket), 0), "total": histogram.total_of(bucket),
              "top": histogram.top_of(bucket)}
             for step, histogram in kept.times.items()
             for bucket, count in histogram.buckets.items()]
    if times:
        session.execute(insert(StepTime), times)
    late = [{"by": by, "key": key, "month": month, "count": count, "over": over}
            for (by, key), (count, over) in kept.deviations.items()]
    if late:
        session.execute(insert(StepDeviations), late)
    now = query.now or datetime.now(UTC)
    existing = session.get(StepMonth, month)
    if existing is None:
        session.add(StepMonth(month=month, through=through, rolled_at=now))
    else:
        existing.through, existing.rolled_at = through, now
    session.flush()


def _read(session: Session, months: list[date]) -> StepSummary:
    summary = StepSummary()
    if not months:
        return summary
    for step, bucket, *values in session.execute(
            select(StepTime.step_key, StepTime.bucket, func.sum(StepTime.count),
                   func.sum(StepTime.within), func.sum(StepTime.total), func.max(StepTime.top))
            .where(StepTime.month.in_(months)).group_by(StepTime.step_key, StepTime.bucket)):
        summary.add_time(step, bucket, *values)
    for by, key, count, over in session.execute(
            select(StepDeviations.by, StepDeviations.key, func.sum(StepDeviations.count),
                   func.sum(StepDeviations.over)).where(StepDeviations.month.in_(months))
            .group_by(StepDeviations.by, StepDeviations.key)):
        summary.add_deviations((by, key), count, over)
    return summary


def collect(session: Session, query: Query) -> StepSummary:
    """Rolled-up months that fit the range, the visits still pending in them, the other
    days live."""
    period = query.period
    covered = sorted(session.execute(select(StepMonth.month, StepMonth.through).where(
        StepMonth.month >= period.start, StepMonth.through <= period.end)).all())
    months = [month for month, _through in covered]
    summary = _read(session, months)
    spans, day = [], period.start
    for first, through in covered:
        if day < first:
            spans.append((day, first - timedelta(days=1)))
        day = max(day, through + timedelta(days=1))
    if day <= period.end:
        spans.append((day, period.end))
    visits = [or_(*(Visit.day.between(a, b) for a, b in spans))] if spans else []
    if months:
        visits.append(Visit.id.in_(select(StepPending.visit_id)
                                   .where(StepPending.month.in_(months))))
    if visits:
        deviations = [or_(*(Deviation.day.between(a, b) for a, b in spans))] if spans \
            else [Deviation.id.is_(None)]
        summary.merge(summarise(session, [or_(*visits)], deviations, _dialect(session, query)))
    return summary
