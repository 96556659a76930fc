"""The print outbox and each printer's last known state."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from printer.states import PrinterState
from queue_server.platform.database import Base, UTCDateTime, enum_column


class PrintJobStatus(enum.Enum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    """Withdrawn before a sender took it: its ticket was cancelled (never sent)."""


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
    status: Mapped[PrintJobStatus] = mapped_column(enum_column(PrintJobStatus))
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
    state: Mapped[PrinterState] = mapped_column(enum_column(PrinterState))
    offline_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agent_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
