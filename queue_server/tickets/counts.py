"""The waiting counts: one row per service and priority, moved in every change's transaction.

Issuing, the counters, the staff pages and the TVs ask how many wait; counting the waiting
tickets grows with the queue, so a few rows (`waiting_counts`) keep the answer instead.
They stay right by construction: a `before_flush` listener on every ORM session compares
each ticket's status, service and priority with what the database holds and moves the
rows in the same flush, so issue, call-next, call-at, call-back, transfer, no-show, done,
close and any later change that goes through the ORM keep them without knowing of them.
Code that writes tickets with Core statements (the issuing fast path) calls `move` itself.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import event, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from queue_server.tickets.models import Ticket, TicketStatus, WaitingCount

WAITING = TicketStatus.WAITING
Key = tuple[str, int]
"""(service, priority)"""

_TABLE = WaitingCount.__table__
_READ = select(_TABLE.c.priority, _TABLE.c.service, _TABLE.c.waiting).where(
    _TABLE.c.waiting != 0)
_UPSERTS: dict[str, object] = {}


def _upsert(dialect: str):
    """INSERT ... ON CONFLICT DO UPDATE waiting = waiting + delta, built once per dialect."""
    statement = _UPSERTS.get(dialect)
    if statement is None:
        insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(_TABLE)
        statement = _UPSERTS[dialect] = insert.on_conflict_do_update(
            index_elements=[_TABLE.c.service, _TABLE.c.priority],
            set_={"waiting": _TABLE.c.waiting + insert.excluded.waiting})
    return statement


def move(session: Session, deltas: dict[Key, int]) -> None:
    """Add each delta to its (service, priority) row, in key order (no lock-order deadlock)."""
    changes = [{"service": service, "priority": priority, "waiting": delta}
               for (service, priority), delta in sorted(deltas.items()) if delta]
    if changes:
        connection = session.connection()
        statement = _upsert(connection.dialect.name)
        for change in changes:
            connection.execute(statement, change)


def rows(session: Session) -> list[tuple[int, str, int]]:
    """(priority, service, count) of the waiting tickets, from the count rows.

    The session is flushed first: a ticket changed in this transaction moves the rows only
    when it is flushed, and a Core read does not autoflush (a cancelled ticket was still
    counted in the event that announced its cancelling)."""
    session.flush()
    return [tuple(row) for row in session.connection().execute(_READ)]


def _before(state, name: str):
    """The attribute's value as the database holds it (before this flush)."""
    history = state.attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return state.attrs[name].value


def _state(ticket: Ticket, before: bool) -> tuple:
    """(status, service, priority) as the database holds it, or as this flush leaves it."""
    if not before:
        return ticket.status, ticket.service, ticket.priority
    state = inspect(ticket)
    return tuple(_before(state, name) for name in ("status", "service", "priority"))


def pending_deltas(session: Session) -> dict[Key, int]:
    """How the tickets this flush writes change the waiting counts."""
    deltas: Counter = Counter()
    changes = [(None, ticket) for ticket in session.new] \
        + [(True, ticket) for ticket in session.dirty] \
        + [(False, ticket) for ticket in session.deleted]
    for kind, ticket in changes:
        if not isinstance(ticket, Ticket):
            continue
        before = _state(ticket, True) if kind is not None else None
        after = _state(ticket, False) if kind is not False else None
        if before == after:
            continue
        if before and before[0] is WAITING:
            deltas[before[1:]] -= 1
        if after and after[0] is WAITING:
            deltas[after[1:]] += 1
    return {key: delta for key, delta in deltas.items() if delta}


@event.listens_for(Session, "before_flush")
def _keep_counts(session: Session, _flush_context, _instances) -> None:
    move(session, pending_deltas(session))
