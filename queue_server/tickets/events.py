"""The queue's event names; staff pages hear all of them, the TV hears calls and counts."""
from __future__ import annotations

TICKET_ISSUED = "ticket_issued"
TICKET_CALLED = "ticket_called"
TICKET_UPDATED = "ticket_updated"
QUEUE_CHANGED = "queue_changed"
STAFF_EVENTS = frozenset({TICKET_ISSUED, TICKET_CALLED, TICKET_UPDATED, QUEUE_CHANGED})
