"""OpenAPI fragment: the public TV snapshot."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import INT, S, object_schema, operation


def paths() -> dict[str, Any]:
    return {
        "/api/v1/display/state": {"get": operation(
            "Display snapshot (public, nothing personal)", secure=False, errors=(404,),
            result={"$ref": "#/components/schemas/DisplayState"},
            extra={"parameters": [{"name": "counters", "in": "query", "schema": S},
                                  {"name": "display", "in": "query", "schema": S}]})},
    }


def schemas() -> dict[str, Any]:
    return {
        "DisplayState": object_schema(seq=INT, office=object_schema(name=S), language=S,
                                running_text=S, counters={"type": "array"},
                                current={"type": ["object", "null"]},
                                recent={"type": "array"},
                                waiting=object_schema(priority=INT, regular=INT)),
    }
