"""Print what issuing and calling cost, and how the queue behaves as it grows.

1. CPU per ticket, in-process: POST /api/v1/tickets through the whole WSGI app (auth,
   JSON, the transaction, the print job row, the events published after the commit), CPU
   time of the process per ticket; the queue alone and with a ticket printer.
2. Tickets per second from 1, 4 and 8 clients against a real `queue-server run` on SQLite
   (keep-alive HTTP/1.1 clients on the same machine, a process each).
3. Call-to-display latency: call-next sent until every one of 10 /display Socket.IO
   clients, in a process of their own, has the `call` event.
4. The depth table: issue, call-next, the display snapshot and a page of the queue (the
   first and one half-way down) with 100, 1,000, 10,000 and 50,000 tickets waiting, on
   SQLite and on PostgreSQL (BENCH_POSTGRES_URL, else the tests' TEST_POSTGRES_URL or
   database `test` on 127.0.0.1; its tables are emptied), p50 and p95.
5. The spoken call's file (bytes, time to make it) and the server's RSS idle and with
   1,000 display sockets, from bench/audio_rss.py.
"""
from __future__ import annotations

import argparse
import http.client
import io
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import audio_rss  # noqa: E402
from measure import cpu_seconds, percentile, process_and_children  # noqa: E402

from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.support import (  # noqa: E402
    BASE_PG_URL,
    PASSWORD,
    LiveServer,
    create_users,
    reset_database,
    write_config,
)

PORTS = iter(range(int(os.environ.get("BENCH_PORT", "18500")), 18600))
"""Servers the bench starts listen on these ports (one range per person on a shared box)."""


def issue_client(port: int, token: str, index: int, stop: float, issued, failed) -> None:
    """One desk: keep-alive http.client (little CPU: the clients share the machine with
    the server), issuing until the wall clock reaches `stop`; a failed request (an error
    status, or a connection dropped by a dying process) is counted and the desk goes on."""
    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    connection = connect()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"service": "INFO", "category": "lansia" if index % 2 else "umum"})
    while time.time() < stop:
        try:
            connection.request("POST", "/api/v1/tickets", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed[index] += 1
            connection.close()
            connection = connect()
            continue
        if response.status == 201:
            issued[index] += 1
        else:
            failed[index] += 1
    connection.close()


def issue_load(port: int, token: str, clients: int, seconds: float) -> tuple[int, int, float]:
    """(issued, failed, seconds) for `clients` desks issuing for `seconds`, each desk a
    process of its own (as desks are): threads of one process share one interpreter lock,
    and the load generator, not the server, would set the pace (630 against 695 tickets/s
    on this machine). bench/scale.py issues through nginx with it too."""
    issued, failed = multiprocessing.Array("i", clients), multiprocessing.Array("i", clients)
    stop = time.time() + seconds
    desks = [multiprocessing.Process(target=issue_client,
                                     args=(port, token, index, stop, issued, failed))
             for index in range(clients)]
    started = time.monotonic()
    for desk in desks:
        desk.start()
    for desk in desks:
        desk.join()
    return sum(issued), sum(failed), time.monotonic() - started


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


def in_process_app(url: str, workdir: Path, printer: str | None):
    """The app on `url` in this process, with a bearer token per role, no background threads
    (the print workers and the purge are not started: their CPU is not the request's)."""
    from queue_server import create_app
    from queue_server.app import load_config

    app = create_app(load_config(write_config(workdir, url, ticket_printer=printer)))
    client = app.test_client()
    headers = {}
    for role in ("receptionist", "officer", "display"):
        token = client.post("/api/v1/auth/token",
                            json={"username": role, "password": PASSWORD}).json["token"]
        headers[role] = {"Authorization": f"Bearer {token}"}
    return app, client, headers


def cpu_per_ticket(workdir: Path, printer: str | None, rounds: int = 15,
                   tickets: int = 100) -> tuple[float, float]:
    """CPU ms per issued ticket through the WSGI app: (best round, median round)."""
    url = f"sqlite:///{workdir / f'cpu-{printer}.db'}"
    upgrade(url)
    create_users(url)
    app, _client, headers = in_process_app(url, workdir / f"cpu-{printer}", printer)
    bodies = [json.dumps({"service": "INFO", "category": "lansia"}).encode(),
              json.dumps({"service": "KONSUL", "category": "umum"}).encode()]
    # The environ a WSGI server hands the app (the test client's own work of building
    # one, cookies and redirects, is left out: it is not the server's).
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/tickets", "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "5000", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.version": (1, 0),
               "wsgi.errors": sys.stderr, "wsgi.multithread": False,
               "wsgi.multiprocess": False, "wsgi.run_once": False,
               "CONTENT_TYPE": "application/json", "HTTP_HOST": "127.0.0.1:5000",
               "HTTP_AUTHORIZATION": headers["receptionist"]["Authorization"]}
    status = []

    def start_response(line, _headers, _exc_info=None):
        status.append(line)

    def issue(index: int) -> None:
        body = bodies[index % 2]
        request = dict(environ, CONTENT_LENGTH=str(len(body)), **{"wsgi.input": io.BytesIO(body)})
        b"".join(app(request, start_response))
        if not status.pop().startswith("201"):
            raise SystemExit("issue failed")

    for index in range(50):  # warm the statement caches
        issue(index)
    figures = []
    for _ in range(rounds):
        started = time.process_time()
        for index in range(tickets):
            issue(index)
        figures.append((time.process_time() - started) * 1000 / tickets)
    app.extensions["queue"].engine.dispose()
    return min(figures), statistics.median(figures)


def seed_waiting(url: str, waiting: int) -> None:
    """Empty the database and fill it with `waiting` tickets waiting (a third priority,
    three services), their count rows and one user per role."""
    from sqlalchemy import insert, text

    from queue_server.platform.database import make_engine
    from queue_server.tickets.models import Ticket, TicketStatus

    reset_database(url)
    create_users(url)
    engine = make_engine(url)
    created = datetime.now(UTC) - timedelta(hours=2)
    services = ("INFO", "KONSUL", "SURAT")
    rows = [{"number": f"S-{n}", "public_id": f"seed-{n}", "prefix": "S",
             "day": created.date() - timedelta(days=1), "sequence": n,
             "service": services[n % 3], "category": "lansia" if n % 3 == 0 else "umum",
             "priority": int(n % 3 == 0), "status": TicketStatus.WAITING,
             "created_at": created} for n in range(1, waiting + 1)]
    with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(insert(Ticket.__table__), rows[start:start + 5000])
        connection.execute(text(
            "INSERT INTO waiting_counts (service, priority, waiting) SELECT service, priority, "
            "COUNT(*) FROM tickets WHERE status = 'waiting' GROUP BY service, priority"))
        connection.execute(text("ANALYZE"))
    if engine.dialect.name == "sqlite":
        # Fold the seeding's write-ahead log into the database file, as a quiet hour would.
        raw = engine.raw_connection()
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
    engine.dispose()


def timed(function, times: int) -> list[float]:
    result = []
    for index in range(times):
        started = time.perf_counter()
        function(index)
        result.append((time.perf_counter() - started) * 1000)
    return result


def halfway_cursor(client, headers, waiting: int) -> str:
    """The cursor of the ticket half-way down the queue, walked to 500 at a time."""
    cursor, left = None, max(1, waiting // 2)
    while left > 0:
        step = min(500, left)
        path = f"/api/v1/queue?limit={step}" + (f"&cursor={cursor}" if cursor else "")
        cursor = client.get(path, headers=headers).json["next_cursor"]
        left -= step
    return cursor


def depth_row(url: str, workdir: Path, waiting: int, samples: int) -> dict[str, list[float]]:
    """Wall ms of issue, call-next, the display snapshot and queue pages at one depth."""
    seed_waiting(url, waiting)
    app, client, headers = in_process_app(url, workdir / f"depth-{waiting}", None)

    def expect(response, *statuses):
        if response.status_code not in statuses:
            raise SystemExit(f"{response.request.path} answered {response.status_code}")
        return response

    def issue(index):
        expect(client.post("/api/v1/tickets", json={"service": "INFO", "category": (
            "lansia", "umum")[index % 2]}, headers=headers["receptionist"]), 201)

    def call_next(index):
        expect(client.post(f"/api/v1/counters/{'23'[index % 2]}/call-next",
                           headers=headers["officer"]), 200)

    def snapshot(_index):
        expect(client.get("/api/v1/display/state"), 200)

    halfway = halfway_cursor(client, headers["officer"], waiting)

    def first_page(_index):
        expect(client.get("/api/v1/queue", headers=headers["officer"]), 200)

    def middle_page(_index):
        expect(client.get(f"/api/v1/queue?cursor={halfway}", headers=headers["officer"]), 200)

    for warm in (issue, call_next, snapshot, first_page):
        warm(0)
    figures = {name: timed(function, samples) for name, function in (
        ("issue", issue), ("call-next", call_next), ("snapshot", snapshot),
        ("queue page 1", first_page), ("queue page half-way", middle_page))}
    app.extensions["queue"].engine.dispose()
    return figures


def depth_table(databases: dict[str, str], workdir: Path, depths: list[int],
                samples: int) -> None:
    print("\ndepth table (in-process through the WSGI app, wall ms p50 / p95 (fastest), "
          f"{samples} requests each; a page is 100 tickets):")
    header = ["database", "waiting", "issue", "call-next", "snapshot", "queue page 1",
              "queue page half-way"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, url in databases.items():
        upgrade(url)
        for waiting in depths:
            figures = depth_row(url, workdir, waiting, samples)
            cells = [f"{statistics.median(v):.1f} / {percentile(v, 0.95):.1f} ({min(v):.1f})"
                     for v in figures.values()]
            print(f"| {name} | {waiting:,} | " + " | ".join(cells) + " |", flush=True)


def postgres_url() -> str | None:
    # The tests' PostgreSQL by default (TEST_POSTGRES_URL or database `test` on
    # 127.0.0.1): issue 12 asks for the depth table on both databases.
    url = os.environ.get("BENCH_POSTGRES_URL") or BASE_PG_URL
    try:
        from sqlalchemy import create_engine, text
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return url
    except Exception as exc:  # noqa: BLE001 - the bench says why it skips PostgreSQL
        print(f"PostgreSQL at {url} does not answer ({type(exc).__name__}): SQLite only")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,4,8", help="client counts, comma-separated")
    parser.add_argument("--displays", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--depths", default="100,1000,10000,50000")
    parser.add_argument("--samples", type=int, default=60, help="requests per depth cell")
    parser.add_argument("--audio-calls", type=int, default=1000)
    parser.add_argument("--rss-displays", type=int, default=1000)
    parser.add_argument("--skip", default="",
                        help="sections to skip: cpu,load,audio,rss,depth")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    clients = [int(n) for n in args.clients.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}; load average "
          f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}", flush=True)
    if "cpu" not in skip:
        for printer in (None, "preview"):
            best, median = cpu_per_ticket(workdir, printer)
            label = "the queue alone" if printer is None else "with the ticket's print job row"
            print(f"CPU per ticket in-process ({label}): {best:.2f} ms best round, "
                  f"{median:.2f} ms median of 15 rounds of 100", flush=True)
    if "load" not in skip:
        url = f"sqlite:///{workdir / 'load.db'}"
        upgrade(url)
        create_users(url)
        server = LiveServer(write_config(workdir / "load", url, ticket_printer=None),
                            port=next(PORTS), env={"DATABASE_URL": url}).start()
        try:
            receptionist, officer = server.token("receptionist"), server.token("officer")
            for count in clients:
                pids = process_and_children(server.process.pid)
                cpu = cpu_seconds(pids)
                issued, failed, elapsed = issue_load(server.port, receptionist, count,
                                                     args.seconds)
                cpu = cpu_seconds(pids) - cpu
                if failed:
                    raise SystemExit(f"{failed} tickets failed to issue")
                print(f"tickets issued on SQLite, one `queue-server run`, {count} clients: "
                      f"{issued} in {elapsed:.2f} s = {issued / elapsed:.0f} tickets/s; "
                      f"server CPU {1000 * cpu / max(issued, 1):.2f} ms/ticket, "
                      f"{cpu / elapsed:.2f} cores", flush=True)
            latencies = call_latency(server, officer, args.displays, args.calls)
            print(f"call-to-display latency over {len(latencies)} calls, {args.displays} "
                  f"displays (until the last display has the event): p50 "
                  f"{statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f}"
                  f" ms, p99 {percentile(latencies, 0.99):.1f} ms", flush=True)
        finally:
            server.stop()
    if "audio" not in skip:
        audio_rss.audio_figures(args.audio_calls)  # prints the call file's size and times
    if "rss" not in skip:
        audio_rss.rss_figures(args.rss_displays)  # prints the server's RSS idle and busy
    if "depth" not in skip:
        databases = {"SQLite": f"sqlite:///{workdir / 'depth.db'}"}
        pg = postgres_url()
        if pg:
            databases["PostgreSQL"] = pg
        depth_table(databases, workdir, [int(n) for n in args.depths.split(",")],
                    args.samples)


if __name__ == "__main__":
    main()
