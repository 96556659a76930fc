"""The OpenAPI 3.1 document for API v1, assembled from each subsystem's fragment.

A fragment is a module with `paths()` and `schemas()`; app.py lists them. A test checks
that the document covers every route."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import Blueprint, current_app, jsonify

ERROR = {"$ref": "#/components/schemas/Error"}
TICKET = {"$ref": "#/components/schemas/Ticket"}
BEARER = [{"bearer": []}, {"session": []}]


def operation(summary: str, *, ok: int = 200, body: dict | None = None, result: Any = None,
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


def object_schema(**properties: Any) -> dict:
    return {"type": "object", "properties": properties}


S, INT, B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}




def openapi_document(fragments: list[ModuleType]) -> dict[str, Any]:
    """Build the document from the fragments (cheap; built per request)."""
    paths: dict[str, Any] = {"/api/v1/openapi.json": {"get": operation("This document",
                                                                       secure=False)}}
    schemas: dict[str, Any] = {"Error": object_schema(error=object_schema(code=S, message=S))}
    for fragment in fragments:
        paths.update(fragment.paths())
        schemas.update(fragment.schemas())
    return {
        "openapi": "3.1.0",
        "info": {"title": "Queue server API", "version": "1.0.0",
                 "description": "Priority queue ticketing for public-service front desks. "
                                "Errors are {\"error\": {\"code\", \"message\"}} with a 4xx."},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "Browser session; writes need X-CSRF-Token"}},
            "schemas": schemas,
        },
    }


blueprint = Blueprint("openapi", __name__, url_prefix="/api/v1")


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app.extensions["openapi_fragments"]))
