"""Events that domain functions return and the publisher sends after the commit."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Something that happened, named in the past tense."""

    name: str
    payload: dict[str, Any] = field(default_factory=dict)


class Publisher:
    """Fan events out to subscribers; a failing subscriber never breaks the others."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Event], None]] = []

    def subscribe(self, subscriber: Callable[[Event], None]) -> None:
        self._subscribers.append(subscriber)

    def publish(self, events: list[Event]) -> None:
        for event in events:
            for subscriber in self._subscribers:
                try:
                    subscriber(event)
                except Exception:
                    log.exception("subscriber failed on %s", event.name)
