"""Print how long a ticket takes from POST /api/v1/tickets to its last byte at the printer.

Starts `queue-server run` on a scratch SQLite database (or DATABASE_URL) with the shipped
config, whose ticket printer is a FakeNetworkPrinter on loopback (TM-T88III profile,
status polled every 10 s as shipped). Issues N tickets one after another (after a few
warm-up tickets) and for each measures from sending the POST:
- until the 201 response;
- until the last byte of that ticket's job reached the printer (its final TCP chunk).
Target: p99 under 150 ms.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="escpos-"))

from measure import percentile  # noqa: E402 - bench/, beside this script

from printer.fake import FakeNetworkPrinter  # noqa: E402
from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.support import LiveServer, create_users, reset_database, write_config  # noqa: E402

WARM_UP = 5


class TimedPrinter(FakeNetworkPrinter):
    """The fake printer, noting when each job's last chunk arrived."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()
        self.last_byte_at: list[float] = []
        printer = self

        class Jobs(list):
            def append(self, job: bytes) -> None:
                # Called on the connection's own thread, right after its last read.
                printer.last_byte_at.append(printer._local.last)
                super().append(job)

        self.jobs = Jobs()

    def _answer(self, connection, data, start) -> int:
        self._local.last = time.perf_counter()
        return super()._answer(connection, data, start)


def summary(name: str, values: list[float]) -> str:
    return (f"{name}: p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 0.99):.1f} "
            f"ms, max {max(values):.1f} ms")


def measure(server: LiveServer, printer: TimedPrinter, tickets: int) -> dict[str, list[float]]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.token('receptionist')}"
    results: dict[str, list[float]] = {"response": [], "printed": []}
    for index in range(WARM_UP + tickets):
        sent = time.perf_counter()
        response = session.post(server.url + "/api/v1/tickets",
                                json={"service": "INFO", "category": "umum"}, timeout=10)
        answered = time.perf_counter()
        response.raise_for_status()
        jobs = printer.wait_for_jobs(index + 1, timeout=10)
        if response.json()["number"].encode() not in jobs[index]:
            raise SystemExit(f"job {index + 1} is not ticket {response.json()['number']}")
        if index >= WARM_UP:
            results["response"].append((answered - sent) * 1000)
            results["printed"].append((printer.last_byte_at[index] - sent) * 1000)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="print-bench-") as scratch, TimedPrinter() as printer:
        folder = Path(scratch)
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
        upgrade(url)
        reset_database(url)
        create_users(url)
        config = write_config(folder, url, ticket_printer="desk", printers={
            "desk": {"type": "network", "host": "127.0.0.1", "port": printer.port}})
        server = LiveServer(config, env={"DATABASE_URL": url}).start()
        try:
            results = measure(server, printer, args.tickets)
        finally:
            server.stop()
    print(f"{args.tickets} tickets, one at a time, after {WARM_UP} warm-up; "
          f"{url.split(':', 1)[0]}; Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(summary("POST /api/v1/tickets -> 201", results["response"]))
    print(summary("POST /api/v1/tickets -> last byte at the printer", results["printed"]))


if __name__ == "__main__":
    main()
