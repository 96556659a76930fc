"""A TCP listener that stands in for a network ESC/POS printer in tests and benches."""

from __future__ import annotations

import enum
import socket
import struct
import threading
import time
from typing import Self

_STATUS_QUERY = 0x10, 0x04  # DLE EOT n: real-time status transmission
_FIXED_BITS = 0x12  # bits 1 and 4 are always set in a DLE EOT answer
_OFFLINE_BIT = 0x08
_PAPER_NEAR_END = 0x0C
_PAPER_END = 0x60


class FakePaper(enum.Enum):
    """Paper the fake printer reports."""

    OK = "ok"
    LOW = "low"
    OUT = "out"


class FakeNetworkPrinter:
    """Accept raw ESC/POS jobs on a TCP port and answer DLE EOT status queries.

    Each connection that carries more than status queries is one job, kept
    byte for byte in `jobs`; `received` holds every byte of every connection.
    Set `online`, `paper` or `answers_status` at any time to change the answers.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.online = True
        self.paper = FakePaper.OK
        self.answers_status = True
        """False stands in for printers that ignore DLE EOT (python-escpos#434)."""
        self.reset_after: int | None = None
        """Reset each connection after this many bytes, like a printer switched off mid-job."""
        self.jobs: list[bytes] = []
        self.received = bytearray()
        self.status_queries = 0
        self._condition = threading.Condition()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._accept_thread: threading.Thread | None = None
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> Self:
        """Listen on the port; port 0 picks a free one, kept for later restarts."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True,
                                  name=f"fake-printer-{self.port}")
        thread.start()
        self._accept_thread = thread
        return self

    def stop(self) -> None:
        """Stop listening and drop every open connection, like a printer switched off."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self._condition:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=5)
            self._accept_thread = None
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    @property
    def running(self) -> bool:
        """Say whether the fake is listening."""
        return self._listener is not None

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Block until at least `count` jobs arrived; raise TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.jobs) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self.jobs)} of {count} jobs arrived in {timeout} s")
                self._condition.wait(remaining)
            return list(self.jobs)

    def clear(self) -> None:
        """Forget the jobs and bytes received so far."""
        with self._condition:
            self.jobs.clear()
            self.received.clear()
            self.status_queries = 0

    def status_byte(self, query: int) -> int:
        """Answer DLE EOT `query` from the current online and paper state."""
        if query == 1:
            return _FIXED_BITS | (0 if self.online else _OFFLINE_BIT)
        if query == 4:
            extra = {FakePaper.OK: 0, FakePaper.LOW: _PAPER_NEAR_END,
                     FakePaper.OUT: _PAPER_NEAR_END | _PAPER_END}[self.paper]
            return _FIXED_BITS | extra
        return _FIXED_BITS

    def _accept(self, listener: socket.socket) -> None:
        """Accept connections until stopped, one thread each."""
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with self._condition:
                self._connections.add(connection)
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            thread.start()
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _serve(self, connection: socket.socket) -> None:
        """Read one connection to its end, answering status queries on the way."""
        data = bytearray()
        queries = 0
        try:
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                start = max(0, len(data) - 2)
                data += chunk
                with self._condition:
                    self.received += chunk
                queries += self._answer(connection, data, start)
                if self.reset_after is not None and len(data) >= self.reset_after:
                    # Linger 0 makes close() send RST instead of FIN.
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          struct.pack("ii", 1, 0))
                    break
        except OSError:
            pass
        finally:
            with self._condition:
                self._connections.discard(connection)
                self.status_queries += queries
                if data and len(data) > 3 * queries:
                    self.jobs.append(bytes(data))
                self._condition.notify_all()
            connection.close()

    def _answer(self, connection: socket.socket, data: bytearray, start: int) -> int:
        """Answer every DLE EOT n that completed in the new bytes; return how many."""
        answered = 0
        index = data.find(bytes(_STATUS_QUERY), start)
        while index >= 0 and index + 2 < len(data):
            if self.answers_status:
                connection.sendall(bytes([self.status_byte(data[index + 2])]))
            answered += 1
            index = data.find(bytes(_STATUS_QUERY), index + 3)
        return answered
