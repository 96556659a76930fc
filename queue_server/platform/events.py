"""Events that domain functions return, hooks that act on them in the transaction, and the
publisher that sends them after the commit."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Hook = Callable[[Any, "Event"], list["Event"]]


@dataclass(frozen=True)
class Event:
    """Something that happened, named in the past tense."""

    name: str
    payload: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    """What the transaction already read that subscribers may reuse but never send (the
    waiting count rows of a queue change), so a subscriber need not read it again."""


class Publisher:
    """Fan events out to subscribers; a failing subscriber never breaks the others.

    A hook runs inside the transaction that produced its event and may add rows and
    further events (printing adds a ticket's print job this way, so the queue rules need
    not know about printing); subscribers run after the commit.
    """

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Event], None]] = []
        self._hooks: dict[str, list[Hook]] = {}

    def subscribe(self, subscriber: Callable[[Event], None]) -> None:
        self._subscribers.append(subscriber)

    def hook(self, name: str, hook: Hook) -> None:
        """Call `hook(session, event)` inside the transaction for each event `name`."""
        self._hooks.setdefault(name, []).append(hook)

    def run_hooks(self, session, events: list[Event]) -> list[Event]:
        result = []
        for event in events:
            result.append(event)
            for hook in self._hooks.get(event.name, ()):
                result.extend(hook(session, event))
        return result

    def publish(self, events: list[Event]) -> None:
        for event in events:
            for subscriber in self._subscribers:
                try:
                    subscriber(event)
                except Exception:
                    log.exception("subscriber failed on %s", event.name)
