"""Socket.IO glue: the logged-in /staff namespace and forwarding published events to it."""
from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, emit

from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event

log = logging.getLogger(__name__)

STAFF = "/staff"


def refused(error: DomainError) -> ConnectionRefusedError:
    """A refused connect: the client's connect_error gets {"message", "data"}, where data is
    the same {"error": {code, message}} that the HTTP route answers."""
    return ConnectionRefusedError(error.message,
                                  {"error": {"code": error.code, "message": error.message}})


def register(socketio: SocketIO, services, staff_events: Iterable[str]) -> None:
    """Attach /staff and forward the named events to it after each commit."""
    staff_events = frozenset(staff_events)

    @socketio.on("connect", namespace=STAFF)
    def staff_connect(auth=None):
        identity = None
        token = auth.get("token") if isinstance(auth, dict) else None
        if token:
            with services.work.read() as db:
                identity = services.auth.check_token(db, token)
        elif session.get("user_id"):
            identity = session["user_id"]
        if identity is None:
            log.info("staff socket refused from %s", request.remote_addr)
            raise ConnectionRefusedError("unauthorized")
        with services.work.read() as db:
            emit("queue_changed", {"waiting": services.queue.reading.waiting_counts(db)})

    def forward(event: Event) -> None:
        if event.name in staff_events:
            socketio.emit(event.name, event.payload, namespace=STAFF)

    services.publisher.subscribe(forward)
