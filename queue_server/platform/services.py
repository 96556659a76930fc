"""The collaborators every subsystem shares, built once per app by app.py."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from queue_server.platform.config import Config
from queue_server.platform.events import Publisher
from queue_server.platform.transactions import UnitOfWork


@dataclass
class PlatformServices:
    """Config, database, clock and events; app.AppServices adds each subsystem's service."""

    config: Config
    engine: Engine
    session_factory: sessionmaker
    clock: Callable[[], datetime]
    publisher: Publisher
    work: UnitOfWork
    purges: list[Callable[[Any, datetime], int]] = field(default_factory=list)
    """Personal-data purges of other subsystems, (session, now) -> rows purged: the nightly
    purge runs each in its own transaction (notify: the visitors' phones)."""
