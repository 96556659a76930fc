"""The survey kiosk's unlock (an admin's password, checked and logged by the server) and
the login page of a fresh install (how to make the first admin, as the CLI spells it)."""
from __future__ import annotations

import logging
import shlex

from queue_server.cli import _parser

from .support import PASSWORD


def logged_in(app, role: str):
    """A browser-like client logged in as role, and its CSRF header."""
    browser = app.test_client()
    assert browser.post("/login", data={"username": role, "password": PASSWORD}).status_code == 302
    csrf = browser.get("/api/v1/auth/csrf").json["csrf"]
    return browser, {"X-CSRF-Token": csrf}


def unlock(browser, headers, username: str, password: str):
    return browser.post("/api/v1/auth/unlock", headers=headers,
                        json={"username": username, "password": password})


def test_only_an_admins_password_unlocks_the_survey_kiosk(app, users, caplog):
    caplog.set_level(logging.INFO, logger="queue_server.auth")
    tablet, headers = logged_in(app, "display")
    page = tablet.get("/survei").get_data(as_text=True)
    assert 'id="unlock-dialog"' in page and 'action="/logout"' not in page
    for username, password in (("admin", "bukan-sandinya"), ("officer", PASSWORD),
                               ("nobody", PASSWORD)):
        refused = unlock(tablet, headers, username, password)
        assert refused.status_code == 403, username
        assert refused.json["error"]["code"] == "unlock_refused"
        assert tablet.get("/survei").status_code == 200  # still the kiosk
    assert caplog.text.count("kiosk unlock refused: screen of display") == 3
    assert "bukan-sandinya" not in caplog.text

    opened = unlock(tablet, headers, "admin", PASSWORD)
    assert opened.status_code == 200 and opened.json == {"next": "/login"}
    assert "kiosk unlocked by admin admin: screen of display" in caplog.text
    assert tablet.get("/survei").headers["Location"].startswith("/login")


def test_the_unlock_is_for_a_screens_session_only(app, client, auth, users):
    # A bearer token has no screen to leave; other staff roles have no kiosk.
    by_token = client.post("/api/v1/auth/unlock", headers=auth("display"),
                           json={"username": "admin", "password": PASSWORD})
    assert by_token.status_code == 403 and by_token.json["error"]["code"] == "forbidden"
    officer, headers = logged_in(app, "officer")
    assert unlock(officer, headers, "admin", PASSWORD).status_code == 403
    assert officer.get("/survei").status_code == 200
    assert 'action="/logout"' in officer.get("/survei").get_data(as_text=True)
    tablet, _headers = logged_in(app, "display")
    assert unlock(tablet, {}, "admin", PASSWORD).json["error"]["code"] == "csrf"


def test_a_fresh_install_says_how_to_make_the_first_admin(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'type="password"' not in page  # no form nobody can use
    assert "Belum ada pengguna" in page
    command = page.split('<code id="first-admin-command">')[1].split("</code>")[0]
    words = shlex.split(command.replace("&#39;", "'"))
    assert words[0] == "queue-server"
    args = _parser().parse_args(words[1:])
    assert (args.command, args.action, args.name, args.role) == ("users", "add", "admin",
                                                                  "admin")
    assert args.config  # the tests' config is no ./config.yaml: the command names it
    assert f".venv/bin/{command}" in page


def test_with_users_the_login_page_is_the_form(client, users):
    page = client.get("/login").get_data(as_text=True)
    assert 'type="password"' in page and "queue-server users add" not in page
