"""What the queue's domain functions return and raise, and the API shapes of tickets and calls."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from .config import Counter
from .events import Event
from .models import Call, Ticket


class QueueError(Exception):
    """A request the queue rules refuse; `code` maps to an HTTP status."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Announcer(Protocol):
    def announce(self, number: str, counter: Counter) -> tuple[str, str]:
        """Return the spoken text and the audio file name for a call."""


@dataclass
class Outcome:
    """What a domain function did: the ticket it touched and the events to publish."""

    ticket: Ticket | None = None
    events: list[Event] = field(default_factory=list)
    replayed: bool = False
    call: Call | None = None
    view: dict[str, Any] | None = None


def ticket_view(ticket: Ticket, position: int | None = None) -> dict[str, Any]:
    """The API shape of a ticket."""
    return {
        "id": ticket.id, "number": ticket.number, "service": ticket.service,
        "category": ticket.category, "priority": ticket.priority, "status": ticket.status.value,
        "created_at": ticket.created_at.isoformat(), "position": position,
        "counter": ticket.counter, "target_counter": ticket.target_counter,
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
    }


def call_view(call: Call, counter_name: str) -> dict[str, Any]:
    """The public `call` event: nothing personal, no category."""
    return {
        "seq": call.id, "number": call.number, "counter": call.counter,
        "counter_name": counter_name, "text": call.text, "audio_url": f"/audio/{call.audio_file}",
        "called_at": call.called_at.isoformat(), "recall": call.recall, "priority": call.priority,
    }


def _totals(rows) -> dict[str, int]:
    counts = {"priority": 0, "regular": 0}
    for priority, _service, count in rows:
        counts["priority" if priority > 0 else "regular"] += count
    return counts
