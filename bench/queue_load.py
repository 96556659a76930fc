"""Print ticket throughput and call-to-display latency for a server on loopback.

Starts `queue-server run` on a scratch SQLite database (or DATABASE_URL), then:
1. 8 concurrent clients issue tickets for a few seconds: tickets per second;
2. with 10 /display Socket.IO clients connected, 200 call-next requests, each timed
   from sending the request until every display client has the `call` event.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.support import LiveServer, create_users, write_config  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def issue_load(server: LiveServer, token: str, clients: int, seconds: float) -> tuple[int, float]:
    stop = time.monotonic() + seconds
    counts = [0] * clients

    def client(index: int) -> None:
        # http.client with keep-alive: the clients share the machine with the server,
        # so they should spend as little CPU as they can.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"service": "INFO", "category": "lansia" if index % 2 else "umum"})
        while time.monotonic() < stop:
            connection.request("POST", "/api/v1/tickets", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 201:
                raise SystemExit(f"issue failed with {response.status}")
            counts[index] += 1
        connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return sum(counts), time.monotonic() - started


def display_process(url: str, displays: int, ready, results, stop) -> None:
    """Hold the display clients in a process of their own, like TVs on other machines.

    time.monotonic() is the system-wide CLOCK_MONOTONIC on Linux, so arrival times
    compare with the send times taken in the parent process.
    """
    arrived: dict[int, list[float]] = {}
    lock = threading.Lock()
    clients = []
    for _ in range(displays):
        client = socketio.Client(reconnection=False)

        def on_call(data):
            now = time.monotonic()
            with lock:
                times = arrived.setdefault(data["seq"], [])
                times.append(now)
                if len(times) == displays:
                    results.put((data["seq"], max(times)))

        client.on("call", on_call, namespace="/display")
        client.connect(url, namespaces=["/display"], transports=["websocket"])
        clients.append(client)
    ready.set()
    stop.wait()
    for client in clients:
        client.disconnect()


def call_latency(server: LiveServer, token: str, displays: int, calls: int) -> list[float]:
    context = multiprocessing.get_context("spawn")
    ready, stop, results = context.Event(), context.Event(), context.Queue()
    child = context.Process(target=display_process,
                            args=(server.url, displays, ready, results, stop))
    child.start()
    if not ready.wait(30):
        raise SystemExit("the display clients did not connect")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Authorization": f"Bearer {token}"}
    latencies = []
    counters = ["2", "3"]
    try:
        for index in range(calls):
            sent = time.monotonic()
            connection.request("POST", f"/api/v1/counters/{counters[index % 2]}/call-next",
                               headers=headers)
            response = connection.getresponse()
            body = json.loads(response.read())
            seq, last_arrival = results.get(timeout=5)
            if seq != body["call"]["seq"]:
                raise SystemExit(f"expected call {body['call']['seq']}, displays had {seq}")
            latencies.append((last_arrival - sent) * 1000)
    finally:
        stop.set()
        child.join(10)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--displays", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    upgrade(url)
    create_users(url)
    # First without a ticket printer: the queue alone. A thermal printer takes about a
    # second a ticket, so an office never prints hundreds a second; the second run shows
    # what sending every ticket to the preview printer in the same process costs.
    figures = {}
    for printer in (None, "preview"):
        server = LiveServer(write_config(workdir / (printer or "none"), url,
                                         ticket_printer=printer),
                            env={"DATABASE_URL": url}).start()
        try:
            receptionist, officer = server.token("receptionist"), server.token("officer")
            figures[printer] = issue_load(server, receptionist, args.clients, args.seconds)
            if printer is None:
                latencies = call_latency(server, officer, args.displays, args.calls)
        finally:
            server.stop()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, database {url.split(':')[0]}")
    for printer, (issued, elapsed) in figures.items():
        label = "no ticket printer" if printer is None else f"every ticket to the {printer} printer"
        print(f"tickets issued ({label}): {issued} in {elapsed:.2f} s with {args.clients} "
              f"clients = {issued / elapsed:.0f} tickets/s")
    print(f"call-to-display latency over {len(latencies)} calls, {args.displays} displays "
          f"(until the last display has the event): p50 {statistics.median(latencies):.1f} ms, "
          f"p95 {percentile(latencies, 0.95):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms")


if __name__ == "__main__":
    main()
