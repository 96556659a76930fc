"""The queue's reports: volume (issued, served, no-show, transferred) and waiting and
service times, from the tickets and their history; every figure is a GROUP BY in SQL.

Waiting time runs from issue to the call that brought the ticket to the desk that finished
it (tickets.called_at; for a ticket never transferred or called back, its first call);
service time from that call to done (served tickets only).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from queue_server.auth.models import User
from queue_server.reports.catalog import Column, Report, Section, Table
from queue_server.reports.periods import Query
from queue_server.reports.sql import Dialect, Histogram, histograms
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


def _status_counts(session: Session, where: list) -> tuple[dict, int]:
    """Per local day: tickets per status; and how many of them were priority tickets."""
    is_priority = case((Ticket.priority > 0, 1), else_=0)
    rows = session.execute(select(Ticket.day, Ticket.status, func.count(), func.sum(is_priority))
                           .where(*where).group_by(Ticket.day, Ticket.status)).all()
    by_day: dict = {}
    priority = 0
    for day, status, count, priorities in rows:
        by_day.setdefault(day, {})[status] = count
        priority += int(priorities or 0)
    return by_day, priority


def volume(session: Session, query: Query, config) -> Report:
    """Tickets issued, served, no-show and transferred by day and hour; arrivals heat map."""
    where = ticket_filters(query)
    sql = Dialect.of(session, query.period.tz, query.period.utc_start)
    by_day, priority = _status_counts(session, where)
    # Few tickets are transferred: look them up from the history's action index.
    transferred = select(TicketEvent.ticket_id).where(
        TicketEvent.action == TicketAction.TRANSFERRED)
    transfers = dict(session.execute(
        select(Ticket.day, func.count()).where(Ticket.id.in_(transferred), *where)
        .group_by(Ticket.day)).all())
    day_rows = []
    for day in query.period.days:
        counts = by_day.get(day, {})
        day_rows.append([day.isoformat(), sum(counts.values()),
                         counts.get(TicketStatus.SERVED, 0), counts.get(TicketStatus.NO_SHOW, 0),
                         transfers.get(day, 0)])
    # Per local day and hour (the day column is the local day of issue): the weekday of
    # each of these few hundred groups is worked out here.
    hour = sql.hour(Ticket.created_at)
    cells: dict[tuple[int, int], int] = {}
    for day, at_hour, count in session.execute(select(Ticket.day, hour, func.count())
                                               .where(*where).group_by(Ticket.day, hour)):
        weekday = (day.isoweekday()) % 7  # 0 = Sunday, as SQL counts
        cells[(weekday, at_hour)] = cells.get((weekday, at_hour), 0) + count
    cells_list = [(weekday, at_hour, count) for (weekday, at_hour), count in cells.items()]
    issued = sum(row[1] for row in day_rows)
    figures = {"issued": issued, "served": sum(row[2] for row in day_rows),
               "no_show": sum(row[3] for row in day_rows),
               "transferred": sum(row[4] for row in day_rows),
               "priority_share": share(priority, issued)}
    return Report(figures, [
        Table("by_day", [Column("day", "date"), Column("issued"), Column("served"),
                         Column("no_show"), Column("transferred")], day_rows,
              {"type": "bar", "x": "day", "y": ["issued", "served", "no_show"]}),
        _by_hour(cells_list), _heatmap(cells_list, query.language)])


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


def _merged(found: dict, key_of) -> dict[Any, Histogram]:
    """Histograms per (service, category, counter) merged into the groups key_of picks."""
    merged: dict[Any, Histogram] = {}
    for key, histogram in found.items():
        merged.setdefault(key_of(key), Histogram()).merge(histogram)
    return merged


def _rows(waits: dict, services: dict) -> dict[Any, list]:
    """Per group: tickets called, then wait and service mean, median and p90."""
    result = {}
    for key in list(waits) + [k for k in services if k not in waits]:
        wait = (waits.get(key) or Histogram()).summary()
        served = (services.get(key) or Histogram()).summary()
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
    wait = sql.seconds(Ticket.called_at, Ticket.created_at)
    service = sql.seconds(Ticket.finished_at, Ticket.called_at)
    served = [Ticket.status == TicketStatus.SERVED, *where]
    # Two GROUP BYs for every grouping but the officer's: merged per grouping below.
    columns = [Ticket.service, Ticket.category, Ticket.counter]
    found = histograms(session, columns, wait, where), histograms(session, columns, service,
                                                                   served)
    priority = {code: category.priority > 0 for code, category in config.categories.items()}
    users = dict(session.execute(select(User.id, User.display_name)).all())
    groupings = [
        ("by_service", lambda k: k[0], _names(config.services, language)),
        ("by_class", lambda k: "priority" if priority.get(k[1]) else "regular",
         {k: translate(language, f"report_class_{k}") for k in ("priority", "regular")}),
        ("by_category", lambda k: k[1], _names(config.categories, language)),
        ("by_counter", lambda k: k[2], _names(config.counters, language)),
    ]
    tables = []
    chart = {"type": "bar", "x": "group", "y": ["wait_median", "wait_p90", "service_median"]}
    for key, key_of, names in groupings:
        rows = _rows(_merged(found[0], key_of), _merged(found[1], key_of))
        tables.append(_time_table(key, rows, names, chart))
    # By officer: from the history's served events (index on action, ticket, user) to
    # their tickets.
    joined = TicketEvent.__table__.join(Ticket.__table__, Ticket.id == TicketEvent.ticket_id)
    officer = [TicketEvent.action == TicketAction.SERVED]
    by_officer = [histograms(session, [TicketEvent.user_id], value, [*officer, *conditions],
                             joined)
                  for value, conditions in ((wait, where), (service, served))]
    tables.append(_time_table("by_officer", _rows(*(
        {k[0]: h for k, h in found_.items()} for found_ in by_officer)), users, chart))
    overall = _rows(_merged(found[0], lambda k: "all"), _merged(found[1], lambda k: "all"))
    figures = dict(zip(["called", "wait_mean", "wait_median", "wait_p90", "service_mean",
                        "service_median", "service_p90"],
                       overall.get("all", [0] + [None] * 6), strict=True))
    issued, priority_count = session.execute(select(
        func.count(), func.sum(case((Ticket.priority > 0, 1), else_=0))).where(*where)).one()
    figures["priority_share"] = share(int(priority_count or 0), issued or 0)
    return Report(figures, tables)


def _time_table(key: str, rows: dict, names: dict, chart: dict) -> Table:
    ordered = sorted(rows.items(), key=lambda item: str(names.get(item[0], item[0])))
    return Table(key, [Column("group", "text")] + TIME_COLUMNS,
                 [[names.get(k, k) or "-"] + v for k, v in ordered], chart)


FILTERS = ("service", "category", "counter", "officer")
SECTIONS = (Section("volume", volume, FILTERS), Section("waits", waits, FILTERS))
