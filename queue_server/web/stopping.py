"""What a server process does when it stops: the app's stop callbacks and its sockets cut.

Apart from web.serving, so that the gunicorn master (serving) and the gevent worker
(gevent_worker, imported after the fork) share it without importing each other.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

LISTENER_CLOSE_SECONDS = 1.1
"""gunicorn's gevent worker closes its listener within a second of a stop signal."""
SHUTDOWN = "on_shutdown"
"""app.extensions[SHUTDOWN]: what the app does when its process stops (callables, in order)."""


def shutdown(app) -> None:
    """Run the app's stop callbacks once: drop its sockets, stop its background jobs and
    release their leases. Called when the worker stops (SIGTERM, SIGQUIT, SIGINT)."""
    callbacks = getattr(app, "extensions", {}).pop(SHUTDOWN, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # noqa: BLE001 - the next callback still runs
            log.exception("shutdown step %r failed", callback)


def drop_sockets(socketio) -> None:
    """Cut every Socket.IO connection of this process without a goodbye: the clients see
    the transport close and reconnect (a polite close would tell them to stay away)."""
    eio = socketio.server.eio
    for client in list(eio.sockets.values()):
        client.close(wait=False, abort=True)
    eio.sockets = {}
