"""The visitor's live ticket page (/t/<code>) on a phone-sized Chromium (390x844): the call
within a second without a reload, the full-screen call with its chime (the page's play log,
as the TV's), every state axe-clean, a server restart, 320 px and 200 % zoom, keyboard."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from ..pages.axe import axe_violations
from ..support import PASSWORD

PHONE = {"width": 390, "height": 844}
CONNECTED = "ticket: connection connected"
LIVE_WAIT_MS = 1000
AUDIO_WAIT_MS = 30000
RECONNECT_WAIT_MS = 25000


def code_of(ticket: dict) -> str:
    return ticket["status_url"].rsplit("/t/", 1)[1]


@pytest.fixture
def open_ticket(autoplay_browser, live_server):
    """Open /t/<code>?test-log=1 in its own context; return once its socket is connected."""
    contexts = []

    def open_(code: str, viewport: dict = PHONE, connected: bool = True) -> Page:
        context = autoplay_browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if not connected:
            page.goto(f"/t/{code}?test-log=1")
            return page
        with page.expect_console_message(lambda message: message.text == CONNECTED):
            page.goto(f"/t/{code}?test-log=1")
        return page

    yield open_
    for context in contexts:
        context.close()


def officer(live_server, action: str, at: str, **body) -> dict:
    response = live_server.api("POST", f"/counters/{at}/{action}",
                               live_server.token("officer"), json=body or None)
    assert response.status_code == 200, response.text
    return response.json()


def assert_clean(page: Page, state: str) -> None:
    assert axe_violations(page) == [], state


def turn(page: Page):
    return page.locator("#ticket-turn")


def test_the_page_shows_the_call_within_a_second_and_plays_the_chime(
        live_server, desk, open_ticket):
    desk.issue("umum")
    ticket = desk.issue("umum")
    page = open_ticket(code_of(ticket))
    lines = page.locator("#ticket-lines")
    expect(lines).to_contain_text("Urutan Anda dalam antrean: 2")
    expect(turn(page)).to_be_hidden()
    assert_clean(page, "waiting")

    desk.call_next("2")  # this page's place moves up (asked for after 0.25-1.5 s)
    expect(lines).to_contain_text("Urutan Anda dalam antrean: 1", timeout=5000)
    started = time.monotonic()
    desk.call_next("3")  # this ticket
    expect(turn(page)).to_be_visible(timeout=LIVE_WAIT_MS)
    assert time.monotonic() - started < 1.0
    expect(page.locator("#ticket-turn-heading")).to_have_text("Giliran Anda — Loket 3")
    expect(page.get_by_role("alert")).to_have_text(
        "Giliran Anda. Nomor A-002, silakan menuju Loket 3.")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    page.wait_for_function(
        "() => window.ticketLog.spoken.some(p => p.kind === 'full')", timeout=AUDIO_WAIT_MS)
    log = page.evaluate("window.ticketLog")
    assert [item["kind"] for item in log["spoken"]][:2] == ["chime", "full"]
    assert log["spoken"][0]["url"].startswith("/audio/")
    assert any(play["result"] == "playing" and play["url"] == log["spoken"][0]["url"]
               for play in log["plays"])
    assert len(log["vibrations"]) == 1 and log["vibrations"][0]["result"] is not False
    assert log["wakeLock"], "the page asked to keep the screen awake"
    assert_clean(page, "called")

    # By keyboard: focus is on the call's heading; Tab reaches "Dengarkan lagi".
    assert page.evaluate("document.activeElement.id") == "ticket-turn-heading"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "ticket-listen"
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.ticketLog.announcements.length === 2")

    officer(live_server, "recall", "3")
    expect(page.locator("#ticket-turn-heading")).to_have_text(
        "Anda dipanggil ulang — Loket 3", timeout=LIVE_WAIT_MS)
    assert_clean(page, "recalled")
    page.keyboard.press("Escape")
    expect(turn(page)).to_be_hidden()
    expect(lines).to_have_text("Silakan menuju Loket 3.")

    officer(live_server, "transfer", "3", counter="2")
    expect(lines).to_contain_text("Nomor Anda dialihkan", timeout=LIVE_WAIT_MS)
    expect(lines).to_contain_text("Perhatikan: Loket 2")
    assert_clean(page, "transferred")

    desk.call_next("2")
    expect(page.locator("#ticket-turn-heading")).to_have_text("Giliran Anda — Loket 2",
                                                               timeout=LIVE_WAIT_MS)
    officer(live_server, "no-show", "2")
    expect(turn(page)).to_be_hidden(timeout=LIVE_WAIT_MS)
    expect(lines).to_contain_text("masih dapat memanggilnya kembali hingga pukul")
    assert_clean(page, "no-show")

    officer(live_server, "call-back", "2", ticket_id=ticket["id"])
    expect(turn(page)).to_be_visible(timeout=LIVE_WAIT_MS)
    officer(live_server, "done", "2")
    expect(lines).to_have_text("Sudah dilayani. Terima kasih.", timeout=LIVE_WAIT_MS)
    expect(turn(page)).to_be_hidden()
    expect(page.locator("#ticket-refresh")).to_be_hidden()
    assert_clean(page, "served")
    page.screenshot(path=str(live_server.config_path.parent / "served.png"))

    unknown = page.goto("/t/no-such-code")
    assert unknown.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Nomor antrean tidak ditemukan")
    assert_clean(page, "unknown")


def test_the_page_survives_a_server_restart_and_resynchronises(live_server, desk,
                                                              open_ticket):
    ticket = desk.issue("umum")
    page = open_ticket(code_of(ticket))
    expect(page.locator("#ticket-lines")).to_contain_text("Urutan Anda dalam antrean: 1")
    live_server.stop()
    expect(page.locator("#ticket-offline")).to_be_visible(timeout=RECONNECT_WAIT_MS)
    assert_clean(page, "offline")
    live_server.start()
    desk.call_next("2")  # perhaps before the page is back: the status on reconnect has it
    expect(turn(page)).to_be_visible(timeout=RECONNECT_WAIT_MS)
    expect(page.locator("#ticket-turn-heading")).to_have_text("Giliran Anda — Loket 2")
    expect(page.locator("#ticket-offline")).to_be_hidden()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    page.wait_for_function("() => window.ticketLog.spoken.some(p => p.kind === 'chime')",
                           timeout=AUDIO_WAIT_MS)


@pytest.mark.parametrize("width", [320, 195])  # a small phone; a 390 px one at 200 % zoom
def test_the_page_fits_a_narrow_screen_in_every_state(live_server, desk, open_ticket, width):
    ticket = desk.issue("umum")
    page = open_ticket(code_of(ticket), {"width": width, "height": 640})
    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
    expect(page.locator("#ticket-lines")).to_contain_text("Urutan")
    assert page.evaluate(overflow) <= 0
    desk.call_next("2")
    expect(turn(page)).to_be_visible()
    assert page.evaluate(overflow) <= 0
    box = page.locator("#ticket-listen").bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width
    page.screenshot(path=str(live_server.config_path.parent / f"called-{width}.png"))


class TestEnglish:
    @pytest.fixture
    def config_overrides(self) -> dict:
        """The office's own audio: Indonesian and English."""
        return {}

    def test_the_english_page_speaks_english_only(self, live_server, desk, open_ticket):
        english_page_speaks_english_only(live_server, desk, open_ticket)


def english_page_speaks_english_only(live_server, desk, open_ticket):
    ticket = desk.issue("umum")
    page = open_ticket(code_of(ticket))
    page.goto(f"/lang/en?next=/t/{code_of(ticket)}%3Ftest-log%3D1")
    expect(page.locator("#ticket-lines")).to_contain_text("Your place in the queue")
    page.wait_for_function("() => window.ticketLog.connection.length > 0")
    desk.call_next("2")
    expect(page.locator("#ticket-turn-heading")).to_have_text("Your turn — Counter 2")
    page.wait_for_function("() => window.ticketLog.spoken.some(p => p.kind === 'full')",
                           timeout=AUDIO_WAIT_MS)
    langs = {item["lang"] for item in page.evaluate("window.ticketLog.spoken")} - {None}
    assert langs == {"en"}
    assert_clean(page, "called, English")


class TestEstimateShown:
    @pytest.fixture
    def config_overrides(self, config_overrides) -> dict:
        """Service times read afresh on every change (not kept 15 s), so the test need not wait."""
        return {**config_overrides, "queue": {"estimate": {"cache_seconds": 0}}}

    def test_the_tv_reception_and_ticket_pages_show_the_estimate(
            self, live_server, desk, open_display, browser, open_ticket):
        tv_and_reception_show_the_estimate(live_server, desk, open_display, browser)
        waiting = desk.issue("umum")
        assert waiting["estimate"]["text"] == "± 0-5 menit"
        page = open_ticket(code_of(waiting))
        expect(page.locator("#ticket-lines .ticket-estimate")).to_have_text(
            "Perkiraan waktu tunggu: ± 0-5 menit")
        assert_clean(page, "waiting with an estimate")
        page.screenshot(path=str(live_server.config_path.parent / "waiting.png"))


def tv_and_reception_show_the_estimate(live_server, desk, open_display, browser):
    """Served tickets give the day's service times: the TV shows each service's wait, the
    receptionist sees the new ticket's estimate and its status link."""
    page = open_display(live_server, width=1920, height=1080)
    expect(page.locator("#estimates")).to_be_hidden()
    for _ in range(3):
        desk.issue("umum")
    for _ in range(3):
        desk.call_next("2")
    desk.done("2")
    expect(page.locator("#estimates")).to_be_visible()
    rows = page.locator("#estimate-list .estimate-item")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Layanan Informasi Publik")
    expect(rows.first).to_contain_text("± 0-5 menit")
    page.screenshot(path=str(live_server.config_path.parent / "tv-estimates.png"))

    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  base_url=live_server.url)
    try:
        assert context.request.post("/login", form={"username": "receptionist",
                                                    "password": PASSWORD}).ok
        reception = context.new_page()
        reception.goto("/resepsionis")
        reception.locator(".category-button").last.click()
        expect(reception.locator("#issued-estimate")).to_have_text(
            "Perkiraan waktu tunggu: ± 0-5 menit")
        link = reception.locator("#issued-link").get_attribute("href")
        assert "/t/" in link
        reception.screenshot(path=str(live_server.config_path.parent / "reception.png"))
    finally:
        context.close()
