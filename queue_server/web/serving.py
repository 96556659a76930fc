"""Serve the app with gunicorn's threaded worker: one process, a thread per connection."""
from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication

WORKER_TIMEOUT_SECONDS = 30


class _Server(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, host: str, port: int, threads: int = 100) -> None:
    """Run until stopped. One worker: Socket.IO state lives in the process (or in Redis)."""
    _Server(app, {
        "bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread", "threads": threads,
        # The worker's heartbeat, not a request limit: the gthread worker beats between
        # requests, so open websockets do not trip it, while a worker stuck for this long
        # (a hung database without timeouts) is restarted.
        "timeout": WORKER_TIMEOUT_SECONDS, "keepalive": 75, "graceful_timeout": 5, "accesslog": None,
        "errorlog": "-", "loglevel": "warning",
    }).run()
