"""OpenAPI fragment: the visitors' kiosk."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import NULLABLE_S, B, S, object_schema, operation


def _query(name: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def paths(config) -> dict[str, Any]:
    whole = {"type": "string", "pattern": r"^[0-9]{1,5}$"}
    return {
        "/api/v1/kiosk": {"get": operation(
            "The kiosk's printer and whether it can issue now (not while out of paper)",
            result=object_schema(printer=NULLABLE_S, printer_state=S, can_issue=B))},
        "/api/v1/kiosk/speech": {"get": operation(
            "The kiosk's result screen as clips in play order (its \"Dengarkan\")",
            result=object_schema(urls={"type": "array", "items": S}),
            extra={"parameters": [
                _query("lang", {"type": "string", "enum": ["id", "en"]}),
                _query("number", {"type": "string", "pattern": r"^[A-Za-z]{0,8}-?[0-9]{1,6}$"},
                       required=True),
                _query("ahead", whole, required=True),
                _query("low", whole), _query("high", whole)]})},
    }


def schemas(config) -> dict[str, Any]:
    return {}
