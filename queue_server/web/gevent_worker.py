"""gunicorn's gevent worker, with the app told to stop as soon as SIGTERM (or SIGQUIT) comes.

gunicorn's own worker, on SIGTERM, stops accepting (within a second) and then waits up to
the graceful timeout for every connection to end: the TVs' websockets and the browsers'
idle keep-alive connections never end by themselves, so it would hold them for the whole
timeout and then cut them. This worker waits until the listener is closed, then runs the
app's shutdown (web.stopping.shutdown): its sockets are dropped at once, so every TV
reconnects through the load balancer to a process that still accepts, and its leases are
released. Requests in flight finish; a connection idle between two requests is closed.
"""
from __future__ import annotations

import socket

import gevent
from gunicorn.workers.ggevent import GeventWorker

from queue_server.web.stopping import LISTENER_CLOSE_SECONDS, shutdown


class GracefulGeventWorker(GeventWorker):
    def init_process(self) -> None:
        # Here, not in __init__: web.serving.GeventAfterFork becomes this class after the
        # fork, in a worker object the master made.
        self._clients: set = set()
        self._busy: set = set()
        self._websockets: set = set()
        super().init_process()

    def run(self) -> None:
        gevent.spawn(self._stop_app_when_stopping)
        super().run()

    def handle(self, listener, client, addr) -> None:
        self._clients.add(client)
        try:
            super().handle(listener, client, addr)
        finally:
            self._clients.discard(client)

    def handle_request(self, listener_name, req, sock, addr):
        self._busy.add(sock)
        upgrade = any(name == "UPGRADE" and value.lower() == "websocket"
                      for name, value in req.headers)
        if upgrade:
            self._websockets.add(sock)
        try:
            result = super().handle_request(listener_name, req, sock, addr)
        finally:
            self._busy.discard(sock)
            self._websockets.discard(sock)
        if upgrade:  # the socket is the websocket's, and closed with it: no next request
            raise StopIteration
        return result

    def _stop_app_when_stopping(self) -> None:
        while self.alive:
            gevent.sleep(0.1)
        # GeventWorker.run notices `alive` within a second and closes the listener: a TV
        # that reconnected before that would come back to this process.
        gevent.sleep(LISTENER_CLOSE_SECONDS)
        # Cut the websockets (TVs, staff pages) under the app: each client sees its
        # connection drop and reconnects, and each socket's handler ends as if the
        # client had left. Then the app stops its jobs and releases its leases.
        _cut(self._websockets)
        gevent.sleep(0.2)
        shutdown(self.wsgi)
        # A request in flight ends and closes its connection (gunicorn closes after each
        # request once stopping); one waiting idle for its next request is closed here.
        while self._clients:
            _cut(self._clients - self._busy)
            gevent.sleep(0.1)


def _cut(connections) -> None:
    for connection in list(connections):
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
