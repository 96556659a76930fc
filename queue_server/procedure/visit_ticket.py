"""The visit's queue ticket moves with the visit, in the same transaction as the step.

- The guest book's ticket is issued *held* when staff walk the visitor on to the counter
  (the step after it is a staff step with the visitor): it is not in the waiting line, so
  no counter's call-next takes it and no waiting count includes it. A pick-up ticket is
  held when security escorts the visitor in; otherwise it waits in the line.
- When the counter takes the visit (acknowledges or completes a counter step with the
  visitor present), the ticket is called at that counter: shown and spoken on the TV only
  when the visitor was not brought there (`procedure.announce_call`).
- When the visit finishes, the visitor leaves, or the visit is cancelled, its open tickets
  are closed: finished -> served, left -> served, cancelled -> cancelled.
"""
from __future__ import annotations

import enum

from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.procedure.errors import invalid
from queue_server.procedure.models import StepRecord, Visit
from queue_server.procedure.settings import VISITOR, Step
from queue_server.tickets.models import Ticket, TicketStatus


class VisitEnd(enum.Enum):
    """How a visit let go of its tickets, and the state each ticket ends in."""

    FINISHED = "visit_finished"
    LEFT = "visitor_left"
    CANCELLED = "visit_cancelled"


TICKET_STATE = {VisitEnd.FINISHED: TicketStatus.SERVED, VisitEnd.LEFT: TicketStatus.SERVED,
                VisitEnd.CANCELLED: TicketStatus.CANCELLED}
OPEN = (TicketStatus.WAITING, TicketStatus.HELD, TicketStatus.NO_SHOW)
"""A visit's ticket in one of these states has not been called by its counter yet."""


class VisitTickets:
    """Keep a visit's ticket in step with the visit; part of ProcedureService."""

    def __init__(self, service) -> None:
        self.service = service

    def escorted_after(self, step: Step) -> bool:
        """True when staff walk the visitor on after this step (the ticket is held)."""
        following = self.service.step_at(step.position + 1)
        return (following is not None and following.visitor_present
                and following.role not in (VISITOR, Role.OFFICER.value))

    def default_counter(self, service_code: str) -> str | None:
        """The counter a visit is served at when the page names none: the first
        priority-only counter of the service, else the first counter of the service."""
        counters = [c for c in self.service.config.counters.values()
                    if service_code in c.services]
        counters.sort(key=lambda c: not c.priority_only)
        return counters[0].code if counters else None

    def take(self, session: Session, visit: Visit, step: Step, record: StepRecord,
             actor: Identity, counter: str | None) -> list[Event]:
        """The counter takes the visit: call its open ticket at that counter."""
        if step.role != Role.OFFICER.value or not step.visitor_present:
            return []
        ticket_id = visit.pickup_ticket_id or visit.ticket_id
        ticket = session.get(Ticket, ticket_id) if ticket_id is not None else None
        if ticket is None or ticket.status not in OPEN:
            return []
        mode = self.service.procedure.announce_call
        announce = mode == "always" or (mode == "unescorted" and ticket.status != TicketStatus.HELD)
        code = counter or self.default_counter(ticket.service)
        if code is None:
            raise invalid(f"No counter serves {ticket.service}; give a counter")
        try:
            outcome = self.service.queue.call_at(session, actor.user_id, ticket.id, code,
                                                 announce)
        except DomainError as exc:
            raise invalid(exc.message) from None
        record.details = {**(record.details or {}), "counter": code, "ticket_called":
                          ticket.number, "announced": announce}
        return outcome.events

    def close(self, session: Session, visit: Visit, actor: Identity | None,
              end: VisitEnd) -> list[Event]:
        """Close the visit's tickets that are still open, in the state `end` maps to."""
        events: list[Event] = []
        for ticket_id in (visit.ticket_id, visit.pickup_ticket_id):
            if ticket_id is not None:
                events += self.service.queue.close(
                    session, actor.user_id if actor else None, ticket_id, TICKET_STATE[end],
                    end.value).events
        return events
