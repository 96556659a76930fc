"""The procedure pages in a real Chromium against a real `queue-server run`."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from queue_server.platform.database import make_engine, make_session_factory
from queue_server.procedure.models import InfoRequest

from ..pages.audit import low_contrast, small_targets
from ..support import PASSWORD, load
from .conftest import GUEST, NIK_DIGITS, NIK_MASKED, REQUESTER

FAST_AUDIO = """
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () { this.playbackRate = 16; return play.call(this); };
"""
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Records what the page asks of the Vibration API (headless Chromium has no motor).
VIBRATION_PROBE = """
window.vibrations = [];
navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };
"""


@pytest.fixture
def open_page(browser, live_server):
    """open_page(role, path, viewport): a logged-in page in its own cookie jar."""
    contexts = []

    def open_(role: str, path: str, viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        context.add_init_script(VIBRATION_PROBE)
        contexts.append(context)
        response = context.request.post("/login", form={"username": role, "password": PASSWORD})
        assert response.ok, response.status
        page = context.new_page()
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def api(live_server):
    """api("officer", "POST", "/visits", json=...): the live server's API with a bearer token."""
    tokens: dict[str, str] = {}

    def call(role: str, method: str, path: str, **kwargs):
        if role not in tokens:
            tokens[role] = live_server.token(role)
        response = live_server.api(method, path, tokens[role], **kwargs)
        assert response.status_code < 400, response.text
        return response.json() if response.content else None

    return call


def walk_to_hand_over(api) -> dict:
    """A visit taken by the API up to the hand-over (step 7)."""
    visit = api("receptionist", "POST", "/visits", json={"aids": ["kursi_roda"]})
    [call] = api("security", "GET", "/escorts")["escorts"]
    api("security", "POST", f"/escorts/{call['id']}/done", json={"place": "ult"})
    base = f"/visits/{visit['id']}/steps"
    api("receptionist", "POST", f"{base}/guest_book/complete", json={"guest": GUEST,
                                                                     "service": "INFO"})
    api("receptionist", "POST", f"{base}/to_counter/complete", json={})
    api("officer", "POST", f"{base}/request/complete", json={"request": {
        **REQUESTER, "subject": "Rapor mutu", "requirements": {"Kartu identitas": True},
        "same_day": True}})
    api("ppid", "POST", f"{base}/processing/complete", json={"result": "Rapor mutu dicetak"})
    return visit


def audit(page) -> None:
    assert small_targets(page) == []
    checked, low = low_contrast(page)
    assert checked > 10 and low == []


def test_guest_book_to_a_printed_ticket(open_page, api, live_server):
    # ?test-log=1 shows the page's record of its alarms as window.procedureAlerts.
    security = open_page("security", "/keamanan?test-log=1", PHONE)
    expect(security.locator("#live-state")).to_have_attribute("data-state", "connected")
    security.get_by_role("button", name="Aktifkan suara dan getar").click()
    reception = open_page("receptionist", "/buku-tamu")
    expect(reception.locator("#live-state")).to_have_attribute("data-state", "connected")
    # Without the flag the page keeps its record to itself.
    assert reception.evaluate("typeof window.procedureAlerts") == "undefined"

    arrival = reception.locator("#arrival-form")
    arrival.get_by_role("checkbox", name="Kursi roda").check()
    arrival.get_by_label("Keterangan").fill("Gerbang timur")
    arrival.get_by_role("button", name="Catat kedatangan dan panggil petugas keamanan").click()
    expect(reception.get_by_role("status")).to_have_text(re.compile("Kedatangan dicatat"))

    # The security phone rings and vibrates, then one tap accepts and one finishes.
    card = security.locator(".escort-card")
    expect(card).to_contain_text("Jemput dan antar ke ULT")
    expect(card).to_contain_text("Kursi roda")
    security.wait_for_function("() => window.procedureAlerts.length > 0")
    assert security.evaluate("window.vibrations") == [[300, 150, 300]]
    security.wait_for_function("() => window.procedureAlerts[0].sound === 'played'")
    audit(security)
    assert security.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card.get_by_role("button", name="Terima").click()
    expect(card).to_contain_text("Diterima Petugas security")
    card.get_by_role("button", name="Selesai di ULT").click()
    expect(security.locator("#calls")).to_contain_text("Tidak ada permintaan.")

    waiting = reception.locator("#waiting .card")
    waiting.get_by_role("button", name="Isi buku tamu").click()
    form = reception.locator("#guest-form")
    expect(form.locator("#legal-basis")).to_contain_text("UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 20")
    form.get_by_label("Nama", exact=True).fill(GUEST["name"])
    nik = form.get_by_label("NIK (16 angka)")
    nik.fill(NIK_DIGITS[:15])
    nik.press("Tab")
    expect(form.locator("#nik-error")).to_be_visible()
    nik.fill(NIK_DIGITS)
    form.get_by_label("Nomor telepon").fill(GUEST["phone"])
    form.get_by_label("Instansi/asal").fill(GUEST["institution"])
    form.get_by_label("Maksud dan tujuan").fill(GUEST["purpose"])
    form.get_by_role("radio", name="Penyandang disabilitas").check()
    form.get_by_role("checkbox", name="Fisik").check()
    # UU 27/2022 Pasal 26: how the notice reached the visitor, and who consented.
    expect(form.locator(".perceivable")).to_be_visible()
    with reception.expect_request(re.compile(r"/static/procedure/audio/id-.*\.mp3")) as clip:
        form.get_by_role("button", name="Bacakan pemberitahuan").click()
    assert clip.value.url.endswith(".mp3")
    reception.wait_for_function(
        "() => !document.getElementById('legal-basis-audio').paused"
        " || document.getElementById('legal-basis-audio').ended")
    expect(form.get_by_role("radio", name="Dibacakan")).to_be_checked()
    form.get_by_role("radio", name="Pengguna layanan sendiri").check()
    audit(reception)
    form.get_by_role("button", name="Simpan dan cetak nomor antrean").click()

    expect(reception.locator("#issued-number")).to_have_text("P-001")
    printed = reception.locator('#issued-print a[data-status="printed"]')
    expect(printed).to_be_visible()
    preview = live_server.api("GET", printed.get_attribute("href").removeprefix("/api/v1"),
                              live_server.token("receptionist")).text
    assert "P-001" in preview and "Prioritas" in preview
    assert NIK_DIGITS not in preview and "Siti" not in preview and "disabilitas" not in preview

    ready = reception.locator("#to-counter .card")
    expect(ready).to_contain_text("P-001")
    ready.get_by_role("button", name="Sudah diantar ke loket").click()
    expect(reception.locator("#to-counter")).not_to_contain_text("P-001")
    [visit] = api("admin", "GET", "/visits")["visits"]
    assert visit["step"]["key"] == "request" and visit["guest"]["nik_masked"] == NIK_MASKED
    assert (visit["guest"]["notice_mode"], visit["guest"]["consent_by"]) == (
        "read_aloud", "visitor")


def test_the_guest_book_warns_about_an_odd_nik_without_refusing_it(open_page, api):
    api("receptionist", "POST", "/visits", json={"aids": []})
    [escort] = api("security", "GET", "/escorts")["escorts"]
    api("security", "POST", f"/escorts/{escort['id']}/done", json={"place": "ult"})
    reception = open_page("receptionist", "/buku-tamu")
    reception.locator("#waiting .card").get_by_role("button", name="Isi buku tamu").click()
    nik = reception.locator("#guest-nik")
    nik.fill("9971013208650001")
    nik.press("Tab")
    warnings = reception.locator("#nik-warnings")
    expect(warnings).to_be_visible()
    expect(warnings).to_contain_text("Kode provinsi pada NIK tidak dikenal")
    expect(warnings).to_contain_text("Tanggal lahir pada NIK")
    expect(reception.locator("#nik-error")).to_be_hidden()
    nik.fill("3171015208650001")
    nik.press("Tab")
    expect(warnings).to_be_hidden()


# The TV announces the call even though staff walk the visitor to the counter: the case where
# a visitor who cannot hear or see it must be fetched (an unescorted pick-up is the other).
@pytest.mark.parametrize("config_overrides", [{"procedure": {"announce_call": "always"}}],
                         indirect=True)
def test_a_deaf_visitor_is_fetched_when_their_ticket_is_called(open_page, api):
    security = open_page("security", "/keamanan?test-log=1", PHONE)
    expect(security.locator("#live-state")).to_have_attribute("data-state", "connected")
    security.get_by_role("button", name="Aktifkan suara dan getar").click()
    reception = open_page("receptionist", "/buku-tamu")
    expect(reception.locator("#live-state")).to_have_attribute("data-state", "connected")

    visit = api("receptionist", "POST", "/visits", json={"aids": []})
    [escort] = api("security", "GET", "/escorts")["escorts"]
    api("security", "POST", f"/escorts/{escort['id']}/done", json={"place": "ult"})
    deaf = {**GUEST, "category": "lansia", "kinds": [], "communication": ["sensorik_rungu"],
            "aids": ["juru_bahasa_isyarat"], "notice_mode": "sign_language"}
    done = api("receptionist", "POST", f"/visits/{visit['id']}/steps/guest_book/complete",
               json={"guest": deaf, "service": "INFO"})
    ticket = done["ticket"]
    security.wait_for_function("() => window.procedureAlerts.length > 0")  # the escort call
    before = security.evaluate("window.procedureAlerts.length")

    api("receptionist", "POST", f"/visits/{visit['id']}/steps/to_counter/complete", json={})
    api("officer", "POST", f"/visits/{visit['id']}/steps/request/acknowledge",
        json={"counter": "2"})
    alert = security.locator("#fetch-alerts .fetch-card")
    expect(alert).to_have_text(re.compile(f"Jemput {ticket} ke Loket 2"))
    expect(reception.locator("#fetch-alerts")).to_contain_text(f"Jemput {ticket} ke Loket 2")
    security.wait_for_function("n => window.procedureAlerts.length > n", arg=before)
    assert security.evaluate("window.fetchAlerts") == [ticket]
    assert security.evaluate("window.vibrations").count([300, 150, 300]) >= 2
    # Ticket and counter only: nothing about the need on the page.
    text = security.locator("#fetch-alerts").inner_text()
    assert "rungu" not in text.lower() and "Siti" not in text
    alert.get_by_role("button", name="Sudah dijemput").click()
    expect(security.locator(".fetch-panel")).to_be_hidden()


def test_counter_records_the_request_and_hands_over(open_page, api):
    visit = visit_at_the_counter(api)

    counter = open_page("officer", "/layanan")
    card = counter.locator(f'#visits .card[data-visit="{visit["id"]}"]')
    expect(card).to_contain_text("Siti Aminah")
    with counter.expect_response(re.compile(r"/steps/request/equipment$")) as ticked:
        card.get_by_role("checkbox", name="Komputer").check()
    assert ticked.value.ok
    card.get_by_role("checkbox", name="Kartu identitas").check()
    card.get_by_role("checkbox", name="Formulir permohonan informasi").check()
    card.get_by_label("Alamat pemohon").fill(REQUESTER["requester_address"])
    card.get_by_label("Informasi yang dimohon").fill("Rapor mutu SDN 01 Menteng")
    card.get_by_role("checkbox", name="Hasil diberikan hari ini").check()
    expect(card).to_contain_text("Layanan ini tidak dipungut biaya.")
    audit(counter)
    card.get_by_role("button", name="Catat permohonan dan serahkan kepada PPID").click()
    expect(counter.get_by_role("status")).to_have_text(re.compile(r"PMH-\d{8}-001"))
    expect(card).to_contain_text("Diproses PPID")

    ppid = open_page("ppid", "/ppid")
    request_card = ppid.locator("#requests .card").first
    expect(request_card).to_contain_text("Rapor mutu SDN 01 Menteng")
    request_card.get_by_label("Hasil").fill("Salinan rapor mutu 2025")
    request_card.get_by_role("button", name="Kirim hasil ke loket").click()
    expect(counter.get_by_role("status")).to_have_text(re.compile("sudah dikembalikan PPID"))

    card.get_by_role("button", name="Serahkan hasil dan cetak tanda terima").click()
    expect(counter.locator("#receipt-number")).to_have_text(re.compile(r"^TTI-\d{8}-001$"))
    expect(counter.locator('#receipt-print a[data-status="printed"]')).to_be_visible()
    card.get_by_role("button", name="Survei sudah diisi").click()
    card.get_by_role("button", name="Panggil petugas keamanan").click()
    expect(counter.get_by_role("status")).to_have_text("Petugas keamanan dipanggil.")
    [escort] = api("security", "GET", "/escorts")["escorts"]
    assert escort["kind"] == "out" and escort["visit_id"] == visit["id"]
    steps = api("admin", "GET", f"/visits/{visit['id']}")["steps"]
    assert steps[4]["equipment_ticks"][0]["item"] == "Komputer"
    assert steps[4]["equipment_ticks"][0]["provided"] is True
    # The counter's own live list shows the running step's deviations board.
    expect(counter.locator("#running-heading")).to_have_text("Langkah yang sedang berjalan")


def test_survey_from_start_to_end_by_keyboard_only(open_page, api, live_server):
    # ?test-log=1 shows the clips the page started as window.surveyAudioLog.
    page = open_page("display", "/survei?test-log=1", {"width": 1024, "height": 768})
    # Play clips 16 times as fast: the test checks which clips play in which order.
    page.add_init_script(FAST_AUDIO)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    survey = api("display", "GET", "/survey")
    cost = next(q for q in survey["questions"] if q["key"] == "biaya_tarif")
    clips = [cost["question_audio"], *cost["answer_audio"]]
    assert all(clips)
    keyboard = page.keyboard
    keyboard.press("Enter")  # start
    chosen = {"persyaratan": 4, "sistem_mekanisme_prosedur": 3, "waktu_penyelesaian": 3,
              "biaya_tarif": 4, "produk_spesifikasi": 3, "kompetensi_pelaksana": 4,
              "perilaku_pelaksana": 4, "penanganan_pengaduan": 2, "sarana_prasarana": 3}
    for number, question in enumerate(survey["questions"], 1):
        expect(page.locator("#screen")).to_have_attribute("data-screen", question["key"])
        expect(page.locator(".survey-progress")).to_have_text(f"Pertanyaan {number} dari 9")
        if question["key"] == "biaya_tarif":
            expect(page.get_by_role("radio", name=re.compile("Gratis"))).to_be_visible()
            page.wait_for_function("(last) => window.surveyAudioLog.includes(last)",
                                   arg=clips[-1])
            audit(page)
        keyboard.press(str(chosen[question["key"]]))
        expect(page.get_by_role("radio", checked=True)).to_have_text(
            re.compile(question["answers"][chosen[question["key"]] - 1]))
        keyboard.press("Enter")
    for key in ("2", "5", "1"):  # Perempuan, S1, PNS/ASN
        keyboard.press(key)
        keyboard.press("Enter")
    keyboard.type("45")
    keyboard.press("Enter")
    keyboard.type("Kursi tunggu ditambah")
    keyboard.press("Enter")
    keyboard.press("Enter")  # send
    expect(page.locator("#screen")).to_have_attribute("data-screen", "thanks")
    expect(page.locator("#screen")).to_contain_text("Terima kasih")

    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    [row] = api("admin", "GET", f"/records/satisfaction_survey?date={today}")["rows"]
    assert {key: row[key] for key in chosen} == chosen
    assert (row["jenis_kelamin"], row["pendidikan"], row["pekerjaan"], row["usia"]) == (
        "P", "s1", "pns", 45)
    assert row["saran"] == "Kursi tunggu ditambah"

    # Every question and its answers were read aloud from the pre-built clips.
    played = page.evaluate("window.surveyAudioLog")
    start = played.index(clips[0])
    assert played[start:start + 5] == clips
    assert page.evaluate("(url) => fetch(url).then(r => r.ok)", clips[1])

    # The admin reads the index: (4+3+3+4+3+4+4+2+3) / 9 x 25 = 83.33, grade B.
    admin = open_page("admin", "/prosedur")
    admin.get_by_label("Dari tanggal").fill(today)
    admin.get_by_label("Sampai tanggal").fill(today)
    admin.locator("#ikm-form").get_by_role("button", name="Tampilkan").click()
    expect(admin.locator("#ikm-value")).to_have_text("83,33")  # a decimal comma
    expect(admin.locator("#ikm-grade")).to_have_text("B (Baik)")
    audit(admin)


def test_timeline_page_masks_and_reveals_for_an_admin(open_page, api):
    visit = walk_to_hand_over(api)
    page = open_page("admin", f"/kunjungan/{visit['id']}")
    expect(page.locator(".pos-identity")).to_contain_text(
        "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024")
    rows = page.locator("#steps-table tbody tr")
    expect(rows).to_have_count(10)
    expect(rows.nth(6)).to_have_class(re.compile("is-current"))
    expect(page.locator("#nik-shown")).to_have_text(NIK_MASKED)
    assert NIK_DIGITS not in page.content()
    audit(page)
    page.get_by_label("Alasan membuka NIK").fill("Verifikasi identitas penerima")
    page.get_by_role("button", name="Tampilkan NIK lengkap").click()
    expect(page.locator("#nik-shown")).to_have_text(NIK_DIGITS)

    officer = open_page("officer", f"/kunjungan/{visit['id']}")
    expect(officer.locator("#nik-shown")).to_have_text(NIK_MASKED)
    assert officer.get_by_role("button", name="Tampilkan NIK lengkap").count() == 0


def test_admin_handles_a_data_subject_request(open_page, api):
    visit = walk_to_hand_over(api)
    page = open_page("admin", "/prosedur")
    form = page.locator("#subject-form")
    form.get_by_label("NIK (16 angka)").fill(NIK_DIGITS)
    form.get_by_role("button", name="Cari").click()
    expect(form).to_be_visible()
    # The reason is required: nothing is searched without it.
    expect(page.locator("#subject-result")).to_be_empty()
    form.get_by_label("Alasan dan dasar permintaan").fill("Permintaan subjek data 01/2026")
    form.get_by_role("button", name="Cari").click()
    row = page.locator("#subject-result tr[data-entry]")
    expect(row).to_contain_text(NIK_MASKED)
    expect(row).to_contain_text(GUEST["name"])
    assert NIK_DIGITS not in page.content()

    correct = page.locator("#subject-correct")
    correct.get_by_label("Kolom yang diperbaiki").select_option("institution")
    correct.get_by_label("Nilai baru").fill("SDN 02 Menteng")
    correct.get_by_role("button", name="Perbaiki").click()
    expect(row).to_contain_text("SDN 02 Menteng")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hapus data terpilih").click()
    expect(page.get_by_role("status")).to_have_text("Data pribadi dihapus.")
    # The NIK is gone with the rest: searching by it again finds nothing.
    expect(page.locator("#subject-result")).to_have_text("Tidak ada entri buku tamu yang cocok.")
    actions = [a["action"] for a in api("admin", "GET", "/data-subjects/actions")["actions"]]
    assert actions[:3] == ["find", "erase", "find"] and "correct" in actions
    guest = api("admin", "GET", f"/visits/{visit['id']}")["visit"]["guest"]
    assert guest["purged"] is True and guest["name"] is None


def visit_at_the_counter(api) -> dict:
    """A visit brought in, written in the guest book and taken to the counter (step 5)."""
    visit = api("receptionist", "POST", "/visits", json={"aids": []})
    [call] = api("security", "GET", "/escorts")["escorts"]
    api("security", "POST", f"/escorts/{call['id']}/done", json={"place": "ult"})
    base = f"/visits/{visit['id']}/steps"
    api("receptionist", "POST", f"{base}/guest_book/complete",
        json={"guest": {**GUEST, "category": "lansia", "kinds": []}, "service": "INFO"})
    api("receptionist", "POST", f"{base}/to_counter/complete", json={})
    return visit


def test_ppid_register_proof_overdue_refusal_and_objection(open_page, api, live_server):
    visit = visit_at_the_counter(api)

    # The counter records what Pasal 22 ayat (2) names and prints the proof of request.
    counter = open_page("officer", "/layanan")
    card = counter.locator(f'#visits .card[data-visit="{visit["id"]}"]')
    expect(card.get_by_label("Nama pemohon")).to_have_value(GUEST["name"])
    card.get_by_label("Alamat pemohon").fill("Jl. Cikini Raya No. 2, Jakarta Pusat")
    card.get_by_label("Informasi yang dimohon").fill("Rapor mutu SDN 01 Menteng")
    card.get_by_role("radio", name="Salinan tercetak (hardcopy)").check()
    card.get_by_role("radio", name="Dikirim melalui pos").check()
    audit(counter)
    card.get_by_role("button", name="Catat permohonan dan serahkan kepada PPID").click()
    expect(counter.locator("#proof-number")).to_have_text(re.compile(r"^PMH-\d{8}-001$"))
    expect(counter.locator("#proof-due")).to_contain_text("Batas waktu jawaban")
    printed = counter.locator('#proof-print a[data-status="printed"]')
    expect(printed).to_be_visible()
    paper = live_server.api("GET", printed.get_attribute("href").removeprefix("/api/v1"),
                            live_server.token("officer")).text
    assert "BUKTI PERMOHONAN INFORMASI" in paper and "Rapor mutu SDN 01 Menteng" in paper
    assert NIK_DIGITS not in paper and "Cikini" not in paper and "Siti" not in paper
    first_job = printed.get_attribute("href")
    counter.locator("#proof-reprint").click()
    expect(counter.get_by_role("status")).to_have_text(re.compile("Bukti permohonan PMH-"))
    expect(counter.locator('#proof-print a[data-status="printed"]')).not_to_have_attribute(
        "href", first_job)

    # The statutory limit passed (moved back in the database): flagged on the PPID page.
    [request] = api("ppid", "GET", "/requests")["requests"]
    engine = make_engine(load(live_server.config_path).database_url)
    with make_session_factory(engine)() as db, db.begin():
        db.get(InfoRequest, request["id"]).due_statutory = date.today() - timedelta(days=1)
    engine.dispose()
    ppid = open_page("ppid", "/ppid")
    expect(ppid.locator("#day-one")).to_contain_text(
        "Hari ke-1 adalah hari kerja berikutnya setelah permohonan diterima")
    request_card = ppid.locator(f'#requests .card[data-request="{request["id"]}"]')
    expect(request_card.locator(".past-limit")).to_have_text("Lewat batas UU KIP")
    expect(request_card).to_contain_text("Jl. Cikini Raya No. 2")
    expect(ppid.locator(".holiday-gap")).to_have_count(0)
    audit(ppid)

    # A refusal under Pasal 17, then an objection to it: both listed.
    request_card.locator("summary", has_text="Tolak").click()
    request_card.get_by_label("Pasal 17 huruf").select_option("h")
    request_card.get_by_label("Alasan penolakan dan uji konsekuensi").fill(
        "Mengungkap data pribadi peserta didik")
    request_card.get_by_role("button", name="Tolak (informasi dikecualikan)").click()
    refusal = ppid.locator(f'#refusals .card[data-refused="{request["id"]}"]')
    expect(refusal).to_contain_text("Pasal 17 huruf h: Mengungkap data pribadi peserta didik")
    notice = refusal.get_by_role("link", name="Unduh pemberitahuan tertulis")
    assert notice.get_attribute("href") == f"/api/v1/requests/{request['id']}/refusal-notice"
    refusal.locator("summary", has_text="Catat keberatan").click()
    refusal.get_by_label("Alasan keberatan (Pasal 35 ayat (1))").select_option("a")
    refusal.get_by_role("button", name="Catat keberatan").click()
    objection = ppid.locator("#objections .card").first
    expect(objection).to_contain_text(re.compile(r"KBR-\d{8}-001"))
    expect(objection).to_contain_text("Batas jawaban atasan PPID")


def test_a_live_update_of_a_card_keeps_what_the_officer_typed(open_page, api):
    """The counter's cards are drawn again when their visit changes; what the officer has
    typed into the request form must survive that (it was lost under CI load: 'Field
    subject is required' after the officer had filled it)."""
    visit = visit_at_the_counter(api)

    counter = open_page("officer", "/layanan")
    card = counter.locator(f'#visits .card[data-visit="{visit["id"]}"]')
    expect(card.get_by_label("Nama pemohon")).to_have_value(GUEST["name"])
    # Typing into a card at the very moment it is replaced is lost whatever the page does:
    # let the loads of the page's start (the first, and the one its socket's connect asks
    # for) finish before typing, so that the redraw below is the one under test.
    counter.wait_for_load_state("networkidle")
    card.get_by_label("Informasi yang dimohon").fill("Rapor mutu SDN 01 Menteng")
    expect(card.get_by_label("Informasi yang dimohon")).to_have_value("Rapor mutu SDN 01 Menteng")
    card.get_by_role("radio", name="Dikirim melalui pos").check()
    # The next update draws this card again (its signature no longer matches), as a change
    # of the visit would; another visit arriving is the update.
    card.evaluate("node => { node.dataset.signature = 'stale'; node.oldCard = true; }")
    api("receptionist", "POST", "/visits", json={"aids": []})
    counter.wait_for_function(
        "id => { const c = document.querySelector(`#visits .card[data-visit=\"${id}\"]`);"
        " return c && !c.oldCard; }", arg=visit["id"])
    expect(card.get_by_label("Informasi yang dimohon")).to_have_value("Rapor mutu SDN 01 Menteng")
    expect(card.get_by_role("radio", name="Dikirim melalui pos")).to_be_checked()
    expect(card.get_by_label("Nama pemohon")).to_have_value(GUEST["name"])
