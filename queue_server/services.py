"""The collaborators an app runs with, built once by the factory."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .announcements import Announcer
from .auth import Authenticator
from .config import Config
from .events import Publisher
from .tickets import Outcome, QueueService

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnitOfWork:
    """Run a domain function in one transaction, then publish its events."""

    def __init__(self, session_factory: sessionmaker, publisher: Publisher):
        self.session_factory = session_factory
        self.publisher = publisher

    def run(self, function: Callable[..., Outcome], *args, **kwargs) -> Outcome:
        for attempt in range(5):
            try:
                with self.session_factory() as session, session.begin():
                    outcome = function(session, *args, **kwargs)
            except (IntegrityError, OperationalError) as exc:
                # A concurrent twin won a unique key or a deadlock was broken: the
                # transaction rolled back whole, so running it again is safe.
                if attempt == 4 or not _retryable(exc):
                    raise
                log.info("retrying after %s", type(exc.orig).__name__)
                time.sleep(0.01 * (attempt + 1))
                continue
            self.publisher.publish(outcome.events)
            return outcome
        raise RuntimeError("unreachable")

    def read(self) -> Session:
        return self.session_factory()


def _retryable(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, IntegrityError) or "deadlock" in text or "locked" in text \
        or "could not serialize" in text


@dataclass
class AppServices:
    """Everything a route needs; stored in app.extensions["queue"]."""

    config: Config
    engine: object
    session_factory: sessionmaker
    clock: Callable[[], datetime]
    publisher: Publisher
    work: UnitOfWork
    queue: QueueService
    auth: Authenticator
    announcer: Announcer


def build_services(config: Config, engine, session_factory, clock=None) -> AppServices:
    clock = clock or utc_now
    publisher = Publisher()
    announcer = Announcer(config, config.instance_dir / "audio")
    return AppServices(
        config=config, engine=engine, session_factory=session_factory, clock=clock,
        publisher=publisher, work=UnitOfWork(session_factory, publisher),
        queue=QueueService(config, clock, announcer),
        auth=Authenticator(clock, config.security.login_attempts_per_minute,
                           timedelta(hours=config.security.token_lifetime_hours)),
        announcer=announcer,
    )
