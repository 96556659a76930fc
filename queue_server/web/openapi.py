"""The OpenAPI 3.1 document for API v1, assembled from each subsystem's fragment.

A fragment is a module with `paths(config)` and `schemas(config)`; app.py lists them. The
document is built from the office's config, so codes (services, categories, counters, step
keys) are enums: a request the document calls valid is one the server accepts. Tests check
that it covers every route, and schemathesis checks the server against it.

Every operation documents 400 (a malformed query or body), 422 (a value the server refuses,
in the query or the body) and 503 (the database does not answer; with Retry-After)."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import Blueprint, current_app, jsonify

ERROR = {"$ref": "#/components/schemas/Error"}
TICKET = {"$ref": "#/components/schemas/Ticket"}
BEARER = [{"bearer": []}, {"session": []}]


def operation(summary: str, *, ok: int = 200, body: dict | None = None, result: Any = None,
              secure: bool = True, errors: tuple[int, ...] = (),
              extra: dict | None = None) -> dict:
    responses: dict[str, Any] = {
        str(ok): {"description": "OK"} if result is None else
        {"description": "OK", "content": {"application/json": {"schema": result}}}}
    always = (400, 422, 503)
    for status in sorted(set(((401, 403) if secure else ()) + errors + always)):
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


def object_schema(*, required: tuple[str, ...] = (), **properties: Any) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def text(max_length: int = 200, optional: bool = False) -> dict:
    """Text the server takes: not blank, at most max_length characters, no NUL.

    An optional field also takes null or blank text (the same as leaving it out).
    """
    if optional:
        return {"type": ["string", "null"], "maxLength": max_length, "pattern": NO_NUL}
    return {"type": "string", "minLength": 1, "maxLength": max_length,
            "pattern": r"^[^\x00]*[^\x00\s][^\x00]*$"}


def one_of(codes) -> dict:
    """A code from the office's config."""
    return {"type": "string", "enum": sorted(codes)}


def identifier() -> dict:
    """A database id: PostgreSQL's integer range."""
    return {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


S, B = {"type": "string"}, {"type": "boolean"}
INT = {"type": "integer", "minimum": -(2**31 - 1), "maximum": 2**31 - 1}
"""A whole number as the database keeps it (ids, counts): out of range is 404 in a path and
422 in a body."""
NO_NUL = r"^[^\x00]*$"
NULLABLE_S = {"type": ["string", "null"]}
"""A string in a response that may be null (a time not reached yet, no error)."""




def openapi_document(fragments: list[ModuleType], config) -> dict[str, Any]:
    """Build the document from the fragments (cheap; built per request)."""
    paths: dict[str, Any] = {"/api/v1/openapi.json": {"get": operation("This document",
                                                                       secure=False)}}
    schemas: dict[str, Any] = {"Error": object_schema(error=object_schema(code=S, message=S))}
    for fragment in fragments:
        paths.update(fragment.paths(config))
        schemas.update(fragment.schemas(config))
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
    return jsonify(openapi_document(current_app.extensions["openapi_fragments"],
                                    current_app.extensions["queue"].config))
