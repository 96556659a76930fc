"""SIGTERM: the process stops accepting, finishes what is in flight, drops its sockets at
once (so TVs reconnect elsewhere) and releases its leases."""
from __future__ import annotations

import signal
import threading
import time

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from printer.fake import FakeNetworkPrinter


@pytest.fixture
def fake_printer():
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    """A local network printer (its worker takes the printer's lease) and an agent printer
    (its long poll is the request in flight)."""
    return {"printers": {
        "desk": {"type": "network", "host": "127.0.0.1", "port": fake_printer.port,
                 "timeout": 2},
        "agen": {"type": "network", "host": "127.0.0.1", "port": 9, "agent": True}},
        "ticket_printer": "desk"}


def _leases(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, holder FROM leases ORDER BY name")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_sigterm_finishes_requests_drops_sockets_and_releases_leases(live_server, sqlite_url):
    token = live_server.token("agent")
    deadline = time.monotonic() + 10
    while not {"print-monitor", "printer:desk"} <= {name for name, _ in _leases(sqlite_url)}:
        assert time.monotonic() < deadline, "the server never took its leases"
        time.sleep(0.1)

    dropped = threading.Event()
    display = socketio.Client(reconnection=False)
    display.on("disconnect", lambda *_: dropped.set(), namespace="/display")
    display.connect(live_server.url, namespaces=["/display"], transports=["websocket"])

    answer = {}

    def long_poll():  # an agent's poll, held open by the server for up to 8 s
        answer["response"] = requests.get(
            live_server.url + "/api/v1/printers/agen/jobs/next?wait=8",
            headers={"Authorization": f"Bearer {token}"}, timeout=20)

    poll = threading.Thread(target=long_poll)
    poll.start()
    time.sleep(0.5)
    stopped_at = time.monotonic()
    live_server.process.send_signal(signal.SIGTERM)
    assert dropped.wait(5), "the display socket was held open after SIGTERM"
    socket_gone = time.monotonic() - stopped_at
    live_server.process.wait(15)
    exited = time.monotonic() - stopped_at
    poll.join(15)
    live_server.process = None

    assert socket_gone < 5  # not the 10 s graceful timeout
    assert exited < 9  # gunicorn would have waited 10 s for the socket, then killed it
    # The request in flight got its answer (the poll ends early: nothing to print), not a
    # cut connection.
    assert answer["response"].status_code == 204
    assert _leases(sqlite_url) == []  # released, not left to expire
    with pytest.raises(requests.ConnectionError):
        requests.get(live_server.url + "/healthz", timeout=2)
