"""API v1 for the visitors' kiosk: its printer's state and the words of its result screen."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from queue_server.auth.models import Role
from queue_server.kiosk.audio import LANGUAGES, result_urls
from queue_server.kiosk.status import kiosk_status
from queue_server.platform.errors import invalid
from queue_server.web.requests import query_choice, require, services

blueprint = Blueprint("kiosk_api", __name__, url_prefix="/api/v1")
NUMBER_LENGTH = 16
"""As long as a ticket number may be (tickets.number)."""


def query_whole(name: str, required: bool = False, high: int = 100_000) -> int | None:
    """A whole number 0..high from the query; 422 naming it otherwise."""
    value = request.args.get(name)
    if value is None or value == "":
        if required:
            raise invalid(f"Query parameter {name!r} is required")
        return None
    if not value.isdigit() or int(value) > high:
        raise invalid(f"Query parameter {name!r} must be a whole number from 0 to {high}")
    return int(value)


@blueprint.get("/kiosk")
@require(Role.KIOSK)
def status():
    app = services()
    with app.work.read() as db:
        return jsonify(kiosk_status(db, app.config))


@blueprint.get("/kiosk/speech")
@require(Role.KIOSK)
def speech():
    """The result screen's clips in play order, for the kiosk's "Dengarkan"."""
    language = query_choice("lang", LANGUAGES, "id")
    number = request.args.get("number", "")
    if not 0 < len(number) <= NUMBER_LENGTH:
        raise invalid("Query parameter 'number' must be a ticket number like A-012")
    ahead = query_whole("ahead", required=True)
    low, high = query_whole("low"), query_whole("high")
    try:
        urls = result_urls(language, number, ahead, low, high)
    except ValueError as exc:  # not a ticket number
        raise invalid(str(exc)) from None
    return jsonify({"urls": urls})
