"""The queue's event names; staff pages hear all of them, the TV hears calls and counts."""
from __future__ import annotations

TICKET_ISSUED = "ticket_issued"
TICKET_CALLED = "ticket_called"
TICKET_UPDATED = "ticket_updated"
QUEUE_CHANGED = "queue_changed"
TICKET_CANCELLED = "ticket_cancelled"
"""In the transaction only: printing withdraws the ticket's unprinted job (a hook); staff
and displays hear the ticket_updated that comes with it."""
STAFF_EVENTS = frozenset({TICKET_ISSUED, TICKET_CALLED, TICKET_UPDATED, QUEUE_CHANGED})
