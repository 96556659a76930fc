"""Socket.IO: /display snapshot and calls in order, /staff for logged-in staff only."""
from __future__ import annotations

import threading
import time

import pytest
import requests
import socketio as socketio_client

from .support import PASSWORD


def socket_test_client(app, namespace, **kwargs):
    return app.extensions["queue_socketio"].test_client(app, namespace=namespace, **kwargs)


def events_named(received, name):
    return [event["args"][0] for event in received if event["name"] == name]


def test_display_gets_a_snapshot_on_connect_and_each_call(app, client, auth):
    display = socket_test_client(app, "/display")
    state = events_named(display.get_received("/display"), "state")
    assert state and state[0]["seq"] == 0 and state[0]["current"] is None
    client.post("/api/v1/tickets", json={"service": "INFO", "category": "lansia"},
                headers=auth("receptionist"))
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/2/recall", headers=auth("officer"))
    received = display.get_received("/display")
    calls = events_named(received, "call")
    assert [(c["seq"], c["number"], c["recall"]) for c in calls] == [
        (1, "P-001", False), (2, "P-001", True)]
    assert set(calls[0]) == {"seq", "number", "counter", "counter_name", "text", "audio_url",
                             "called_at", "recall", "priority", "audio"}
    assert calls[0]["text"].startswith("Nomor antrean P-001, silakan menuju loket 2")
    assert events_named(received, "queue_changed")[-1]["waiting"] == {"priority": 0,
                                                                      "regular": 0}


def test_display_asks_for_the_snapshot_again(app, client, auth):
    display = socket_test_client(app, "/display", auth={"display": "prioritas"})
    display.get_received("/display")
    client.post("/api/v1/tickets", json={"service": "INFO", "category": "lansia"},
                headers=auth("receptionist"))
    client.post("/api/v1/counters/1/call-next", headers=auth("officer"))
    display.emit("snapshot", namespace="/display")
    state = events_named(display.get_received("/display"), "state")[-1]
    assert state["current"]["number"] == "P-001" and state["seq"] == 1
    assert [c["code"] for c in state["counters"]] == ["1"]


def test_staff_namespace_refuses_anonymous_and_accepts_logged_in(app, users):
    anonymous = socket_test_client(app, "/staff")
    assert not anonymous.is_connected("/staff")
    flask_client = app.test_client()
    flask_client.post("/login", data={"username": "officer", "password": PASSWORD})
    staff = socket_test_client(app, "/staff", flask_test_client=flask_client)
    assert staff.is_connected("/staff")
    assert events_named(staff.get_received("/staff"), "queue_changed")


def test_staff_hear_tickets_issued_after_the_commit(app, client, auth, services):
    flask_client = app.test_client()
    flask_client.post("/login", data={"username": "officer", "password": PASSWORD})
    staff = socket_test_client(app, "/staff", flask_test_client=flask_client)
    staff.get_received("/staff")
    seen_in_database = []

    def check_committed(event):
        if event.name == "ticket_issued":
            # A fresh session sees the ticket: the event went out after the commit.
            from queue_server.tickets.models import Ticket
            with services.session_factory() as db:
                seen_in_database.append(db.get(Ticket, event.payload["ticket"]["id"]) is not None)

    services.publisher.subscribe(check_committed)
    client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                headers=auth("receptionist"))
    issued = events_named(staff.get_received("/staff"), "ticket_issued")
    assert issued[0]["ticket"]["number"] == "A-001"
    assert seen_in_database == [True]


@pytest.fixture
def real_display(live_server):
    """A python-socketio client on /display of a running server, recording events."""
    client = socketio_client.Client(reconnection=True, reconnection_delay=0.2)
    received: list[tuple[str, dict]] = []
    lock = threading.Condition()

    for name in ("state", "call", "queue_changed"):
        def handler(data, name=name):
            with lock:
                received.append((name, data))
                lock.notify_all()
        client.on(name, handler, namespace="/display")

    def wait_for(predicate, timeout=5.0):
        deadline = time.monotonic() + timeout
        with lock:
            while not predicate(received):
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"timed out; received {received}"
                lock.wait(remaining)

    client.connect(live_server.url, namespaces=["/display"], transports=["websocket"])
    client.received, client.wait_for = received, wait_for
    yield client
    client.disconnect()


def test_real_socket_client_hears_calls_from_a_running_server(live_server, real_display):
    real_display.wait_for(lambda r: any(name == "state" for name, _ in r))
    receptionist, officer = live_server.token("receptionist"), live_server.token("officer")
    for _ in range(3):
        live_server.api("post", "/tickets", receptionist, json={"service": "INFO",
                                                                "category": "umum"})
    for _ in range(3):
        assert live_server.api("post", "/counters/2/call-next", officer).status_code == 200
    real_display.wait_for(lambda r: sum(name == "call" for name, _ in r) == 3)
    calls = [data for name, data in real_display.received if name == "call"]
    assert [c["number"] for c in calls] == ["A-001", "A-002", "A-003"]
    assert [c["seq"] for c in calls] == [1, 2, 3]
    audio = requests.get(live_server.url + calls[0]["audio_url"], timeout=5)
    assert audio.status_code == 200 and audio.content[:2] == b"\xff\xf3"  # MP3


def test_real_client_reconnects_after_a_server_restart_and_is_whole(live_server, real_display):
    real_display.wait_for(lambda r: any(name == "state" for name, _ in r))
    receptionist = live_server.token("receptionist")
    officer = live_server.token("officer")
    live_server.stop()
    before_restart = len(real_display.received)
    live_server.start()
    live_server.api("post", "/tickets", receptionist, json={"service": "INFO", "category": "umum"})
    called = live_server.api("post", "/counters/2/call-next", officer)
    assert called.status_code == 200
    call = called.json()["call"]
    assert (call["number"], call["counter"], call["seq"]) == ("A-001", "2", 1)

    def heard_since_restart(received) -> list[dict]:
        """The call as the display learnt it after the restart: the `call` event if it was
        back in time to hear it, else the current call in the snapshot sent on reconnect."""
        return [data if name == "call" else data["current"]
                for name, data in received[before_restart:]
                if name == "call" or (name == "state" and data["current"])]

    real_display.wait_for(lambda r: bool(heard_since_restart(r)), timeout=15)
    heard = heard_since_restart(real_display.received)[0]
    assert (heard["number"], heard["counter"], heard["seq"]) == ("A-001", "2", 1)
    # The same public call, field for field; the display's copy adds its audio parts (and,
    # in a snapshot, whether the call is still live).
    assert {key: heard[key] for key in call} == call and "audio" in heard
