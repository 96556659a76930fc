"""Names of the events the procedure publishes; staff pages hear them on /staff."""
from __future__ import annotations

VISIT_UPDATED = "visit_updated"
ESCORT_REQUESTED = "escort_requested"
ESCORT_UPDATED = "escort_updated"
DEVIATION_RECORDED = "deviation_recorded"
REQUEST_RETURNED = "request_returned"
SURVEY_SUBMITTED = "survey_submitted"

# Payloads carry ids, step keys and counts only: pages refetch what their role may read.
PROCEDURE_EVENTS = frozenset({VISIT_UPDATED, ESCORT_REQUESTED, ESCORT_UPDATED,
                              DEVIATION_RECORDED, REQUEST_RETURNED, SURVEY_SUBMITTED})
