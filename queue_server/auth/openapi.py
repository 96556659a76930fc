"""OpenAPI fragment: tokens, CSRF, who am I."""
from __future__ import annotations

from typing import Any

from queue_server.web.openapi import INT, S, object_schema, operation, text


def paths(config) -> dict[str, Any]:
    return {
        "/api/v1/auth/token": {
            "post": operation("Log in and get a bearer token", ok=201, secure=False,
                        body=object_schema(username=text(), password=text(),
                                           required=("username", "password")),
                        result=object_schema(token=S, expires_at=S, role=S),
                        errors=(400, 401, 422, 429)),
            "delete": operation("Revoke the bearer token sent", ok=204, errors=(400,)),
        },
        "/api/v1/auth/unlock": {"post": operation(
            "Leave a kiosk screen (the survey tablet, the visitors' kiosk) with an admin's "
            "username and password: "
            "ends the screen's browser session", secure=True,
            body=object_schema(username=text(), password=text(),
                               required=("username", "password")),
            result=object_schema(next=S), errors=(429,))},
        "/api/v1/auth/csrf": {"get": operation("The session's CSRF token for X-CSRF-Token",
                                         result=object_schema(csrf=S))},
        "/api/v1/me": {"get": operation("Who is logged in", result=object_schema(
            id=INT, username=S, display_name=S, role=S))},
    }


def schemas(config) -> dict[str, Any]:
    return {

    }
