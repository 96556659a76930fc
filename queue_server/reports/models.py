"""The reports' daily roll-up of the queue: closed days summarised once (see rollup.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.platform.database import Base, UTCDateTime


class RollupMonth(Base):
    """A slice's month is rolled up for its days up to `through` (included)."""

    __tablename__ = "report_rollup_months"

    slice: Mapped[str] = mapped_column(String(48), primary_key=True)
    """"" for no filter, or one filter: "service=INFO", "officer=7"."""
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    through: Mapped[date] = mapped_column(Date)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When its last days were added: a ticket event from before then is in it."""


class RollupCount(Base):
    """Tickets per local day, hour of issue and status, for one slice."""

    __tablename__ = "report_rollup_counts"

    slice: Mapped[str] = mapped_column(String(48), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer)
    transferred: Mapped[int] = mapped_column(Integer)
    fairness_guard: Mapped[int] = mapped_column(Integer)


class RollupDuration(Base):
    """A month's whole-minute histogram of waits or service times for one slice, per
    group (service, category, counter or officer), with the exact sum and maximum."""

    __tablename__ = "report_rollup_durations"

    # Key order: a slice's months are summed per bucket in the key's own order.
    slice: Mapped[str] = mapped_column(String(48), primary_key=True)
    grouping: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(32), primary_key=True)
    """The group's code ("" for none: a ticket never called has no counter)."""
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    """"wait" (issue to first call) or "service" (last call to done)."""
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    top: Mapped[float] = mapped_column(Float)


class RollupState(Base):
    """How far the ticket history has been checked for changes to rolled-up days."""

    __tablename__ = "report_rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checked_event_id: Mapped[int] = mapped_column(Integer)
