"""The API shapes of tickets and calls, and the counters a visitor should watch."""
from __future__ import annotations

from typing import Any

from queue_server.auth.access import HEALTH_READERS
from queue_server.auth.models import Role
from queue_server.platform.config import Config
from queue_server.tickets.models import Call, Ticket


def ticket_view(ticket: Ticket, position: int | None = None) -> dict[str, Any]:
    """The API shape of a ticket."""
    return {
        "id": ticket.id, "number": ticket.number, "service": ticket.service,
        "category": ticket.category, "priority": ticket.priority, "status": ticket.status.value,
        "created_at": ticket.created_at.isoformat(), "position": position,
        "counter": ticket.counter, "target_counter": ticket.target_counter,
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
    }


def status_url(config: Config, ticket: Ticket) -> str:
    """The ticket's public status page: the link its printed QR code carries."""
    return f"{config.public_url}/t/{ticket.public_id}"


def call_view(call: Call, counter_name: str) -> dict[str, Any]:
    """The public `call` event: nothing personal, no category."""
    return {
        "seq": call.id, "number": call.number, "counter": call.counter,
        "counter_name": counter_name, "text": call.text, "audio_url": f"/audio/{call.audio_file}",
        "called_at": call.called_at.isoformat(), "recall": call.recall, "priority": call.priority,
    }


def waiting_totals(rows) -> dict[str, int]:
    """Waiting counts by class from (priority, service, count) rows."""
    counts = {"priority": 0, "regular": 0}
    for priority, _service, count in rows:
        counts["priority" if priority > 0 else "regular"] += count
    return counts


def counter_names(config: Config, service: str, priority: bool,
                  language: str | None = None) -> list[str]:
    """Counters that serve the service for this class, the priority counter first."""
    language = language or config.default_language
    names = []
    for counter in sorted(config.counters.values(), key=lambda c: not c.priority_only):
        if service in counter.services and (priority or not counter.priority_only):
            names.append(counter.name_en if language == "en" else counter.name)
    return names


def for_role(role: Role, payload: dict[str, Any]) -> dict[str, Any]:
    """A ticket view, a list of them or an event payload as this role may read it.

    The category names the visitor's group ("disabilitas"): health data, read only by
    reception, the counters and admin. Everyone else gets the rest of the view.
    """
    if role in HEALTH_READERS:
        return payload
    global _last_shaped
    last = _last_shaped
    if last is not None and last[0] is payload:
        return last[1]  # the staff sockets shape one event for several roles in turn
    shaped = _without_category(payload)
    _last_shaped = (payload, shaped)
    return shaped


_last_shaped: tuple[Any, Any] | None = None
"""The last payload for_role shaped and its shape: an event's payload is not changed once
made, so the roles after the first reuse it instead of copying it again."""


def _without_category(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_category(item) for key, item in value.items()
                if key != "category"}
    if isinstance(value, list):
        return [_without_category(item) for item in value]
    return value
