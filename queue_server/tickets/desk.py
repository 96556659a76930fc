"""The counter desk: call the next ticket fairly, recall, no-show, call back, transfer, done."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config, Counter, QueueRules
from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.tickets import counts
from queue_server.tickets.errors import queue_error
from queue_server.tickets.events import TICKET_CALLED, TICKET_CANCELLED, TICKET_UPDATED
from queue_server.tickets.models import Call, CounterState, Ticket, TicketAction, TicketStatus
from queue_server.tickets.reading import QueueReading, record
from queue_server.tickets.views import call_view, ticket_view

CANCEL_REASON_LENGTH = 200
"""A cancellation's reason: a sentence for the ticket's history, not an essay."""


class Announcer(Protocol):
    def announce(self, number: str, counter: Counter) -> tuple[str, str]:
        """Return the spoken text and the audio file name for a call."""


def choose(priority: Ticket | None, regular: Ticket | None, counter: Counter,
           priority_streak: int, rules: QueueRules, now: datetime,
           priority_counter_open: bool = True) -> Ticket | None:
    """The fairness rule: priority first, FIFO within a class, regulars not starved.

    `priority` and `regular` are the oldest waiting ticket of each class this counter may
    take. A priority-only counter takes priority tickets only. Otherwise a regular ticket
    goes first when it has waited max_regular_wait_minutes, or when this counter has
    called max_priority_streak priority tickets in a row. The waiting rule is off while no
    priority-only counter is open (priority_first_when_priority_counter_closed): then the
    general counters are the priority visitors' only way in.
    """
    if counter.priority_only:
        return priority
    if priority is None or regular is None:
        return priority or regular
    waiting_rule = rules.max_regular_wait_minutes and (
        priority_counter_open or not rules.priority_first_when_priority_counter_closed)
    if waiting_rule and (
            now - regular.created_at >= timedelta(minutes=rules.max_regular_wait_minutes)):
        return regular
    if priority_streak >= rules.max_priority_streak:
        return regular
    return priority


class CounterDesk:
    """What an officer does at a counter, inside the caller's transaction."""

    def __init__(self, config: Config, clock: Callable[[], datetime], announcer: Announcer,
                 reading: QueueReading):
        self.config = config
        self.clock = clock
        self.announcer = announcer
        self.reading = reading
        self.counter = reading.counter

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

    def _oldest(self, session: Session, counter: Counter, levels: list[int]) -> Ticket | None:
        """The oldest ticket this counter may take at the first priority level that has one.

        One search per level, on the index (status, priority, id): a level at a time keeps
        the order in the index (priority DESC, id ASC in one query sorts every waiting
        ticket), so finding the next ticket costs the same at any queue depth.
        """
        base = self._candidates(session, counter)
        for level in levels:
            ticket = session.scalar(base.where(Ticket.priority == level).order_by(Ticket.id))
            if ticket is not None:
                return ticket
        return None

    def _next_ticket(self, session: Session, counter: Counter,
                     state: CounterState) -> Ticket | None:
        # The count rows say which priority levels have anyone waiting for this counter.
        levels = sorted({priority for priority, service, count in counts.rows(session)
                         if count > 0 and service in counter.services}, reverse=True)
        priority = self._oldest(session, counter, [level for level in levels if level > 0])
        regular = None if counter.priority_only else self._oldest(
            session, counter, [level for level in levels if level == 0])
        open_ = priority is None or regular is None or self._priority_counter_open(
            session, priority.service)
        chosen = choose(priority, regular, counter, state.priority_streak, self.config.queue,
                        self.clock(), open_)
        if chosen is not None and chosen is regular and priority is not None:
            chosen.fairness_guard = True  # a priority ticket waited: the guard took this one
        return chosen

    def _priority_counter_open(self, session: Session, service: str) -> bool:
        """A priority-only counter for the service has a ticket at the desk or called lately."""
        codes = [c.code for c in self.config.counters.values()
                 if c.priority_only and service in c.services]
        if not codes:
            return False
        since = self.clock() - timedelta(minutes=self.config.queue.priority_counter_open_minutes)
        states = session.scalars(select(CounterState).where(CounterState.code.in_(codes)))
        return any(s.current_ticket_id is not None or (s.updated_at and s.updated_at >= since)
                   for s in states)

    def _mark_served(self, session: Session, state: CounterState, user_id, now) -> list[Event]:
        if state.current_ticket_id is None:
            return []
        ticket = session.get(Ticket, state.current_ticket_id, with_for_update=True)
        state.current_ticket_id = None
        if ticket is None or ticket.status != TicketStatus.CALLED:
            return []
        ticket.status = TicketStatus.SERVED
        ticket.finished_at = now
        record(session, ticket, TicketAction.SERVED, user_id, state.code, now)
        return [Event(TICKET_UPDATED, {"ticket": ticket_view(ticket)})]

    def _announce(self, session: Session, ticket: Ticket, counter: Counter, recall: bool,
                  now: datetime) -> tuple[Call, Event]:
        text, audio_file = self.announcer.announce(ticket.number, counter)
        call = Call(ticket_id=ticket.id, number=ticket.number, counter=counter.code,
                    priority=ticket.priority > 0, recall=recall, text=text,
                    audio_file=audio_file, called_at=now)
        session.add(call)
        session.flush()
        payload = {"call": call_view(call, counter.name), "ticket": ticket_view(ticket)}
        return call, Event(TICKET_CALLED, payload)

    def call_next(self, session: Session, user_id: int | None, counter_code: str) -> Outcome:
        """Close the counter's current ticket as served, then call the next one, atomically."""
        counter = self.counter(counter_code)
        now = self.clock()
        state = self._lock_counter(session, counter.code)
        events = self._mark_served(session, state, user_id, now)
        ticket = self._next_ticket(session, counter, state)
        if ticket is None:
            state.updated_at = now
            if events:
                events.append(self.reading.queue_changed(session))
            return Outcome(None, events)
        state.priority_streak = state.priority_streak + 1 if ticket.priority > 0 else 0
        return self._take(session, state, ticket, counter, user_id, now, TicketAction.CALLED,
                          events)

    def _take(self, session, state, ticket, counter, user_id, now, action, events) -> Outcome:
        ticket.status = TicketStatus.CALLED
        ticket.counter = counter.code
        ticket.target_counter = None
        ticket.called_at = now
        ticket.first_called_at, ticket.officer_id = ticket.first_called_at or now, user_id
        state.current_ticket_id = ticket.id
        state.updated_at = now
        record(session, ticket, action, user_id, counter.code, now)
        call, called = self._announce(session, ticket, counter, False, now)
        events.extend([called, self.reading.queue_changed(session)])
        return Outcome(ticket, events, call=call, view=called.payload["ticket"]
                       | {"call": called.payload["call"]})

    def _current(self, session: Session, counter: Counter) -> tuple[CounterState, Ticket]:
        state = self._lock_counter(session, counter.code)
        ticket = session.get(Ticket, state.current_ticket_id) if state.current_ticket_id else None
        if ticket is None or ticket.status != TicketStatus.CALLED:
            raise queue_error("no_current_ticket", f"Counter {counter.code} has no ticket called")
        return state, ticket

    def recall(self, session: Session, user_id: int | None, counter_code: str) -> Outcome:
        """Announce the counter's current ticket again."""
        counter = self.counter(counter_code)
        now = self.clock()
        _, ticket = self._current(session, counter)
        record(session, ticket, TicketAction.RECALLED, user_id, counter.code, now)
        call, called = self._announce(session, ticket, counter, True, now)
        return Outcome(ticket, [called], call=call,
                       view=called.payload["ticket"] | {"call": called.payload["call"]})

    def done(self, session: Session, user_id: int | None, counter_code: str) -> Outcome:
        """The officer is done with the current ticket: it is served."""
        counter = self.counter(counter_code)
        state, ticket = self._current(session, counter)
        events = self._mark_served(session, state, user_id, self.clock())
        return Outcome(ticket, events + [self.reading.queue_changed(session)], view=ticket_view(ticket))

    def no_show(self, session: Session, user_id: int | None, counter_code: str) -> Outcome:
        """The visitor did not come: park the ticket so it can be called back for a while."""
        counter = self.counter(counter_code)
        now = self.clock()
        state, ticket = self._current(session, counter)
        ticket.status = TicketStatus.NO_SHOW
        ticket.finished_at = now
        state.current_ticket_id = None
        record(session, ticket, TicketAction.NO_SHOW, user_id, counter.code, now)
        view = ticket_view(ticket)
        return Outcome(ticket, [Event(TICKET_UPDATED, {"ticket": view}),
                                self.reading.queue_changed(session)], view=view)

    def call_back(self, session: Session, user_id: int | None, counter_code: str,
                  ticket_id: int) -> Outcome:
        """Call a no-show ticket again, within the configured window."""
        counter = self.counter(counter_code)
        now = self.clock()
        state = self._lock_counter(session, counter.code)
        ticket = session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None:
            raise queue_error("unknown_ticket", f"No ticket {ticket_id}")
        if ticket.status != TicketStatus.NO_SHOW:
            raise queue_error("conflict", f"Ticket {ticket.number} is not a no-show")
        window = timedelta(minutes=self.config.queue.no_show_recall_minutes)
        if now - ticket.finished_at > window:
            raise queue_error("conflict", f"Ticket {ticket.number} was a no-show too long ago "
                             f"(more than {self.config.queue.no_show_recall_minutes} minutes)")
        if ticket.service not in counter.services:
            raise queue_error("conflict", f"Counter {counter.code} does not serve {ticket.service}")
        events = self._mark_served(session, state, user_id, now)
        ticket.finished_at = None
        return self._take(session, state, ticket, counter, user_id, now,
                          TicketAction.CALLED_BACK, events)

    def transfer(self, session: Session, user_id: int | None, counter_code: str,
                 service: str | None = None, to_counter: str | None = None) -> Outcome:
        """Send the current ticket to another service or counter; number and priority stay."""
        counter = self.counter(counter_code)
        if service is None and to_counter is None:
            raise queue_error("invalid", "Give a service or a counter to transfer to")
        if service is not None and service not in self.config.services:
            raise queue_error("unknown_service", f"Unknown service {service!r}")
        target = self.counter(to_counter) if to_counter is not None else None
        now = self.clock()
        state, ticket = self._current(session, counter)
        new_service = service or ticket.service
        if target is not None and new_service not in target.services:
            raise queue_error("conflict", f"Counter {target.code} does not serve {new_service}")
        details = {"from_counter": counter.code, "from_service": ticket.service,
                   "to_service": new_service, "to_counter": target.code if target else None}
        ticket.status = TicketStatus.WAITING
        ticket.service = new_service
        ticket.target_counter = target.code if target else None
        ticket.counter = None
        state.current_ticket_id = None
        record(session, ticket, TicketAction.TRANSFERRED, user_id, counter.code, now,
                     details)
        view = ticket_view(ticket, self.reading.position(session, ticket))
        return Outcome(ticket, [Event(TICKET_UPDATED, {"ticket": view}),
                                self.reading.queue_changed(session)], view=view)

    # -- for flows outside the queue (the procedure): a named ticket, not the next one -----

    CALLABLE = (TicketStatus.WAITING, TicketStatus.HELD, TicketStatus.NO_SHOW)
    """States a ticket may be called by name from; CALLED and the final states are left."""

    def call_at(self, session: Session, user_id: int | None, ticket_id: int,
                counter_code: str, announce: bool) -> Outcome:
        """Call this ticket at this counter, inside the caller's transaction.

        The counter's current ticket is closed as served first, as call-next does. With
        `announce` the displays show and speak the call; without, the ticket is marked
        called quietly (the visitor is already at the desk). A ticket already called or
        closed is left as it is (Outcome.ticket is None then).
        """
        counter = self.counter(counter_code)
        ticket = session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None:
            raise queue_error("unknown_ticket", f"No ticket {ticket_id}")
        if ticket.status not in self.CALLABLE:
            return Outcome(None, [])
        if ticket.service not in counter.services:
            raise queue_error("conflict", f"Counter {counter.code} does not serve {ticket.service}")
        now = self.clock()
        state = self._lock_counter(session, counter.code)
        events = self._mark_served(session, state, user_id, now)
        ticket.finished_at = None
        if announce:
            return self._take(session, state, ticket, counter, user_id, now,
                              TicketAction.CALLED, events)
        ticket.status = TicketStatus.CALLED
        ticket.counter, ticket.target_counter, ticket.called_at = counter.code, None, now
        ticket.first_called_at, ticket.officer_id = ticket.first_called_at or now, user_id
        state.current_ticket_id, state.updated_at = ticket.id, now
        record(session, ticket, TicketAction.CALLED, user_id, counter.code, now,
               {"announced": False})
        view = ticket_view(ticket)
        events += [Event(TICKET_UPDATED, {"ticket": view}), self.reading.queue_changed(session)]
        return Outcome(ticket, events, view=view)

    def close(self, session: Session, user_id: int | None, ticket_id: int,
              status: TicketStatus, reason: str) -> Outcome:
        """Close a ticket that is not finished (served or cancelled), recording why.

        A ticket already served, cancelled or a no-show is left as it is. A counter whose
        current ticket it was has none afterwards.
        """
        if status not in (TicketStatus.SERVED, TicketStatus.CANCELLED):
            raise ValueError(f"close() ends a ticket as served or cancelled, not {status}")
        ticket = session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None or ticket.status not in (TicketStatus.WAITING, TicketStatus.HELD,
                                                   TicketStatus.CALLED):
            return Outcome(None, [])
        now = self.clock()
        if ticket.counter is not None:
            state = session.get(CounterState, ticket.counter, with_for_update=True)
            if state is not None and state.current_ticket_id == ticket.id:
                state.current_ticket_id, state.updated_at = None, now
        ticket.status, ticket.finished_at = status, now
        action = TicketAction.SERVED if status == TicketStatus.SERVED else TicketAction.CANCELLED
        record(session, ticket, action, user_id, ticket.counter, now, {"reason": reason})
        view = ticket_view(ticket)
        return Outcome(ticket, [Event(TICKET_UPDATED, {"ticket": view}),
                                self.reading.queue_changed(session)], view=view)

    def cancel(self, session: Session, user_id: int | None, ticket_id: int,
               reason: str) -> Outcome:
        """Cancel a ticket issued by mistake (waiting, held or at a counter), with why.

        404 for an unknown ticket, 409 for one already served, cancelled or a no-show.
        The `ticket_cancelled` event lets printing withdraw its unprinted job.
        """
        ticket = session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None:
            raise queue_error("unknown_ticket", f"No ticket {ticket_id}")
        outcome = self.close(session, user_id, ticket_id, TicketStatus.CANCELLED, reason)
        if outcome.ticket is None:
            raise queue_error("conflict", f"Ticket {ticket.number} is {ticket.status.value} "
                                          "already: it cannot be cancelled")
        outcome.events.append(Event(TICKET_CANCELLED, {"ticket": outcome.view}))
        return outcome
