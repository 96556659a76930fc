"""Tickets and their history, calls, counter states, number sequences, idempotency keys."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.platform.database import Base, UTCDateTime, enum_column


class TicketStatus(enum.Enum):
    WAITING = "waiting"
    HELD = "held"
    """Issued for a visitor staff are already serving (walking them to a counter): not in
    the waiting line, not counted as waiting, called only by name (CounterDesk.call_at)."""
    CALLED = "called"
    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class TicketAction(enum.Enum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    NO_SHOW = "no_show"
    CALLED_BACK = "called_back"
    TRANSFERRED = "transferred"
    SERVED = "served"
    CANCELLED = "cancelled"


class TicketSequence(Base):
    """The last number given per prefix per local day; the row lock makes numbers gapless."""

    __tablename__ = "ticket_sequences"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class CounterState(Base):
    """Per counter: the ticket at the desk and the priority streak; locked by call-next."""

    __tablename__ = "counter_states"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    # No foreign key: the two tables would reference each other.
    current_ticket_id: Mapped[int | None] = mapped_column(Integer)
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("prefix", "day", "sequence", name="uq_tickets_prefix_day_sequence"),
        Index("ix_tickets_queue", "status", "priority", "id"),
        Index("ix_tickets_waiting_groups", "status", "priority", "service"),
        # Reports: a range of local days, read from the index alone (it holds every
        # column the volume and waiting-time reports group and measure).
        Index("ix_tickets_day", "day", "status", "priority", "service", "category", "counter",
              "created_at", "called_at", "finished_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16))
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    day: Mapped[date] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(Integer)
    service: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus))
    target_counter: Mapped[str | None] = mapped_column(String(32))
    counter: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TicketEvent(Base):
    """Every change of a ticket, with time and user: the history reports build on."""

    __tablename__ = "ticket_events"
    # Reports: transfers and served tickets by officer, read from the index alone.
    __table_args__ = (Index("ix_ticket_events_action", "action", "ticket_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    action: Mapped[TicketAction] = mapped_column(enum_column(TicketAction))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counter: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Call(Base):
    """One announcement on the displays; its id is the display sequence number."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(16))
    counter: Mapped[str] = mapped_column(String(32))
    priority: Mapped[bool] = mapped_column(Boolean)
    recall: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text)
    audio_file: Mapped[str] = mapped_column(String(128))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IdempotencyKey(Base):
    """A ticket request's key and the response it got, so a double press gives one ticket."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TicketContact(Base):
    """A visitor's phone for messages about their ticket, kept only with their consent.

    Personal data: written only when the visitor consents, deleted once the ticket is
    finished and by the nightly purge, never shown on a page or public screen.
    """

    __tablename__ = "ticket_contacts"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           primary_key=True)
    phone: Mapped[str] = mapped_column(String(16))
    """E.164, +62 then the number: normalised by tickets.contacts.normalise_phone."""
    language: Mapped[str] = mapped_column(String(2))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime())
