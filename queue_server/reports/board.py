"""The live board's snapshot: today so far, a handful of small GROUP BY queries.

The queue's part is built here; other subsystems add parts (the procedure: open escort
calls, running steps past their standard, PPID requests due or overdue) through the
catalog's board hook. Nothing personal: numbers, counters, officers' names.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.auth.models import User
from queue_server.reports.sql import Dialect
from queue_server.tickets.models import (
    CounterState,
    Ticket,
    TicketStatus,
)
from queue_server.web.i18n import local_name

BoardPart = Callable[[Session, date, datetime, Any, str], dict[str, Any]]
"""(session, today, now, config, language) -> keys to add to the snapshot."""


def _waiting(session: Session, config, now: datetime, language: str) -> list[dict]:
    rows = session.execute(
        select(Ticket.service, Ticket.category, func.count(), func.min(Ticket.created_at))
        .where(Ticket.status == TicketStatus.WAITING)
        .group_by(Ticket.service, Ticket.category)).all()
    result = []
    for service, category, count, oldest in sorted(rows):
        if isinstance(oldest, str):  # SQLite hands MIN() of a datetime back as text
            oldest = datetime.fromisoformat(oldest).replace(tzinfo=now.tzinfo)
        result.append({
            "service": service, "service_name": local_name(config.services[service], language)
            if service in config.services else service,
            "category": category,
            "category_name": local_name(config.categories[category], language)
            if category in config.categories else category,
            "waiting": count, "longest_wait": round((now - oldest).total_seconds())})
    return result


def _counters(session: Session, config, language: str) -> list[dict]:
    states = {s.code: s for s in session.scalars(select(CounterState))}
    current_ids = [s.current_ticket_id for s in states.values() if s.current_ticket_id]
    tickets = {t.id: t for t in session.scalars(select(Ticket).where(
        Ticket.id.in_(current_ids), Ticket.status == TicketStatus.CALLED))} if current_ids \
        else {}
    # The officer who called each ticket last is on the ticket (tickets.officer_id).
    officers = {t.officer_id for t in tickets.values() if t.officer_id is not None}
    names = dict(session.execute(select(User.id, User.display_name)
                                 .where(User.id.in_(officers))).all()) if officers else {}
    callers = {t.id: names.get(t.officer_id) for t in tickets.values()}
    result = []
    for code, counter in config.counters.items():
        state = states.get(code)
        ticket = tickets.get(state.current_ticket_id) if state else None
        result.append({
            "code": code, "name": local_name(counter, language),
            "state": "serving" if ticket else "idle",
            "ticket": ticket.number if ticket else None,
            "since": ticket.called_at.isoformat() if ticket else None,
            "officer": callers.get(ticket.id) if ticket else None})
    return result


def _today(session: Session, today: date, sql: Dialect) -> dict[str, Any]:
    wait = sql.seconds(Ticket.first_called_at, Ticket.created_at)  # issue to first call
    counts, called, total, longest = {}, 0, 0.0, None
    for status, count, waits, summed, top in session.execute(
            select(Ticket.status, func.count(), func.count(wait), func.sum(wait),
                   func.max(wait)).where(Ticket.day == today).group_by(Ticket.status)):
        counts[status] = count
        called += waits
        total += float(summed or 0)
        if top is not None:
            longest = float(top) if longest is None else max(longest, float(top))
    mean = total / called if called else None
    return {"issued": sum(counts.values()), "served": counts.get(TicketStatus.SERVED, 0),
            "no_show": counts.get(TicketStatus.NO_SHOW, 0),
            "waiting": counts.get(TicketStatus.WAITING, 0),
            "wait_mean": round(float(mean)) if mean is not None else None,
            "wait_longest": round(float(longest)) if longest is not None else None}


def snapshot(session: Session, config, now: datetime, language: str,
             parts: tuple[BoardPart, ...] = ()) -> dict[str, Any]:
    """The board as JSON: today's figures, the waiting groups, the counters, then the
    contributed parts."""
    today = now.astimezone(config.tz).date()
    sql = Dialect.of(session, config.tz, now)
    board = {"now": now.isoformat(), "day": today.isoformat(),
             "today": _today(session, today, sql),
             "waiting": _waiting(session, config, now, language),
             "counters": _counters(session, config, language)}
    for part in parts:
        board.update(part(session, today, now, config, language))
    return board
