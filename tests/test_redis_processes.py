"""Two server processes share calls through Redis, as behind a load balancer."""
from __future__ import annotations

import os
import threading
import uuid

import pytest
import redis
import socketio

from .support import LiveServer, write_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {exc}")
    return REDIS_URL


def test_a_call_on_one_process_reaches_a_display_on_the_other(tmp_path, redis_url):
    # A channel of its own, so parallel runs on the same Redis never hear each other.
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'shared.db'}",
                          redis_channel=f"test-{uuid.uuid4().hex}")
    from queue_server.platform.migrate import upgrade

    from .support import create_users
    upgrade(f"sqlite:///{tmp_path / 'shared.db'}")
    create_users(f"sqlite:///{tmp_path / 'shared.db'}")
    env = {"REDIS_URL": redis_url}
    first, second = LiveServer(config, env=env).start(), LiveServer(config, env=env).start()
    try:
        received, arrived = [], threading.Event()
        display = socketio.Client(reconnection=False)

        @display.on("call", namespace="/display")
        def on_call(data):
            received.append(data)
            arrived.set()

        display.connect(second.url, namespaces=["/display"], transports=["websocket"])
        first.api("post", "/tickets", first.token("receptionist"),
                  json={"service": "INFO", "category": "lansia"})
        response = first.api("post", "/counters/1/call-next", first.token("officer"))
        assert response.status_code == 200
        assert arrived.wait(5), "the call never crossed from one process to the other"
        assert received[0]["number"] == "P-001" and received[0]["counter"] == "1"
        display.disconnect()
    finally:
        first.stop()
        second.stop()
