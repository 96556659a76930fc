"""The one transaction runner: run a domain function, retry what a race broke, then publish."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from queue_server.platform.database import read_engine
from queue_server.platform.events import Event, Publisher

log = logging.getLogger(__name__)

ATTEMPTS = 5
# PostgreSQL SQLSTATEs after which the whole transaction can simply run again.
PG_UNIQUE_VIOLATION = "23505"
PG_SERIALIZATION_FAILURE = "40001"
PG_DEADLOCK_DETECTED = "40P01"
PG_RETRYABLE = {PG_UNIQUE_VIOLATION, PG_SERIALIZATION_FAILURE, PG_DEADLOCK_DETECTED}
# SQLite primary and extended result codes (sqlite3.Error.sqlite_errorcode).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_CONSTRAINT_PRIMARYKEY = 1555
SQLITE_CONSTRAINT_UNIQUE = 2067
SQLITE_RETRYABLE = {SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CONSTRAINT_PRIMARYKEY,
                    SQLITE_CONSTRAINT_UNIQUE}


@dataclass
class Outcome:
    """What a domain function did: the ticket it touched and the events to publish."""

    ticket: Any = None
    events: list[Event] = field(default_factory=list)
    replayed: bool = False
    call: Any = None
    view: dict[str, Any] | None = None
    result: Any = None
    """Anything else the caller needs back (a claimed print job, a count)."""


def is_retryable(exc: BaseException) -> bool:
    """True when the database says a concurrent transaction broke this one (not bad input).

    A concurrent twin that won a unique key, a deadlock victim, a serialization failure or a
    busy SQLite file: the transaction rolled back whole, so running it again is safe.
    """
    original = getattr(exc, "orig", exc)
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in PG_RETRYABLE
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code in SQLITE_RETRYABLE or code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return False


def run_retrying(function: Callable[[], Any], attempts: int = ATTEMPTS) -> Any:
    """Call `function` (one whole transaction) again while it fails retryably."""
    for attempt in range(attempts):
        try:
            return function()
        except DBAPIError as exc:
            if attempt == attempts - 1 or not is_retryable(exc):
                raise
            log.info("retrying a transaction after %s", type(exc.orig).__name__)
            time.sleep(0.01 * (attempt + 1))
    raise RuntimeError("unreachable")


class UnitOfWork:
    """Run a domain function in one transaction, then publish its events after the commit."""

    def __init__(self, session_factory: sessionmaker, publisher: Publisher):
        self.session_factory = session_factory
        self.publisher = publisher
        bind = session_factory.kw.get("bind")
        # Reads get their own engine options (SQLite: deferred, so a read never waits
        # for a writer; PostgreSQL: read-only). A factory bound to one connection (a
        # test's outer transaction) reads through that connection.
        self.read_factory = sessionmaker(**{**session_factory.kw, "bind": read_engine(bind)}) \
            if isinstance(bind, Engine) else session_factory

    def run(self, function: Callable[..., Outcome], *args, **kwargs) -> Outcome:
        def once() -> Outcome:
            with self.session_factory() as session, session.begin():
                outcome = function(session, *args, **kwargs)
                # Hooks add their rows (a print job) in the same transaction.
                outcome.events = self.publisher.run_hooks(session, outcome.events)
            return outcome

        outcome = run_retrying(once)
        self.publisher.publish(outcome.events)
        return outcome

    def read(self) -> Session:
        """A session for reading only: never use it to write."""
        return self.read_factory()
