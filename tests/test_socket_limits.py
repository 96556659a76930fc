"""The public TV socket: connections per address are capped, snapshot spam is cut off."""
from __future__ import annotations

import pytest

from queue_server.web.socket_limits import SocketLimits


@pytest.fixture
def config_overrides():
    return {"display": {"max_sockets_per_address": 3, "snapshots_per_minute": 5}}


def _display(app):
    return app.extensions["queue_socketio"].test_client(app, namespace="/display")


def test_a_socket_over_the_snapshot_limit_is_disconnected_and_nobody_else_notices(
        app, client, auth):
    spammer, neighbour = _display(app), _display(app)
    spammer.get_received("/display")
    neighbour.get_received("/display")
    for _ in range(5):
        spammer.emit("snapshot", namespace="/display")
    assert [m["name"] for m in spammer.get_received("/display")] == ["state"] * 5
    assert spammer.is_connected("/display")
    spammer.emit("snapshot", namespace="/display")  # the sixth in a minute
    assert not spammer.is_connected("/display")
    client.post("/api/v1/tickets", headers=auth("receptionist"),
                json={"service": "INFO", "category": "umum"})
    called = client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    assert called.status_code == 200
    assert neighbour.is_connected("/display")
    assert "call" in [m["name"] for m in neighbour.get_received("/display")]


def test_an_address_may_hold_only_so_many_display_sockets(app):
    first, second, third = _display(app), _display(app), _display(app)
    assert all(socket.is_connected("/display") for socket in (first, second, third))
    fourth = _display(app)
    assert not fourth.is_connected("/display")
    first.disconnect(namespace="/display")
    fifth = _display(app)
    assert fifth.is_connected("/display")


def test_the_event_window_slides():
    now = [0.0]
    limits = SocketLimits(max_per_address=1, events_per_minute=2, clock=lambda: now[0])
    assert limits.admit("10.0.0.5", "a")
    assert not limits.admit("10.0.0.5", "b")
    assert limits.admit("10.0.0.6", "c")
    assert limits.allow_event("a") and limits.allow_event("a")
    assert not limits.allow_event("a")
    now[0] = 61
    assert limits.allow_event("a")
    limits.release("10.0.0.5", "a")
    limits.release("10.0.0.5", "b")  # never admitted: nothing to release
    assert limits.open_sockets() == 1
    assert limits.admit("10.0.0.5", "d")


@pytest.mark.commits  # the heartbeat reads the database from its own task
def test_every_display_hears_a_heartbeat_with_the_newest_seq(app, client, auth, monkeypatch):
    from queue_server.tv import sockets as tv_sockets

    monkeypatch.setattr(tv_sockets, "HEARTBEAT_SECONDS", 0.2)
    client.post("/api/v1/tickets", headers=auth("receptionist"),
                json={"service": "INFO", "category": "umum"})
    seq = client.post("/api/v1/counters/2/call-next", headers=auth("officer")).get_json()
    display = _display(app)
    socketio = app.extensions["queue_socketio"]
    beats = []
    for _ in range(20):
        socketio.sleep(0.1)
        beats += [m["args"][0] for m in display.get_received("/display")
                  if m["name"] == "heartbeat"]
        if len(beats) >= 2:
            break
    assert len(beats) >= 2
    assert beats[-1]["seq"] == seq["call"]["seq"]
    assert "server_time" in beats[-1]
    display.disconnect(namespace="/display")  # the last TV gone: the heartbeat stops
    socketio.sleep(0.5)
    assert not app.extensions["display_namespace"].heartbeat_started
