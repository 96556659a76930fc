"""The ticket's status page (/t/<code>) in Chromium: live by its socket room, by polling
when the socket is gone, axe-clean, without meta refresh."""
from __future__ import annotations

import requests
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from .axe import axe_violations
from .conftest import PHONE


def issue(live_server, token: str, category: str = "umum") -> str:
    """Issue an INFO ticket; its public code."""
    ticket = live_server.api("POST", "/tickets", token,
                             json={"service": "INFO", "category": category}).json()
    return ticket["number"]


def codes(sqlite_url: str) -> dict[str, str]:
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT number, public_id FROM tickets")).all()
    engine.dispose()
    return dict(rows)


def status_lines(page):
    return page.locator("#ticket-lines")


def test_the_page_follows_its_ticket_live_over_the_socket(open_page, live_server, sqlite_url):
    receptionist, officer = live_server.token("receptionist"), live_server.token("officer")
    issue(live_server, receptionist)
    issue(live_server, receptionist)
    code = codes(sqlite_url)["A-002"]
    html = requests.get(f"{live_server.url}/t/{code}", timeout=10).text
    assert "http-equiv" not in html

    page = open_page(None, None, PHONE)
    polled = []
    page.on("request", lambda r: polled.append(r.url) if "/api/v1/t/" in r.url else None)
    page.goto(f"/t/{code}")
    lines = status_lines(page)
    expect(lines).to_contain_text("Urutan Anda dalam antrean: 2")
    expect(page.locator("#ticket-live")).to_be_visible()
    assert page.locator("meta[http-equiv]").count() == 0
    assert axe_violations(page) == []

    # Counter 2 calls A-001: this page's place moves up without a reload.
    live_server.api("POST", "/counters/2/call-next", officer)
    expect(lines).to_contain_text("Urutan Anda dalam antrean: 1")
    # Counter 3 calls A-002: the page says where to go, in its polite live region.
    live_server.api("POST", "/counters/3/call-next", officer)
    expect(lines).to_have_text("Silakan menuju Loket 3.")
    expect(lines).to_have_attribute("aria-live", "polite")
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert polled == []  # all of it came over the socket
    assert axe_violations(page) == []
    # Served: nothing more will change, the page stops following.
    live_server.api("POST", "/counters/3/done", officer)
    expect(lines).to_have_text("Sudah dilayani. Terima kasih.")
    expect(page.locator("#ticket-refresh")).to_be_hidden()


def test_without_the_socket_the_page_polls_the_json_endpoint(open_page, live_server,
                                                            sqlite_url):
    receptionist, officer = live_server.token("receptionist"), live_server.token("officer")
    issue(live_server, receptionist)
    code = codes(sqlite_url)["A-001"]
    page = open_page(None, None, PHONE)
    page.route("**/socket.io.min.js", lambda route: route.abort())
    polled = []
    page.on("request", lambda r: polled.append(r.url) if "/api/v1/t/" in r.url else None)
    page.goto(f"/t/{code}")
    expect(status_lines(page)).to_contain_text("Urutan Anda dalam antrean: 1")
    live_server.api("POST", "/counters/2/call-next", officer)
    # The next poll (every 15 s) brings the call.
    expect(status_lines(page)).to_have_text("Silakan menuju Loket 2.", timeout=25_000)
    assert polled and all(url.endswith(f"/api/v1/t/{code}?lang=id") for url in polled)
