"""The OpenAPI 3.1 document for API v1; a test checks that it covers every route."""
from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}
TICKET = {"$ref": "#/components/schemas/Ticket"}
BEARER = [{"bearer": []}, {"session": []}]


def _op(summary: str, *, ok: int = 200, body: dict | None = None, result: Any = None,
        secure: bool = True, errors: tuple[int, ...] = (), extra: dict | None = None) -> dict:
    responses: dict[str, Any] = {
        str(ok): {"description": "OK"} if result is None else
        {"description": "OK", "content": {"application/json": {"schema": result}}}}
    for status in ((401, 403) if secure else ()) + errors:
        responses[str(status)] = {"description": "Error",
                                  "content": {"application/json": {"schema": ERROR}}}
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if secure:
        operation["security"] = BEARER
    if body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": body}}}
    operation.update(extra or {})
    return operation


def _object(**properties: Any) -> dict:
    return {"type": "object", "properties": properties}


S, INT, B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
COUNTER_PARAM = [{"name": "code", "in": "path", "required": True, "schema": S}]


def _counter_op(summary: str, body: dict | None = None, ok_alternative: int | None = None):
    operation = _op(summary, body=body, result=TICKET, errors=(400, 404, 409, 422),
                    extra={"parameters": COUNTER_PARAM})
    if ok_alternative:
        operation["responses"][str(ok_alternative)] = {"description": "Nobody waits"}
    return operation


JOB = {"$ref": "#/components/schemas/PrintJob"}
PRINTER_PARAM = [{"name": "name", "in": "path", "required": True, "schema": S}]
JOB_PARAM = [{"name": "job_id", "in": "path", "required": True, "schema": INT}]


def _printing_paths() -> dict[str, Any]:
    """Printer states, jobs and previews, reprint, receipts, and the print agent protocol."""
    printer = {"$ref": "#/components/schemas/Printer"}
    return {
        "/api/v1/printers": {"get": _op("Every printer's state (advisory), the last ticket job",
                                        result=_object(printers={"type": "array", "items": printer},
                                                       last_ticket_job=JOB,
                                                       offline_alert_seconds=INT))},
        "/api/v1/printers/{name}": {"get": _op(
            "A printer's state; `device` holds an agent printer's settings for the agent",
            result=printer, errors=(404,), extra={"parameters": PRINTER_PARAM})},
        "/api/v1/printers/{name}/jobs/next": {"get": _op(
            "Print agent: hold the poll up to `wait` s (max 30) for the oldest job not yet "
            "acked printed; 204 when none came", result=_object(id=INT, data={
                "type": "string", "contentEncoding": "base64", "description": "ESC/POS bytes"}),
            errors=(404, 409, 422), extra={"parameters": PRINTER_PARAM + [
                {"name": "wait", "in": "query", "schema": {"type": "number"}}]})},
        "/api/v1/print-jobs/{job_id}/ack": {"post": _op(
            "Print agent: report a job printed (repeats answer 200) or failed (offered again)",
            body=_object(status={"type": "string", "enum": ["printed", "failed"]}, error=S),
            result=JOB, errors=(400, 404, 409, 422), extra={"parameters": JOB_PARAM})},
        "/api/v1/print-jobs/{job_id}": {"get": _op("A print job", result=JOB, errors=(404,),
                                                   extra={"parameters": JOB_PARAM})},
        "/api/v1/print-jobs/{job_id}/preview": {"get": _op(
            "The job as paper (HTML), from the exact bytes kept or sent", errors=(404,),
            extra={"parameters": JOB_PARAM})},
        "/api/v1/tickets/{ticket_id}/reprint": {"post": _op(
            "Cetak ulang: queue a new print of the ticket", ok=201, result=JOB,
            body=_object(station=S), errors=(404, 409, 422),
            extra={"parameters": [{"name": "ticket_id", "in": "path", "required": True,
                                   "schema": INT}]})},
        "/api/v1/receipts": {"post": _op(
            "Queue a Tanda terima informasi for a ticket at the counter's printer", ok=201,
            body=_object(ticket_id=INT, request_number=S, counter=S, station=S, service=S,
                         items={"type": "array", "items": S}),
            result=JOB, errors=(400, 404, 409, 422))},
    }


def _printing_schemas() -> dict[str, Any]:
    state = {"type": "string", "enum": ["online", "offline", "paper_low", "paper_out", "unknown"]}
    return {
        "PrintJob": _object(id=INT, printer=S, kind=S, ticket_id={"type": ["integer", "null"]},
                            number=S, status={"type": "string", "enum": [
                                "queued", "printing", "printed", "failed"]},
                            attempts=INT, last_error={"type": ["string", "null"]},
                            created_at=S, printed_at=S, next_attempt_at=S, preview_url=S),
        "Printer": _object(name=S, type=S, location=S, profile=S, status_query=B, agent=B,
                           ticket_printer=B, stations={"type": "array"},
                           counters={"type": "array"}, state=state, offline_since=S, alert=B,
                           last_error=S, checked_at=S, agent_seen_at=S, pending_jobs=INT,
                           device={"type": ["object", "null"]}),
    }


def openapi_document() -> dict[str, Any]:
    """Build the document (cheap; built per request)."""
    from queue_server.procedure.web.openapi_paths import procedure_paths, procedure_schemas

    return {
        "openapi": "3.1.0",
        "info": {"title": "Queue server API", "version": "1.0.0",
                 "description": "Priority queue ticketing for public-service front desks. "
                                "Errors are {\"error\": {\"code\", \"message\"}} with a 4xx."},
        "paths": {
            "/api/v1/auth/token": {
                "post": _op("Log in and get a bearer token", ok=201, secure=False,
                            body=_object(username=S, password=S),
                            result=_object(token=S, expires_at=S, role=S),
                            errors=(400, 401, 422, 429)),
                "delete": _op("Revoke the bearer token sent", ok=204, errors=(400,)),
            },
            "/api/v1/auth/csrf": {"get": _op("The session's CSRF token for X-CSRF-Token",
                                             result=_object(csrf=S))},
            "/api/v1/me": {"get": _op("Who is logged in", result=_object(
                id=INT, username=S, display_name=S, role=S))},
            "/api/v1/services": {"get": _op("Services offered", secure=False,
                                            result={"type": "array"})},
            "/api/v1/categories": {"get": _op("Visitor categories with priority", secure=False,
                                              result={"type": "array"})},
            "/api/v1/counters": {"get": _op("Counters and the services they serve",
                                            secure=False, result={"type": "array"})},
            "/api/v1/tickets": {"post": _op(
                "Issue a ticket (and queue its print job)", ok=201, result=TICKET,
                body=_object(service=S, category=S, station=S), errors=(400, 409, 422),
                extra={"parameters": [{"name": "Idempotency-Key", "in": "header",
                                       "schema": S, "description":
                                       "Same key, same request: same ticket, same response"}]})},
            "/api/v1/tickets/{ticket_id}": {"get": _op(
                "A ticket with its history", result=TICKET, errors=(404,),
                extra={"parameters": [{"name": "ticket_id", "in": "path", "required": True,
                                       "schema": INT}]})},
            "/api/v1/queue": {"get": _op("Waiting tickets in call order",
                                         result=_object(tickets={"type": "array"}))},
            "/api/v1/counters/{code}": {"get": _op(
                "A counter's current ticket and recent no-shows", errors=(404,),
                extra={"parameters": COUNTER_PARAM})},
            "/api/v1/counters/{code}/call-next": {"post": _counter_op(
                "Close the current ticket as served and call the next", ok_alternative=204)},
            "/api/v1/counters/{code}/recall": {"post": _counter_op("Announce the current again")},
            "/api/v1/counters/{code}/no-show": {"post": _counter_op("Mark the current no-show")},
            "/api/v1/counters/{code}/done": {"post": _counter_op("Mark the current served")},
            "/api/v1/counters/{code}/transfer": {"post": _counter_op(
                "Send the current ticket to another service or counter",
                body=_object(service=S, counter=S))},
            "/api/v1/counters/{code}/call-back": {"post": _counter_op(
                "Call a recent no-show again", body=_object(ticket_id=INT))},
            "/api/v1/display/state": {"get": _op(
                "Display snapshot (public, nothing personal)", secure=False, errors=(404,),
                result={"$ref": "#/components/schemas/DisplayState"},
                extra={"parameters": [{"name": "counters", "in": "query", "schema": S},
                                      {"name": "display", "in": "query", "schema": S}]})},
            "/api/v1/openapi.json": {"get": _op("This document", secure=False)},
            **_printing_paths(),
            **procedure_paths(),
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "Browser session; writes need X-CSRF-Token"}},
            "schemas": {
                "Error": _object(error=_object(code=S, message=S)),
                "Ticket": _object(id=INT, number=S, service=S, category=S, priority=INT, status={
                    "type": "string", "enum": ["waiting", "called", "served", "no_show",
                                               "cancelled"]},
                    created_at=S, position={"type": ["integer", "null"]}, counter=S, call=_object(
                        seq=INT, number=S, counter=S, counter_name=S, text=S, audio_url=S,
                        called_at=S, recall=B, priority=B)),
                "DisplayState": _object(seq=INT, office=_object(name=S), language=S,
                                        running_text=S, counters={"type": "array"},
                                        current={"type": ["object", "null"]},
                                        recent={"type": "array"},
                                        waiting=_object(priority=INT, regular=INT)),
                **_printing_schemas(),
                **procedure_schemas(),
            },
        },
    }
