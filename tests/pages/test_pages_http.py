"""Page routes over plain HTTP: redirects, language choice, the public ticket status page."""
from __future__ import annotations

import requests
from sqlalchemy import create_engine, text

from ..support import PASSWORD


def session_for(live_server, role: str | None = None) -> requests.Session:
    browser = requests.Session()
    if role:
        response = browser.post(live_server.url + "/login",
                                data={"username": role, "password": PASSWORD}, timeout=10)
        assert response.ok
    return browser


def test_redirect_targets_never_leave_the_site(live_server):
    browser = session_for(live_server)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = browser.get(live_server.url + "/lang/en", params={"next": target},
                               allow_redirects=False, timeout=10)
        assert response.status_code == 302
        assert response.headers["Location"] in ("/", live_server.url + "/")
        response = browser.post(live_server.url + "/login", allow_redirects=False, timeout=10,
                                data={"username": "officer", "password": PASSWORD,
                                      "next": target})
        assert response.status_code == 302
        assert response.headers["Location"] in ("/", live_server.url + "/")
        browser.post(live_server.url + "/logout", timeout=10)


def test_unknown_language_and_counter_are_404(live_server):
    assert requests.get(live_server.url + "/lang/xx", timeout=10).status_code == 404
    officer = session_for(live_server, "officer")
    assert officer.get(live_server.url + "/loket/99", timeout=10).status_code == 404
    assert officer.get(live_server.url + "/loket/3", timeout=10).status_code == 200


def test_pages_send_the_session_csrf_token(live_server):
    browser = session_for(live_server, "receptionist")
    page = browser.get(live_server.url + "/resepsionis", timeout=10).text
    token = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
    response = browser.post(live_server.url + "/api/v1/tickets", timeout=10,
                            json={"service": "INFO", "category": "anak"},
                            headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text


def test_ticket_status_page_shows_the_place_and_sets_no_cookie(live_server, sqlite_url):
    token = live_server.token("receptionist")
    for category in ("umum", "lansia"):
        live_server.api("POST", "/tickets", token, json={"service": "INFO",
                                                          "category": category})
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        public_id = connection.execute(
            text("SELECT public_id FROM tickets WHERE number = 'A-001'")).scalar_one()
    engine.dispose()

    response = requests.get(f"{live_server.url}/t/{public_id}", timeout=10)
    assert response.status_code == 200
    assert "A-001" in response.text
    assert "Urutan Anda dalam antrean: 2" in response.text
    assert "Set-Cookie" not in response.headers
