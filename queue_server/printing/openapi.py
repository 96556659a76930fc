"""OpenAPI fragment: printers, print jobs, reprint, receipts, the print agent."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import INT, NULLABLE_S, B, S, object_schema, operation, text

JOB = {"$ref": "#/components/schemas/PrintJob"}
PRINTER_PARAM = [{"name": "name", "in": "path", "required": True, "schema": S}]
JOB_PARAM = [{"name": "job_id", "in": "path", "required": True, "schema": INT}]


def paths(config) -> dict[str, Any]:
    """Printer states, jobs and previews, reprint, receipts, and the print agent protocol."""
    printer = {"$ref": "#/components/schemas/Printer"}
    return {
        "/api/v1/printers": {"get": operation("Every printer's state (advisory), the last ticket job",
                                        result=object_schema(printers={"type": "array", "items": printer},
                                                       last_ticket_job=JOB,
                                                       offline_alert_seconds=INT))},
        "/api/v1/printers/{name}": {"get": operation(
            "A printer's state; `device` holds an agent printer's settings for the agent",
            result=printer, errors=(404,), extra={"parameters": PRINTER_PARAM})},
        "/api/v1/printers/{name}/jobs/next": {"get": operation(
            "Print agent: hold the poll up to `wait` s (max 30) for the oldest job not yet "
            "acked printed; 204 when none came", result=object_schema(id=INT, data={
                "type": "string", "contentEncoding": "base64", "description": "ESC/POS bytes"}),
            errors=(404, 409, 422), extra={"parameters": PRINTER_PARAM + [
                {"name": "wait", "in": "query", "schema": {"type": "number"}}]})},
        "/api/v1/print-jobs/{job_id}/ack": {"post": operation(
            "Print agent: report a job printed (repeats answer 200) or failed (offered again)",
            body=object_schema(status={"type": "string", "enum": ["printed", "failed"]}, error=S),
            result=JOB, errors=(400, 404, 409, 422), extra={"parameters": JOB_PARAM})},
        "/api/v1/print-jobs/{job_id}": {"get": operation("A print job", result=JOB, errors=(404,),
                                                   extra={"parameters": JOB_PARAM})},
        "/api/v1/print-jobs/{job_id}/preview": {"get": operation(
            "The job as paper (HTML), from the exact bytes kept or sent", errors=(404,),
            extra={"parameters": JOB_PARAM})},
        "/api/v1/tickets/{ticket_id}/reprint": {"post": operation(
            "Cetak ulang: queue a new print of the ticket", ok=201, result=JOB,
            body=object_schema(station=S), errors=(404, 409, 422),
            extra={"parameters": [{"name": "ticket_id", "in": "path", "required": True,
                                   "schema": INT}]})},
        "/api/v1/receipts": {"post": operation(
            "Queue a Tanda terima informasi for a ticket at the counter's printer", ok=201,
            body=object_schema(ticket_id=INT, request_number=text(), counter=S, station=S,
                               service=S, items={"type": "array", "items": S},
                               required=("ticket_id", "request_number")),
            result=JOB, errors=(400, 404, 409, 422))},
    }


def schemas(config) -> dict[str, Any]:
    state = {"type": "string", "enum": ["online", "offline", "paper_low", "paper_out", "unknown"]}
    return {
        "PrintJob": object_schema(id=INT, printer=S, kind=S, ticket_id={"type": ["integer", "null"]},
                            number=S, status={"type": "string", "enum": [
                                "queued", "printing", "printed", "failed", "cancelled"]},
                            attempts=INT, last_error={"type": ["string", "null"]},
                            created_at=S, printed_at=NULLABLE_S, next_attempt_at=NULLABLE_S,
                            preview_url=S),
        "Printer": object_schema(name=S, type=S, location=S, profile=S, status_query=B, agent=B,
                           ticket_printer=B, stations={"type": "array"},
                           counters={"type": "array"}, state=state, offline_since=NULLABLE_S,
                           alert=B, last_error=NULLABLE_S, checked_at=NULLABLE_S,
                           agent_seen_at=NULLABLE_S, pending_jobs=INT,
                           device={"type": ["object", "null"]}),
    }
