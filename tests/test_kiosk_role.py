"""The visitors' kiosk (issue 14, part 3) through the API: the kiosk role issues only what
config `kiosk:` offers, at its own station, once per Idempotency-Key, never while its printer
is out of paper; it reads its own printer's state and nothing else of the app."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from printer.states import PrinterState
from queue_server.kiosk import audio
from queue_server.platform.config import ConfigError
from queue_server.printing.models import PrinterStatus, PrintJob
from queue_server.printing.states import ensure_rows
from queue_server.tickets.models import Ticket
from sounds.phrases import clip_name
from tests.support import mp3_seconds

from .support import PASSWORD, office_data, write_config

REGULAR = {"service": "INFO", "category": "umum"}
KIOSK_OFFICE = {"printers": {"preview": {"type": "preview"}, "lobi": {"type": "preview"}},
                "ticket_printer": "preview", "stations": {"anjungan": "lobi"},
                "kiosk": {"station": "anjungan"}}


@pytest.fixture
def config_overrides(request) -> dict:
    return getattr(request, "param", KIOSK_OFFICE)


def set_state(services, printer: str, state: PrinterState) -> None:
    with services.session_factory() as db, db.begin():
        ensure_rows(db, [printer])
        db.get(PrinterStatus, printer).state = state


def test_the_kiosk_issues_a_regular_ticket_at_its_own_station(client, auth, services):
    answer = client.post("/api/v1/tickets", json=REGULAR, headers=auth("kiosk"))
    assert answer.status_code == 201
    assert answer.json["number"] == "A-001" and answer.json["position"] == 1
    assert "category" not in answer.json  # the kiosk is no reader of visitors' groups
    with services.session_factory() as db:
        ticket = db.scalar(select(Ticket))
        job = db.scalar(select(PrintJob))
    assert ticket.station == "anjungan" and job.printer == "lobi"
    # Reception's tickets still print at the ticket printer.
    client.post("/api/v1/tickets", json=REGULAR, headers=auth("receptionist"))
    with services.session_factory() as db:
        assert [j.printer for j in db.scalars(select(PrintJob).order_by(PrintJob.id))] == [
            "lobi", "preview"]


def test_the_kiosk_offers_no_priority_group_by_default(client, auth):
    for category in ("lansia", "disabilitas"):
        refused = client.post("/api/v1/tickets", json={"service": "INFO", "category": category},
                              headers=auth("kiosk"))
        assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    elsewhere = client.post("/api/v1/tickets", json={**REGULAR, "station": "anjungan"},
                            headers=auth("kiosk"))
    assert elsewhere.status_code == 422
    unknown = client.post("/api/v1/tickets", json={"service": "INFO", "category": "nope"},
                          headers=auth("kiosk"))
    assert unknown.status_code == 422 and unknown.json["error"]["code"] == "unknown_category"
    assert client.get("/api/v1/queue", headers=auth("receptionist")).json["tickets"] == []


@pytest.mark.parametrize("config_overrides", [
    {**KIOSK_OFFICE, "kiosk": {"station": "anjungan", "priority_categories": ["lansia"]}}],
    indirect=True)
def test_an_office_may_let_the_kiosk_issue_some_priority_groups(client, auth, config):
    assert config.kiosk.categories == ("umum", "lansia")
    lansia = client.post("/api/v1/tickets", json={"service": "INFO", "category": "lansia"},
                         headers=auth("kiosk"))
    assert lansia.status_code == 201 and lansia.json["number"] == "P-001"
    assert client.post("/api/v1/tickets", json={"service": "INFO", "category": "anak"},
                       headers=auth("kiosk")).status_code == 403


def test_a_double_tap_gives_one_ticket(client, auth, services):
    headers = {**auth("kiosk"), "Idempotency-Key": "visit-1"}
    first = client.post("/api/v1/tickets", json=REGULAR, headers=headers)
    second = client.post("/api/v1/tickets", json=REGULAR, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json["id"] == first.json["id"] and "category" not in second.json
    with services.session_factory() as db:
        assert len(db.scalars(select(Ticket)).all()) == 1
        assert len(db.scalars(select(PrintJob)).all()) == 1


def test_no_number_while_the_kiosks_printer_is_out_of_paper(client, auth, services):
    set_state(services, "lobi", PrinterState.PAPER_OUT)
    status = client.get("/api/v1/kiosk", headers=auth("kiosk")).json
    assert status == {"printer": "lobi", "printer_state": "paper_out", "can_issue": False}
    refused = client.post("/api/v1/tickets", json=REGULAR,
                          headers={**auth("kiosk"), "Idempotency-Key": "visit-2"})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "printer_out_of_paper"
    with services.session_factory() as db:
        assert db.scalar(select(Ticket)) is None  # no number used up, no job
        assert db.scalar(select(PrintJob)) is None
    # Reception is not held back by the kiosk's printer (nor by its own: it sees it).
    set_state(services, "preview", PrinterState.PAPER_OUT)
    desk = client.post("/api/v1/tickets", json=REGULAR, headers=auth("receptionist"))
    assert desk.status_code == 201 and desk.json["number"] == "A-001"
    set_state(services, "lobi", PrinterState.PAPER_LOW)
    assert client.get("/api/v1/kiosk", headers=auth("kiosk")).json["can_issue"] is True
    again = client.post("/api/v1/tickets", json=REGULAR,
                        headers={**auth("kiosk"), "Idempotency-Key": "visit-2"})
    assert again.status_code == 201 and again.json["number"] == "A-002"


@pytest.mark.parametrize("config_overrides", [{"ticket_printer": None}], indirect=True)
def test_no_number_from_a_kiosk_that_prints_nowhere(client, auth, services):
    assert client.get("/api/v1/kiosk", headers=auth("kiosk")).json == {
        "printer": None, "printer_state": "unknown", "can_issue": False}
    refused = client.post("/api/v1/tickets", json=REGULAR, headers=auth("kiosk"))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "no_printer"
    assert client.post("/api/v1/tickets", json=REGULAR,
                       headers=auth("receptionist")).status_code == 201


def test_the_result_is_said_in_clips_in_order(client, auth):
    answer = client.get("/api/v1/kiosk/speech?number=A-012&ahead=3&low=10&high=15",
                        headers=auth("kiosk"))
    assert answer.status_code == 200
    texts = audio.result_texts("id", "A-012", 3, 10, 15)
    assert texts == ["Nomor antrean Anda", "a", "dua", "belas", "Di depan Anda", "tiga",
                     "orang", "Perkiraan waktu tunggu", "sepuluh", "sampai", "lima", "belas",
                     "menit", "Silakan ambil kertas nomor Anda di bawah layar."]
    assert answer.json["urls"] == [audio.URL_PREFIX + clip_name("id", text) for text in texts]
    for url in answer.json["urls"]:
        clip = client.get(url)
        assert clip.status_code == 200 and mp3_seconds(clip.data) > 0.3  # an MP3 of the spoken text
    english = client.get("/api/v1/kiosk/speech?lang=en&number=A-001&ahead=0",
                         headers=auth("kiosk")).json["urls"]
    assert english == [audio.URL_PREFIX + clip_name("en", text) for text in [
        "Your queue number", "ay", "one", "Nobody is ahead of you.",
        "Please take your number slip below the screen."]]
    for query in ("number=A-1", "ahead=1", "number=zz&ahead=1", "number=A-1&ahead=-1",
                  "number=A-1&ahead=1&lang=fr", "number=A-1&ahead=1&low=x"):
        assert client.get(f"/api/v1/kiosk/speech?{query}",
                          headers=auth("kiosk")).status_code == 422, query


def test_every_kiosk_text_has_a_shipped_clip(config):
    for language in audio.LANGUAGES:
        missing = [text for text in audio.spoken_texts(config, language)
                   if not (audio.AUDIO_DIR / clip_name(language, text)).exists()]
        assert missing == [], language


KIOSK_ROUTES = {("POST", "/api/v1/tickets"), ("GET", "/api/v1/kiosk"),
                ("GET", "/api/v1/kiosk/speech"), ("GET", "/anjungan"), ("GET", "/api/v1/me"),
                ("DELETE", "/api/v1/auth/token"), ("GET", "/"), ("POST", "/api/v1/auth/unlock")}
"""Everything a kiosk may do besides the public routes (and its own login and logout); the
unlock takes an admin's password (test_only_an_admin_unlocks_the_kiosk)."""


def concrete(rule: str) -> str:
    import re
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?\w+>", "1", rule)


def test_every_other_protected_route_refuses_the_kiosk(app, client, auth, users):
    """The role-by-route matrix for the kiosk: a route an anonymous client is refused
    (401, or a page's redirect to the login) answers the kiosk 403 unless it is its own."""
    page_client = app.test_client()
    assert page_client.post("/login", data={"username": "kiosk",
                                            "password": PASSWORD}).status_code == 302
    anonymous = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/socket.io", "/static")) or "static" in rule.endpoint \
                or rule.rule in ("/login", "/logout", "/api/v1/auth/token"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = concrete(rule.rule)
            refused = anonymous.open(path, method=method, json={})
            protected = refused.status_code == 401 or (
                refused.status_code == 302 and "/login" in refused.headers["Location"])
            if not protected or (method, rule.rule) in KIOSK_ROUTES:
                continue
            if path.startswith("/api/"):
                answer = client.open(path, method=method, json={}, headers=auth("kiosk"))
            else:
                answer = page_client.open(path, method=method, data={})
            assert answer.status_code == 403, f"{method} {rule.rule}: {answer.status_code}"
            checked += 1
    assert checked > 60  # the whole app, not an empty list
    for method, path in sorted(KIOSK_ROUTES - {("POST", "/api/v1/auth/unlock")}):
        answer = (client.open(path, method=method, json=REGULAR, headers=auth("kiosk"))
                  if path.startswith("/api/") else page_client.open(path, method=method))
        assert answer.status_code != 403, f"{method} {path}"


def test_the_kiosk_hears_no_staff_events(app, tokens):
    socketio = app.extensions["queue_socketio"]
    kiosk = socketio.test_client(app, namespace="/staff", auth={"token": tokens["kiosk"]})
    assert not kiosk.is_connected("/staff")


def test_the_kiosk_page_has_no_staff_menu_and_no_logout(app, users):
    browser = app.test_client()
    browser.post("/login", data={"username": "kiosk", "password": PASSWORD})
    assert browser.get("/").headers["Location"] == "/anjungan"
    page = browser.get("/anjungan").get_data(as_text=True)
    page = page.split('<script type="application/json" id="page-data">')[0]  # the markup
    assert 'action="/logout"' not in page and "Keluar" not in page
    assert "topbar" not in page and 'href="/admin"' not in page
    assert page.count('data-service="') == 3 and 'data-category="' not in page
    assert "Dengarkan" in page


@pytest.mark.parametrize("kiosk, key, words", [
    ({"station": "nope"}, "kiosk.station", "names no station"),
    ({"priority_categories": ["umum"]}, "kiosk.priority_categories[0]", "regular"),
    ({"priority_categories": ["nope"]}, "kiosk.priority_categories[0]", "unknown category"),
    ({"priority_categories": "lansia"}, "kiosk.priority_categories", "list"),
    ({"result_seconds": 1}, "kiosk.result_seconds", "from 3 to 120"),
    ({"idle_seconds": True}, "kiosk.idle_seconds", "from 10 to 600"),
    ({"idle_secs": 30}, "kiosk.idle_secs", "idle_seconds"),
])
def test_a_wrong_kiosk_setting_names_its_key(tmp_path, kiosk, key, words):
    from queue_server.app import load_config
    path = write_config(tmp_path, "sqlite://", kiosk=kiosk)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert key in str(raised.value) and words in str(raised.value)


def test_the_kiosk_defaults_to_the_regular_queue_at_the_ticket_printer(tmp_path):
    from queue_server.app import load_config
    assert "kiosk" not in office_data()
    settings = load_config(write_config(tmp_path, "sqlite://")).kiosk
    assert (settings.station, settings.categories, settings.priority_categories) == (
        None, ("umum",), ())
    assert (settings.result_seconds, settings.idle_seconds) == (10, 45)


def test_only_an_admin_unlocks_the_kiosk(app, users):
    tablet = app.test_client()
    tablet.post("/login", data={"username": "kiosk", "password": PASSWORD})
    headers = {"X-CSRF-Token": _csrf(tablet)}
    refused = tablet.post("/api/v1/auth/unlock", headers=headers,
                          json={"username": "officer", "password": PASSWORD})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "unlock_refused"
    assert tablet.get("/anjungan").status_code == 200
    opened = tablet.post("/api/v1/auth/unlock", headers=headers,
                         json={"username": "admin", "password": PASSWORD})
    assert opened.status_code == 200 and opened.json == {"next": "/login"}
    assert tablet.get("/anjungan").headers["Location"].startswith("/login")


def _csrf(browser) -> str:
    """The session's CSRF token as the page carries it (the kiosk reads no /auth/csrf)."""
    page = browser.get("/anjungan").get_data(as_text=True)
    return page.split('<meta name="csrf-token" content="')[1].split('"')[0]
