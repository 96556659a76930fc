"""An open staff socket lasts only as long as its login: a revoked token, a logout, a
deactivated user or a changed role closes it within two seconds. One re-check task per
app, started with its first staff socket."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from queue_server.auth.models import Role, User

from .support import PASSWORD

pytestmark = pytest.mark.commits  # the re-check task reads from a thread of its own
WITHIN = 2.0
TICKET = {"service": "INFO", "category": "umum"}


def staff_socket(app, **kwargs):
    socket = app.extensions["queue_socketio"].test_client(app, namespace="/staff", **kwargs)
    assert socket.is_connected("/staff")
    socket.get_received("/staff")
    return socket


def closed_within(socket, seconds: float = WITHIN + 0.5) -> float:
    """How long the server took to close the socket; fails past `seconds`."""
    start = time.monotonic()
    while socket.is_connected("/staff"):
        assert time.monotonic() - start < seconds, "the socket is still open"
        time.sleep(0.05)
    return time.monotonic() - start


def set_user(services, username: str, **values) -> None:
    with services.session_factory() as db, db.begin():
        db.execute(update(User).where(User.username == username).values(**values))


def test_a_revoked_tokens_socket_is_closed_and_hears_nothing_more(app, client, auth,
                                                                 tokens):
    revoked = staff_socket(app, auth={"token": tokens["officer"]})
    kept = staff_socket(app, auth={"token": tokens["receptionist"]})
    assert client.delete("/api/v1/auth/token", headers=auth("officer")).status_code == 204
    assert closed_within(revoked) <= WITHIN + 0.5
    client.post("/api/v1/tickets", json=TICKET, headers=auth("receptionist"))
    assert revoked.queue == []  # what reached it (get_received refuses a closed socket)
    assert kept.is_connected("/staff")
    assert "ticket_issued" in [message["name"] for message in kept.get_received("/staff")]
    kept.disconnect(namespace="/staff")


def test_a_deactivated_users_socket_is_closed(app, tokens, services):
    socket = staff_socket(app, auth={"token": tokens["security"]})
    set_user(services, "security", active=False)  # as `queue-server users deactivate`
    closed_within(socket)


def test_a_changed_roles_socket_is_closed_to_leave_its_old_room(app, tokens, services):
    socket = staff_socket(app, auth={"token": tokens["officer"]})
    set_user(services, "officer", role=Role.DISPLAY)
    closed_within(socket)
    again = staff_socket(app, auth={"token": tokens["officer"]})  # reconnects as display
    again.disconnect(namespace="/staff")


def test_a_logged_out_sessions_socket_is_closed(app, users):
    browser = app.test_client()
    browser.post("/login", data={"username": "ppid", "password": PASSWORD})
    socket = staff_socket(app, flask_test_client=browser)
    other_tab = app.test_client()
    other_tab.set_cookie("session", browser.get_cookie("session").value)
    other_tab.post("/logout")  # the same session, logged out from another tab
    closed_within(socket)


def test_one_recheck_task_per_app_while_sockets_are_open(app, tokens, monkeypatch):
    socketio = app.extensions["queue_socketio"]
    started = []
    real_start = socketio.start_background_task

    def counting_start(target, *args, **kwargs):
        started.append(target)
        return real_start(target, *args, **kwargs)

    monkeypatch.setattr(socketio, "start_background_task", counting_start)
    sockets = [staff_socket(app, auth={"token": tokens[role]})
               for role in ("admin", "officer", "receptionist")]
    assert len(started) == 1
    for socket in sockets:
        socket.disconnect(namespace="/staff")
    time.sleep(WITHIN)  # the task ends once the last socket has gone ...
    staff_socket(app, auth={"token": tokens["admin"]}).disconnect(namespace="/staff")
    assert len(started) == 2  # ... and the next socket starts it again
