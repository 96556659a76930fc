"""/healthz: the process answers and its database too."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from queue_server.web.requests import services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def health():
    with services().work.read() as db:
        db.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
