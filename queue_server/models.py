"""Database models: users and tokens, tickets and their history, calls, print jobs."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from printer.states import PrinterState

from .db import Base, UTCDateTime


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=32, values_callable=lambda k: [m.value for m in k],
                validate_strings=True)


class Role(enum.Enum):
    ADMIN = "admin"
    RECEPTIONIST = "receptionist"
    OFFICER = "officer"
    PPID = "ppid"
    SECURITY = "security"
    DISPLAY = "display"


class TicketStatus(enum.Enum):
    WAITING = "waiting"
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


class PrintJobStatus(enum.Enum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(_enum(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class DailyCounter(Base):
    """The last number given per prefix per local day; the row lock makes numbers gapless."""

    __tablename__ = "daily_counters"

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
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus))
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

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    action: Mapped[TicketAction] = mapped_column(_enum(TicketAction))
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


class PrintJob(Base):
    """The print outbox: written with the ticket, sent by a worker after the commit."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_printer_status", "printer", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[PrintJobStatus] = mapped_column(_enum(PrintJobStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When a worker or agent took the job; a stale claim means its sender died."""
    output_file: Mapped[str | None] = mapped_column(String(255))
    """The preview printer's file name for this job, under the printer's directory."""


class PrinterStatus(Base):
    """A printer's last known state, shared by every server process; advisory only."""

    __tablename__ = "printer_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[PrinterState] = mapped_column(_enum(PrinterState))
    offline_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agent_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
