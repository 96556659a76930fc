"""The phone never leaves the server: not in logs, pages, APIs, events or the TV, and it is
gone once the ticket no longer needs it."""
from __future__ import annotations

import logging
import re

import pytest

from ..support import PASSWORD, ROLES
from .conftest import E164, PHONE

PAGES = ["/", "/admin", "/resepsionis", "/loket", "/loket/2", "/display", "/keamanan",
         "/buku-tamu", "/layanan", "/ppid", "/prosedur", "/laporan", "/pemantauan"]


def leaks(text: str) -> bool:
    """Whether the text holds the number in any spelling (masked forms are fine)."""
    digits = re.sub(r"\D", "", PHONE)  # 081234567890
    flat = re.sub(r"[\s-]", "", text)
    return digits in flat or E164 in flat or digits[1:] in flat


@pytest.fixture
def called_with_phone(issue, client, auth, services):
    """A ticket with a phone, another waiting with one, the first called: every event seen."""
    events = []
    services.publisher.subscribe(events.append)
    first = issue(phone=PHONE, notify_consent=True)
    second = issue(phone=PHONE, notify_consent=True)
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    return first, second, events


def test_no_log_line_holds_the_phone(caplog, issue, client, auth, app, services):
    """Even a gateway whose error echoes the number is logged with the number masked."""
    from queue_server.notify import outbox
    from queue_server.notify.gateway import DeliveryError
    from queue_server.platform.transactions import Outcome

    class EchoingGateway:
        def send(self, message):
            raise DeliveryError(f"invalid destination {message.phone}")

    caplog.set_level(logging.DEBUG)
    issue(phone=PHONE, notify_consent=True)
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum",
                                         "phone": "0812-xx", "notify_consent": True},
                headers=auth("receptionist"))
    notifier = app.extensions["notify"]
    notifier.notifier = EchoingGateway()
    message = services.work.run(lambda db: Outcome(result=outbox.claim_next(
        db, services.config.notify, services.clock()))).result
    notifier.deliver(message)
    assert "invalid destination +62812*****890" in caplog.text
    assert not leaks(caplog.text)


def test_no_event_carries_the_phone(called_with_phone):
    _first, _second, events = called_with_phone
    assert {event.name for event in events} >= {"ticket_issued", "ticket_called",
                                                 "notification_queued"}
    assert not leaks(repr(events))


def test_no_role_reads_it_through_the_api(called_with_phone, client, auth):
    first, second, _ = called_with_phone
    for role in ROLES:
        for path in (f"/tickets/{first['id']}", f"/tickets/{second['id']}", "/queue",
                     "/counters/2", "/board", "/display/state", "/printers",
                     "/print-jobs/1"):
            response = client.get("/api/v1" + path, headers=auth(role))
            assert not leaks(response.get_data(as_text=True)), (role, path)


def test_no_page_shows_it_to_any_role(called_with_phone, app, users):
    for role in ROLES:
        client = app.test_client()
        client.post("/login", data={"username": role, "password": PASSWORD})
        for path in PAGES:
            assert not leaks(client.get(path).get_data(as_text=True)), (role, path)


def test_the_tv_and_the_visitors_own_page_never_show_it(called_with_phone, client, services):
    first, second, _ = called_with_phone
    assert not leaks(client.get("/api/v1/display/state").get_data(as_text=True))
    assert not leaks(client.get("/display").get_data(as_text=True))
    with services.session_factory() as db:
        from queue_server.tickets.models import Ticket
        codes = [db.get(Ticket, t["id"]).public_id for t in (first, second)]
    for code in codes:
        assert not leaks(client.get(f"/t/{code}").get_data(as_text=True))
        assert not leaks(client.get(f"/api/v1/t/{code}").get_data(as_text=True))


def test_the_print_job_never_holds_it(called_with_phone, services):
    from sqlalchemy import select

    from queue_server.printing.models import PrintJob

    with services.session_factory() as db:
        jobs = list(db.scalars(select(PrintJob)))
    assert jobs and not any(leaks(repr(job.payload)) for job in jobs)


def test_only_admin_reads_the_outbox_and_sees_phones_masked(called_with_phone, client, auth):
    for role in ROLES:
        response = client.get("/api/v1/notifications", headers=auth(role))
        assert response.status_code == (200 if role == "admin" else 403), role
    listing = client.get("/api/v1/notifications?status=queued", headers=auth("admin")).json
    assert [m["phone"] for m in listing["notifications"]] == ["+62812*****890"]
    assert listing["notifications"][0]["text"].startswith("Nomor antrean A-001")
    assert not leaks(str(listing))
    assert client.get("/api/v1/notifications?status=lost",
                      headers=auth("admin")).status_code == 422
