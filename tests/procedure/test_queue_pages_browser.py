"""The procedure and the queue as one, through the pages in Chromium."""
from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from .conftest import GUEST, NIK_DIGITS
from .test_pages_browser import PHONE, api, open_page  # noqa: F401 - fixtures

FAMILY = "Datang didampingi keluarga atau pendamping"


def fill_guest_book(reception) -> None:
    reception.locator("#waiting .card").get_by_role("button", name="Isi buku tamu").click()
    form = reception.locator("#guest-form")
    form.get_by_label("Nama", exact=True).fill(GUEST["name"])
    form.get_by_label("NIK (16 angka)").fill(NIK_DIGITS)
    form.get_by_label("Maksud dan tujuan").fill(GUEST["purpose"])
    form.get_by_role("radio", name="Lansia").check()
    form.get_by_role("button", name="Simpan dan cetak nomor antrean").click()
    expect(reception.locator("#issued-number")).to_have_text("P-001")


def call_next_on_the_page(page) -> None:
    """Press "Panggil berikutnya" at a counter page: nothing is waiting for it."""
    with page.expect_response(re.compile(r"/call-next$")) as called:
        page.get_by_role("button", name="Panggil berikutnya").click()
    assert called.value.status == 204
    expect(page.get_by_role("status")).to_have_text("Tidak ada antrean")


def test_a_visit_walked_through_the_pages_never_leaves_its_ticket_in_the_queue(
        open_page, api, live_server):  # noqa: F811 - fixtures
    reception = open_page("receptionist", "/buku-tamu")
    security = open_page("security", "/keamanan", PHONE)
    loket2 = open_page("officer", "/loket/2")
    expect(reception.locator("#live-state")).to_have_attribute("data-state", "connected")

    # 1-2. Arrival at reception; security walks the visitor in.
    reception.locator("#arrival-form").get_by_role(
        "button", name="Catat kedatangan dan panggil petugas keamanan").click()
    card = security.locator(".escort-card")
    card.get_by_role("button", name="Terima").click()
    card.get_by_role("button", name="Selesai di ULT").click()
    expect(security.locator("#calls")).to_contain_text("Tidak ada permintaan.")

    # 3. Guest book: P-001 is printed, held while reception walks the visitor over.
    fill_guest_book(reception)
    [visit] = api("admin", "GET", "/visits")["visits"]
    timeline = open_page("officer", f"/kunjungan/{visit['id']}")
    expect(timeline.locator("#live-state")).to_have_attribute("data-state", "connected")
    expect(loket2.locator("#count-priority")).to_have_text("0")
    call_next_on_the_page(loket2)

    # 4. Taken to the counter: still nobody else's to call.
    ready = reception.locator("#to-counter .card")
    ready.get_by_role("button", name="Sudah diantar ke loket").click()
    expect(reception.locator("#to-counter")).not_to_contain_text("P-001")
    call_next_on_the_page(loket2)
    # The timeline follows by itself (it reloads when its visit changes).
    expect(timeline.locator("tr.is-current")).to_have_attribute("data-step", "request")

    # 5. The counter takes the visit: P-001 is called at Loket Prioritas, quietly.
    counter = open_page("officer", "/layanan")
    counter.get_by_label("Loket Anda").select_option("1")
    card = counter.locator(f'#visits .card[data-visit="{visit["id"]}"]')
    # The card shows the step's short name; the SOP sentence opens from the keyboard.
    summary = card.locator("details.step-name summary")
    expect(summary).to_have_text("5. Permohonan dan persyaratan")
    full = card.locator("details.step-name .step-full")
    expect(full).to_be_hidden()
    summary.focus()
    counter.keyboard.press("Enter")
    expect(full).to_have_text(
        "Menanyakan layanan yang dibutuhkan dan memeriksa kelengkapan persyaratan")
    card.get_by_role("button", name="Mulai layani P-001").click()
    expect(counter.get_by_role("status")).to_have_text("P-001 dilayani di Loket Prioritas.")
    current = api("officer", "GET", "/counters/1")["current"]
    assert current["number"] == "P-001"
    card.get_by_role("checkbox", name="Kartu identitas").check()
    card.get_by_label("Alamat pemohon").fill("Jl. Cikini Raya No. 2, Jakarta Pusat")
    card.get_by_label("Informasi yang dimohon").fill("Rapor mutu SDN 01 Menteng")
    card.get_by_role("radio", name="Salinan tercetak (hardcopy)").check()
    card.get_by_role("radio", name="Dikirim melalui pos").check()
    card.get_by_role("button", name="Catat permohonan dan serahkan kepada PPID").click()
    expect(card).to_contain_text("Diproses PPID")
    call_next_on_the_page(loket2)

    # 6. PPID returns the result while the visitor waits.
    ppid = open_page("ppid", "/ppid")
    request_card = ppid.locator("#requests .card").first
    request_card.get_by_label("Hasil").fill("Salinan rapor mutu 2025")
    request_card.get_by_role("button", name="Kirim hasil ke loket").click()
    # Once the server has the result, the counter's card follows live: the hand-over is
    # its step now.
    ppid.wait_for_function("() => !document.querySelector('#requests [aria-busy=\"true\"]')")
    step_now = ""
    deadline = time.monotonic() + 30  # the two CI workers share two cores with Chromium
    while time.monotonic() < deadline:
        step_now = api("officer", "GET", f"/visits/{visit['id']}")["visit"]["step"]["key"]
        if step_now == "hand_over":
            break
        ppid.wait_for_timeout(100)
    assert step_now == "hand_over", ppid.locator("main").inner_text()
    expect(card).to_have_attribute("data-step", "hand_over", timeout=20_000)

    # 7-8. Hand-over, then the survey step: the boards show it running beside the card.
    card.get_by_role("button", name="Serahkan hasil dan cetak tanda terima").click()
    expect(card).to_have_attribute("data-step", "survey")
    expect(counter.locator('#running .running-item[data-step="survey"]')).to_contain_text(
        "8. Survei kepuasan")
    admin = open_page("admin", "/prosedur")
    expect(admin.locator('#running .running-item[data-step="survey"]')).to_be_visible()
    card.get_by_role("button", name="Survei sudah diisi").click()

    # 9-10. Security is called and walks the visitor out: the visit is complete.
    card.get_by_role("button", name="Panggil petugas keamanan").click()
    security.locator(".escort-card").get_by_role("button", name="Selesai di pintu keluar").click()
    expect(security.locator("#calls")).to_contain_text("Tidak ada permintaan.")
    expect(timeline.locator("#steps-table")).to_contain_text("Petugas security")
    assert api("admin", "GET", f"/visits/{visit['id']}")["visit"]["status"] == "completed"

    # No later call-next returns P-001, at any counter, through the page or the API.
    call_next_on_the_page(open_page("officer", "/loket/1"))
    call_next_on_the_page(loket2)
    for code in ("1", "2", "3"):
        response = live_server.api("POST", f"/counters/{code}/call-next",
                                   live_server.token("officer"))
        assert response.status_code == 204, response.text
    history = api("officer", "GET", f"/tickets/{current['id']}")
    assert history["status"] == "served"
    # Held at issue, called once without a TV announcement, served when the visit ended.
    assert [(h["action"], h["details"]) for h in history["history"]] == [
        ("issued", {"held": True}), ("called", {"announced": False}),
        ("served", {"reason": "visit_finished"})]


def test_reception_marks_the_escort_not_needed_with_a_reason(open_page, api):  # noqa: F811
    reception = open_page("receptionist", "/buku-tamu")
    reception.locator("#arrival-form").get_by_role(
        "button", name="Catat kedatangan dan panggil petugas keamanan").click()
    card = reception.locator("#waiting .card")
    expect(card).to_contain_text("Sedang dijemput petugas keamanan")
    box = card.locator("details.step-skip-box")
    box.locator("summary").click()
    box.get_by_label("Alasan").select_option(label=FAMILY)
    box.get_by_label("Keterangan").fill("Anaknya mendampingi")
    box.locator('[data-action="skip-step"]').click()
    expect(reception.get_by_role("status")).to_have_text("Langkah ditandai tidak diperlukan.")
    expect(card.get_by_role("button", name="Isi buku tamu")).to_be_visible()
    assert api("security", "GET", "/escorts")["escorts"] == []

    [visit] = api("admin", "GET", "/visits")["visits"]
    timeline = open_page("receptionist", f"/kunjungan/{visit['id']}")
    expect(timeline.locator('tr[data-step="escort_in"] .step-skipped')).to_have_text(
        f"Tidak diperlukan: {FAMILY}: Anaknya mendampingi")
    assert api("admin", "GET", "/deviations")["deviations"] == []
