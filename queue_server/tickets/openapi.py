"""OpenAPI fragment: the office's setup, issuing, the queue, the counter desk."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import INT, TICKET, B, S, object_schema, operation

COUNTER_PARAM = [{"name": "code", "in": "path", "required": True, "schema": S}]


def _counteroperation(summary: str, body: dict | None = None, ok_alternative: int | None = None):
    counter_operation = operation(summary, body=body, result=TICKET,
                                  errors=(400, 404, 409, 422),
                                  extra={"parameters": COUNTER_PARAM})
    if ok_alternative:
        counter_operation["responses"][str(ok_alternative)] = {"description": "Nobody waits"}
    return counter_operation


def paths() -> dict[str, Any]:
    return {
        "/api/v1/services": {"get": operation("Services offered", secure=False,
                                        result={"type": "array"})},
        "/api/v1/categories": {"get": operation("Visitor categories with priority", secure=False,
                                          result={"type": "array"})},
        "/api/v1/counters": {"get": operation("Counters and the services they serve",
                                        secure=False, result={"type": "array"})},
        "/api/v1/tickets": {"post": operation(
            "Issue a ticket (and queue its print job)", ok=201, result=TICKET,
            body=object_schema(service=S, category=S, station=S), errors=(400, 409, 422),
            extra={"parameters": [{"name": "Idempotency-Key", "in": "header",
                                   "schema": S, "description":
                                   "Same key, same request: same ticket, same response"}]})},
        "/api/v1/tickets/{ticket_id}": {"get": operation(
            "A ticket with its history", result=TICKET, errors=(404,),
            extra={"parameters": [{"name": "ticket_id", "in": "path", "required": True,
                                   "schema": INT}]})},
        "/api/v1/queue": {"get": operation("Waiting tickets in call order",
                                     result=object_schema(tickets={"type": "array"}))},
        "/api/v1/counters/{code}": {"get": operation(
            "A counter's current ticket and recent no-shows", errors=(404,),
            extra={"parameters": COUNTER_PARAM})},
        "/api/v1/counters/{code}/call-next": {"post": _counteroperation(
            "Close the current ticket as served and call the next", ok_alternative=204)},
        "/api/v1/counters/{code}/recall": {"post": _counteroperation("Announce the current again")},
        "/api/v1/counters/{code}/no-show": {"post": _counteroperation("Mark the current no-show")},
        "/api/v1/counters/{code}/done": {"post": _counteroperation("Mark the current served")},
        "/api/v1/counters/{code}/transfer": {"post": _counteroperation(
            "Send the current ticket to another service or counter",
            body=object_schema(service=S, counter=S))},
        "/api/v1/counters/{code}/call-back": {"post": _counteroperation(
            "Call a recent no-show again", body=object_schema(ticket_id=INT))},
    }


def schemas() -> dict[str, Any]:
    return {
        "Ticket": object_schema(id=INT, number=S, service=S, category=S, priority=INT, status={
            "type": "string", "enum": ["waiting", "called", "served", "no_show",
                                       "cancelled"]},
            created_at=S, position={"type": ["integer", "null"]}, counter=S, call=object_schema(
                seq=INT, number=S, counter=S, counter_name=S, text=S, audio_url=S,
                called_at=S, recall=B, priority=B)),
    }
