"""Fetch alerts: a visitor who cannot hear or see the TV's call is fetched by staff.

When a ticket is called (or called again), the hook looks up the visit holding it; if its
guest book entry records a need that keeps the visitor from hearing or seeing the call
(FETCH_NEEDS, from the communication need or the disability kinds), a fetch_requested
event goes to the receptionist's and security's pages: "Jemput P-003 ke Loket 2". The
payload is the ticket number and the counter only, never the need itself.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from queue_server.platform.events import Event
from queue_server.procedure.events import FETCH_REQUESTED
from queue_server.procedure.models import GuestEntry, Visit
from queue_server.procedure.sections import FETCH_NEEDS


def needs_fetching(entry: GuestEntry | None) -> bool:
    if entry is None or entry.purged_at is not None:
        return False
    return bool(FETCH_NEEDS & {*(entry.communication or []), *(entry.kinds or [])})


def on_ticket_called(session: Session, event: Event) -> list[Event]:
    """Hook on ticket_called, inside the calling transaction."""
    call = event.payload.get("call") or {}
    ticket = event.payload.get("ticket") or {}
    ticket_id = ticket.get("id")
    if ticket_id is None:
        return []
    visit_id = session.scalar(select(Visit.id).where(or_(
        Visit.ticket_id == ticket_id, Visit.pickup_ticket_id == ticket_id)))
    if visit_id is None:
        return []
    entry = session.scalar(select(GuestEntry).where(GuestEntry.visit_id == visit_id))
    if not needs_fetching(entry):
        return []
    return [Event(FETCH_REQUESTED, {"ticket": call.get("number") or ticket.get("number"),
                                    "counter": call.get("counter"),
                                    "counter_name": call.get("counter_name"),
                                    "visit_id": visit_id})]
