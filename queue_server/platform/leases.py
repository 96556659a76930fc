"""Leases: one process of a cluster does a job (a printer's sending, a scheduled task).

A lease is a row `leases(name, holder, expires_at)`. A process takes or renews it with one
conditional UPDATE (it holds the row already, or the row has expired) and, when no row
exists, an INSERT ... ON CONFLICT DO NOTHING: on PostgreSQL and SQLite alike exactly one
process sees its statement change a row. The holder renews well before `expires_at`; when
it dies without releasing, the row expires and another process takes it over within the
lease time. A process that stops gracefully deletes its rows at once.

Each lease commits in a short transaction of its own, never inside a request's.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import String, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.platform.database import Base, UTCDateTime

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 15.0
"""A lease lasts this long after its last renewal (`cluster.lease_seconds`)."""


class LeaseRow(Base):
    """Who does a cluster-wide job, until when."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


_TABLE = LeaseRow.__table__


def new_holder() -> str:
    """A holder's name: host and pid (to read), and a random part, so two apps in one
    process (tests) or a reused pid are different holders."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:128]


def _insert(engine: Engine):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(_TABLE).on_conflict_do_nothing(index_elements=["name"])


def acquire(engine: Engine, name: str, holder: str, seconds: float, now: datetime) -> bool:
    """Take or renew the lease until now + seconds; True when `holder` holds it."""
    until = now + timedelta(seconds=seconds)
    with engine.begin() as connection:
        renewed = connection.execute(
            update(_TABLE).where(_TABLE.c.name == name,
                                 or_(_TABLE.c.holder == holder, _TABLE.c.expires_at <= now))
            .values(holder=holder, expires_at=until))
        if renewed.rowcount == 1:
            return True
        taken = connection.execute(_insert(engine).values(name=name, holder=holder,
                                                          expires_at=until)
                                   .returning(_TABLE.c.name))
        return taken.first() is not None


def release(engine: Engine, name: str, holder: str) -> None:
    """Give the lease up now, if `holder` still holds it."""
    with engine.begin() as connection:
        connection.execute(delete(_TABLE).where(_TABLE.c.name == name,
                                                _TABLE.c.holder == holder))


class Lease:
    """One named lease as this process sees it: `held()` takes or renews it when due.

    It renews a third of the lease time before the lease would end, so a holder that is
    alive never loses it; a database it cannot reach counts as not held (it stops work).
    """

    def __init__(self, engine: Engine, name: str, seconds: float,
                 clock: Callable[[], datetime], holder: str | None = None) -> None:
        self.engine = engine
        self.name = name
        self.seconds = seconds
        self.clock = clock
        self.holder = holder or new_holder()
        self.until: datetime | None = None

    def held(self) -> bool:
        """True while this process holds the lease (renewed when a third of it is gone)."""
        now = self.clock()
        if self.until is not None and now < self.until - timedelta(seconds=self.seconds * 2 / 3):
            return True
        try:
            got = acquire(self.engine, self.name, self.holder, self.seconds, now)
        except SQLAlchemyError as exc:
            log.warning("lease %s not renewed: %s", self.name, type(exc).__name__)
            got = False
        self.until = now + timedelta(seconds=self.seconds) if got else None
        return got

    def release(self) -> None:
        if self.until is None:
            return
        self.until = None
        try:
            release(self.engine, self.name, self.holder)
        except SQLAlchemyError as exc:  # it expires by itself
            log.warning("lease %s not released: %s", self.name, type(exc).__name__)


def once(engine: Engine, name: str, seconds: float, now: datetime,
         holder: str | None = None) -> bool:
    """True for the one process of the cluster that runs a scheduled job now.

    The lease is kept (not released) for `seconds`, so a process whose timer fires a moment
    later finds it held and skips; the next run, after the lease ends, is anyone's.
    """
    try:
        return acquire(engine, name, holder or new_holder(), seconds, now)
    except SQLAlchemyError as exc:
        log.warning("scheduled job %s skipped: lease not taken: %s", name, type(exc).__name__)
        return False
