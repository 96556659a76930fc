"""The queue's reports: volume (issued, served, no-show, transferred) and waiting and
service times, from the tickets and their history; every figure is a GROUP BY in SQL.

Waiting time runs from issue to the call that brought the ticket to the desk that finished
it (tickets.called_at; for a ticket never transferred or called back, its first call);
service time from that call to done (served tickets only).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from queue_server.auth.models import User
from queue_server.reports.catalog import Column, Report, Section, Table
from queue_server.reports.periods import Query
from queue_server.reports.sql import Dialect, distribution
from queue_server.tickets.models import Ticket, TicketAction, TicketEvent, TicketStatus
from queue_server.web.i18n import local_name, translate

WEEKDAYS = (1, 2, 3, 4, 5, 6, 0)
"""Monday first; SQL counts 0 = Sunday."""


def ticket_filters(query: Query) -> list:
    """WHERE clauses: the period's local days and the filters asked for."""
    period, filters = query.period, query.filters
    where = [Ticket.day >= period.start, Ticket.day <= period.end]
    for name, column in (("service", Ticket.service), ("category", Ticket.category),
                         ("counter", Ticket.counter)):
        if name in filters:
            where.append(column == filters[name])
    if "officer" in filters:
        where.append(Ticket.id.in_(select(TicketEvent.ticket_id).where(
            TicketEvent.action.in_([TicketAction.CALLED, TicketAction.SERVED]),
            TicketEvent.user_id == filters["officer"])))
    return where


def share(part: int, whole: int) -> float | None:
    """part of whole in percent, one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None


def _status_counts(session: Session, where: list) -> dict:
    rows = session.execute(select(Ticket.day, Ticket.status, func.count())
                           .where(*where).group_by(Ticket.day, Ticket.status)).all()
    by_day: dict = {}
    for day, status, count in rows:
        by_day.setdefault(day, {})[status] = count
    return by_day


def volume(session: Session, query: Query, config) -> Report:
    """Tickets issued, served, no-show and transferred by day and hour; arrivals heat map."""
    where = ticket_filters(query)
    sql = Dialect.of(session, query.period.tz, query.period.utc_start)
    by_day = _status_counts(session, where)
    transfers = dict(session.execute(
        select(Ticket.day, func.count()).join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(TicketEvent.action == TicketAction.TRANSFERRED, *where)
        .group_by(Ticket.day)).all())
    day_rows = []
    for day in query.period.days:
        counts = by_day.get(day, {})
        day_rows.append([day.isoformat(), sum(counts.values()),
                         counts.get(TicketStatus.SERVED, 0), counts.get(TicketStatus.NO_SHOW, 0),
                         transfers.get(day, 0)])
    hour, weekday = sql.hour(Ticket.created_at), sql.weekday(Ticket.created_at)
    cells = session.execute(select(weekday, hour, func.count()).where(*where)
                            .group_by(weekday, hour)).all()
    priority = session.scalar(select(func.count()).where(Ticket.priority > 0, *where)) or 0
    issued = sum(row[1] for row in day_rows)
    figures = {"issued": issued, "served": sum(row[2] for row in day_rows),
               "no_show": sum(row[3] for row in day_rows),
               "transferred": sum(row[4] for row in day_rows),
               "priority_share": share(priority, issued)}
    return Report(figures, [
        Table("by_day", [Column("day", "date"), Column("issued"), Column("served"),
                         Column("no_show"), Column("transferred")], day_rows,
              {"type": "bar", "x": "day", "y": ["issued", "served", "no_show"]}),
        _by_hour(cells), _heatmap(cells, query.language)])


def _by_hour(cells) -> Table:
    per_hour: dict[int, int] = {}
    for _weekday, hour, count in cells:
        per_hour[hour] = per_hour.get(hour, 0) + count
    hours = range(min(per_hour), max(per_hour) + 1) if per_hour else range(0)
    return Table("by_hour", [Column("hour", "text"), Column("issued")],
                 [[f"{h:02d}.00", per_hour.get(h, 0)] for h in hours],
                 {"type": "bar", "x": "hour", "y": ["issued"]})


def _heatmap(cells, language: str) -> Table:
    """Arrivals per weekday (rows) and hour (columns)."""
    grid = {(weekday, hour): count for weekday, hour, count in cells}
    hours = sorted({hour for _weekday, hour in grid})
    columns = [Column("weekday", "text")] + [
        Column(f"h{h:02d}", "int", label=f"{h:02d}") for h in hours]
    rows = [[translate(language, f"weekday_{weekday}")] + [grid.get((weekday, h), 0)
                                                          for h in hours]
            for weekday in WEEKDAYS]
    return Table("heatmap", columns, rows if hours else [], {"type": "heatmap"})


TIME_COLUMNS = [Column("tickets"), Column("wait_mean", "seconds"),
                Column("wait_median", "seconds"), Column("wait_p90", "seconds"),
                Column("service_mean", "seconds"), Column("service_median", "seconds"),
                Column("service_p90", "seconds")]


def _times(session: Session, sql: Dialect, group, where: list, from_=None) -> dict[Any, list]:
    """Per group: tickets called, then wait and service mean, median and p90."""
    waits = distribution(session, group, sql.seconds(Ticket.called_at, Ticket.created_at),
                         where, from_)
    services = distribution(session, group, sql.seconds(Ticket.finished_at, Ticket.called_at),
                            [Ticket.status == TicketStatus.SERVED, *where], from_)
    empty = {"count": 0, "mean": None, "median": None, "p90": None}
    result = {}
    for key in list(waits) + [k for k in services if k not in waits]:
        wait, served = waits.get(key, empty), services.get(key, empty)
        result[key] = [wait["count"], wait["mean"], wait["median"], wait["p90"],
                       served["mean"], served["median"], served["p90"]]
    return result


def _names(items: dict, language: str) -> dict[str, str]:
    return {code: local_name(item, language) for code, item in items.items()}


def waits(session: Session, query: Query, config) -> Report:
    """Waiting and service times (mean, median, p90) by service, class, category, counter
    and officer; the share of priority visitors."""
    where = ticket_filters(query)
    sql = Dialect.of(session, query.period.tz, query.period.utc_start)
    language = query.language
    overall = _times(session, sql, literal("all"), where).get("all")
    priority_class = case((Ticket.priority > 0, "priority"), else_="regular")
    officer = (select(TicketEvent.ticket_id, TicketEvent.user_id)
               .where(TicketEvent.action == TicketAction.SERVED).subquery())
    users = dict(session.execute(select(User.id, User.display_name)).all())
    groupings = [
        ("by_service", Ticket.service, _names(config.services, language), None),
        ("by_class", priority_class, {k: translate(language, f"report_class_{k}")
                                      for k in ("priority", "regular")}, None),
        ("by_category", Ticket.category, _names(config.categories, language), None),
        ("by_counter", Ticket.counter, _names(config.counters, language), None),
        ("by_officer", officer.c.user_id, users,
         Ticket.__table__.join(officer, officer.c.ticket_id == Ticket.id)),
    ]
    tables = []
    for key, group, names, from_ in groupings:
        rows = _times(session, sql, group, where, from_)
        ordered = sorted(rows.items(), key=lambda item: str(names.get(item[0], item[0])))
        tables.append(Table(key, [Column("group", "text")] + TIME_COLUMNS,
                            [[names.get(k, k) or "-"] + v for k, v in ordered],
                            {"type": "bar", "x": "group",
                             "y": ["wait_median", "wait_p90", "service_median"]}))
    issued = session.scalar(select(func.count()).where(*where)) or 0
    priority = session.scalar(select(func.count()).where(Ticket.priority > 0, *where)) or 0
    figures = {"called": overall[0] if overall else 0,
               "wait_mean": overall[1] if overall else None,
               "wait_median": overall[2] if overall else None,
               "wait_p90": overall[3] if overall else None,
               "service_mean": overall[4] if overall else None,
               "service_median": overall[5] if overall else None,
               "service_p90": overall[6] if overall else None,
               "priority_share": share(priority, issued)}
    return Report(figures, tables)


FILTERS = ("service", "category", "counter", "officer")
SECTIONS = (Section("volume", volume, FILTERS), Section("waits", waits, FILTERS))
