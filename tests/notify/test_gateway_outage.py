"""Against a real HTTP gateway that fails, times out and comes back: each message once."""
from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

from queue_server.app import stop_background
from queue_server.notify.models import Notification, NotificationStatus
from queue_server.platform.clock import utc_now

from .conftest import E164, notify_section


@pytest.fixture
def clock():
    return utc_now  # the sender's retries and leases run on real time here


@pytest.fixture
def config_overrides(gateway, request) -> dict:
    """Messages on, to the fake gateway; a test parametrizes indirectly to change them."""
    return {"notify": notify_section(gateway.url, **getattr(request, "param", {}))}


@pytest.fixture
def sender(app):
    app.extensions["notify"].start()
    yield app.extensions["notify"]
    stop_background(app)


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


def statuses(services) -> dict[int, str]:
    with services.session_factory() as db:
        return {m.id: m.status.value for m in db.scalars(select(Notification))}


@pytest.mark.commits  # the sender is a thread with connections of its own
@pytest.mark.parametrize("config_overrides", [{"ahead_threshold": 50}], indirect=True)
def test_every_message_arrives_once_across_failures_and_timeouts(
        gateway, sender, issue, client, auth, services, caplog):
    caplog.set_level(logging.INFO)
    phones = [f"08129900{index:04d}" for index in range(6)]
    tickets = [issue(phone=phone, notify_consent=True) for phone in phones]

    def call(counter: str) -> None:  # each call closes that counter's previous ticket
        assert client.post(f"/api/v1/counters/{counter}/call-next",
                           headers=auth("officer")).status_code == 200

    def sent() -> int:
        return list(statuses(services).values()).count("sent")

    gateway.mode = "fail"  # the gateway is down: 500
    call("2"), call("3")
    wait_for(lambda: sum(r["mode"] == "fail" for r in gateway.requests) >= 4)
    gateway.mode = "hang"  # it takes a message but answers after the sender's timeout
    wait_for(lambda: sum(r["mode"] == "hang" for r in gateway.requests) >= 2)
    gateway.mode = "ok"  # it comes back
    gateway.release.set()
    wait_for(lambda: sent() == 2)
    call("2"), call("3")
    wait_for(lambda: sent() == 4)
    gateway.release.clear()
    gateway.mode = "hang"
    call("2")
    wait_for(lambda: any(r["mode"] == "hang" for r in gateway.requests[-1:]))
    gateway.mode = "ok"
    gateway.release.set()
    call("3")
    expected = 6  # six calls (no "ahead" message: nobody has 50 ahead)
    wait_for(lambda: sent() == expected)
    texts = gateway.texts()
    assert len(texts) == expected and len(set(texts)) == expected  # each once
    for ticket in tickets:
        assert sum(text.startswith(f"Nomor antrean {ticket['number']}: silakan")
                   for text in texts) == 1
    # The messages the gateway failed or timed out were tried again with the same key.
    keys = [r["key"] for r in gateway.requests]
    assert len(keys) > len(set(keys)) and len(set(keys)) == expected
    with services.session_factory() as db:
        rows = list(db.scalars(select(Notification)))
    assert all(m.phone is None and m.status is NotificationStatus.SENT for m in rows)
    assert any(m.attempts > 1 and "HTTP 500" in (m.last_error or "") for m in rows)
    assert any("did not answer" in (m.last_error or "") for m in rows)
    # The log says which message failed, with the phone masked.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "+62812*****00" in logged
    for phone in phones:
        assert phone not in logged and "+62" + phone[1:] not in logged
        assert phone[1:] not in logged


@pytest.mark.commits
@pytest.mark.parametrize("config_overrides", [{"max_attempts": 3}], indirect=True)
def test_a_message_the_gateway_never_takes_is_given_up_and_recorded(
        gateway, sender, issue, client, auth, services, caplog):
    gateway.mode = "fail"
    issue(phone="0812-3456-7890", notify_consent=True)
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    wait_for(lambda: list(statuses(services).values()) == ["failed"])
    time.sleep(1)  # nothing more is tried after the last attempt
    assert len(gateway.requests) == 3 and gateway.delivered == {}
    with services.session_factory() as db:
        [message] = db.scalars(select(Notification))
    assert message.attempts == 3 and message.phone is None
    assert message.last_error == "not taken after 3 tries; last error: gateway answered HTTP 500"
    assert E164 not in caplog.text and "+62812*****890" in caplog.text


@pytest.mark.commits
def test_two_server_processes_sending_at_once_send_each_message_once(
        gateway, sender, config, issue, client, auth, services):
    """Two senders on one database (two processes' worth): the row lock gives each message
    to one of them."""
    from queue_server import create_app

    twin = create_app(config, clock=utc_now)
    twin.extensions["notify"].start()
    try:
        for index in range(12):
            issue(phone=f"0812770000{index:02d}", notify_consent=True)
        for _ in range(6):
            for counter in ("2", "3"):
                client.post(f"/api/v1/counters/{counter}/call-next", headers=auth("officer"))
            wait_for(lambda: "queued" not in statuses(services).values()
                     and "sending" not in statuses(services).values())
    finally:
        stop_background(twin)
        twin.extensions["queue"].engine.dispose()
    keys = [r["key"] for r in gateway.requests]
    sent = list(statuses(services).values()).count("sent")
    assert sent >= 12  # twelve calls, and "2 ahead" messages not yet withdrawn when sent
    assert len(keys) == len(set(keys)) == sent  # no message went out twice


@pytest.mark.commits
def test_the_sender_stops_cleanly_even_in_the_middle_of_a_send(
        gateway, sender, issue, client, auth, services):
    import threading

    gateway.mode = "hang"
    issue(phone="0812-3456-7890", notify_consent=True)
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    assert gateway.arrived.wait(10)
    started = time.monotonic()
    sender.stop()
    assert time.monotonic() - started < 3  # the send's own timeout (0.5 s), then out
    assert not [t for t in threading.enumerate() if t.name == "notify-sender"]
    # The try it was making is recorded; the message waits for the next start.
    assert list(statuses(services).values()) == ["queued"]
