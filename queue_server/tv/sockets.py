"""The public /display namespace: a snapshot on connect and on request, then calls."""
from __future__ import annotations

from flask import request, session
from flask_socketio import SocketIO, disconnect, emit

from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.tv.state import shown_counters, snapshot
from queue_server.web.socket_limits import SocketLimits
from queue_server.web.sockets import refused

DISPLAY = "/display"
# The display hears only calls and counts: nothing personal.
DISPLAY_EVENTS = {"ticket_called": "call", "queue_changed": "queue_changed"}


def register(socketio: SocketIO, services) -> None:
    """Attach /display and forward calls and waiting counts to it.

    The namespace is public: an address may hold display.max_sockets_per_address sockets,
    and a socket that asks for more than display.snapshots_per_minute snapshots is
    disconnected; nobody else notices.
    """
    settings = services.config.display
    limits = SocketLimits(settings.max_sockets_per_address, settings.snapshots_per_minute)

    def display_state(codes: list[str]) -> dict:
        with services.work.read() as db:
            return snapshot(db, services.config, services.queue.reading, codes,
                            services.clock())

    @socketio.on("connect", namespace=DISPLAY)
    def display_connect(auth=None):
        auth = auth if isinstance(auth, dict) else {}
        try:
            codes = shown_counters(services.config, auth.get("counters"), auth.get("display"))
        except DomainError as error:
            raise refused(error) from None
        address = request.remote_addr or "?"
        if not limits.admit(address, request.sid):
            raise refused(DomainError(429, "too_many_sockets",
                                      "Too many open displays from this address"))
        session["display_counters"] = codes
        session["display_address"] = address
        emit("state", display_state(codes))

    @socketio.on("disconnect", namespace=DISPLAY)
    def display_disconnect(*_args):
        limits.release(session.get("display_address", "?"), request.sid)

    @socketio.on("snapshot", namespace=DISPLAY)
    def display_snapshot(*_args):
        if not limits.allow_event(request.sid):
            disconnect()
            return
        emit("state", display_state(session.get("display_counters")
                                    or list(services.config.counters)))

    def forward(event: Event) -> None:
        if event.name in DISPLAY_EVENTS:
            payload = event.payload["call"] if event.name == "ticket_called" else event.payload
            socketio.emit(DISPLAY_EVENTS[event.name], payload, namespace=DISPLAY)

    services.publisher.subscribe(forward)
