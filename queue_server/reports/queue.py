"""The queue's reports: volume (issued, served, no-show, transferred) and waiting and
service times, from the tickets and their history; every figure is a GROUP BY in SQL.

Waiting time runs from issue to the first call (tickets.first_called_at); service time
from the last call (the one that brought the ticket to the desk that finished it) to done
(served tickets only). A ticket counts for the officer who called it last. Closed days
come from the roll-up (rollup.py), today live, through the same computation.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import User
from queue_server.reports.catalog import Column, Report, Section, Table
from queue_server.reports.periods import Query
from queue_server.reports.rollup import collect, roll_up
from queue_server.reports.sql import Histogram
from queue_server.tickets.models import TicketStatus
from queue_server.web.i18n import local_name, translate

WEEKDAYS = (1, 2, 3, 4, 5, 6, 0)
"""Monday first; SQL counts 0 = Sunday."""


def share(part: int, whole: int) -> float | None:
    """part of whole in percent, one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None


def volume(session: Session, query: Query, config) -> Report:
    """Tickets issued, served, no-show and transferred by day and hour; arrivals heat map."""
    summary = collect(session, query, durations=False)
    by_day: dict = {}
    cells: dict[tuple[int, int], int] = {}
    priority = 0
    for (day, hour, status), (tickets, priorities, transferred, _guard) in \
            summary.counts.items():
        counts = by_day.setdefault(day, {"issued": 0, "transferred": 0})
        counts["issued"] += tickets
        counts["transferred"] += transferred
        counts[status] = counts.get(status, 0) + tickets
        priority += priorities
        weekday = day.isoweekday() % 7  # 0 = Sunday, as SQL counts
        cells[(weekday, hour)] = cells.get((weekday, hour), 0) + tickets
    day_rows = []
    for day in query.period.days:
        counts = by_day.get(day, {})
        day_rows.append([day.isoformat(), counts.get("issued", 0),
                         counts.get(TicketStatus.SERVED.value, 0),
                         counts.get(TicketStatus.NO_SHOW.value, 0), counts.get("transferred", 0)])
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
    """Histograms per group code merged into the groups key_of picks."""
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


def _grouped(summary, grouping: str, kind: str) -> dict[str, Histogram]:
    return {code: histogram for (name, code, of_kind), histogram in summary.durations.items()
            if name == grouping and of_kind == kind}


def waits(session: Session, query: Query, config) -> Report:
    """Waiting (issue to first call) and service times (mean, median, p90) by service,
    class, category, counter and officer; the share of priority visitors; how often the
    fairness guard took a regular ticket while a priority one waited."""
    summary = collect(session, query, daily=False)
    language = query.language
    priority = {code: category.priority > 0 for code, category in config.categories.items()}
    users = {str(k): v for k, v in session.execute(select(User.id, User.display_name)).all()}
    groupings = [
        ("by_service", "service", lambda k: k, _names(config.services, language)),
        ("by_class", "category", lambda k: "priority" if priority.get(k) else "regular",
         {k: translate(language, f"report_class_{k}") for k in ("priority", "regular")}),
        ("by_category", "category", lambda k: k, _names(config.categories, language)),
        ("by_counter", "counter", lambda k: k, _names(config.counters, language)),
        ("by_officer", "officer", lambda k: k, users),
    ]
    tables = []
    chart = {"type": "bar", "x": "group", "y": ["wait_median", "wait_p90", "service_median"]}
    for key, grouping, key_of, names in groupings:
        rows = _rows(_merged(_grouped(summary, grouping, "wait"), key_of),
                     _merged(_grouped(summary, grouping, "service"), key_of))
        tables.append(_time_table(key, rows, names, chart))
    # Every called ticket has a service: the services' histograms together are all of them.
    overall = _rows(_merged(_grouped(summary, "service", "wait"), lambda k: "all"),
                    _merged(_grouped(summary, "service", "service"), lambda k: "all"))
    figures = dict(zip(["called", "wait_mean", "wait_median", "wait_p90", "service_mean",
                        "service_median", "service_p90"],
                       overall.get("all", [0] + [None] * 6), strict=True))
    counted = [values for values in summary.counts.values()]
    issued = sum(values[0] for values in counted)
    figures["priority_share"] = share(sum(values[1] for values in counted), issued)
    regular_called = sum(histogram.count for code, histogram in
                         _grouped(summary, "category", "wait").items() if not priority.get(code))
    guard = sum(values[3] for values in counted)
    figures["fairness_guard"] = guard
    figures["fairness_guard_share"] = share(guard, regular_called)
    tables.append(Table("fairness_guard", [Column("regular_called"), Column("fairness_guard"),
                                           Column("fairness_guard_share", "percent")],
                        [[regular_called, guard, figures["fairness_guard_share"]]]
                        if regular_called or guard else []))
    return Report(figures, tables)


def _time_table(key: str, rows: dict, names: dict, chart: dict) -> Table:
    ordered = sorted(rows.items(), key=lambda item: str(names.get(item[0], item[0])))
    return Table(key, [Column("group", "text")] + TIME_COLUMNS,
                 [[names.get(k, k) or "-"] + v for k, v in ordered], chart)


FILTERS = ("service", "category", "counter", "officer")
SECTIONS = (Section("volume", volume, FILTERS, roll_up),
            Section("waits", waits, FILTERS, roll_up))
