"""The public /display namespace: a snapshot on connect and on request, then calls."""
from __future__ import annotations

import logging

import socketio as socketio_package
from flask import request, session
from flask_socketio import SocketIO, disconnect, emit

from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.platform.logs import RateLimitedLog
from queue_server.tv.state import shown_counters, snapshot, with_parts
from queue_server.web.metrics import REDIS_ERRORS
from queue_server.web.socket_limits import SocketLimits
from queue_server.web.sockets import refused

log = logging.getLogger(__name__)

DISPLAY = "/display"
# The display hears only calls, counts and a ticket's number and state: nothing personal.
DISPLAY_EVENTS = {"ticket_called": "call", "queue_changed": "queue_changed",
                  "ticket_updated": "ticket"}
TICKET_FIELDS = ("number", "status", "counter")
"""What `ticket` tells a TV: enough to drop a queued announcement of a ticket that has
been transferred, finished or parked since its call."""
HEARTBEAT_SECONDS = 2.0
"""How often each server process sends `heartbeat` to every TV. With several processes it
goes only through the message queue (Redis), never straight to this process's own TVs, so
a TV that hears none for 5 s knows the event stream that carries the calls is gone."""


class DisplayNamespace:
    """The TVs' namespace of one app.

    It is public: an address may hold display.max_sockets_per_address sockets, and a
    socket that asks for more than display.snapshots_per_minute snapshots is
    disconnected; nobody else notices.
    """

    def __init__(self, socketio: SocketIO, services) -> None:
        self.socketio = socketio
        self.services = services
        settings = services.config.display
        self.limits = SocketLimits(settings.max_sockets_per_address,
                                   settings.snapshots_per_minute)
        self.heartbeat_started = False
        self.latest_seq = 0
        """The newest call this process knows of: from each snapshot it sends and each call."""
        self.outage = RateLimitedLog(log)
        # A write-only publisher: its messages reach every process's TVs through Redis,
        # this process's too, and nobody's when Redis is down. Without a queue, one process.
        config = services.config
        self.beacon = socketio_package.RedisManager(
            config.redis_url, channel=config.redis_channel, write_only=True,
            logger=logging.getLogger("queue_server.tv.heartbeat")) if config.redis_url else None

    def register(self) -> None:
        self.socketio.on("connect", namespace=DISPLAY)(self.connect)
        self.socketio.on("disconnect", namespace=DISPLAY)(self.disconnect)
        self.socketio.on("snapshot", namespace=DISPLAY)(self.snapshot)
        self.services.publisher.subscribe(self.forward)

    def state(self, codes: list[str]) -> dict:
        services = self.services
        with services.work.read() as db:
            return snapshot(db, services.config, services.queue.reading, codes,
                            services.clock(), services.announcer, services.queue.estimates)

    def connect(self, auth=None):
        auth = auth if isinstance(auth, dict) else {}
        try:
            codes = shown_counters(self.services.config, auth.get("counters"),
                                   auth.get("display"))
        except DomainError as error:
            raise refused(error) from None
        address = request.remote_addr or "?"
        if not self.limits.admit(address, request.sid):
            raise refused(DomainError(429, "too_many_sockets",
                                      "Too many open displays from this address"))
        session["display_counters"] = codes
        session["display_address"] = address
        state = self.state(codes)
        self.latest_seq = max(self.latest_seq, state["seq"])
        if not self.heartbeat_started:
            self.heartbeat_started = True
            self.socketio.start_background_task(self.beat)
        emit("state", state)

    def disconnect(self, *_args) -> None:
        self.limits.release(session.get("display_address", "?"), request.sid)

    def snapshot(self, *_args) -> None:
        if not self.limits.allow_event(request.sid):
            disconnect()
            return
        emit("state", self.state(session.get("display_counters")
                                 or list(self.services.config.counters)))

    def forward(self, event: Event) -> None:
        if event.name == "ticket_called":
            self.latest_seq = max(self.latest_seq, event.payload["call"]["seq"])
        if event.name in DISPLAY_EVENTS:
            self.socketio.emit(DISPLAY_EVENTS[event.name], self.public(event), namespace=DISPLAY)

    def public(self, event: Event) -> dict:
        """The event as a TV hears it."""
        if event.name == "ticket_called":
            return with_parts(dict(event.payload["call"]), self.services.config,
                              self.services.announcer)
        if event.name == "ticket_updated":
            ticket = event.payload["ticket"]
            return {key: ticket.get(key) for key in TICKET_FIELDS}
        if event.name == "queue_changed":
            return event.payload | {"estimates": self.estimates(event.context.get("groups"))}
        return event.payload

    def estimates(self, groups=None) -> list[dict]:
        """Per service, the waits the TV shows, once per change for every TV: from the
        waiting counts the change already read (`groups`), else read now. The session is
        used only when a service's load is not cached."""
        services = self.services
        with services.work.read() as db:
            if groups is None:
                groups = services.queue.reading.waiting_groups(db)
            return services.queue.estimates.for_services(
                db, groups, services.config.display.language)

    def beat(self) -> None:
        """Send the newest call's seq and the time, so a TV sees both silence and gaps.

        Runs while any TV of this process is connected; the next connect starts it again.
        The seq is the newest this process knows (it reads no database here): with several
        processes each beat carries its own, and a TV behind any of them catches up.
        """
        while self.limits.open_sockets():
            beat = {"seq": self.latest_seq, "server_time": self.services.clock().isoformat()}
            try:
                if self.beacon is not None:
                    self.beacon.emit("heartbeat", beat, namespace=DISPLAY)
                else:
                    self.socketio.emit("heartbeat", beat, namespace=DISPLAY)
            except Exception as exc:  # noqa: BLE001 - a failed beat is a silent one; TVs notice
                if self.beacon is not None:
                    REDIS_ERRORS.labels("heartbeat").inc()
                self.outage.exception(type(exc).__name__, "display heartbeat failed", exc)
            self.socketio.sleep(HEARTBEAT_SECONDS)
        self.heartbeat_started = False

def register(socketio: SocketIO, services) -> DisplayNamespace:
    """Attach /display and forward calls and waiting counts to it."""
    namespace = DisplayNamespace(socketio, services)
    namespace.register()
    return namespace
