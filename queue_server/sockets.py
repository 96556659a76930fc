"""Socket.IO: the public /display namespace and the logged-in /staff namespace."""
from __future__ import annotations

import logging

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, emit

from .display_state import UnknownDisplay, shown_counters, snapshot
from .events import Event
from .procedure.events import PROCEDURE_EVENTS
from .services import AppServices

log = logging.getLogger(__name__)

DISPLAY = "/display"
STAFF = "/staff"
# Events staff pages hear; the display hears only calls and counts.
STAFF_EVENTS = {"ticket_issued", "ticket_called", "ticket_updated", "queue_changed",
                "printer_status", "print_job_updated"} | PROCEDURE_EVENTS
DISPLAY_EVENTS = {"ticket_called": "call", "queue_changed": "queue_changed"}


def register(socketio: SocketIO, services: AppServices) -> None:
    """Attach the namespaces and forward published events to them."""

    def display_state(auth) -> dict:
        auth = auth if isinstance(auth, dict) else {}
        try:
            codes = shown_counters(services.config, auth.get("counters"), auth.get("display"))
        except UnknownDisplay:
            codes = list(services.config.counters)
        with services.session_factory() as db:
            return snapshot(db, services.config, services.queue, codes, services.clock())

    @socketio.on("connect", namespace=DISPLAY)
    def display_connect(auth=None):
        session["display_auth"] = auth if isinstance(auth, dict) else {}
        emit("state", display_state(auth))

    @socketio.on("snapshot", namespace=DISPLAY)
    def display_snapshot(*_args):
        emit("state", display_state(session.get("display_auth")))

    @socketio.on("connect", namespace=STAFF)
    def staff_connect(auth=None):
        identity = None
        token = auth.get("token") if isinstance(auth, dict) else None
        if token:
            with services.session_factory() as db:
                identity = services.auth.check_token(db, token)
        elif session.get("user_id"):
            identity = session["user_id"]
        if identity is None:
            log.info("staff socket refused from %s", request.remote_addr)
            raise ConnectionRefusedError("unauthorized")
        with services.session_factory() as db:
            emit("queue_changed", {"waiting": services.queue.waiting_counts(db)})

    def forward(event: Event) -> None:
        if event.name in STAFF_EVENTS:
            socketio.emit(event.name, event.payload, namespace=STAFF)
        if event.name in DISPLAY_EVENTS:
            payload = event.payload["call"] if event.name == "ticket_called" else event.payload
            socketio.emit(DISPLAY_EVENTS[event.name], payload, namespace=DISPLAY)

    services.publisher.subscribe(forward)
