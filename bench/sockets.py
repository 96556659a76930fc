"""Print what one server process does with many sockets open: held, fan-out, RSS, HTTP.

Starts `queue-server run` (the gevent worker by default; `--worker thread` for the
threaded one) on a scratch SQLite database, then in a process of its own opens
`--displays` public /display sockets and `--staff` logged-in /staff sockets (asyncio
clients, so the clients cost little CPU), and prints:
- how many sockets the server holds;
- call-to-last-socket latency: call-next sent until every display socket has the `call`;
- the RSS of every process the server started (gunicorn master and worker);
- HTTP latency while the sockets are open: GET /healthz and GET /api/v1/display/state.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import cpu_seconds, percentile, process_and_children, rss_megabytes  # noqa: E402

from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.support import LiveServer, create_users, write_config  # noqa: E402


async def hold_sockets(url: str, displays: int, staff: int, token: str, ready, results,
                       stop) -> None:
    import socketio

    arrived: dict[int, list[float]] = {}
    clients = []

    async def open_one(namespace: str, auth: dict | None) -> None:
        client = socketio.AsyncClient(reconnection=False)
        if namespace == "/display":
            async def on_call(data):
                times = arrived.setdefault(data["seq"], [])
                times.append(time.monotonic())
                if len(times) == displays:
                    results.put((data["seq"], max(times)))

            client.on("call", on_call, namespace="/display")
        await client.connect(url, namespaces=[namespace], transports=["websocket"],
                             auth=auth, wait_timeout=30)
        clients.append(client)

    plan = [("/display", None)] * displays + [("/staff", {"token": token})] * staff
    for start in range(0, len(plan), 50):  # a TV room switching on, fifty at a time
        await asyncio.gather(*(open_one(*item) for item in plan[start:start + 50]))
    ready.put(len(clients))
    while not stop.is_set():
        await asyncio.sleep(0.2)
    await asyncio.gather(*(client.disconnect() for client in clients),
                         return_exceptions=True)


def socket_process(*args) -> None:
    asyncio.run(hold_sockets(*args))


def http_latency(port: int, path: str, requests: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for _ in range(requests):
        started = time.monotonic()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}")
        timings.append((time.monotonic() - started) * 1000)
    connection.close()
    return timings


def call_latency(server: LiveServer, receptionist: str, officer: str, results,
                 calls: int) -> tuple[list[float], float, float]:
    """(call-to-last-display ms per call, issuing seconds, server CPU seconds).

    The `calls` tickets are issued back to back first: each sends queue_changed to every
    display, so the first call waits behind the clients' decoding of those messages. The
    CPU runs until every display has the first call: the server has then written every
    ticket's messages too (it writes after answering, as fast as the clients read)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    pids = process_and_children(server.process.pid)
    cpu, started = cpu_seconds(pids), time.monotonic()
    for _ in range(calls):
        body = json.dumps({"service": "INFO", "category": "umum"})
        connection.request("POST", "/api/v1/tickets", body=body, headers={
            "Authorization": f"Bearer {receptionist}", "Content-Type": "application/json"})
        connection.getresponse().read()
    issuing = time.monotonic() - started
    latencies = []
    for index in range(calls):
        sent = time.monotonic()
        connection.request("POST", f"/api/v1/counters/{('2', '3')[index % 2]}/call-next",
                           headers={"Authorization": f"Bearer {officer}"})
        body = json.loads(connection.getresponse().read())
        seq, last = results.get(timeout=30)
        if seq != body["call"]["seq"]:
            raise SystemExit(f"expected call {body['call']['seq']}, the displays had {seq}")
        latencies.append((last - sent) * 1000)
        if index == 0:
            cpu = cpu_seconds(pids) - cpu
    return latencies, issuing, cpu


def summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 0.99):.1f} ms, "
            f"max {max(values):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--displays", type=int, default=1000)
    parser.add_argument("--staff", type=int, default=100)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--worker", choices=["gevent", "thread"], default="gevent")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="queue-bench-sockets-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade(url)
    create_users(url)
    config = write_config(workdir, url, display={"max_sockets_per_address": 100_000},
                          ticket_printer=None)
    server = LiveServer(config, run_args=("--worker", args.worker)).start(timeout=60)
    context = multiprocessing.get_context("spawn")
    ready, results, stop = context.Queue(), context.Queue(), context.Event()
    try:
        receptionist, officer = server.token("receptionist"), server.token("officer")
        idle_rss = rss_megabytes(server.process.pid)
        idle_http = http_latency(server.port, "/healthz", 50)
        started = time.monotonic()
        child = context.Process(target=socket_process, args=(
            server.url, args.displays, args.staff, officer, ready, results, stop))
        child.start()
        held = ready.get(timeout=600)
        opened_in = time.monotonic() - started
        busy_health = http_latency(server.port, "/healthz", 200)
        busy_state = http_latency(server.port, "/api/v1/display/state", 200)
        latencies, issuing, issue_cpu = call_latency(server, receptionist, officer, results,
                                                     args.calls)
        busy_rss = rss_megabytes(server.process.pid)
    finally:
        stop.set()
        server.stop()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, worker {args.worker}, SQLite")
    print(f"sockets held: {held} ({args.displays} display + {args.staff} staff), "
          f"opened in {opened_in:.1f} s")
    print(f"{args.calls} tickets issued back to back with {held} sockets open: "
          f"{1000 * issuing / args.calls:.1f} ms each; server CPU {1000 * issue_cpu / args.calls:.1f}"
          f" ms a ticket with its queue_changed to every display (and the first call's)")
    print(f"the first call, right after them, to the last of {args.displays} displays: "
          f"{latencies[0]:.0f} ms (the display clients, one Python process, still decoding "
          f"{args.calls * args.displays:,} queue_changed messages)")
    print(f"call to the last of {args.displays} displays over the other {args.calls - 1} "
          f"calls: {summary(latencies[1:])}")
    print(f"RSS of the server's processes: {idle_rss:.0f} MB idle, {busy_rss:.0f} MB with "
          f"{held} sockets")
    print(f"GET /healthz idle: {summary(idle_http)}")
    print(f"GET /healthz with {held} sockets open: {summary(busy_health)}")
    print(f"GET /api/v1/display/state with {held} sockets open: {summary(busy_state)}")


if __name__ == "__main__":
    main()
