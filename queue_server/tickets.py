"""Queue rules: issue numbers, call the next ticket fairly, recall, no-show, transfer, finish."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .config import Config, Counter
from .events import Event
from .models import (
    Call,
    CounterState,
    DailyCounter,
    IdempotencyKey,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketStatus,
)
from .print_jobs import queue_ticket_print


class QueueError(Exception):
    """A request the queue rules refuse; `code` maps to an HTTP status."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Announcer(Protocol):
    def announce(self, number: str, counter: Counter) -> tuple[str, str]:
        """Return the spoken text and the audio file name for a call."""


@dataclass
class Outcome:
    """What a domain function did: the ticket it touched and the events to publish."""

    ticket: Ticket | None = None
    events: list[Event] = field(default_factory=list)
    replayed: bool = False
    call: Call | None = None
    view: dict[str, Any] | None = None


def ticket_view(ticket: Ticket, position: int | None = None) -> dict[str, Any]:
    """The API shape of a ticket."""
    return {
        "id": ticket.id, "number": ticket.number, "service": ticket.service,
        "category": ticket.category, "priority": ticket.priority, "status": ticket.status.value,
        "created_at": ticket.created_at.isoformat(), "position": position,
        "counter": ticket.counter, "target_counter": ticket.target_counter,
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
    }


def call_view(call: Call, counter_name: str) -> dict[str, Any]:
    """The public `call` event: nothing personal, no category."""
    return {
        "seq": call.id, "number": call.number, "counter": call.counter,
        "counter_name": counter_name, "text": call.text, "audio_url": f"/audio/{call.audio_file}",
        "called_at": call.called_at.isoformat(), "recall": call.recall, "priority": call.priority,
    }


def _totals(rows) -> dict[str, int]:
    counts = {"priority": 0, "regular": 0}
    for priority, _service, count in rows:
        counts["priority" if priority > 0 else "regular"] += count
    return counts


class QueueService:
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

    # -- counters ------------------------------------------------------------------------

    def counter(self, code: str) -> Counter:
        try:
            return self.config.counters[code]
        except KeyError:
            raise QueueError("unknown_counter", f"Unknown counter {code!r}") from None

    def _lock_counter(self, session: Session, code: str) -> CounterState:
        state = session.get(CounterState, code, with_for_update=True)
        if state is None:
            state = CounterState(code=code, priority_streak=0)
            session.add(state)
            session.flush()
        return state

    def _candidates(self, session: Session, counter: Counter):
        query = select(Ticket).where(
            Ticket.status == TicketStatus.WAITING, Ticket.service.in_(counter.services),
            (Ticket.target_counter.is_(None)) | (Ticket.target_counter == counter.code))
        if session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return query.limit(1)

    def _choose(self, session: Session, counter: Counter, state: CounterState) -> Ticket | None:
        """Priority first, FIFO within a class, with the guard against starving regulars."""
        base = self._candidates(session, counter)
        priority = session.scalar(base.where(Ticket.priority > 0)
                                  .order_by(Ticket.priority.desc(), Ticket.id))
        if counter.priority_only:
            return priority
        regular = session.scalar(base.where(Ticket.priority == 0).order_by(Ticket.id))
        if priority is None or regular is None:
            return priority or regular
        rules = self.config.queue
        if rules.max_regular_wait_minutes and (
                self.clock() - regular.created_at
                >= timedelta(minutes=rules.max_regular_wait_minutes)):
            return regular
        if state.priority_streak >= rules.max_priority_streak:
            return regular
        return priority

    def _close_current(self, session: Session, state: CounterState, user_id, now) -> list[Event]:
        if state.current_ticket_id is None:
            return []
        ticket = session.get(Ticket, state.current_ticket_id, with_for_update=True)
        state.current_ticket_id = None
        if ticket is None or ticket.status != TicketStatus.CALLED:
            return []
        ticket.status = TicketStatus.SERVED
        ticket.finished_at = now
        self._record(session, ticket, TicketAction.SERVED, user_id, state.code, now)
        return [Event("ticket_updated", {"ticket": ticket_view(ticket)})]

    def _announce(self, session: Session, ticket: Ticket, counter: Counter, recall: bool,
                  now: datetime) -> tuple[Call, Event]:
        text, audio_file = self.announcer.announce(ticket.number, counter)
        call = Call(ticket_id=ticket.id, number=ticket.number, counter=counter.code,
                    priority=ticket.priority > 0, recall=recall, text=text,
                    audio_file=audio_file, called_at=now)
        session.add(call)
        session.flush()
        payload = {"call": call_view(call, counter.name), "ticket": ticket_view(ticket)}
        return call, Event("ticket_called", payload)

    def call_next(self, session: Session, counter_code: str, user_id: int | None) -> Outcome:
        """Close the counter's current ticket as served, then call the next one, atomically."""
        counter = self.counter(counter_code)
        now = self.clock()
        state = self._lock_counter(session, counter.code)
        events = self._close_current(session, state, user_id, now)
        ticket = self._choose(session, counter, state)
        if ticket is None:
            state.updated_at = now
            if events:
                events.append(self.queue_changed(session))
            return Outcome(None, events)
        state.priority_streak = state.priority_streak + 1 if ticket.priority > 0 else 0
        return self._take(session, state, ticket, counter, user_id, now, TicketAction.CALLED,
                          events)

    def _take(self, session, state, ticket, counter, user_id, now, action, events) -> Outcome:
        ticket.status = TicketStatus.CALLED
        ticket.counter = counter.code
        ticket.target_counter = None
        ticket.called_at = now
        state.current_ticket_id = ticket.id
        state.updated_at = now
        self._record(session, ticket, action, user_id, counter.code, now)
        call, called = self._announce(session, ticket, counter, False, now)
        events.extend([called, self.queue_changed(session)])
        return Outcome(ticket, events, call=call, view=called.payload["ticket"]
                       | {"call": called.payload["call"]})

    def _current(self, session: Session, counter: Counter) -> tuple[CounterState, Ticket]:
        state = self._lock_counter(session, counter.code)
        ticket = session.get(Ticket, state.current_ticket_id) if state.current_ticket_id else None
        if ticket is None or ticket.status != TicketStatus.CALLED:
            raise QueueError("no_current_ticket", f"Counter {counter.code} has no ticket called")
        return state, ticket

    def recall(self, session: Session, counter_code: str, user_id: int | None) -> Outcome:
        """Announce the counter's current ticket again."""
        counter = self.counter(counter_code)
        now = self.clock()
        _, ticket = self._current(session, counter)
        self._record(session, ticket, TicketAction.RECALLED, user_id, counter.code, now)
        call, called = self._announce(session, ticket, counter, True, now)
        return Outcome(ticket, [called], call=call,
                       view=called.payload["ticket"] | {"call": called.payload["call"]})

    def finish(self, session: Session, counter_code: str, user_id: int | None) -> Outcome:
        """Mark the current ticket served."""
        counter = self.counter(counter_code)
        state, ticket = self._current(session, counter)
        events = self._close_current(session, state, user_id, self.clock())
        return Outcome(ticket, events + [self.queue_changed(session)], view=ticket_view(ticket))

    def no_show(self, session: Session, counter_code: str, user_id: int | None) -> Outcome:
        """The visitor did not come: park the ticket so it can be called back for a while."""
        counter = self.counter(counter_code)
        now = self.clock()
        state, ticket = self._current(session, counter)
        ticket.status = TicketStatus.NO_SHOW
        ticket.finished_at = now
        state.current_ticket_id = None
        self._record(session, ticket, TicketAction.NO_SHOW, user_id, counter.code, now)
        view = ticket_view(ticket)
        return Outcome(ticket, [Event("ticket_updated", {"ticket": view}),
                                self.queue_changed(session)], view=view)

    def call_back(self, session: Session, counter_code: str, ticket_id: int,
                  user_id: int | None) -> Outcome:
        """Call a no-show ticket again, within the configured window."""
        counter = self.counter(counter_code)
        now = self.clock()
        state = self._lock_counter(session, counter.code)
        ticket = session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None:
            raise QueueError("unknown_ticket", f"No ticket {ticket_id}")
        if ticket.status != TicketStatus.NO_SHOW:
            raise QueueError("conflict", f"Ticket {ticket.number} is not a no-show")
        window = timedelta(minutes=self.config.queue.no_show_recall_minutes)
        if now - ticket.finished_at > window:
            raise QueueError("conflict", f"Ticket {ticket.number} was a no-show too long ago "
                             f"(more than {self.config.queue.no_show_recall_minutes} minutes)")
        if ticket.service not in counter.services:
            raise QueueError("conflict", f"Counter {counter.code} does not serve {ticket.service}")
        events = self._close_current(session, state, user_id, now)
        ticket.finished_at = None
        return self._take(session, state, ticket, counter, user_id, now,
                          TicketAction.CALLED_BACK, events)

    def transfer(self, session: Session, counter_code: str, user_id: int | None,
                 service: str | None = None, to_counter: str | None = None) -> Outcome:
        """Send the current ticket to another service or counter; number and priority stay."""
        counter = self.counter(counter_code)
        if service is None and to_counter is None:
            raise QueueError("invalid", "Give a service or a counter to transfer to")
        if service is not None and service not in self.config.services:
            raise QueueError("unknown_service", f"Unknown service {service!r}")
        target = self.counter(to_counter) if to_counter is not None else None
        now = self.clock()
        state, ticket = self._current(session, counter)
        new_service = service or ticket.service
        if target is not None and new_service not in target.services:
            raise QueueError("conflict", f"Counter {target.code} does not serve {new_service}")
        details = {"from_counter": counter.code, "from_service": ticket.service,
                   "to_service": new_service, "to_counter": target.code if target else None}
        ticket.status = TicketStatus.WAITING
        ticket.service = new_service
        ticket.target_counter = target.code if target else None
        ticket.counter = None
        state.current_ticket_id = None
        self._record(session, ticket, TicketAction.TRANSFERRED, user_id, counter.code, now,
                     details)
        view = ticket_view(ticket, self.position(session, ticket))
        return Outcome(ticket, [Event("ticket_updated", {"ticket": view}),
                                self.queue_changed(session)], view=view)

    def _record(self, session, ticket, action, user_id, counter, now, details=None) -> None:
        session.add(TicketEvent(ticket_id=ticket.id, action=action, at=now, user_id=user_id,
                                counter=counter, details=details))
