"""Issuing: the next gapless number per prefix per local day, once per Idempotency-Key."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.platform.database import add_loaded
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.platform.sequences import next_number
from queue_server.platform.transactions import Outcome
from queue_server.tickets import counts
from queue_server.tickets.contacts import Contact
from queue_server.tickets.errors import queue_error
from queue_server.tickets.estimate import WaitEstimator
from queue_server.tickets.events import TICKET_ISSUED
from queue_server.tickets.models import (
    IdempotencyKey,
    Ticket,
    TicketAction,
    TicketContact,
    TicketEvent,
    TicketSequence,
    TicketStatus,
)
from queue_server.tickets.reading import QueueReading, queue_changed_event
from queue_server.tickets.views import status_url, ticket_view

INSERT_TICKET = Ticket.__table__.insert()
INSERT_EVENT = TicketEvent.__table__.insert()


class TicketIssuing:
    """Issue tickets inside the caller's transaction."""

    def __init__(self, config: Config, clock: Callable[[], datetime], reading: QueueReading,
                 estimates: WaitEstimator | None = None):
        self.config = config
        self.clock = clock
        self.reading = reading
        self.estimates = estimates or WaitEstimator(config, clock)

    def issue(self, session: Session, user_id: int | None, service: str, category: str,
              station: str | None = None, held: bool = False,
              contact: Contact | None = None, self_service: bool = False) -> Outcome:
        """Give the next number of the category's prefix for today, gapless.

        A `held` ticket is for a visitor staff are already serving: it does not join the
        waiting line (no counter's call-next takes it) until a counter calls it by name.
        A `contact` (given with the visitor's consent) is kept for the ticket's messages.
        A `self_service` ticket is a visitor's own, at the kiosk: only the categories the
        kiosk offers, printed at the kiosk's station; its `ticket_issued` says so, so the
        printing side may refuse it when the kiosk's printer cannot give the paper.
        """
        if self_service:
            station = self.kiosk_station(category, station)
        if service not in self.config.services:
            raise queue_error("unknown_service", f"Unknown service {service!r}")
        if category not in self.config.categories:
            raise queue_error("unknown_category", f"Unknown category {category!r}")
        if station is not None and station not in self.config.stations:
            # A typo must not print the ticket at the default printer unnoticed.
            raise queue_error("unknown_station", f"Unknown station {station!r}; stations: "
                              f"{sorted(self.config.stations) or 'none configured'}")
        kind = self.config.categories[category]
        now = self.clock()
        day = now.astimezone(self.config.tz).date()
        sequence = next_number(session, TicketSequence, prefix=kind.prefix, day=day)
        status = TicketStatus.HELD if held else TicketStatus.WAITING
        ticket = self._insert(session, {
            "number": f"{kind.prefix}-{sequence:0{self.config.queue.number_digits}d}",
            "public_id": secrets.token_urlsafe(12), "prefix": kind.prefix, "day": day,
            "sequence": sequence, "service": service, "category": category,
            "priority": kind.priority, "status": status, "target_counter": None,
            "counter": None, "station": station, "created_at": now, "called_at": None,
            "finished_at": None, "created_by": user_id, "first_called_at": None,
            "officer_id": None, "fairness_guard": False}, held)
        if not held:
            counts.move(session, {(service, kind.priority): 1})
        if contact is not None:
            session.add(TicketContact(ticket_id=ticket.id, phone=contact.phone,
                                      language=contact.language, consented_at=now))
        # The count rows give both the new ticket's place (everyone waiting in its service
        # with at least its priority is older, so ahead of it) and the totals.
        rows = counts.rows(session)
        position = None if held else sum(
            count for priority, service_code, count in rows
            if service_code == service and priority >= kind.priority)
        view = ticket_view(ticket, position) | self.visitor_fields(session, ticket, rows)
        issued = {"ticket": view, "self_service": True} if self_service else {"ticket": view}
        return Outcome(ticket, [Event(TICKET_ISSUED, issued),
                                queue_changed_event(rows)],
                       view=view)

    @staticmethod
    def _insert(session: Session, values: dict, held: bool) -> Ticket:
        """Insert the ticket and its first history line with two cached Core statements.

        The ORM's unit of work costs more CPU than the rest of issuing; the Ticket handed
        back is placed in the session as loaded, so callers and hooks (the print job) use
        it as any other without reading it back.
        """
        connection = session.connection()
        ticket_id = connection.execute(INSERT_TICKET, values).inserted_primary_key[0]
        connection.execute(INSERT_EVENT, {
            "ticket_id": ticket_id, "action": TicketAction.ISSUED, "at": values["created_at"],
            "user_id": values["created_by"], "counter": None,
            "details": {"held": True} if held else None})
        return add_loaded(session, Ticket, {"id": ticket_id, **values})

    def visitor_fields(self, session: Session, ticket: Ticket, groups) -> dict:
        """What the visitor is handed with a new ticket: its status link and the estimate
        (from the waiting counts just read, `groups`; none for a held ticket)."""
        found = None if ticket.status is TicketStatus.HELD else self.estimates.for_new(
            session, ticket.service, ticket.priority, groups)
        return {"status_url": status_url(self.config, ticket),
                "estimate": found.view(self.config.default_language) if found else None}

    def kiosk_station(self, category: str, station: str | None) -> str | None:
        """The station a kiosk's ticket prints at; 403 for a category it does not offer."""
        kiosk = getattr(self.config, "kiosk", None)
        offered = kiosk.categories if kiosk is not None else tuple(
            code for code, kind in self.config.categories.items() if kind.priority <= 0)
        if category in self.config.categories and category not in offered:
            raise DomainError(403, "forbidden", f"The kiosk does not issue {category!r} "
                                                "tickets: reception does")
        if station is not None:
            raise queue_error("invalid", "A kiosk prints at its own station: send no station")
        return kiosk.station if kiosk is not None else None

    def issue_once(self, session: Session, user_id: int, key: str, service: str, category: str,
                   station: str | None = None, contact: Contact | None = None,
                   self_service: bool = False) -> Outcome:
        """Issue under an Idempotency-Key: the same key and request give the same response."""
        if not key or len(key) > 128:
            raise queue_error("invalid", "Idempotency-Key must be 1-128 characters")
        request = f"{service}|{category}|{station}"
        if contact is not None:  # the same key with another number is another request
            request += f"|{contact.phone}|{contact.language}"
        request_hash = hashlib.sha256(request.encode()).hexdigest()
        existing = session.scalar(select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))
        if existing is not None:
            if existing.request_hash != request_hash:
                raise queue_error("conflict", "Idempotency-Key was used for a different request")
            ticket = session.get(Ticket, existing.ticket_id)
            return Outcome(ticket, [], replayed=True, view=existing.response)
        # Claim the key first: a concurrent twin waits on the unique index, then fails
        # and is retried by the transaction runner, finding this response.
        row = IdempotencyKey(user_id=user_id, key=key, request_hash=request_hash,
                             created_at=self.clock())
        session.add(row)
        session.flush()
        outcome = self.issue(session, user_id, service, category, station, contact=contact,
                             self_service=self_service)
        row.ticket_id = outcome.ticket.id
        row.response = outcome.view
        return outcome
