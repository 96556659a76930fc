"""Names of the events the procedure publishes; staff pages hear them on /staff."""
from __future__ import annotations

from typing import TYPE_CHECKING

from queue_server.auth.access import FETCH_ALERT_READERS
from queue_server.platform.events import Event

if TYPE_CHECKING:
    from queue_server.procedure.models import Visit
    from queue_server.procedure.settings import Step

VISIT_UPDATED = "visit_updated"
ESCORT_REQUESTED = "escort_requested"
ESCORT_UPDATED = "escort_updated"
DEVIATION_RECORDED = "deviation_recorded"
REQUEST_RETURNED = "request_returned"
SURVEY_SUBMITTED = "survey_submitted"
FETCH_REQUESTED = "fetch_requested"

# Payloads carry ids, step keys and counts only: pages refetch what their role may read.
PROCEDURE_EVENTS = frozenset({VISIT_UPDATED, ESCORT_REQUESTED, ESCORT_UPDATED,
                              DEVIATION_RECORDED, REQUEST_RETURNED, SURVEY_SUBMITTED,
                              FETCH_REQUESTED})
EVENT_AUDIENCES = {FETCH_REQUESTED: FETCH_ALERT_READERS}
"""Events only some staff roles hear; the others go to every staff room."""


def visit_event(visit: Visit, step: Step | None) -> Event:
    """What staff pages hear: ids and step, nothing personal; they refetch what they may see."""
    return Event(VISIT_UPDATED, {"visit_id": visit.id, "status": visit.status.value,
                                 "position": visit.position,
                                 "step": step.key if step else None,
                                 "role": step.role if step else None})
