"""Serve the app with gunicorn: one process, an event loop (gevent) or a thread per connection.

The default worker is gevent: every TV and staff page holds a websocket open all day, and
a greenlet per socket costs a few kilobytes, so one process holds thousands of sockets and
still answers HTTP at once. The threaded worker ("thread") holds one OS thread per socket:
it is kept for deployments that cannot use gevent, sized with `threads`.

Under gevent the app is built inside the worker, after gevent has patched the standard
library, so its locks, sleeps, sockets and PostgreSQL waits (psycopg detects the patch)
yield to the loop. SQLite calls do not yield; each is short.

`queue-server run` replaces itself (exec) with `python -m queue_server.web.serving`: the
gunicorn master then holds gunicorn alone (~20 MB), not the app and every library the
command line had imported (~130 MB), and only the worker imports and builds the app.
This module therefore imports nothing of the app at its top, nor Flask.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from gunicorn.app.base import BaseApplication
from gunicorn.workers.base import Worker

from queue_server.web.stopping import shutdown

if TYPE_CHECKING:
    from flask import Flask


WORKER_TIMEOUT_SECONDS = 30
"""The worker's heartbeat, not a request limit: open websockets do not trip it, a worker
stuck this long (a hung database without timeouts) is restarted."""
GRACEFUL_SECONDS = 10
"""On SIGTERM the worker stops accepting and finishes the requests in flight this long;
its sockets are dropped at once (gevent_worker), so TVs reconnect to a live process."""
WORKERS = ("gevent", "thread")
"""The gunicorn workers serve() runs, and `queue-server run --worker` offers."""


def _worker_exit(_arbiter, worker) -> None:
    shutdown(getattr(worker, "wsgi", None))


def _child_exit(_arbiter, worker) -> None:
    # In the master, which otherwise never imports the app's modules (nor Flask): only
    # when a worker has exited.
    from queue_server.web.metrics import mark_process_dead

    mark_process_dead(worker.pid)  # its live gauges leave the sums (PROMETHEUS_MULTIPROC_DIR)


class GeventAfterFork(Worker):
    """The gevent worker (web.gevent_worker.GracefulGeventWorker), imported in the worker
    process only.

    gunicorn makes the worker object in the master, then forks: naming the gevent worker
    would load gevent (~6 MB) in a master that never runs a greenlet. This stand-in carries
    the same state until the fork, then becomes a GracefulGeventWorker, which patches the
    standard library and runs its loop as always.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.worker_connections = self.cfg.worker_connections  # as AsyncWorker sets it

    def init_process(self) -> None:
        from queue_server.web.gevent_worker import GracefulGeventWorker

        self.__class__ = GracefulGeventWorker
        GracefulGeventWorker.init_process(self)


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
        app = self.build()
        # What is built now lives as long as the worker: keep the collector off it.
        gc.collect()
        gc.freeze()
        return app


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
        options |= {"worker_class": GeventAfterFork, "worker_connections": connections}
    else:
        options |= {"worker_class": "gthread", "threads": threads}
    _Server(build, options).run()


MALLOC_ARENAS = "2"
"""glibc gives each thread that allocates its own 64 MB arena: two are plenty for one
worker's event loop and its few threads (print workers, purge) and keep the RSS down."""


def exec_server(factory: str, config_path: str | None, host: str, port: int, worker: str,
                threads: int) -> None:
    """Replace this process with a fresh Python that runs only the gunicorn master.

    `factory` names the function that builds the app in the worker, "module:function",
    as gunicorn names an app: it gets the config path and returns the app.
    """
    command = [sys.executable, "-m", "queue_server.web.serving", factory, "--host", host,
               "--port", str(port), "--worker", worker, "--threads", str(threads)]
    if config_path is not None:
        command += ["--config", config_path]
    environment = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX",
                                                                    MALLOC_ARENAS)}
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, environment)


CLIENT_ONLY = ("aiohttp",)
"""python-engineio imports aiohttp, where it is installed (the test tools bring it), for its
asyncio client, which a server never uses: the worker marks it absent (~9 MB), as it is
in an install of the runtime dependencies alone."""


def load_factory(factory: str, config_path: str | None) -> Flask:
    """In the worker: import the factory's module (the app and its libraries) and call it."""
    for name in CLIENT_ONLY:
        sys.modules.setdefault(name, None)  # None: `import aiohttp` raises ImportError
    module, _, function = factory.partition(":")
    return getattr(importlib.import_module(module), function)(config_path)


def main(argv: list[str] | None = None) -> None:
    """`python -m queue_server.web.serving module:function`: what `queue-server run` execs."""
    parser = argparse.ArgumentParser(prog="python -m queue_server.web.serving")
    parser.add_argument("factory", help="module:function that builds the app from a config path")
    parser.add_argument("--config")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--worker", choices=WORKERS, default="gevent")
    parser.add_argument("--threads", type=int, default=100)
    args = parser.parse_args(argv)
    serve(lambda: load_factory(args.factory, args.config), args.host, args.port, args.worker,
          args.threads)


if __name__ == "__main__":
    main()
