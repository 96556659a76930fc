"""Read-only queue views for the API and the pages."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import CounterState, Ticket, TicketEvent, TicketStatus
from .tickets import QueueError, QueueService, ticket_view


def ticket_detail(session: Session, queue: QueueService, ticket_id: int) -> dict[str, Any]:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise QueueError("unknown_ticket", f"No ticket {ticket_id}")
    view = ticket_view(ticket, queue.position(session, ticket))
    events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                             .order_by(TicketEvent.id)).all()
    view["history"] = [{"action": event.action.value, "at": event.at.isoformat(),
                        "user_id": event.user_id, "counter": event.counter,
                        "details": event.details} for event in events]
    return view


def queue_listing(session: Session, queue: QueueService) -> dict[str, Any]:
    tickets = queue.waiting(session)
    positions: dict[str, int] = {}
    views = []
    for ticket in tickets:
        positions[ticket.service] = positions.get(ticket.service, 0) + 1
        views.append(ticket_view(ticket, positions[ticket.service]))
    return {"tickets": views, "waiting": queue.waiting_counts(session)}


def counter_status(session: Session, queue: QueueService, code: str) -> dict[str, Any]:
    counter = queue.counter(code)
    state = session.get(CounterState, code)
    current: Ticket | None = None
    if state is not None and state.current_ticket_id:
        current = session.get(Ticket, state.current_ticket_id)
    window = queue.clock() - timedelta(minutes=queue.config.queue.no_show_recall_minutes)
    no_shows = session.scalars(select(Ticket).where(
        Ticket.status == TicketStatus.NO_SHOW, Ticket.finished_at >= window,
        Ticket.service.in_(counter.services)).order_by(Ticket.id.desc())).all()
    return {
        "code": counter.code, "name": counter.name, "services": list(counter.services),
        "priority_only": counter.priority_only,
        "current": ticket_view(current) if current and current.status == TicketStatus.CALLED
        else None,
        "no_shows": [ticket_view(ticket) for ticket in no_shows],
        "waiting": queue.waiting_counts(session),
    }
