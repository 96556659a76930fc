"""Reading the queue: places, waiting counts, a ticket's history, a counter's state."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config, Counter
from queue_server.platform.events import Event
from queue_server.tickets.errors import queue_error
from queue_server.tickets.events import QUEUE_CHANGED
from queue_server.tickets.models import CounterState, Ticket, TicketEvent, TicketStatus
from queue_server.tickets.views import status_url, ticket_view, waiting_totals


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

    def waiting(self, session: Session) -> list[Ticket]:
        """Waiting tickets in call order (priority first, FIFO within a class)."""
        return list(session.scalars(
            select(Ticket).where(Ticket.status == TicketStatus.WAITING)
            .order_by(Ticket.priority.desc(), Ticket.id)))

    def waiting_groups(self, session: Session) -> list[tuple[int, str, int]]:
        """(priority, service, count) of the waiting tickets."""
        return session.execute(
            select(Ticket.priority, Ticket.service, func.count(Ticket.id))
            .where(Ticket.status == TicketStatus.WAITING)
            .group_by(Ticket.priority, Ticket.service)).all()

    def waiting_counts(self, session: Session) -> dict[str, int]:
        return waiting_totals(self.waiting_groups(session))

    def queue_changed(self, session: Session) -> Event:
        return Event(QUEUE_CHANGED, {"waiting": self.waiting_counts(session)})

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

    def listing(self, session: Session) -> dict[str, Any]:
        """Every waiting ticket in call order with its place in its service."""
        positions: dict[str, int] = {}
        views = []
        for ticket in self.waiting(session):
            positions[ticket.service] = positions.get(ticket.service, 0) + 1
            views.append(ticket_view(ticket, positions[ticket.service]))
        return {"tickets": views, "waiting": self.waiting_counts(session)}

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
