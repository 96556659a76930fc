"""Socket.IO glue: the logged-in /staff namespace and forwarding published events to it."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room

from queue_server.auth.models import Role
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event

log = logging.getLogger(__name__)

STAFF = "/staff"


def refused(error: DomainError) -> ConnectionRefusedError:
    """A refused connect: the client's connect_error gets {"message", "data"}, where data is
    the same {"error": {code, message}} that the HTTP route answers."""
    return ConnectionRefusedError(error.message,
                                  {"error": {"code": error.code, "message": error.message}})


def register(socketio: SocketIO, services, staff_events: Iterable[str],
             for_role: Callable[[Role, dict], dict]) -> None:
    """Attach /staff and forward the named events to it after each commit.

    Each staff socket joins its role's room; `for_role` shapes an event's payload for a
    role (the ticket's category is health data that only some roles read).
    """
    staff_events = frozenset(staff_events)

    @socketio.on("connect", namespace=STAFF)
    def staff_connect(auth=None):
        role = None
        token = auth.get("token") if isinstance(auth, dict) else None
        if token:
            with services.work.read() as db:
                identity = services.auth.check_token(db, token)
            role = identity.role if identity else None
        elif session.get("user_id"):
            role = Role(session["role"])
        if role is None:
            log.info("staff socket refused from %s", request.remote_addr)
            raise ConnectionRefusedError("unauthorized")
        join_room(role.value)
        with services.work.read() as db:
            emit("queue_changed", {"waiting": services.queue.reading.waiting_counts(db)})

    def forward(event: Event) -> None:
        if event.name not in staff_events:
            return
        rooms_by_payload: dict[int, tuple[dict, list[str]]] = {}
        for role in Role:
            payload = for_role(role, event.payload)
            rooms_by_payload.setdefault(id(payload), (payload, []))[1].append(role.value)
        for payload, rooms in rooms_by_payload.values():
            socketio.emit(event.name, payload, to=rooms, namespace=STAFF)

    services.publisher.subscribe(forward)
