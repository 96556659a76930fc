"""The queue's figures for a period: closed days from a roll-up, today live, one way.

`summarise` is the one computation: per local day, hour of issue and status the tickets
(priority ones, transferred ones, those the fairness guard took), and per group (service,
category, counter, officer) the whole-minute histograms of waits and service times. Today
(and any day not rolled up) runs it on the tickets; closed days run it once, by month, and
keep the result (report_rollup_*), so a year is read from a few thousand rows.

A roll-up is kept per slice: no filter, or one filter (service, category, counter or
officer); a query with two or more filters is computed from the tickets. A slice's month
holds its days up to `through`; a range uses the months that start inside it and whose
`through` is inside it, and computes the rest of its days live.

A rolled-up day can still change (a waiting ticket called days later, a no-show called by
name): every change of a ticket records a ticket event, so before each roll-up the events
since the last check are read and every month holding one of their tickets' days is
dropped, to be rolled up again when next asked for.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, case, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from queue_server.reports.models import RollupCount, RollupDuration, RollupMonth, RollupState
from queue_server.reports.periods import Query
from queue_server.reports.sql import BUCKET_SECONDS, Dialect, Histogram
from queue_server.tickets.models import Ticket, TicketAction, TicketEvent, TicketStatus

GROUPINGS = (("service", Ticket.service), ("category", Ticket.category),
             ("counter", Ticket.counter), ("officer", Ticket.officer_id))
"""The groups durations are kept for; also the filters a slice can hold."""
RECHECKED_EVENTS = 1000
"""Events below the checked id read again: ids are taken before their commit, so a
transaction that committed late may have one under the mark."""
IN_FLIGHT = timedelta(minutes=1)
"""An event this long before a roll-up may not have been committed when it was read."""


@dataclass
class Summary:
    counts: dict[tuple[date, int, str], list[int]] = field(default_factory=dict)
    """(day, hour, status) -> [tickets, priority, transferred, fairness guard]."""
    durations: dict[tuple[str, str, str], Histogram] = field(default_factory=dict)
    """(grouping, group's code or "", "wait" | "service") -> histogram."""

    def add_count(self, key: tuple, values) -> None:
        found = self.counts.setdefault(key, [0, 0, 0, 0])
        for index, value in enumerate(values):
            found[index] += int(value or 0)

    def add_bucket(self, key: tuple, bucket: int, count, total, top) -> None:
        self.durations.setdefault(key, Histogram()).add(int(bucket), count, total, top)

    def add_histogram(self, key: tuple, histogram: Histogram) -> None:
        self.durations.setdefault(key, Histogram()).merge(histogram)

    def merge(self, other: Summary) -> None:
        for key, values in other.counts.items():
            self.add_count(key, values)
        for key, histogram in other.durations.items():
            self.add_histogram(key, histogram)


def filters_where(filters: dict) -> list:
    """WHERE clauses for the filters asked for (the officer: who called the ticket last)."""
    return [column == filters[name] for name, column in GROUPINGS if name in filters]


def slice_of(filters: dict) -> str | None:
    """The roll-up slice of these filters: "" for none, "name=value" for one; None for
    more (not rolled up)."""
    used = [f"{name}={filters[name]}" for name, _column in GROUPINGS if name in filters]
    return (used or [""])[0] if len(used) < 2 else None


def _slice_filters(slice_: str) -> dict:
    if not slice_:
        return {}
    name, value = slice_.split("=", 1)
    return {name: int(value) if name == "officer" else value}


def summarise(session: Session, where: list, sql: Dialect, durations: bool = True) -> Summary:
    """The figures of the tickets `where` picks: one GROUP BY for the counts, one for the
    histograms (unless `durations` is false)."""
    summary = Summary()
    transferred = select(TicketEvent.ticket_id).where(
        TicketEvent.action == TicketAction.TRANSFERRED)
    hour = sql.hour(Ticket.created_at)
    rows = session.execute(
        select(Ticket.day, hour, Ticket.status, func.count(),
               func.sum(case((Ticket.priority > 0, 1), else_=0)),
               func.sum(case((Ticket.id.in_(transferred), 1), else_=0)),
               func.sum(case((Ticket.fairness_guard, 1), else_=0)))
        .where(*where).group_by(Ticket.day, hour, Ticket.status)).all()
    for day, at_hour, status, *values in rows:
        summary.add_count((day, int(at_hour), TicketStatus(status).value), values)
    if not durations:
        return summary
    wait = sql.seconds(Ticket.first_called_at, Ticket.created_at)
    # Served tickets only, by a CASE rather than a WHERE on the status: given one, SQLite
    # would read every served ticket of the year through a status index, not the day's.
    service = case((Ticket.status == TicketStatus.SERVED,
                    sql.seconds(Ticket.finished_at, Ticket.called_at)))
    # One GROUP BY over the four groups and both buckets (rows: at most one per ticket),
    # split into each group's histograms here: one round trip instead of eight.
    columns = [column for _name, column in GROUPINGS]
    buckets = [cast(func.round(value / BUCKET_SECONDS), Integer) for value in (wait, service)]
    rows = session.execute(
        select(*columns, *buckets, func.count(), func.sum(wait), func.max(wait),
               func.count(service), func.sum(service), func.max(service))
        .where(wait.is_not(None), *where).group_by(*columns, *buckets)).all()
    width = len(GROUPINGS)
    for row in rows:
        codes = ["" if code is None else str(code) for code in row[:width]]
        wait_bucket, service_bucket, count, wait_total, wait_top, served, service_total, \
            service_top = row[width:]
        for (name, _column), code in zip(GROUPINGS, codes, strict=True):
            summary.add_bucket((name, code, "wait"), wait_bucket, count, wait_total, wait_top)
            if served:
                summary.add_bucket((name, code, "service"), service_bucket, served,
                                   service_total, service_top)
    return summary


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _months(start: date, end: date) -> list[date]:
    """First days of the months that start inside start..end."""
    month = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    found = []
    while month <= end:
        found.append(month)
        month = _month_end(month) + timedelta(days=1)
    return found


def _dialect(session: Session, tz: ZoneInfo, day: date) -> Dialect:
    return Dialect.of(session, tz, datetime.combine(day, time(), tz))


def invalidate_changed(session: Session) -> None:
    """Drop every rolled-up month holding a ticket changed since it was rolled up."""
    state = session.get(RollupState, 1, with_for_update=True)
    top = session.scalar(select(func.max(TicketEvent.id))) or 0
    if state is None:  # nothing rolled up yet: nothing to check
        session.add(RollupState(id=1, checked_event_id=top))
        return
    # Two plain reads on primary keys (the events since the check, a day's worth; then
    # their tickets): joined or grouped, SQLite would walk a whole index instead.
    latest: dict[int, datetime] = {}
    for ticket_id, at in session.execute(select(TicketEvent.ticket_id, TicketEvent.at).where(
            TicketEvent.id > state.checked_event_id - RECHECKED_EVENTS)):
        latest[ticket_id] = max(latest.get(ticket_id, at), at)
    changed: dict[date, datetime] = {}
    ids = list(latest)
    for start in range(0, len(ids), 500):
        for ticket_id, day in session.execute(select(Ticket.id, Ticket.day).where(
                Ticket.id.in_(ids[start:start + 500]))):
            changed[day] = max(changed.get(day, latest[ticket_id]), latest[ticket_id])
    for day, at in changed.items():
        stale = session.scalar(select(func.count()).select_from(RollupMonth).where(
            RollupMonth.month == day.replace(day=1), RollupMonth.through >= day,
            RollupMonth.rolled_at <= at + IN_FLIGHT))
        if stale:
            drop_month(session, day.replace(day=1))
    state.checked_event_id = top


def drop_month(session: Session, month: date) -> None:
    """Forget a month's roll-up in every slice."""
    session.execute(delete(RollupMonth).where(RollupMonth.month == month))
    session.execute(delete(RollupDuration).where(RollupDuration.month == month))
    session.execute(delete(RollupCount).where(RollupCount.day.between(month,
                                                                      _month_end(month))))


def roll_up(session: Session, query: Query) -> None:
    """Bring the query's slice up to date for the closed days of the months starting in
    its range (in the caller's write transaction)."""
    slice_ = slice_of(query.filters)
    if slice_ is None:
        return
    invalidate_changed(session)
    period, today = query.period, query.today or query.period.end
    last_closed = min(today - timedelta(days=1), period.end)
    rolled = dict(session.execute(select(RollupMonth.month, RollupMonth.through).where(
        RollupMonth.slice == slice_, RollupMonth.month >= period.start,
        RollupMonth.month <= period.end)).all())
    for month in _months(period.start, last_closed):
        through = min(_month_end(month), last_closed)
        first = rolled[month] + timedelta(days=1) if month in rolled else month
        if first <= through:
            _roll(session, slice_, month, first, through, period.tz, query.now)


def _roll(session: Session, slice_: str, month: date, first: date, through: date,
          tz: ZoneInfo, now: datetime | None) -> None:
    where = [Ticket.day >= first, Ticket.day <= through,
             *filters_where(_slice_filters(slice_))]
    found = summarise(session, where, _dialect(session, tz, first))
    rows = [{"slice": slice_, "day": day, "hour": hour, "status": status, "tickets": v[0],
             "priority": v[1], "transferred": v[2], "fairness_guard": v[3]}
            for (day, hour, status), v in found.counts.items()]
    if rows:
        session.execute(insert(RollupCount), rows)
    kept = Summary()
    kept.durations = _read_durations(session, slice_, [month])
    kept.merge(Summary(durations=found.durations))
    session.execute(delete(RollupDuration).where(RollupDuration.slice == slice_,
                                                 RollupDuration.month == month))
    rows = [{"slice": slice_, "month": month, "grouping": grouping, "value": value,
             "kind": kind, "bucket": bucket, "count": count, "total": histogram.total_of(bucket),
             "top": histogram.top_of(bucket)}
            for (grouping, value, kind), histogram in kept.durations.items()
            for bucket, count in histogram.buckets.items()]
    if rows:
        session.execute(insert(RollupDuration), rows)
    now = now or datetime.now(UTC)
    existing = session.get(RollupMonth, (slice_, month))
    if existing is None:
        session.add(RollupMonth(slice=slice_, month=month, through=through, rolled_at=now))
    else:
        existing.through, existing.rolled_at = through, now
    session.flush()


def _read_durations(session: Session, slice_: str, months: list[date]) -> dict:
    found: dict[tuple[str, str, str], Histogram] = {}
    if not months:
        return found
    # Months in a row as a range on the key's last column: both databases then read the
    # key in order and sum as they go (a list of months made PostgreSQL sort the rows).
    contiguous = all(_month_end(a) + timedelta(days=1) == b
                     for a, b in zip(months, months[1:], strict=False))
    in_months = RollupDuration.month.between(months[0], months[-1]) if contiguous \
        else RollupDuration.month.in_(months)
    rows = session.execute(
        select(RollupDuration.grouping, RollupDuration.value, RollupDuration.kind,
               RollupDuration.bucket, func.sum(RollupDuration.count),
               func.sum(RollupDuration.total), func.max(RollupDuration.top))
        .where(RollupDuration.slice == slice_, in_months)
        .group_by(RollupDuration.grouping, RollupDuration.value, RollupDuration.kind,
                  RollupDuration.bucket)).all()
    for grouping, value, kind, bucket, count, total, top in rows:
        found.setdefault((grouping, value, kind), Histogram()).add(bucket, count, total, top)
    return found


def collect(session: Session, query: Query, durations: bool = True,
            daily: bool = True) -> Summary:
    """The query's figures: rolled-up months that fit its range, the other days live (the
    counts only, unless `durations`; the rolled-up counts per status only, the day and
    hour None and 0, unless `daily`)."""
    period = query.period
    slice_ = slice_of(query.filters)
    covered: list[tuple[date, date]] = []
    summary = Summary()
    if slice_ is not None:
        covered = sorted(session.execute(select(RollupMonth.month, RollupMonth.through).where(
            RollupMonth.slice == slice_, RollupMonth.month >= period.start,
            RollupMonth.through <= period.end)).all())
    if covered and durations:
        summary.durations = _read_durations(session, slice_, [month for month, _ in covered])
    if covered:
        spans = or_(*(RollupCount.day.between(month, through) for month, through in covered))
        keys = [RollupCount.day, RollupCount.hour] if daily else []
        for *key, status, tickets, priority, transferred, guard in session.execute(
                select(*keys, RollupCount.status, func.sum(RollupCount.tickets),
                       func.sum(RollupCount.priority), func.sum(RollupCount.transferred),
                       func.sum(RollupCount.fairness_guard))
                .where(RollupCount.slice == slice_, spans)
                .group_by(*keys, RollupCount.status)):
            day, hour = key if daily else (None, 0)
            summary.add_count((day, hour, status), (tickets, priority, transferred, guard))
    live = _uncovered(period.start, period.end, covered)
    if live:
        where = [or_(*(Ticket.day.between(first, last) for first, last in live)),
                 *filters_where(query.filters)]
        summary.merge(summarise(session, where, _dialect(session, period.tz, period.start),
                                durations))
    return summary


def _uncovered(start: date, end: date, covered: list[tuple[date, date]]) -> list:
    spans, day = [], start
    for first, through in covered:
        if day < first:
            spans.append((day, first - timedelta(days=1)))
        day = max(day, through + timedelta(days=1))
    if day <= end:
        spans.append((day, end))
    return spans
