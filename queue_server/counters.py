"""What a counter does: call the next ticket fairly, recall, no-show, call back, transfer, finish."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import Counter
from .events import Event
from .models import Call, CounterState, Ticket, TicketAction, TicketStatus
from .outcomes import Outcome, QueueError, call_view, ticket_view


class CounterDesk:
    """The counter half of QueueService (it supplies config, clock, announcer, _record)."""

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
