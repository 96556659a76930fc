"""Three `queue-server run` processes behind a real nginx on PostgreSQL and Redis, one of
them killed with SIGKILL under load: nothing acknowledged is lost or doubled, no ticket is
called twice, every TV is back within 5 s with every call, every ticket prints once (the
one job that was mid-send excepted, and reported).

The nginx is Debian's (`make test` installs it), run as a child with its own prefix and
the shipped site file (deploy/nginx/queue-server.conf) pointed at the test's ports.
"""
from __future__ import annotations

import asyncio
import getpass
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
import requests
import socketio
from sqlalchemy import create_engine, text

from printer.fake import FakeNetworkPrinter

from .support import (
    PASSWORD,
    ROOT,
    LiveServer,
    create_users,
    free_port,
    reset_database,
    write_config,
)

pytestmark = [pytest.mark.commits, pytest.mark.xdist_group("cluster"),
              pytest.mark.timeout(240)]

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SITE = ROOT / "deploy" / "nginx" / "queue-server.conf"
ISSUERS, COUNTERS, TVS = 20, ("1", "2", "3", "4", "5"), 50
LOAD_BEFORE_KILL, LOAD_AFTER_KILL = 6.0, 6.0
LEASE_SECONDS = 3
NUMBER = re.compile(rb"\b[AP]-\d{3,}\b")


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(what + " (CI=true: the cluster test is required)")
    pytest.skip(what)


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _missing(f"Redis does not answer at {REDIS_URL}: {exc}")
    return REDIS_URL


@pytest.fixture
def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.path.exists(path)), None)
    if found is None:
        _missing("nginx is not installed (make test installs Debian's nginx)")
    return found


def nginx_conf(prefix: Path, listen: int, upstreams: list[int]) -> Path:
    """The shipped site file inside a minimal nginx.conf of the test's own."""
    site = SITE.read_text()
    defaults = (5001, 5002, 5003)
    assert 1 <= len(upstreams) <= len(defaults)
    for default, port in zip(defaults, upstreams, strict=False):
        site = site.replace(f"127.0.0.1:{default} ", f"127.0.0.1:{port} ")
    for default in defaults[len(upstreams):]:  # fewer processes: their lines go
        site = "".join(line for line in site.splitlines(keepends=True)
                       if f"127.0.0.1:{default} " not in line)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    assert f"127.0.0.1:{listen}" in site and all(f":{p} " in site for p in upstreams)
    temps = "\n".join(f"  {kind}_temp_path {prefix}/{kind};"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    path = prefix / "nginx.conf"
    path.write_text(f"""
user {getpass.getuser()};
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
{temps}
{site}
}}
""")
    return path


class Nginx:
    def __init__(self, binary: str, prefix: Path, listen: int, upstreams: list[int]):
        prefix.mkdir(parents=True, exist_ok=True)
        self.conf = nginx_conf(prefix, listen, upstreams)
        self.prefix = prefix
        self.url = f"http://127.0.0.1:{listen}"
        self.process = subprocess.Popen(
            [binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(self.conf),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", listen), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: " + self.log()) from None
                time.sleep(0.05)

    def log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text()[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class Tv:
    """One display socket behaving like the TV page: a snapshot on connect, and another
    when a call's seq or a heartbeat shows calls it has not had. It waits a second before
    asking, since calls made on different processes may arrive out of order through Redis:
    fifty TVs asking at every reordering would flood the servers with snapshots."""

    CATCH_UP_SECONDS = 1.0

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.last_seq = 0
        self.connected = False
        self.dropped_at: float | None = None
        self.back_after: list[float] = []
        self.client: socketio.AsyncClient | None = None
        self.catching_up = False

    def missing(self) -> bool:
        return any(seq not in self.seen for seq in range(1, self.last_seq + 1))

    async def catch_up(self) -> None:
        if self.catching_up:
            return
        self.catching_up = True
        try:
            await asyncio.sleep(self.CATCH_UP_SECONDS)
            if self.missing() and self.connected:
                await self.client.emit("snapshot", namespace="/display")
        except socketio.exceptions.SocketIOError:
            pass  # reconnecting: the next connect brings a snapshot anyway
        finally:
            self.catching_up = False

    def attach(self, client: socketio.AsyncClient) -> None:
        self.client = client

        @client.on("connect", namespace="/display")
        async def on_connect():
            self.connected = True
            if self.dropped_at is not None:
                self.back_after.append(time.monotonic() - self.dropped_at)
                self.dropped_at = None

        @client.on("disconnect", namespace="/display")
        async def on_disconnect(*_args):
            self.connected = False
            self.dropped_at = time.monotonic()

        @client.on("state", namespace="/display")
        async def on_state(state):
            self.seen.update(call["seq"] for call in state["recent"])
            self.last_seq = max(self.last_seq, state["seq"])

        @client.on("call", namespace="/display")
        async def on_call(call):
            self.seen.add(call["seq"])
            self.last_seq = max(self.last_seq, call["seq"])
            if self.missing():
                asyncio.ensure_future(self.catch_up())

        @client.on("heartbeat", namespace="/display")
        async def on_heartbeat(beat):
            self.last_seq = max(self.last_seq, beat["seq"])
            if self.missing():
                asyncio.ensure_future(self.catch_up())


def run_tvs(url: str, tvs: list[Tv], ready: threading.Event, stop: threading.Event) -> None:
    async def main() -> None:
        clients = []
        for tv in tvs:
            client = socketio.AsyncClient(reconnection=True, reconnection_delay=0.2,
                                          reconnection_delay_max=1.0, randomization_factor=0.5)
            tv.attach(client)
            await client.connect(url, namespaces=["/display"], transports=["websocket"],
                                 wait_timeout=20)
            clients.append(client)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        for client in clients:
            await client.disconnect()

    asyncio.run(main())


def worker_pid(server: LiveServer) -> int:
    """The gunicorn worker of a `queue-server run` (its only child)."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    return int(children.read_text().split()[0])


def test_three_processes_behind_nginx_survive_one_killed(tmp_path, postgresql_url, redis_url,
                                                         nginx_binary):
    reset_database(postgresql_url)
    create_users(postgresql_url)
    engine = create_engine(postgresql_url)
    with FakeNetworkPrinter() as printer_listener:
        config = write_config(
            tmp_path, postgresql_url, redis_channel=f"cluster-{uuid.uuid4().hex}",
            printers={"desk": {"type": "network", "host": "127.0.0.1",
                               "port": printer_listener.port, "timeout": 2,
                               "status_query": False}},
            ticket_printer="desk",
            counters=[{"code": code, "name": f"Loket {code}", "name_en": f"Counter {code}",
                       "services": ["*"]} for code in COUNTERS],
            display={"recent_calls": 30, "max_sockets_per_address": 1000,
                     "snapshots_per_minute": 6000,
                     "named": {"lobi": {"counters": list(COUNTERS)}}},
            cluster={"lease_seconds": LEASE_SECONDS},
            security={"trusted_proxies": 1, "login_attempts_per_minute": 100})
        servers = [LiveServer(config, env={"REDIS_URL": redis_url}) for _ in range(3)]
        starters = [threading.Thread(target=server.start, kwargs={"timeout": 60})
                    for server in servers]
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join()
        nginx = None
        try:
            assert all(server.process and server.process.poll() is None for server in servers)
            nginx = Nginx(nginx_binary, tmp_path / "nginx", free_port(),
                          [server.port for server in servers])
            _run_load(nginx, servers, engine, printer_listener)
        finally:
            if nginx is not None:
                nginx.stop()
            for server in servers:
                server.stop()
            engine.dispose()


def _token(url: str, role: str) -> str:
    answer = requests.post(url + "/api/v1/auth/token",
                           json={"username": role, "password": PASSWORD}, timeout=10)
    answer.raise_for_status()
    return answer.json()["token"]


class Load:
    """The clients: issuing receptionists and calling counters, through nginx."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.receptionist, self.officer = _token(url, "receptionist"), _token(url, "officer")
        self.stop = threading.Event()
        self.acked: list[tuple[str, int, str]] = []
        self.unacked: list[str] = []
        self.called: list[tuple[str, int]] = []
        self.failures: Counter = Counter()
        self.threads = [threading.Thread(target=self.issuer, args=(index,))
                        for index in range(ISSUERS)]
        self.threads += [threading.Thread(target=self.counter, args=(code,))
                         for code in COUNTERS]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)

    def issue_once(self, session: requests.Session, body: dict) -> None:
        """One ticket, the same Idempotency-Key until acknowledged: a retry after a lost
        answer never makes a second ticket."""
        key = uuid.uuid4().hex
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                answer = session.post(self.url + "/api/v1/tickets", json=body, timeout=20,
                                      headers={"Idempotency-Key": key})
                if answer.status_code == 201:
                    self.acked.append((key, answer.json()["id"], answer.json()["number"]))
                    return
                self.failures[f"issue {answer.status_code}"] += 1
            except requests.RequestException as exc:
                self.failures[f"issue {type(exc).__name__}"] += 1
            time.sleep(0.2)
        self.unacked.append(key)

    def issuer(self, seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.receptionist}"
        while not self.stop.is_set():
            self.issue_once(session, {
                "service": rng.choice(["INFO", "KONSUL", "SURAT"]),
                "category": rng.choice(["umum", "umum", "lansia", "disabilitas"])})
            time.sleep(rng.uniform(0.5, 1.5))  # a receptionist's pace, twenty of them

    def counter(self, code: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.officer}"
        while not self.stop.is_set():
            try:
                answer = session.post(self.url + f"/api/v1/counters/{code}/call-next",
                                      timeout=20)
                if answer.status_code == 200:
                    self.called.append((code, answer.json()["id"]))
                elif answer.status_code != 204:
                    self.failures[f"call {answer.status_code}"] += 1
            except requests.RequestException as exc:
                self.failures[f"call {type(exc).__name__}"] += 1
            time.sleep(1.0)


def _lease_holder(engine) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT holder FROM leases WHERE name = 'printer:desk'"))


def _kill_printer_holder(engine, servers: list[LiveServer]) -> str:
    """SIGKILL the process that sends the printer's jobs: the hardest one to lose."""
    holder = _lease_holder(engine)
    assert holder, "no process holds the printer's lease"
    victim = next(server for server in servers if f":{worker_pid(server)}:" in holder)
    for pid in (victim.process.pid, worker_pid(victim)):  # the master first: no new worker
        os.kill(pid, signal.SIGKILL)
    victim.process.wait(10)
    victim.process = None
    return holder


def _wait_for_takeover(engine, holder: str, killed_at: float) -> float | None:
    while time.monotonic() - killed_at < LOAD_AFTER_KILL:
        now_holder = _lease_holder(engine)
        if now_holder and now_holder != holder:
            return time.monotonic() - killed_at
        time.sleep(0.1)
    return None


def _outbox(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(text(
            "SELECT status, count(*) FROM print_jobs GROUP BY status")).all())


def _run_load(nginx: Nginx, servers: list[LiveServer], engine, printer_listener) -> dict:
    stop_tvs, tvs_ready = threading.Event(), threading.Event()
    tvs = [Tv() for _ in range(TVS)]
    tv_thread = threading.Thread(target=run_tvs, args=(nginx.url, tvs, tvs_ready, stop_tvs),
                                 daemon=True)
    tv_thread.start()
    assert tvs_ready.wait(60), "the display sockets did not connect through nginx"
    load = Load(nginx.url)
    load.start()
    time.sleep(LOAD_BEFORE_KILL)
    connected_before = sum(tv.connected for tv in tvs)
    acked_before_kill = len(load.acked)
    killed_at = time.monotonic()
    holder = _kill_printer_holder(engine, servers)
    takeover = _wait_for_takeover(engine, holder, killed_at)
    time.sleep(max(0.0, LOAD_AFTER_KILL - (time.monotonic() - killed_at)))
    load.finish()

    deadline = time.monotonic() + 60  # the outbox drains from the new holder
    while set(_outbox(engine)) - {"printed"} and time.monotonic() < deadline:
        time.sleep(0.2)
    with engine.connect() as connection:
        tickets = dict(connection.execute(text("SELECT id, number FROM tickets")).all())
        first_calls = connection.execute(text(
            "SELECT ticket_id, count(*) FROM calls WHERE NOT recall GROUP BY ticket_id")).all()
        all_calls = {row[0] for row in connection.execute(text("SELECT id FROM calls"))}
    time.sleep(3)  # two heartbeats: a TV behind on the calls catches up from its snapshot
    stop_tvs.set()
    tv_thread.join(30)

    printed = Counter(number.decode() for job in printer_listener.jobs
                      for number in set(NUMBER.findall(job)))
    report = {"tickets acknowledged": len(load.acked), "before the kill": acked_before_kill,
              "calls": len(all_calls), "failed attempts retried": dict(load.failures),
              "display sockets dropped": sum(1 for tv in tvs if tv.back_after),
              "slowest reconnect s": round(max((t for tv in tvs for t in tv.back_after),
                                               default=0), 2),
              "outbox": _outbox(engine),
              "printer lease taken over after s": takeover and round(takeover, 1),
              "printed twice (mid-send when killed)":
                  sorted(n for n, count in printed.items() if count > 1)}
    print("\ncluster test:", report)

    _check_tickets(load, tickets, acked_before_kill)
    _check_calls(load, first_calls)
    # Every display socket is back on a live process within 5 s, and has every call.
    assert connected_before == TVS
    assert report["display sockets dropped"] > 0  # the killed process held some of them
    assert all(t < 5 for tv in tvs for t in tv.back_after), report
    for index, tv in enumerate(tvs):
        missing = all_calls - tv.seen
        assert not missing, f"TV {index} never had calls {sorted(missing)[:10]}"
    # The printer: the lease moved within its time, every ticket printed once, except
    # (at most) the one job the killed process was sending.
    assert takeover is not None and takeover < LEASE_SECONDS + 2, report
    assert report["outbox"] == {"printed": len(tickets)}, report
    assert set(printed) == set(tickets.values())
    twice = report["printed twice (mid-send when killed)"]
    assert len(twice) <= 1 and all(printed[number] == 2 for number in twice), report
    return report


def _check_tickets(load: Load, tickets: dict[int, str], acked_before_kill: int) -> None:
    """Every acknowledged ticket exists once, nothing else exists, numbers have no gap."""
    acked = load.acked
    assert load.unacked == []
    assert len(acked) > 50 and acked_before_kill < len(acked)
    assert len({ticket_id for _, ticket_id, _ in acked}) == len(acked)
    assert all(tickets.get(ticket_id) == number for _, ticket_id, number in acked)
    assert len(tickets) == len(acked)  # nothing committed that nobody was told about
    for prefix in ("A", "P"):
        numbers = sorted(int(number.split("-")[1]) for number in tickets.values()
                         if number.startswith(prefix + "-"))
        assert numbers == list(range(1, len(numbers) + 1)), prefix


def _check_calls(load: Load, first_calls) -> None:
    """No ticket called twice: by the database and by what the counters were told."""
    assert all(count == 1 for _, count in first_calls)
    assert len({ticket_id for _, ticket_id in load.called}) == len(load.called) > 10
