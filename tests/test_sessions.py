"""Server-side staff sessions: the cookie holds a random id, a logout or an idle time ends
it for good, and the role and active flag come from the database on every request."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select, update

from queue_server.app import parse_config
from queue_server.auth.models import Role, StaffSession, User
from queue_server.auth.service import CACHE_SECONDS, hash_token
from queue_server.platform.config_values import ConfigError

from .support import PASSWORD, config_data


def log_in(client, username: str):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def cookie_contents(app, value: str) -> dict:
    return dict(app.session_interface.get_signing_serializer(app).loads(value))


def set_user(services, username: str, **values) -> None:
    with services.session_factory() as db, db.begin():
        db.execute(update(User).where(User.username == username).values(**values))


def page_csrf(client, path: str = "/") -> str:
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_cookie_holds_a_random_id_and_nothing_about_the_user(app, client, users,
                                                                 services):
    log_in(client, "officer")
    contents = cookie_contents(app, cookie_of(client))
    assert set(contents) <= {"sid", "lang"}, contents
    assert not {"user_id", "username", "display_name", "role"} & set(contents)
    with services.session_factory() as db:
        rows = db.scalars(select(StaffSession)).all()
    # The database keeps the id's hash only: a copy of the table opens no session.
    assert [row.id for row in rows] == [hash_token(contents["sid"])]
    assert contents["sid"] not in {row.id for row in rows}


def test_a_cookie_replayed_after_logout_is_refused(app, client, users):
    log_in(client, "receptionist")
    stolen = cookie_of(client)
    assert client.get("/api/v1/me").status_code == 200
    logout = client.post("/logout", data={"csrf_token": page_csrf(client, "/resepsionis")})
    assert logout.status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/api/v1/me").status_code == 401
    assert replay.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                       headers={"X-CSRF-Token": "x"}).status_code == 401
    page = replay.get("/resepsionis")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_each_login_is_its_own_session(app, users):
    first, second = app.test_client(), app.test_client()
    log_in(first, "officer")
    log_in(second, "officer")
    first.post("/logout")
    assert first.get("/api/v1/me").status_code == 401
    assert second.get("/api/v1/me").status_code == 200


def test_a_second_login_in_the_same_browser_ends_the_first(app, client, users):
    log_in(client, "officer")
    first = cookie_of(client)
    log_in(client, "receptionist")
    assert client.get("/api/v1/me").get_json()["role"] == "receptionist"
    replay = app.test_client()
    replay.set_cookie("session", first)
    assert replay.get("/api/v1/me").status_code == 401


def test_a_changed_role_counts_on_the_next_request(client, users, services):
    log_in(client, "officer")
    set_user(services, "officer", role=Role.RECEPTIONIST)
    assert client.get("/api/v1/me").get_json()["role"] == "receptionist"
    set_user(services, "officer", role=Role.DISPLAY)
    time.sleep(CACHE_SECONDS + 0.1)  # a session checked just now is trusted this long
    assert client.get("/api/v1/me").get_json()["role"] == "display"
    assert client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                       headers={"X-CSRF-Token": page_csrf(client)}).status_code == 403


def test_a_deactivated_user_is_logged_out(client, users, services):
    log_in(client, "receptionist")
    set_user(services, "receptionist", active=False)
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/resepsionis")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    set_user(services, "receptionist", active=True)
    assert client.get("/api/v1/me").status_code == 200  # the session itself still stands


def test_a_session_ends_after_the_idle_time_and_not_while_used(client, users, clock):
    log_in(client, "officer")
    for _ in range(3):  # used every 11 hours: 33 hours and still logged in
        clock.advance(hours=11)
        assert client.get("/api/v1/me").status_code == 200
    clock.advance(hours=12, seconds=1)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/resepsionis").status_code == 302


@pytest.mark.parametrize("config_overrides", [{"security": {"session_idle_hours": 1}}])
def test_the_idle_time_comes_from_the_config(client, users, clock):
    log_in(client, "officer")
    clock.advance(minutes=59)
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(minutes=61)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("value", [0, -3, "twelve", True, 24 * 31])
def test_a_bad_idle_time_names_the_key(tmp_path, value):
    data = config_data("sqlite://", tmp_path / "instance",
                       security={"session_idle_hours": value})
    with pytest.raises(ConfigError, match=r"^security\.session_idle_hours: "):
        parse_config(data, tmp_path / "config.yaml")


def test_a_staff_socket_with_a_replayed_cookie_is_refused(app, users):
    client = app.test_client()
    log_in(client, "officer")
    stolen = cookie_of(client)
    socketio = app.extensions["queue_socketio"]
    live = socketio.test_client(app, namespace="/staff", flask_test_client=client)
    assert live.is_connected("/staff")
    live.disconnect(namespace="/staff")
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    socket = socketio.test_client(app, namespace="/staff", flask_test_client=replay)
    assert not socket.is_connected("/staff")


def test_the_cookie_signer_is_built_once_and_follows_a_new_key(app, client, users):
    """The signer is reused across requests (Flask would build one per request); a cookie
    signed with it is read back, and one signed under another key is not."""
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    log_in(client, "officer")
    assert client.get("/api/v1/queue").status_code == 200
    assert interface.get_signing_serializer(app) is first
    assert "sid" in cookie_contents(app, cookie_of(client))
    old_key = app.secret_key
    app.secret_key = "another key for this test only"
    try:
        assert interface.get_signing_serializer(app) is not first
        assert client.get("/api/v1/queue").status_code == 401  # the old cookie is void
    finally:
        app.secret_key = old_key
