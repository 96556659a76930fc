"""Staff accounts, their bearer tokens, their browser sessions and the login limit."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from queue_server.platform.database import Base, UTCDateTime, enum_column


class Role(enum.Enum):
    ADMIN = "admin"
    RECEPTIONIST = "receptionist"
    OFFICER = "officer"
    PPID = "ppid"
    SECURITY = "security"
    DISPLAY = "display"
    AGENT = "agent"
    """A print agent: polls and acks one printer's jobs, reads that printer's settings."""
    SUPERVISOR = "supervisor"
    """The head of office: reads the live board, the reports and their exports; writes
    nothing (only the routes that name it let it in, and none of them writes)."""
    KIOSK = "kiosk"
    """A visitors' self-service kiosk: issues the tickets config `kiosk:` offers, at its
    own station, and reads its own printer's state; nothing else."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
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


class StaffSession(Base):
    """A logged-in browser: the cookie holds a random id, this row its SHA-256."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    user: Mapped[User] = relationship(lazy="joined")


class LoginLimit(Base):
    """Login attempts per username and client address in the current one-minute window."""

    __tablename__ = "login_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
