"""The TV snapshot over HTTP: public, nothing personal."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from queue_server.tv.state import shown_counters, snapshot
from queue_server.web.requests import services

blueprint = Blueprint("tv_api", __name__, url_prefix="/api/v1")


@blueprint.get("/display/state")
def display_state():
    app = services()
    codes = shown_counters(app.config, request.args.get("counters"), request.args.get("display"))
    with app.work.read() as db:
        return jsonify(snapshot(db, app.config, app.queue.reading, codes, app.clock(),
                                app.announcer, app.queue.estimates))
