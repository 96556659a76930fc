"""OpenAPI fragment: the message outbox (admin)."""
from __future__ import annotations

from typing import Any

from queue_server.notify.models import NotificationStatus
from queue_server.web.openapi import INT, NULLABLE_S, S, object_schema, operation

STATUSES = [status.value for status in NotificationStatus]


def paths(config) -> dict[str, Any]:
    message = {"$ref": "#/components/schemas/Notification"}
    return {"/api/v1/notifications": {"get": operation(
        "Admin: the newest 200 visitors' messages, phones masked", errors=(422,),
        result=object_schema(notifications={"type": "array", "items": message}),
        extra={"parameters": [{"name": "status", "in": "query",
                               "schema": {"type": "string", "enum": STATUSES}}]})}}


def schemas(config) -> dict[str, Any]:
    return {"Notification": object_schema(
        id=INT, ticket_id={"type": ["integer", "null"]}, kind=S,
        phone={"type": "string", "description": "masked: +62812*****890"}, language=S,
        text=S, status={"type": "string", "enum": STATUSES}, attempts=INT,
        last_error=NULLABLE_S, created_at=S, sent_at=NULLABLE_S)}
