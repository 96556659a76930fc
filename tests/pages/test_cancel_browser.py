"""Cancelling a ticket issued by mistake on the reception and counter pages (issue 14,
part 5): a confirm step that asks for the reason, then the ticket is gone from the queue."""
from __future__ import annotations

from playwright.sync_api import expect

from .audit import small_targets
from .axe import axe_violations


def ticket(live_server, token: str, ticket_id: int) -> dict:
    return live_server.api("GET", f"/tickets/{ticket_id}", token).json()


def test_reception_cancels_the_ticket_it_just_issued_and_one_in_the_list(open_page, live_server):
    page = open_page("receptionist", "/resepsionis")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "connected")
    page.locator('.category-button[data-category="umum"]').click()
    expect(page.locator("#issued-number")).to_have_text("A-001")
    page.locator('.category-button[data-category="umum"]').click()
    expect(page.locator("#issued-number")).to_have_text("A-002")

    page.locator("#issued-cancel").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Batalkan nomor A-002?")
    assert axe_violations(page) == []
    assert small_targets(page) == []
    dialog.get_by_role("button", name="Ya, batalkan").click()  # no reason yet
    expect(dialog.get_by_role("alert")).to_contain_text("Tuliskan alasan pembatalan.")
    dialog.get_by_label("Alasan pembatalan").fill("Salah pilih layanan")
    dialog.get_by_role("button", name="Ya, batalkan").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#status")).to_contain_text("Nomor A-002 dibatalkan.")
    expect(page.locator('#queue-body tr[data-number="A-002"]')).to_have_count(0)
    expect(page.locator("#issued-actions")).to_be_hidden()

    # A ticket in the list: "Jangan batalkan" keeps it, then it is cancelled.
    page.get_by_role("button", name="Batalkan nomor A-001").click()
    page.get_by_role("dialog").get_by_role("button", name="Jangan batalkan").click()
    expect(page.locator('#queue-body tr[data-number="A-001"]')).to_have_count(1)
    page.get_by_role("button", name="Batalkan nomor A-001").click()
    page.get_by_role("dialog").get_by_label("Alasan pembatalan").fill("Tiket ganda")
    page.get_by_role("dialog").get_by_role("button", name="Ya, batalkan").click()
    expect(page.locator("#queue-empty")).to_be_visible()

    token = live_server.token("receptionist")
    history = ticket(live_server, token, 1)["history"]
    assert history[-1]["action"] == "cancelled"
    assert history[-1]["details"]["reason"] == "Tiket ganda"


def test_the_counter_cancels_its_current_ticket(open_page, live_server):
    token = live_server.token("receptionist")
    created = live_server.api("POST", "/tickets", token,
                              json={"service": "INFO", "category": "umum"}).json()
    page = open_page("officer", "/loket/2")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "connected")
    page.locator("#call-next").click()
    expect(page.locator("#current-number")).to_have_text("A-001")
    page.get_by_role("button", name="Batalkan nomor").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Alasan pembatalan").fill("Pengunjung salah antre")
    dialog.get_by_role("button", name="Ya, batalkan").click()
    expect(page.locator("#current-none")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("Nomor A-001 dibatalkan.")
    assert ticket(live_server, token, created["id"])["status"] == "cancelled"
