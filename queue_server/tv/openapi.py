"""OpenAPI fragment: the public TV snapshot."""
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
    }


def schemas(config) -> dict[str, Any]:
    return {
        "DisplayState": object_schema(seq=INT, office=object_schema(name=S), language=S,
                                running_text=S, counters={"type": "array"},
                                current={"type": ["object", "null"]},
                                recent={"type": "array"},
                                waiting=object_schema(priority=INT, regular=INT),
                                audio=object_schema(enabled={"type": "boolean"},
                                                    volume={"type": "number"},
                                                    short_queue=INT),
                                notice={"type": ["object", "null"]},
                                legibility=object_schema(
                                    viewing_distance_m={"type": "number"},
                                    screen_diagonal_in={"type": "number"})),
    }
