"""A server killed with SIGKILL in the middle of a send: after a restart every message
arrives, the one in flight with the same idempotency key, so the gateway takes it once."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ..conftest import _DIRTY
from ..support import LiveServer, create_users, reset_database, write_config
from .conftest import notify_section
from .test_gateway_outage import wait_for

TOKEN = "rahasia-gateway-123"


@pytest.fixture
def config_overrides(gateway) -> dict:
    return {"notify": notify_section(gateway.url, ahead_threshold=50, gateway={
        "auth_header": "X-Api-Key", "auth_env": "NOTIFY_TEST_TOKEN"})}


def children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(status.parent.name))
    return found


def kill_hard(server: LiveServer) -> None:
    """SIGKILL the gunicorn master and its worker at once: no clean-up runs anywhere."""
    master = server.process.pid
    for pid in [master, *children(master)]:
        os.kill(pid, signal.SIGKILL)
    server.process.wait(10)
    server.process = None


def statuses(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status FROM notifications ORDER BY id")).all()
    engine.dispose()
    return [row[0] for row in rows]


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_database(request, tmp_path, config_overrides) -> tuple:
    """(config path, database URL): the server's office on an emptied database."""
    if request.param == "sqlite":
        return request.getfixturevalue("live_config"), request.getfixturevalue("sqlite_url")
    url = request.getfixturevalue("postgresql_url")
    _DIRTY.add("postgresql")  # committed rows: the next rolled-back test empties it first
    reset_database(url)
    create_users(url)
    return write_config(tmp_path, url, **config_overrides), url


def test_a_message_in_flight_when_the_server_is_killed_is_sent_once(crash_database, gateway):
    config_path, database_url = crash_database
    server = LiveServer(config_path, env={"NOTIFY_TEST_TOKEN": TOKEN}).start()
    try:
        reception, officer = server.token("receptionist"), server.token("officer")
        phones = [f"0813-1111-22{index:02d}" for index in range(4)]
        for phone in phones:
            assert server.api("POST", "/tickets", reception, json={
                "service": "INFO", "category": "umum", "phone": phone,
                "notify_consent": True}).status_code == 201
        server.api("POST", "/counters/2/call-next", officer)
        wait_for(lambda: len(gateway.delivered) == 1)
        gateway.mode = "hang"  # the next send hangs: the server dies in the middle of it
        gateway.arrived.clear()
        server.api("POST", "/counters/3/call-next", officer)
        assert gateway.arrived.wait(20)
        server.api("POST", "/counters/1/call-next", officer)  # nothing for the priority desk
        kill_hard(server)
        gateway.mode = "ok"
        gateway.release.set()  # the gateway had taken the message; its answer reached nobody
        server.start()
        server.api("POST", "/counters/2/call-next", server.token("officer"))
        wait_for(lambda: statuses(database_url) == ["sent", "sent", "sent"], timeout=30)
    finally:
        server.stop()
    texts = gateway.texts()
    assert sorted(texts) == sorted(f"Nomor antrean A-00{n}: silakan menuju Loket {c}."
                                   for n, c in ((1, 2), (2, 3), (3, 2)))
    keys = [r["key"] for r in gateway.requests]
    # The message in flight reached the gateway twice with one key (taken once); the others
    # once each. A gateway that ignored the key would have sent that one message twice.
    assert sorted(keys.count(key) for key in set(keys)) == [1, 1, 2]
    assert {r["auth"] for r in gateway.requests} == {TOKEN}
    log = server.log_path.read_text()
    for phone in phones:
        digits = phone.replace("-", "")
        assert digits not in log and "+62" + digits[1:] not in log
