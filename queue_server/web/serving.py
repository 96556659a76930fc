"""Serve the app with gunicorn: one process, an event loop (gevent) or a thread per connection.

The default worker is gevent: every TV and staff page holds a websocket open all day, and
a greenlet per socket costs a few kilobytes, so one process holds thousands of sockets and
still answers HTTP at once. The threaded worker ("thread") holds one OS thread per socket:
it is kept for deployments that cannot use gevent, sized with `threads`.

Under gevent the app is built inside the worker, after gevent has patched the standard
library, so its locks, sleeps, sockets and PostgreSQL waits (psycopg detects the patch)
yield to the loop. SQLite calls do not yield; each is short.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask
from gunicorn.app.base import BaseApplication

from queue_server.web.metrics import mark_process_dead

log = logging.getLogger(__name__)

WORKER_TIMEOUT_SECONDS = 30
"""The worker's heartbeat, not a request limit: open websockets do not trip it, a worker
stuck this long (a hung database without timeouts) is restarted."""
GRACEFUL_SECONDS = 10
"""On SIGTERM the worker stops accepting and finishes the requests in flight this long;
its sockets are dropped at once (gevent_worker), so TVs reconnect to a live process."""
WORKERS = ("gevent", "thread")
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


def _worker_exit(_arbiter, worker) -> None:
    shutdown(getattr(worker, "wsgi", None))


def _child_exit(_arbiter, worker) -> None:
    mark_process_dead(worker.pid)  # its live gauges leave the sums (PROMETHEUS_MULTIPROC_DIR)


class _Server(BaseApplication):
    def __init__(self, build: Callable[[], Flask], options: dict):
        self.build = build
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        # Called in the worker process, after the gevent worker patched the stdlib.
        return self.build()


def serve(build: Callable[[], Flask], host: str, port: int, worker: str = "gevent",
          threads: int = 100, connections: int = 10_000) -> None:
    """Run until stopped. One worker process: Socket.IO state lives in it (or in Redis)."""
    if worker not in WORKERS:
        raise ValueError(f"worker must be one of {WORKERS}")
    options = {
        "bind": f"{host}:{port}", "workers": 1, "timeout": WORKER_TIMEOUT_SECONDS,
        "keepalive": 75, "graceful_timeout": GRACEFUL_SECONDS, "accesslog": None,
        "errorlog": "-", "loglevel": "warning", "worker_exit": _worker_exit,
        "child_exit": _child_exit,
    }
    if worker == "gevent":
        options |= {"worker_class": "queue_server.web.gevent_worker.GracefulGeventWorker",
                    "worker_connections": connections}
    else:
        options |= {"worker_class": "gthread", "threads": threads}
    _Server(build, options).run()
