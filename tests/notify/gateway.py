"""A fake SMS/WhatsApp gateway: a real HTTP server that can fail, hang and come back.

It honours the Idempotency-Key header as a careful gateway does: a message whose key it
has already taken is answered 200 and not delivered again. `requests` counts every POST
that reached it, `delivered` the messages it took (once per key).
"""
from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(18400, 18500)
"""This helper's port range on the shared machine."""


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18400-18499")


class FakeGateway:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/send"
        self.mode = "ok"
        """ok: take it; fail: answer 500; hang: hold the request, take it on release."""
        self.requests: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self.release = threading.Event()
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key")
                with gateway.lock:
                    mode = gateway.mode
                    gateway.requests.append({"key": key, "body": body, "mode": mode,
                                             "auth": self.headers.get("X-Api-Key")})
                gateway.arrived.set()
                if mode == "fail":
                    self.send_response(500)
                    self.end_headers()
                    return
                if mode == "hang":
                    gateway.release.wait(60)
                with gateway.lock:
                    gateway.delivered.setdefault(key, body)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"status": "queued"}')
                except OSError:
                    pass  # the sender gave up waiting (a timeout, or it was killed)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True

    def start(self) -> FakeGateway:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def texts(self) -> list[str]:
        with self.lock:
            return [body["message"] for body in self.delivered.values()]
