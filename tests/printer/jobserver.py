"""A tiny print-job server speaking the agent protocol, with failures to order."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NEXT_JOB = re.compile(r"^/api/v1/printers/(?P<name>[^/]+)/jobs/next$")
ACK = re.compile(r"^/api/v1/print-jobs/(?P<id>\d+)/ack$")


class FakeJobServer:
    """Keep jobs until they are acked as printed; offer the oldest one to every poll.

    Failure switches, each counting down one per request:
    `fail_polls` answers 503, `drop_polls` closes the connection without an answer,
    `fail_acks` answers 503 without recording, `lose_ack_answers` records the ack
    and then closes the connection, so the agent cannot know it arrived.
    """

    def __init__(self, token: str = "secret-token", printer_name: str = "desk") -> None:
        self.token = token
        self.printer_name = printer_name
        self.pending: dict[int, bytes] = {}
        self.acks: list[tuple[int, dict]] = []
        self.polls = 0
        self.unauthorized = 0
        self.fail_polls = 0
        self.drop_polls = 0
        self.fail_acks = 0
        self.lose_ack_answers = 0
        self.on_ack = None
        self._next_id = 1
        self._condition = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeJobServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_job(self, data: bytes, job_id: int | None = None) -> int:
        """Queue a job and wake a waiting poll."""
        with self._condition:
            job_id = job_id or self._next_id
            self._next_id = max(self._next_id, job_id) + 1
            self.pending[job_id] = data
            self._condition.notify_all()
            return job_id

    def printed_acks(self) -> list[int]:
        with self._condition:
            return [job_id for job_id, body in self.acks if body.get("status") == "printed"]

    def failed_acks(self) -> list[tuple[int, str]]:
        with self._condition:
            return [(job_id, body["error"]) for job_id, body in self.acks
                    if body.get("status") == "failed"]

    def wait_until(self, predicate, timeout: float = 10.0) -> None:
        """Block until predicate(self) holds; raise TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the job server never reached the expected state")
                self._condition.wait(remaining)

    def _countdown(self, name: str) -> bool:
        """Use up one of a failure switch's requests; say whether it fired."""
        if getattr(self, name) > 0:
            setattr(self, name, getattr(self, name) - 1)
            return True
        return False

    def _next(self, wait: float) -> tuple[int, bytes] | None:
        deadline = time.monotonic() + wait
        with self._condition:
            self.polls += 1
            self._condition.notify_all()
            while not self.pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._condition.wait(remaining)
            job_id = min(self.pending)
            return job_id, self.pending[job_id]

    def _ack(self, job_id: int, body: dict) -> bool:
        with self._condition:
            if job_id not in self.pending and body.get("status") != "printed":
                return False
            self.acks.append((job_id, body))
            if body.get("status") == "printed":
                self.pending.pop(job_id, None)
            self._condition.notify_all()
        if self.on_ack is not None:
            self.on_ack(job_id, body)
        return True

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_AgentProtocolHandler,), {"jobs": self})


class _AgentProtocolHandler(BaseHTTPRequestHandler):
    """Answer the agent's poll and ack requests from the FakeJobServer in `jobs`."""

    jobs: FakeJobServer

    def log_message(self, *args) -> None:
        pass

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {self.jobs.token}":
            return True
        with self.jobs._condition:
            self.jobs.unauthorized += 1
            self.jobs._condition.notify_all()
        self._reply(401, {"error": {"code": "unauthorized", "message": "bad token"}})
        return False

    def _reply(self, status: int, body: dict | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        match = NEXT_JOB.match(parts.path)
        if not match or match["name"] != self.jobs.printer_name:
            return self._reply(404, {"error": {"code": "not_found", "message": ""}})
        if not self._authorized():
            return None
        if self.jobs._countdown("fail_polls"):
            return self._reply(503, {"error": {"code": "busy", "message": ""}})
        wait = float(parse_qs(parts.query).get("wait", ["0"])[0])
        job = self.jobs._next(wait)
        if self.jobs._countdown("drop_polls"):
            self.close_connection = True
            return None
        if job is None:
            return self._reply(204)
        job_id, data = job
        return self._reply(200, {"id": job_id,
                                 "data": base64.b64encode(data).decode("ascii")})

    def do_POST(self) -> None:
        match = ACK.match(urlsplit(self.path).path)
        if not match:
            return self._reply(404, {"error": {"code": "not_found", "message": ""}})
        if not self._authorized():
            return None
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.jobs._countdown("fail_acks"):
            return self._reply(503, {"error": {"code": "busy", "message": ""}})
        if not self.jobs._ack(int(match["id"]), body):
            return self._reply(404, {"error": {"code": "not_found", "message": ""}})
        if self.jobs._countdown("lose_ack_answers"):
            self.close_connection = True
            return None
        return self._reply(200, {"ok": True})
