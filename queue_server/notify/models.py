"""The message outbox: a row per message, written with the event that causes it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.platform.database import Base, UTCDateTime, enum_column


class NotificationStatus(enum.Enum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    """Given up: too many tries, or too late to help (recorded with the last error)."""
    WITHDRAWN = "withdrawn"
    """No longer true before it went out (the ticket was called, served or cancelled)."""


UNSENT = (NotificationStatus.QUEUED, NotificationStatus.SENDING)


class Notification(Base):
    """One message to a visitor; the phone is kept only until it is sent or given up."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status", "status", "next_attempt_at", "id"),
                      Index("ix_notifications_ticket", "ticket_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    dedupe: Mapped[str] = mapped_column(String(64), unique=True)
    """What makes the message once only: `ahead:<ticket>` or `call:<call id>`."""
    key: Mapped[str] = mapped_column(String(64), unique=True)
    """Sent as the idempotency header on every try, so a gateway can drop a repeat."""
    phone: Mapped[str | None] = mapped_column(String(16))
    """Emptied once the message is sent, given up or withdrawn."""
    phone_masked: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    """The message: a ticket number and a counter, nothing personal."""
    status: Mapped[NotificationStatus] = mapped_column(enum_column(NotificationStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
