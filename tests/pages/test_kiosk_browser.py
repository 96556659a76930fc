"""The visitors' kiosk in Chromium (issue 14, part 3), on a portrait touch screen: large
targets all in the lower part, a number printed on the kiosk's own (fake network) printer,
one ticket for a double tap, reception's address when the paper is out, the return to the
start, every screen read aloud from clips, and no axe-core violation on any screen."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from printer.fake import FakeNetworkPrinter, FakePaper

from ..printing.conftest import network_printer
from ..support import mp3_seconds
from .axe import axe_violations

KIOSK_SCREEN = {"width": 1080, "height": 1920}
"""A 21.5-inch portrait kiosk (1080x1920), the usual self-service ticket kiosk."""
MIN_TARGET = 60
LOWER_PART = 0.45
"""Every control starts below this fraction of the screen's height: a seated user reaches
the lower part of a floor-standing kiosk (the reach range of ISO 21542, 40-120 cm)."""
SHOTS = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
REGULAR = {"service": "INFO", "category": "umum"}


@pytest.fixture(scope="module")
def kiosk_printer():
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def config_overrides(request, kiosk_printer) -> dict:
    """The kiosk prints on a fake network printer; a test may add kiosk keys (indirect)."""
    kiosk_printer.paper = FakePaper.OK
    kiosk_printer.clear()
    return {"printers": {"preview": {"type": "preview"},
                         "lobi": network_printer(kiosk_printer)},
            "ticket_printer": "preview", "stations": {"anjungan": "lobi"},
            "kiosk": {"station": "anjungan", "result_seconds": 4, "idle_seconds": 10,
                      **getattr(request, "param", {})},
            "printing": {"status_poll_seconds": 0.2}}


@pytest.fixture
def kiosk(open_page):
    page = open_page("kiosk", "/anjungan?test-log=1", KIOSK_SCREEN)
    expect(page.locator("body")).to_have_attribute("data-screen", "start")
    return page


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"kiosk-{name}.png"))


def controls_out_of_reach(page) -> list[str]:
    """Visible buttons and links smaller than MIN_TARGET or starting above LOWER_PART."""
    return page.evaluate("""([minimum, lower]) => {
      const bad = [];
      for (const node of document.querySelectorAll("button, a[href]")) {
        const box = node.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;  // on a hidden screen
        if (box.width < minimum || box.height < minimum || box.top < innerHeight * lower) {
          bad.push(`${node.textContent.trim()}: ${Math.round(box.width)}x${Math.round(box.height)} at ${Math.round(box.top)}`);
        }
      }
      return bad;
    }""", [MIN_TARGET, LOWER_PART])


def waiting(live_server) -> list[dict]:
    token = live_server.token("receptionist")
    return live_server.api("get", "/queue", token).json()["tickets"]


def test_a_visitor_takes_a_number_and_the_kiosk_returns_to_the_start(kiosk, live_server,
                                                                      kiosk_printer):
    assert controls_out_of_reach(kiosk) == []
    assert axe_violations(kiosk) == []
    assert kiosk.get_by_role("button", name="Keluar").count() == 0
    shoot(kiosk, "start")

    kiosk.get_by_role("button", name="Layanan Informasi Publik").click()
    expect(kiosk.locator("#result-number")).to_have_text("A-001")
    expect(kiosk.locator("#result-ahead")).to_have_text("Tidak ada orang di depan Anda.")
    expect(kiosk.get_by_role("status")).to_contain_text("A-001")
    assert kiosk_printer.wait_for_jobs(1, timeout=10) and b"A-001" in kiosk_printer.received
    assert controls_out_of_reach(kiosk) == []
    assert axe_violations(kiosk) == []
    shoot(kiosk, "result")

    # "Dengarkan" says the number, who is ahead and where the paper comes out.
    kiosk.get_by_role("button", name="Dengarkan").click()
    kiosk.wait_for_function("() => window.kioskPlayed.length >= 5", timeout=10_000)
    played = kiosk.evaluate("() => window.kioskPlayed")
    assert all(url.startswith("/static/kiosk/audio/id-") for url in played)
    assert mp3_seconds(requests.get(live_server.url + played[0], timeout=5).content) > 0.3

    # Back to the start by itself, after result_seconds (once it has finished speaking).
    expect(kiosk.locator("body")).to_have_attribute("data-screen", "start", timeout=30_000)
    assert kiosk.evaluate("() => window.kioskResets") == ["result"]
    kiosk.get_by_role("button", name="Persuratan dan Legalisasi").click()
    expect(kiosk.locator("#result-number")).to_have_text("A-002")  # a new visit, a new key


def test_the_start_screen_is_read_aloud(kiosk):
    kiosk.get_by_role("button", name="Dengarkan").click()
    # One clip after another: the title, the intro and each service, about 12 s in all.
    kiosk.wait_for_function("() => window.kioskPlayed.length >= 5", timeout=40_000)
    clips = kiosk.evaluate("() => Staff.data.clips")
    expected = [clips[text] for text in ("Ambil nomor antrean",
                                         "Silakan pilih layanan. Nomor Anda tercetak di bawah layar.",
                                         "Layanan Informasi Publik", "Konsultasi Penjaminan Mutu",
                                         "Persuratan dan Legalisasi")]
    assert kiosk.evaluate("() => window.kioskPlayed") == expected


def test_a_double_tap_gives_one_ticket(kiosk, live_server):
    button = kiosk.get_by_role("button", name="Layanan Informasi Publik")
    button.dblclick()
    expect(kiosk.locator("#result-number")).to_have_text("A-001")
    # Two taps that both reach the page before it can disable the buttons: one key, one ticket.
    kiosk.get_by_role("button", name="Kembali ke awal").click()
    kiosk.evaluate("""() => {
      const button = document.querySelector('[data-service="KONSUL"]');
      button.click();
      button.click();
    }""")
    expect(kiosk.locator("#result-number")).to_have_text("A-002")
    time.sleep(1)
    assert [t["number"] for t in waiting(live_server)] == ["A-001", "A-002"]
    assert kiosk.evaluate("() => window.kioskIssued") == ["A-001", "A-002"]


def test_the_kiosk_buttons_wait_for_the_kiosk_script(open_page, kiosk):
    """Before the kiosk's script runs, a tap would do nothing: its buttons are disabled
    until then (the `kiosk` fixture's page, script run, has them enabled)."""
    before = open_page("kiosk", "/anjungan", KIOSK_SCREEN, javascript=False)
    choices = before.locator("[data-service], [data-category]")
    assert choices.count() >= 3
    for index in range(choices.count()):
        expect(choices.nth(index)).to_be_disabled()
    expect(kiosk.locator("[data-service]").first).to_be_enabled()


def test_out_of_paper_sends_the_visitor_to_reception(kiosk, live_server, kiosk_printer):
    kiosk_printer.paper = FakePaper.OUT
    token = live_server.token("kiosk")
    deadline = time.monotonic() + 15
    while live_server.api("get", "/kiosk", token).json()["can_issue"]:
        assert time.monotonic() < deadline, "the printer's state never came"
        time.sleep(0.2)
    kiosk.get_by_role("button", name="Layanan Informasi Publik").click()
    expect(kiosk.get_by_role("alert")).to_contain_text("Silakan ambil nomor di resepsionis.")
    expect(kiosk.locator("#result-number")).to_have_text("")
    assert waiting(live_server) == []  # no number nobody can hold
    assert controls_out_of_reach(kiosk) == []
    assert axe_violations(kiosk) == []
    shoot(kiosk, "no-paper")
    # Untouched, it returns to the start (and says so again when tapped).
    expect(kiosk.locator("body")).to_have_attribute("data-screen", "start", timeout=20_000)
    assert kiosk.evaluate("() => window.kioskResets") == ["idle"]


def test_an_untouched_kiosk_returns_to_indonesian(kiosk):
    kiosk.get_by_role("link", name="English").click()
    expect(kiosk.locator("html")).to_have_attribute("lang", "en")
    expect(kiosk.get_by_role("button", name="Public Information Service")).to_be_visible()
    assert controls_out_of_reach(kiosk) == []
    assert axe_violations(kiosk) == []
    shoot(kiosk, "english")
    expect(kiosk.locator("html")).to_have_attribute("lang", "id", timeout=25_000)
    expect(kiosk.get_by_role("button", name="Layanan Informasi Publik")).to_be_visible()


def test_a_landscape_kiosk_keeps_its_controls_low_too(open_page):
    page = open_page("kiosk", "/anjungan", {"width": 1920, "height": 1080})
    expect(page.locator("body")).to_have_attribute("data-screen", "start")
    assert controls_out_of_reach(page) == []
    shoot(page, "landscape")


@pytest.mark.parametrize("config_overrides", [{"priority_categories": ["lansia"]}],
                         indirect=True)
def test_an_office_that_offers_a_priority_group_asks_which(kiosk):
    kiosk.get_by_role("button", name="Konsultasi Penjaminan Mutu").click()
    expect(kiosk.locator("body")).to_have_attribute("data-screen", "category")
    expect(kiosk.get_by_role("heading", level=1)).to_have_text(
        "Silakan pilih: antrean umum atau kelompok prioritas.")
    assert controls_out_of_reach(kiosk) == []
    assert axe_violations(kiosk) == []
    shoot(kiosk, "category")
    kiosk.get_by_role("button", name="Lansia").click()
    expect(kiosk.locator("#result-number")).to_have_text("P-001")


def test_an_admin_unlocks_the_kiosk_by_holding_the_office_name(kiosk):
    dialog = kiosk.locator("#unlock-dialog")
    office = kiosk.locator("[data-unlock-hold]")
    office.click()  # a visitor's tap does nothing
    expect(dialog).to_be_hidden()
    office.hover()
    kiosk.mouse.down()
    expect(dialog).to_be_visible()
    kiosk.mouse.up()
    assert axe_violations(kiosk) == []
    dialog.get_by_label("Nama pengguna").fill("officer")
    dialog.get_by_label("Kata sandi").fill("rahasia-123")
    dialog.get_by_role("button", name="Buka kunci").click()
    expect(dialog.get_by_role("alert")).to_contain_text("admin")
    dialog.get_by_label("Nama pengguna").fill("admin")
    dialog.get_by_label("Kata sandi").fill("rahasia-123")
    dialog.get_by_role("button", name="Buka kunci").click()
    expect(kiosk).to_have_url(re.compile(r"/login$"))
