"""OpenAPI fragment: the office's setup, issuing, the queue, the counter desk."""
from __future__ import annotations

from typing import Any

from queue_server.tickets.contacts import PHONE_PATTERN
from queue_server.tickets.desk import CANCEL_REASON_LENGTH
from queue_server.tickets.reading import CURSOR_PATTERN
from queue_server.web.openapi import (
    INT,
    NULLABLE_S,
    TICKET,
    B,
    S,
    identifier,
    object_schema,
    one_of,
    operation,
    text,
)


def _counter_operation(config, summary: str, body: dict | None = None,
                       ok_alternative: int | None = None):
    parameters = [{"name": "code", "in": "path", "required": True,
                   "schema": one_of(config.counters)}]
    counter_operation = operation(summary, body=body, result=TICKET,
                                  errors=(400, 404, 409, 422),
                                  extra={"parameters": parameters})
    if ok_alternative:
        counter_operation["responses"][str(ok_alternative)] = {"description": "Nobody waits"}
    return counter_operation


def paths(config) -> dict[str, Any]:
    services, counters = one_of(config.services), one_of(config.counters)
    ticket_id = [{"name": "ticket_id", "in": "path", "required": True, "schema": identifier()}]
    return {
        "/api/v1/services": {"get": operation("Services offered", secure=False,
                                        result={"type": "array"})},
        "/api/v1/categories": {"get": operation("Visitor categories with priority", secure=False,
                                          result={"type": "array"})},
        "/api/v1/counters": {"get": operation("Counters and the services they serve",
                                        secure=False, result={"type": "array"})},
        "/api/v1/tickets": {"post": operation(
            "Issue a ticket (and queue its print job)", ok=201, result=TICKET,
            body=object_schema(service=services, category=one_of(config.categories),
                               # Blank text is taken as no station, as for every
                               # optional text field.
                               station={"anyOf": [
                                   one_of(config.stations) if config.stations
                                   else {"type": "null"},
                                   {"type": ["string", "null"], "pattern": r"^\s*$"}]},
                               phone={"type": ["string", "null"], "pattern": PHONE_PATTERN,
                                      "description": "The visitor's mobile number for a "
                                      "message when their turn comes; stored only with "
                                      "notify_consent true"},
                               notify_consent={"type": ["boolean", "null"]},
                               notify_language={"type": ["string", "null"],
                                                "enum": [*config.languages, None]},
                               required=("service", "category")),
            errors=(400, 409, 422),
            extra={"parameters": [{"name": "Idempotency-Key", "in": "header",
                                   "schema": text(128), "description":
                                   "Same key, same request: same ticket, same response"}]})},
        "/api/v1/tickets/{ticket_id}": {"get": operation(
            "A ticket with its history", result=TICKET, errors=(404,),
            extra={"parameters": ticket_id})},
        "/api/v1/tickets/{ticket_id}/cancel": {"post": operation(
            "Cancel a ticket issued by mistake (reception, counters): the ticket with its "
            "history; its print job is withdrawn unless already printing or printed",
            result=TICKET, errors=(404, 409),
            body=object_schema(reason=text(CANCEL_REASON_LENGTH), required=("reason",)),
            extra={"parameters": ticket_id})},
        "/api/v1/queue": {"get": operation(
            "A page of the waiting tickets in call order (next_cursor continues it)",
            result=object_schema(
                tickets={"type": "array", "items": TICKET},
                waiting=object_schema(priority=INT, regular=INT, required=("priority", "regular")),
                total=INT, next_cursor=NULLABLE_S,
                required=("tickets", "waiting", "total", "next_cursor")),
            extra={"parameters": [
                {"name": "limit", "in": "query", "description": "Tickets per page (100)",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                {"name": "cursor", "in": "query", "description":
                 "next_cursor of the previous page (opaque); any other value answers 422",
                 "schema": {"type": "string", "pattern": CURSOR_PATTERN}},
                {"name": "service", "in": "query", "schema": services},
                {"name": "class", "in": "query",
                 "schema": {"type": "string", "enum": ["priority", "regular"]}}]})},
        "/api/v1/counters/{code}": {"get": operation(
            "A counter's current ticket and recent no-shows", errors=(404,),
            extra={"parameters": [{"name": "code", "in": "path", "required": True,
                                   "schema": counters}]})},
        "/api/v1/counters/{code}/call-next": {"post": _counter_operation(config,
            "Close the current ticket as served and call the next", ok_alternative=204)},
        "/api/v1/counters/{code}/recall": {"post": _counter_operation(config, "Announce the current again")},
        "/api/v1/counters/{code}/no-show": {"post": _counter_operation(config, "Mark the current no-show")},
        "/api/v1/counters/{code}/done": {"post": _counter_operation(config, "Mark the current served")},
        "/api/v1/counters/{code}/transfer": {"post": _counter_operation(config,
            "Send the current ticket to another service or counter",
            body=object_schema(service=services, counter=counters)
            | {"anyOf": [{"required": ["service"]}, {"required": ["counter"]}]})},
        "/api/v1/counters/{code}/call-back": {"post": _counter_operation(config,
            "Call a recent no-show again",
            body=object_schema(ticket_id=identifier(), required=("ticket_id",)))},
    }


def schemas(config) -> dict[str, Any]:
    return {
        "Ticket": object_schema(id=INT, number=S, service=S, category=S, priority=INT, status={
            "type": "string", "enum": ["waiting", "held", "called", "served",
                                       "no_show", "cancelled"]},
            created_at=S, position={"type": ["integer", "null"]}, counter=NULLABLE_S,
            target_counter=NULLABLE_S, called_at=NULLABLE_S, notify_phone=NULLABLE_S,
            call=object_schema(
                seq=INT, number=S, counter=S, counter_name=S, text=S, audio_url=S,
                called_at=S, recall=B, priority=B),
            status_url=S | {"description": "The ticket's public status page (/t/<code>): "
                            "the link its printed QR code carries, to send to the visitor"},
            estimate={"$ref": "#/components/schemas/WaitEstimate"}),
        "WaitEstimate": object_schema(
            low_minutes=INT, high_minutes=INT, text=S,
            required=("low_minutes", "high_minutes", "text")) | {
                "type": ["object", "null"],
                "description": "The estimated wait of a new ticket (POST /api/v1/tickets), "
                "e.g. {low_minutes: 10, high_minutes: 15, text: '± 10-15 menit'}; null "
                "when recent service times or open counters give no figure"},
    }
