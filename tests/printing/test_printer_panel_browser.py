"""The receptionist's printer panel in Chromium: live states, the alert, last ticket, reprint."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from printer.fake import FakePaper
from tests.pages.conftest import DESKTOP
from tests.support import PASSWORD

from .conftest import network_printer


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    return {"printers": {"desk": network_printer(fake_printer)}, "ticket_printer": "desk",
            "printing": {"status_poll_seconds": 0.2, "offline_alert_seconds": 1}}


@pytest.fixture
def reception(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    context.set_default_timeout(15_000)
    assert context.request.post("/login", form={"username": "receptionist",
                                                "password": PASSWORD}).ok
    page = context.new_page()
    page.goto("/resepsionis")
    yield page
    context.close()


def test_panel_shows_states_alert_last_ticket_and_reprints(reception, live_server,
                                                           fake_printer):
    page = reception
    panel = page.locator("#printer-panel")
    desk = panel.locator('[data-printer="desk"]')
    expect(desk).to_contain_text("Tersambung")
    expect(panel.locator('[data-printer="preview"]')).to_be_visible()
    expect(panel).to_contain_text("Belum ada tiket yang dicetak.")

    page.get_by_role("button", name="Umum").click()
    expect(panel.get_by_role("heading", name="Tiket terakhir: A-001")).to_be_visible()
    expect(panel.locator(".pp-job")).to_have_text("Tercetak")
    preview = page.frame_locator("#printer-panel iframe")
    expect(preview.locator("body")).to_contain_text("A-001")
    fake_printer.wait_for_jobs(1)

    panel.get_by_role("button", name="Cetak ulang").click()
    expect(panel.get_by_role("status")).to_have_text("Tiket A-001 dicetak ulang.")
    assert b"A-001" in fake_printer.wait_for_jobs(2)[1]

    fake_printer.paper = FakePaper.OUT
    expect(desk).to_contain_text("Kertas habis")
    fake_printer.paper = FakePaper.LOW
    expect(desk).to_contain_text("Kertas hampir habis")
    fake_printer.online = False
    expect(desk).to_contain_text("Terputus")
    expect(panel.get_by_role("alert")).to_contain_text("Printer desk terputus sejak")
    fake_printer.online = True
    fake_printer.paper = FakePaper.OK
    expect(desk).to_contain_text("Tersambung")
    expect(panel.get_by_role("alert")).to_be_hidden()


def test_a_load_answered_before_a_state_change_does_not_put_the_old_state_back(
        reception, fake_printer):
    """The panel reloads /printers when a job is printed. Here that load is answered with
    the state from before the paper ran out, but only after the paper-out event has been
    shown. The panel must read again rather than keep the old "Tersambung"."""
    page = reception
    desk = page.locator("#printer-panel").locator('[data-printer="desk"]')
    expect(desk).to_contain_text("Tersambung")
    held: list = []

    def hold_first(route):
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))  # answered now, delivered later

    page.route("**/api/v1/printers", hold_first)
    page.get_by_role("button", name="Umum").click()  # its print job's events reload the panel
    fake_printer.wait_for_jobs(1)
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the panel never reloaded /printers after the job"
    fake_printer.paper = FakePaper.OUT
    expect(desk).to_contain_text("Kertas habis")  # from the printer_status event
    route, stale = held[0]
    assert b'"paper_out"' not in stale.body()  # the held answer is from before the change
    route.fulfill(response=stale)
    page.wait_for_timeout(500)
    expect(desk).to_contain_text("Kertas habis")
