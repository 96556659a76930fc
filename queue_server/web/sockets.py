"""Socket.IO glue: the logged-in /staff namespace and forwarding published events to it."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room
from sqlalchemy.engine import Engine

from queue_server.auth.models import Role
from queue_server.auth.service import Identity, hash_token
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.web.requests import SESSION_ID, SOCKET_ROLES

log = logging.getLogger(__name__)

STAFF = "/staff"
PRINTING_PREFIX = "print"
"""Print job and printer state events (print_job_updated, printer_status) go to the roles
that print, never to the display role's room (the TV and the survey tablet)."""
RECHECK_SECONDS = 1.0
"""How often the open staff sockets' tokens and sessions are read again: a revoked token,
an ended session, a deactivated user or a changed role loses its socket within this."""


def refused(error: DomainError) -> ConnectionRefusedError:
    """A refused connect: the client's connect_error gets {"message", "data"}, where data is
    the same {"error": {code, message}} that the HTTP route answers."""
    return ConnectionRefusedError(error.message,
                                  {"error": {"code": error.code, "message": error.message}})


@dataclass(frozen=True)
class Credential:
    """What an open staff socket logged in with: ("token" or "session", its hash), and
    the identity it had then."""

    kind: str
    digest: str
    identity: Identity


class StaffWatch:
    """The open staff sockets of one app and the one background task that re-checks them.

    The task starts with the first socket (Flask-SocketIO's start_background_task) and
    ends when the last one has gone; each pass reads every socket's token or session with
    two queries and disconnects those that no longer hold, or whose role changed.
    """

    def __init__(self, socketio: SocketIO, services) -> None:
        self.socketio = socketio
        self.services = services
        self.open: dict[str, Credential] = {}
        self.lock = threading.Lock()
        self.running = False

    def opened(self, sid: str, credential: Credential) -> None:
        with self.lock:
            self.open[sid] = credential
            start = not self.running and self.checks_concurrently()
            self.running = self.running or start
        if start:
            self.socketio.start_background_task(self.run)

    def closed(self, sid: str) -> None:
        with self.lock:
            self.open.pop(sid, None)

    def checks_concurrently(self) -> bool:
        """Whether a task may re-check: not on sessions bound to one connection (a test's
        rolled-back transaction, closed when the test ends while its sockets stay open);
        there the sockets are checked at connect only."""
        return isinstance(self.services.session_factory.kw.get("bind"), Engine)

    def run(self) -> None:
        while True:
            self.socketio.sleep(RECHECK_SECONDS)
            with self.lock:
                if not self.open:
                    self.running = False
                    return
                sockets = dict(self.open)
            try:
                self.check(sockets)
            except Exception:  # the database is down: keep the sockets, try again
                log.warning("could not re-check the staff sockets", exc_info=True)

    def check(self, sockets: dict[str, Credential]) -> None:
        tokens = [c.digest for c in sockets.values() if c.kind == "token"]
        sessions = [c.digest for c in sockets.values() if c.kind == "session"]
        with self.services.work.read() as db:
            valid = self.services.auth.still_valid(db, tokens, sessions)
        for sid, credential in sockets.items():
            now = valid.get((credential.kind, credential.digest))
            if now is None or now.role != credential.identity.role:
                log.info("staff socket of %s closed: its login no longer holds",
                         credential.identity.username)
                self.closed(sid)
                self.socketio.server.disconnect(sid, namespace=STAFF, ignore_queue=True)


def connecting_credential(services, auth) -> Credential | None:
    """The staff socket's login: auth={"token": ...} or the session cookie."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token:
        with services.work.read() as db:
            identity = services.auth.check_token(db, token)
        return Credential("token", hash_token(token), identity) if identity else None
    sid = session.get(SESSION_ID)
    if sid:
        identity = services.auth.session_identity(services.work, sid)
        return Credential("session", hash_token(sid), identity) if identity else None
    return None


def payloads_by_rooms(roles, payload: dict, for_role) -> list[tuple[dict, list[str]]]:
    """Each distinct payload the roles read, with the rooms that read it: roles that read
    the same payload share one emit (one encoding of the packet)."""
    groups: list[tuple[dict, list[str]]] = []
    for role in roles:
        shaped = for_role(role, payload)
        for shared, rooms in groups:
            if shared is shaped or shared == shaped:
                rooms.append(role.value)
                break
        else:
            groups.append((shaped, [role.value]))
    return groups


def register(socketio: SocketIO, services, staff_events: Iterable[str],
             for_role: Callable[[Role, dict], dict],
             audiences: dict[str, frozenset[Role]] | None = None) -> None:
    """Attach /staff and forward the named events to it after each commit.

    Each staff socket joins its role's room; `for_role` shapes an event's payload for a
    role (the ticket's category is health data that only some roles read); `audiences`
    limits an event to some roles' rooms.
    """
    staff_events = frozenset(staff_events)
    audiences = audiences or {}
    watch = StaffWatch(socketio, services)

    @socketio.on("connect", namespace=STAFF)
    def staff_connect(auth=None):
        credential = connecting_credential(services, auth)
        if credential is None or credential.identity.role not in SOCKET_ROLES:
            log.info("staff socket refused from %s", request.remote_addr)
            raise ConnectionRefusedError("unauthorized")
        join_room(credential.identity.role.value)
        watch.opened(request.sid, credential)
        with services.work.read() as db:
            emit("queue_changed", {"waiting": services.queue.reading.waiting_counts(db)})

    @socketio.on("disconnect", namespace=STAFF)
    def staff_disconnect(*_reason):
        watch.closed(request.sid)

    def forward(event: Event) -> None:
        if event.name not in staff_events:
            return
        audience = audiences.get(event.name, SOCKET_ROLES)
        roles = [role for role in SOCKET_ROLES if role in audience and not (
            role is Role.DISPLAY and event.name.startswith(PRINTING_PREFIX))]
        for payload, rooms in payloads_by_rooms(roles, event.payload, for_role):
            socketio.emit(event.name, payload, to=rooms, namespace=STAFF)

    services.publisher.subscribe(forward)
