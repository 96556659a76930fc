"""Redis between two server processes dies and comes back: the TV says it is not live, then
catches up from the database and announces the calls it missed oldest first."""
from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest
import redis
from playwright.sync_api import expect

from queue_server.platform.migrate import upgrade

from ..support import LiveServer, create_users, free_port, write_config


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs no other test."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(50):
            try:
                client.ping()
                return self
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (make test installs it)")
    server = PrivateRedis().start()
    yield server
    server.stop()


def _call(server: LiveServer, officer: str, receptionist: str, counter: str = "2") -> dict:
    server.api("post", "/tickets", receptionist, json={"service": "INFO", "category": "umum"})
    answer = server.api("post", f"/counters/{counter}/call-next", officer)
    assert answer.status_code == 200, answer.text
    return answer.json()["call"]


def test_the_tv_shows_it_is_not_live_then_catches_up_oldest_first(tmp_path, private_redis,
                                                                   open_display):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    upgrade(url)
    create_users(url)
    config = write_config(tmp_path, url, redis_channel=f"test-{uuid.uuid4().hex}")
    env = {"REDIS_URL": private_redis.url}
    caller, shown_by = LiveServer(config, env=env).start(), LiveServer(config, env=env).start()
    try:
        officer, receptionist = caller.token("officer"), caller.token("receptionist")
        page = open_display(shown_by)
        first = _call(caller, officer, receptionist)
        expect(page.locator("#current-number")).to_have_text(first["number"], timeout=5000)
        banner = page.locator("#disconnected-banner")
        expect(banner).to_be_hidden()

        private_redis.stop()
        # The socket to the server is still open; only the heartbeat stops arriving.
        expect(banner).to_be_visible(timeout=6000)
        assert page.evaluate("document.body.dataset.connection") == "stale"

        missed = [_call(caller, officer, receptionist, counter) for counter in ("2", "3", "2")]
        private_redis.start()
        expect(banner).to_be_hidden(timeout=40_000)
        expect(page.locator("#current-number")).to_have_text(missed[-1]["number"],
                                                             timeout=5000)
        # missed[0]'s ticket was finished by missed[2] at the same counter before the TV
        # caught up: it is history, not news, and is not announced (issue 10).
        expected = [missed[1]["seq"], missed[2]["seq"]]
        page.wait_for_function(
            "seqs => seqs.every(seq => window.displayLog.announcements.some("
            "item => item.seq === seq))", arg=expected, timeout=10_000)
        announced = [item["seq"] for item in page.evaluate("window.displayLog.announcements")]
        assert announced == [first["seq"]] + expected
    finally:
        caller.stop()
        shown_by.stop()

