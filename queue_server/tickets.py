"""Queue rules: issue gapless numbers per prefix per day, read the queue in call order."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .config import Config
from .counters import CounterDesk
from .events import Event
from .models import DailyCounter, IdempotencyKey, Ticket, TicketAction, TicketEvent, TicketStatus
from .outcomes import (  # noqa: F401 - re-exported: the queue's public names live here too
    Announcer,
    Outcome,
    QueueError,
    _totals,
    call_view,
    ticket_view,
)
from .print_jobs import queue_ticket_print


class QueueService(CounterDesk):
    """The queue's domain functions; each runs inside the caller's transaction."""

    def __init__(self, config: Config, clock: Callable[[], datetime], announcer: Announcer):
        self.config = config
        self.clock = clock
        self.announcer = announcer

    # -- issuing -------------------------------------------------------------------------

    def _next_sequence(self, session: Session, prefix: str, day) -> int:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = insert(DailyCounter).values(prefix=prefix, day=day, last_number=1)
        statement = statement.on_conflict_do_update(
            index_elements=[DailyCounter.prefix, DailyCounter.day],
            set_={"last_number": DailyCounter.last_number + 1},
        ).returning(DailyCounter.last_number)
        return session.execute(statement).scalar_one()

    def issue(self, session: Session, service: str, category: str, user_id: int | None,
              station: str | None = None) -> Outcome:
        """Give the next number of the category's prefix for today, gapless."""
        if service not in self.config.services:
            raise QueueError("unknown_service", f"Unknown service {service!r}")
        if category not in self.config.categories:
            raise QueueError("unknown_category", f"Unknown category {category!r}")
        kind = self.config.categories[category]
        now = self.clock()
        day = now.astimezone(self.config.tz).date()
        sequence = self._next_sequence(session, kind.prefix, day)
        ticket = Ticket(
            number=f"{kind.prefix}-{sequence:0{self.config.queue.number_digits}d}",
            public_id=secrets.token_urlsafe(12), prefix=kind.prefix, day=day, sequence=sequence,
            service=service, category=category, priority=kind.priority,
            status=TicketStatus.WAITING, station=station, created_at=now, created_by=user_id)
        session.add(ticket)
        session.flush()
        self._record(session, ticket, TicketAction.ISSUED, user_id, None, now)
        # One grouped count gives both the new ticket's place (everyone waiting in its
        # service with at least its priority is older, so ahead of it) and the totals.
        rows = self._waiting_groups(session)
        position = sum(count for priority, service_code, count in rows
                       if service_code == service and priority >= kind.priority)
        view = ticket_view(ticket, position)
        # The print job commits with the ticket; a worker sends it after the commit.
        printing = queue_ticket_print(session, self.config, ticket, position, now)
        return Outcome(ticket, [Event("ticket_issued", {"ticket": view}),
                                Event("queue_changed", {"waiting": _totals(rows)}), *printing],
                       view=view)

    def issue_once(self, session: Session, key: str, service: str, category: str,
                   user_id: int, station: str | None = None) -> Outcome:
        """Issue under an Idempotency-Key: the same key and request give the same response."""
        if not key or len(key) > 128:
            raise QueueError("invalid", "Idempotency-Key must be 1-128 characters")
        request_hash = hashlib.sha256(f"{service}|{category}|{station}".encode()).hexdigest()
        existing = session.scalar(select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))
        if existing is not None:
            if existing.request_hash != request_hash:
                raise QueueError("conflict", "Idempotency-Key was used for a different request")
            ticket = session.get(Ticket, existing.ticket_id)
            return Outcome(ticket, [], replayed=True, view=existing.response)
        # Claim the key first: a concurrent twin waits on the unique index, then fails
        # and is retried by the caller, finding this response.
        row = IdempotencyKey(user_id=user_id, key=key, request_hash=request_hash,
                             created_at=self.clock())
        session.add(row)
        session.flush()
        outcome = self.issue(session, service, category, user_id, station)
        row.ticket_id = outcome.ticket.id
        row.response = outcome.view
        return outcome

    # -- reading -------------------------------------------------------------------------

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

    def _waiting_groups(self, session: Session) -> list[tuple[int, str, int]]:
        return session.execute(
            select(Ticket.priority, Ticket.service, func.count(Ticket.id))
            .where(Ticket.status == TicketStatus.WAITING)
            .group_by(Ticket.priority, Ticket.service)).all()

    def waiting_counts(self, session: Session) -> dict[str, int]:
        return _totals(self._waiting_groups(session))

    def queue_changed(self, session: Session) -> Event:
        return Event("queue_changed", {"waiting": self.waiting_counts(session)})

    def _record(self, session, ticket, action, user_id, counter, now, details=None) -> None:
        session.add(TicketEvent(ticket_id=ticket.id, action=action, at=now, user_id=user_id,
                                counter=counter, details=details))
