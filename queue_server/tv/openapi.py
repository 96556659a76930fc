"""OpenAPI fragment: the public TV snapshot and a ticket's public status."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import INT, NO_NUL, S, object_schema, operation


def paths(config) -> dict[str, Any]:
    return {
        "/api/v1/display/state": {"get": operation(
            "Display snapshot (public, nothing personal)", secure=False, errors=(404,),
            result={"$ref": "#/components/schemas/DisplayState"},
            extra={"parameters": [
                {"name": "counters", "in": "query", "description": "Counter codes, by commas",
                 "schema": {"type": "string", "pattern": NO_NUL}},
                {"name": "display", "in": "query",
                 "schema": {"type": "string", "pattern": NO_NUL}}]})},
        "/api/v1/t/{code}": {"get": operation(
            "A ticket's public status by the code on its QR link (public, nothing personal)",
            secure=False, errors=(404,),
            result={"$ref": "#/components/schemas/TicketStatus"},
            extra={"parameters": [
                {"name": "code", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": NO_NUL}},
                {"name": "lang", "in": "query", "description": "id or en (else the default)",
                 "schema": {"type": "string", "pattern": NO_NUL}}]})},
    }


def schemas(config) -> dict[str, Any]:
    return {
        "DisplayState": object_schema(seq=INT, office=object_schema(name=S), language=S,
                                running_text=S, counters={"type": "array"},
                                current={"type": ["object", "null"]},
                                recent={"type": "array"},
                                waiting=object_schema(priority=INT, regular=INT),
                                estimates={"type": "array", "description": "Per service: "
                                           "{service, name, priority, regular}, each the "
                                           "wait of a ticket taken now (WaitEstimate) or null",
                                           "items": object_schema(
                                               service=S, name=S,
                                               priority={"$ref": "#/components/schemas/WaitEstimate"},
                                               regular={"$ref": "#/components/schemas/WaitEstimate"})},
                                audio=object_schema(enabled={"type": "boolean"},
                                                    volume={"type": "number"},
                                                    short_queue=INT),
                                notice={"type": ["object", "null"]},
                                legibility=object_schema(
                                    viewing_distance_m={"type": "number"},
                                    screen_diagonal_in={"type": "number"})),
        "TicketStatus": object_schema(
            number=S, status=S, position={"type": ["integer", "null"]},
            ahead={"type": ["integer", "null"]}, counter={"type": ["string", "null"]},
            counter_name={"type": ["string", "null"]}, watch={"type": "array", "items": S},
            live={"type": "boolean"}, language=S,
            lines={"type": "array", "items": object_schema(kind=S, text=S)},
            estimate={"$ref": "#/components/schemas/WaitEstimate"},
            transferred={"type": "boolean"},
            recall_until={"type": ["string", "null"],
                          "description": "A no-show: until when it can be called back"},
            call={"type": ["object", "null"], "description": "While called: the call's "
                  "seq, counter, counter_name, called_at, recall, announced, audio (its "
                  "parts, as the TV's), headline and spoken text"}),
    }
