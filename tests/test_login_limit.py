"""The login limit holds under concurrency on both databases, and counts per username and
real client address (X-Forwarded-For believed only from the configured proxies)."""
from __future__ import annotations

import threading
import time

import pytest

from queue_server.app import parse_config
from queue_server.auth import service
from queue_server.platform.config_values import ConfigError

from .support import PASSWORD, config_data

WRONG = {"username": "officer", "password": "salah-terus"}
GUESSES = 50


@pytest.mark.commits
@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/login"])
def test_concurrent_wrong_guesses_never_pass_the_limit(app, users, monkeypatch, path):
    checked: list[str] = []
    real_check = service.check_password_hash

    def slow_check(stored: str, password: str) -> bool:
        checked.append(password)
        time.sleep(0.02)  # a real hash takes longer still: the race window stays open
        return real_check(stored, password)

    monkeypatch.setattr(service, "check_password_hash", slow_check)
    start = threading.Barrier(GUESSES)
    statuses: list[int] = []

    def guess() -> None:
        client = app.test_client()
        start.wait()
        if path == "/login":
            statuses.append(client.post(path, data=WRONG).status_code)
        else:
            statuses.append(client.post(path, json=WRONG).status_code)

    threads = [threading.Thread(target=guess) for _ in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    limit = app.extensions["queue"].config.security.login_attempts_per_minute
    assert len(checked) <= limit
    assert sorted(statuses) == [401] * limit + [429] * (GUESSES - limit)


def post_from(client, address: str, **body):
    return client.post("/api/v1/auth/token", json=body,
                       headers={"X-Forwarded-For": address})


@pytest.mark.parametrize("config_overrides", [{"security": {"trusted_proxies": 1}}])
def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(client, users):
    statuses = [post_from(client, "203.0.113.5", **WRONG).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    locked = post_from(client, "203.0.113.5", username="officer", password=PASSWORD)
    assert locked.status_code == 429
    # The same user at another desk behind the same proxy is not locked out.
    other = post_from(client, "203.0.113.6", username="officer", password=PASSWORD)
    assert other.status_code == 201


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, users):
    for number in range(10):  # a client cannot dodge the limit by inventing addresses
        assert post_from(client, f"198.51.100.{number}", **WRONG).status_code == 401
    assert post_from(client, "198.51.100.99", **WRONG).status_code == 429


@pytest.mark.parametrize("config_overrides", [{"security": {"trusted_proxies": 1}}])
def test_a_good_login_clears_the_count_of_its_address(client, users):
    for _ in range(9):
        post_from(client, "203.0.113.7", **WRONG)
    assert post_from(client, "203.0.113.7", username="officer",
                     password=PASSWORD).status_code == 201
    statuses = [post_from(client, "203.0.113.7", **WRONG).status_code for _ in range(10)]
    assert statuses == [401] * 10


@pytest.mark.parametrize("config_overrides", [{"security": {"trusted_proxies": 1}}])
def test_the_page_login_counts_the_forwarded_address_too(client, users):
    for _ in range(10):
        client.post("/login", data=WRONG, headers={"X-Forwarded-For": "203.0.113.8"})
    limited = client.post("/login", data=WRONG, headers={"X-Forwarded-For": "203.0.113.8"})
    assert limited.status_code == 429
    elsewhere = client.post("/login", data={"username": "officer", "password": PASSWORD},
                            headers={"X-Forwarded-For": "203.0.113.9"})
    assert elsewhere.status_code == 302


@pytest.mark.parametrize("value", [-1, 6, "two", 1.5])
def test_a_bad_trusted_proxies_names_the_key(tmp_path, value):
    data = config_data("sqlite://", tmp_path / "instance", security={"trusted_proxies": value})
    with pytest.raises(ConfigError, match=r"^security\.trusted_proxies: "):
        parse_config(data, tmp_path / "config.yaml")
