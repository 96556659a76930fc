"""A ticket's public status: the /t/ page without meta refresh, its JSON twin and the /ticket
socket rooms, each carrying that ticket's public status and nothing personal."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from queue_server.tickets.models import Ticket

PUBLIC_FIELDS = {"number", "status", "position", "ahead", "counter", "counter_name", "watch",
                 "live", "language", "lines", "estimate", "transferred", "recall_until", "call"}


def issue(client, auth, category: str = "umum") -> dict:
    response = client.post("/api/v1/tickets", json={"service": "INFO", "category": category},
                           headers=auth("receptionist"))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def code_of(services, number: str) -> str:
    with services.session_factory() as db:
        return db.scalar(select(Ticket.public_id).where(Ticket.number == number))


def ticket_socket(app, code, lang="id"):
    return app.extensions["queue_socketio"].test_client(
        app, namespace="/ticket", auth={"ticket": code, "lang": lang})


def received(socket, name: str) -> list[dict]:
    return [event["args"][0] for event in socket.get_received("/ticket")
            if event["name"] == name]


def test_the_page_has_a_reload_link_and_no_meta_refresh(client, auth, services):
    issue(client, auth)
    code = code_of(services, "A-001")
    page = client.get(f"/t/{code}").get_data(as_text=True)
    assert "http-equiv" not in page
    assert f'<a class="button" id="ticket-reload" href="/t/{code}">Muat ulang</a>' in page
    assert 'role="status" aria-live="polite"' in page
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/2/done", headers=auth("officer"))
    served = client.get(f"/t/{code}").get_data(as_text=True)
    assert "Sudah dilayani" in served and "ticket-reload" not in served
    assert "socket.io" not in served  # nothing left to follow


def test_the_json_status_is_public_and_in_the_asked_language(client, auth, services):
    issue(client, auth, "disabilitas")
    issue(client, auth, "disabilitas")
    code = code_of(services, "P-002")
    status = client.get(f"/api/v1/t/{code}").json
    assert set(status) == PUBLIC_FIELDS
    assert (status["number"], status["status"], status["position"], status["ahead"]) == (
        "P-002", "waiting", 2, 1)
    assert status["watch"] == ["Loket Prioritas", "Loket 2", "Loket 3"]
    assert [line["text"] for line in status["lines"]] == [
        "Silakan menunggu. Nomor Anda akan dipanggil.", "Urutan Anda dalam antrean: 2",
        "Perhatikan: Loket Prioritas, Loket 2, Loket 3"]
    assert "disabilitas" not in str(status).lower() and "category" not in status
    client.post("/api/v1/counters/3/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/3/call-next", headers=auth("officer"))
    english = client.get(f"/api/v1/t/{code}?lang=en").json
    assert english["lines"] == [{"kind": "state", "text": "Please go to Counter 3."}]
    assert (english["status"], english["counter"], english["live"]) == ("called", "3", True)
    missing = client.get("/api/v1/t/no-such-ticket")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "unknown_ticket"


def test_a_socket_hears_its_own_ticket_only(app, client, auth, services):
    issue(client, auth)
    issue(client, auth)
    first, second = code_of(services, "A-001"), code_of(services, "A-002")
    mine = ticket_socket(app, second)
    other = ticket_socket(app, first, "en")
    [hello] = received(mine, "status")
    assert (hello["number"], hello["position"]) == ("A-002", 2)
    received(other, "status")

    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))  # calls A-001
    nudges = mine.get_received("/ticket")  # not its ticket: only the nudge, no data
    assert [(e["name"], e["args"]) for e in nudges] == [("queue_changed", [{}])]
    mine.emit("refresh", namespace="/ticket")
    [moved] = received(mine, "status")
    assert moved["position"] == 1
    [called] = received(other, "status")
    assert (called["number"], called["lines"][0]["text"]) == ("A-001", "Please go to Counter 2.")

    client.post("/api/v1/counters/3/call-next", headers=auth("officer"))  # calls A-002
    [now] = received(mine, "status")
    assert now["lines"][0]["text"] == "Silakan menuju Loket 3." and set(now) == PUBLIC_FIELDS
    assert received(other, "status") == []


def test_a_socket_for_no_ticket_is_refused(app):
    assert not ticket_socket(app, "no-such-ticket").is_connected("/ticket")
    assert not app.extensions["queue_socketio"].test_client(
        app, namespace="/ticket").is_connected("/ticket")


class TestLimits:
    """The /ticket namespace is public: the TV's limits hold for it too."""

    @pytest.fixture
    def config_overrides(self) -> dict:
        return {"display": {"max_sockets_per_address": 2, "snapshots_per_minute": 2}}

    def test_sockets_per_address_and_refreshes_per_minute(self, app, client, auth, services):
        issue(client, auth)
        code = code_of(services, "A-001")
        first, second, third = (ticket_socket(app, code) for _ in range(3))
        assert first.is_connected("/ticket") and second.is_connected("/ticket")
        assert not third.is_connected("/ticket")
        first.get_received("/ticket")
        for _ in range(4):
            first.emit("refresh", namespace="/ticket")
        assert len(received(first, "status")) == 2  # the rest are ignored
        second.disconnect(namespace="/ticket")
        assert ticket_socket(app, code).is_connected("/ticket")


def test_a_no_show_page_keeps_following_for_a_call_back(client, auth, services):
    ticket = issue(client, auth)
    code = code_of(services, "A-001")
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/2/no-show", headers=auth("officer"))
    missed = client.get(f"/api/v1/t/{code}").json
    assert (missed["status"], missed["live"]) == ("no_show", True)
    assert 'id="ticket-reload"' in client.get(f"/t/{code}").get_data(as_text=True)
    client.post("/api/v1/counters/3/call-back", json={"ticket_id": ticket["id"]},
                headers=auth("officer"))
    assert client.get(f"/api/v1/t/{code}").json["lines"][0]["text"] == "Silakan menuju Loket 3."


def test_a_called_ticket_carries_its_call_and_the_tvs_audio_parts(client, auth, services):
    issue(client, auth)
    code = code_of(services, "A-001")
    called = client.post("/api/v1/counters/2/call-next", headers=auth("officer")).json
    status = client.get(f"/api/v1/t/{code}").json
    call = status["call"]
    assert (call["headline"], call["counter_name"], call["recall"]) == (
        "Giliran Anda — Loket 2", "Loket 2", False)
    assert call["spoken"] == "Giliran Anda. Nomor A-001, silakan menuju Loket 2."
    # The TV's own parts: the same chime and Indonesian sentence urls, only the page's language.
    tv_audio = client.get("/api/v1/display/state").json["current"]["audio"]
    assert call["audio"]["chime"] == tv_audio["chime"]
    assert call["audio"]["languages"] == [tv_audio["languages"][0]]
    assert client.get(call["audio"]["chime"]).status_code == 200
    english = client.get(f"/api/v1/t/{code}?lang=en").json["call"]
    assert english["headline"] == "Your turn — Counter 2"
    assert [part["lang"] for part in english["audio"]["languages"]] == ["en"]
    recalled = client.post("/api/v1/counters/2/recall", headers=auth("officer")).json
    again = client.get(f"/api/v1/t/{code}").json["call"]
    assert again["recall"] and again["headline"] == "Anda dipanggil ulang — Loket 2"
    assert again["seq"] > call["seq"] and recalled["call"]["seq"] > called["call"]["seq"]


def test_transferred_and_no_show_states(client, auth, services, clock):
    issue(client, auth)
    code = code_of(services, "A-001")
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/2/transfer", json={"counter": "3"}, headers=auth("officer"))
    moved = client.get(f"/api/v1/t/{code}").json
    assert moved["transferred"] and moved["call"] is None
    assert [line["text"] for line in moved["lines"]][0::2] == [
        "Nomor Anda dialihkan. Silakan menunggu panggilan berikutnya.",
        "Perhatikan: Loket 3"]
    client.post("/api/v1/counters/3/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/3/no-show", headers=auth("officer"))
    missed = client.get(f"/api/v1/t/{code}").json
    local = (clock.now + timedelta(minutes=15)).astimezone(ZoneInfo("Asia/Jakarta"))
    assert missed["lines"][0]["text"] == ("Nomor Anda terlewat. Petugas masih dapat "
                                          f"memanggilnya kembali hingga pukul {local:%H.%M}.")
    assert missed["live"] and missed["recall_until"]
    clock.advance(minutes=16)
    over = client.get(f"/api/v1/t/{code}").json
    assert not over["live"] and over["recall_until"] is None
    assert over["lines"][0]["text"].startswith("Nomor Anda terlewat dan batas waktu")


def test_an_unknown_or_expired_code_gets_a_friendly_page_with_404(client, auth, services,
                                                                   clock):
    page = client.get("/t/no-such-ticket")
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and "Nomor antrean tidak ditemukan" in html
    assert "Not Found" not in html and "requested URL" not in html
    issue(client, auth)
    code = code_of(services, "A-001")
    assert client.get(f"/t/{code}").status_code == 200
    clock.advance(days=1)  # yesterday's ticket: its link leads nowhere now
    assert client.get(f"/t/{code}").status_code == 404
    assert client.get(f"/api/v1/t/{code}").status_code == 404
    assert not ticket_socket(client.application, code).is_connected("/ticket")


def test_fifty_sockets_each_hear_their_own_ticket_only(app, client, auth, services):
    """With 50 tickets followed at once, no page ever gets another ticket's status."""
    for _ in range(50):
        issue(client, auth)
    with services.session_factory() as db:
        codes = dict(db.execute(select(Ticket.number, Ticket.public_id)).all())
    sockets = {number: ticket_socket(app, code) for number, code in codes.items()}
    for number, socket in sockets.items():
        [hello] = received(socket, "status")
        assert hello["number"] == number
    for counter in ("2", "3", "2", "3", "2"):
        client.post(f"/api/v1/counters/{counter}/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/2/recall", headers=auth("officer"))
    client.post("/api/v1/counters/3/transfer", json={"counter": "2"}, headers=auth("officer"))
    heard = {number: socket.get_received("/ticket") for number, socket in sockets.items()}
    changed = set()
    for number, events in heard.items():
        for event in events:
            if event["name"] == "status":
                assert event["args"][0]["number"] == number
                changed.add(number)
            else:
                assert (event["name"], event["args"]) == ("queue_changed", [{}])
    # Five were called (two of them served by the next call, one recalled, one transferred).
    assert changed == {f"A-00{n}" for n in range(1, 6)}
