"""Reading the queue: places, waiting counts, a ticket's history, a counter's state."""
from __future__ import annotations

import base64
import re
import struct
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config, Counter
from queue_server.platform.events import Event
from queue_server.tickets import counts
from queue_server.tickets.errors import queue_error
from queue_server.tickets.events import QUEUE_CHANGED
from queue_server.tickets.models import CounterState, Ticket, TicketEvent, TicketStatus
from queue_server.tickets.views import status_url, ticket_view, waiting_totals

PAGE_SIZE = 100
"""Waiting tickets per page of GET /api/v1/queue when the client asks for no limit."""
MAX_PAGE_SIZE = 500


CURSOR_PATTERN = r"^[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]$"
"""A cursor: the base64url text (no padding) of 8 bytes, the call-order key of the ticket a
page ended at. Every text of this form is a place in the call order, so any is taken."""


def encode_cursor(ticket: Ticket) -> str:
    """An opaque cursor: the call-order key (priority, id) of a page's last ticket."""
    return base64.urlsafe_b64encode(struct.pack(">ii", ticket.priority, ticket.id)) \
        .decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The (priority, id) a cursor names; 422 for text of any other form."""
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise queue_error("invalid", "Query parameter 'cursor' is not a cursor this server "
                          "gives (use next_cursor from the previous page)")
    return struct.unpack(">ii", base64.urlsafe_b64decode(cursor + "="))


def queue_changed_event(groups: list[tuple[int, str, int]]) -> Event:
    """The queue changed: the totals by class to send, the count rows for subscribers (the
    TV's estimates) to reuse after the commit instead of reading them again."""
    return Event(QUEUE_CHANGED, {"waiting": waiting_totals(groups)}, {"groups": tuple(groups)})


class QueueReading:
    """Read-only questions about the queue, asked inside the caller's session."""

    def __init__(self, config: Config, clock: Callable[[], datetime]):
        self.config = config
        self.clock = clock

    def counter(self, code: str) -> Counter:
        """The configured counter, or 404 unknown_counter."""
        try:
            return self.config.counters[code]
        except KeyError:
            raise queue_error("unknown_counter", f"Unknown counter {code!r}") from None

    def position(self, session: Session, ticket: Ticket) -> int | None:
        """1-based place among waiting tickets of the same service, in call order."""
        if ticket.status != TicketStatus.WAITING:
            return None
        ahead = session.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.status == TicketStatus.WAITING, Ticket.service == ticket.service,
                (Ticket.priority > ticket.priority)
                | ((Ticket.priority == ticket.priority) & (Ticket.id < ticket.id))))
        return ahead + 1

    def waiting_groups(self, session: Session) -> list[tuple[int, str, int]]:
        """(priority, service, count) of the waiting tickets, from the count rows."""
        return counts.rows(session)

    def waiting_counts(self, session: Session) -> dict[str, int]:
        return waiting_totals(self.waiting_groups(session))

    def queue_changed(self, session: Session) -> Event:
        return queue_changed_event(self.waiting_groups(session))

    def ticket_detail(self, session: Session, ticket_id: int) -> dict[str, Any]:
        """A ticket with its place and its whole history."""
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise queue_error("unknown_ticket", f"No ticket {ticket_id}")
        view = ticket_view(ticket, self.position(session, ticket))
        view["status_url"] = status_url(self.config, ticket)
        events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                                 .order_by(TicketEvent.id)).all()
        view["history"] = [{"action": event.action.value, "at": event.at.isoformat(),
                            "user_id": event.user_id, "counter": event.counter,
                            "details": event.details} for event in events]
        return view

    def listing(self, session: Session, limit: int = PAGE_SIZE, cursor: str | None = None,
                service: str | None = None, kind: str | None = None) -> dict[str, Any]:
        """A page of the waiting tickets in call order, each with its place in its service.

        `cursor` (from the previous page's `next_cursor`) continues after the ticket it
        names; `service` and `kind` ("priority" or "regular") filter. Each priority level
        is read on the index (status, priority, id) or (status, service, priority, id)
        from where the page starts, so a page costs the same at any queue depth; which
        levels have anyone waiting, and the totals, come from the count rows.
        """
        if service is not None and service not in self.config.services:
            raise queue_error("unknown_service", f"Unknown service {service!r}")
        after = decode_cursor(cursor) if cursor is not None else None
        rows = [(priority, code, count) for priority, code, count in counts.rows(session)
                if (service is None or code == service) and count > 0]
        groups = [row for row in rows if kind is None or (row[0] > 0) == (kind == "priority")]
        levels = sorted({priority for priority, _code, _count in groups}, reverse=True)
        tickets: list[Ticket] = []
        for level in levels:
            if after is not None and level > after[0]:
                continue
            query = select(Ticket).where(Ticket.status == TicketStatus.WAITING,
                                         Ticket.priority == level)
            if service is not None:
                query = query.where(Ticket.service == service)
            if after is not None and level == after[0]:
                query = query.where(Ticket.id > after[1])
            tickets += session.scalars(query.order_by(Ticket.id).limit(limit + 1 - len(tickets)))
            if len(tickets) > limit:
                break
        more = len(tickets) > limit
        tickets = tickets[:limit]
        places = self._places_before(session, tickets, rows) if tickets else {}
        views = []
        for ticket in tickets:
            places[ticket.service] = places.get(ticket.service, 0) + 1
            views.append(ticket_view(ticket, places[ticket.service]))
        return {"tickets": views, "waiting": self.waiting_counts(session),
                "total": sum(count for _priority, _code, count in groups),
                "next_cursor": encode_cursor(tickets[-1]) if more else None}

    def _places_before(self, session: Session, tickets: list[Ticket],
                       groups) -> dict[str, int]:
        """Per service on the page: how many wait ahead of the page's first ticket (the
        count rows for the higher levels; within its level, one count per service on the
        covering index (status, service, priority, id))."""
        first = tickets[0]
        places: dict[str, int] = {}
        for priority, code, count in groups:
            if priority > first.priority:
                places[code] = places.get(code, 0) + count
        for code in sorted({ticket.service for ticket in tickets}):
            places[code] = places.get(code, 0) + session.scalar(
                select(func.count()).select_from(Ticket).where(
                    Ticket.status == TicketStatus.WAITING, Ticket.service == code,
                    Ticket.priority == first.priority, Ticket.id < first.id))
        return places

    def counter_status(self, session: Session, code: str) -> dict[str, Any]:
        """A counter's current ticket and the no-shows it can still call back."""
        counter = self.counter(code)
        state = session.get(CounterState, code)
        current: Ticket | None = None
        if state is not None and state.current_ticket_id:
            current = session.get(Ticket, state.current_ticket_id)
        window = self.clock() - timedelta(minutes=self.config.queue.no_show_recall_minutes)
        no_shows = session.scalars(select(Ticket).where(
            Ticket.status == TicketStatus.NO_SHOW, Ticket.finished_at >= window,
            Ticket.service.in_(counter.services)).order_by(Ticket.id.desc())).all()
        return {
            "code": counter.code, "name": counter.name, "services": list(counter.services),
            "priority_only": counter.priority_only,
            "current": ticket_view(current) if current and current.status == TicketStatus.CALLED
            else None,
            "no_shows": [ticket_view(ticket) for ticket in no_shows],
            "waiting": self.waiting_counts(session),
        }


def record(session: Session, ticket: Ticket, action, user_id: int | None,
           counter: str | None, now: datetime, details: dict | None = None) -> None:
    """Add a line to the ticket's history (ticket_events)."""
    session.add(TicketEvent(ticket_id=ticket.id, action=action, at=now, user_id=user_id,
                            counter=counter, details=details))
