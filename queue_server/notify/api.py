"""The message outbox as the admin reads it: recent messages, phones masked."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import select

from queue_server.auth.models import Role
from queue_server.notify.models import Notification, NotificationStatus
from queue_server.notify.outbox import message_view
from queue_server.web.requests import query_choice, require, services

blueprint = Blueprint("notify_api", __name__, url_prefix="/api/v1")
RECENT = 200


@blueprint.get("/notifications")
@require(Role.ADMIN)
def list_notifications():
    status = query_choice("status", [s.value for s in NotificationStatus])
    query = select(Notification).order_by(Notification.id.desc()).limit(RECENT)
    if status is not None:
        query = query.where(Notification.status == NotificationStatus(status))
    with services().work.read() as db:
        return jsonify({"notifications": [message_view(m) for m in db.scalars(query)]})
