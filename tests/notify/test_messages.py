"""Which messages a ticket gets, written with the call in one transaction; the phone's life."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from queue_server.notify.models import Notification, NotificationStatus
from queue_server.notify.service import sweep
from queue_server.procedure.wiring import run_purge
from queue_server.tickets.models import TicketContact

from .conftest import E164, PHONE


def messages(services) -> list[Notification]:
    with services.session_factory() as db:
        return list(db.scalars(select(Notification).order_by(Notification.id)))


def contacts(services) -> dict[int, str]:
    with services.session_factory() as db:
        return {c.ticket_id: c.phone for c in db.scalars(select(TicketContact))}


def call_next(client, auth, counter="2"):
    return client.post(f"/api/v1/counters/{counter}/call-next", headers=auth("officer"))


def test_the_phone_is_kept_normalised_only_with_consent(issue, services):
    with_consent = issue(phone=PHONE, notify_consent=True)
    without = issue(phone=PHONE)
    refused = issue(phone=PHONE, notify_consent=False)
    assert with_consent["notify_phone"] == "+62812*****890"
    assert "notify_phone" not in without and "notify_phone" not in refused
    assert contacts(services) == {with_consent["id"]: E164}


@pytest.mark.parametrize("phone", ["021-555-1234", "12345", "0812", "08123456789012345",
                                   "+1 415 555 0100", "0812３４５６７８９"])
def test_a_phone_that_is_no_indonesian_mobile_gets_422(client, auth, phone, services):
    response = client.post("/api/v1/tickets", json={
        "service": "INFO", "category": "umum", "phone": phone, "notify_consent": True},
        headers=auth("receptionist"))
    assert response.status_code == 422
    assert "phone" in response.json["error"]["message"]
    assert contacts(services) == {}


def test_consent_must_be_a_boolean(client, auth):
    response = client.post("/api/v1/tickets", json={
        "service": "INFO", "category": "umum", "phone": PHONE, "notify_consent": "ya"},
        headers=auth("receptionist"))
    assert response.status_code == 422


@pytest.mark.parametrize("config_overrides", [{"notify": {"enabled": False}}], indirect=True)
def test_with_messages_off_no_phone_is_stored(issue, services):
    assert "notify_phone" not in issue(phone=PHONE, notify_consent=True)
    assert contacts(services) == {}


def test_a_call_writes_the_message_with_it(issue, client, auth, services):
    ticket = issue(phone=PHONE, notify_consent=True, notify_language="id")
    english = issue(phone="081298765432", notify_consent=True, notify_language="en")
    call_next(client, auth)
    call_next(client, auth, "3")
    rows = [(m.kind, m.phone, m.text, m.status) for m in messages(services)]
    assert rows == [
        ("called", E164, f"Nomor antrean {ticket['number']}: silakan menuju Loket 2.",
         NotificationStatus.QUEUED),
        ("called", "+6281298765432",
         f"Queue number {english['number']}: please go to Counter 3.",
         NotificationStatus.QUEUED)]
    # A recall says nothing new; the ticket's message is not queued twice.
    client.post("/api/v1/counters/2/recall", headers=auth("officer"))
    assert len(messages(services)) == 2


def test_n_ahead_is_sent_once_when_the_line_reaches_it(issue, client, auth, services):
    tickets = [issue(phone=None) for _ in range(3)]
    watched = issue(phone=PHONE, notify_consent=True)  # 3 ahead; the threshold is 2
    assert messages(services) == []
    call_next(client, auth)  # now 2 ahead
    ahead = [m for m in messages(services) if m.kind == "ahead"]
    assert [m.text for m in ahead] == [f"Nomor antrean {watched['number']}: "
                                       "2 orang lagi di depan Anda."]
    call_next(client, auth)  # 1 ahead: nothing more
    call_next(client, auth)  # 0 ahead
    assert [m.kind for m in messages(services)] == ["ahead"]
    assert tickets  # the others have no phone: nothing for them
    call_next(client, auth)  # its own call; the unsent ahead message is no longer true
    kinds = {m.kind: m.status for m in messages(services)}
    assert kinds == {"ahead": NotificationStatus.WITHDRAWN, "called": NotificationStatus.QUEUED}


def test_a_priority_ticket_issued_ahead_delays_the_message(issue, client, auth, services):
    issue(), issue()
    watched = issue(phone=PHONE, notify_consent=True)  # 2 ahead at issue: no message yet
    issue(category="lansia")  # goes ahead: 3 ahead
    call_next(client, auth)  # the priority ticket: 2 ahead again
    assert [(m.kind, m.ticket_id) for m in messages(services)] == [("ahead", watched["id"])]


def test_a_served_ticket_loses_its_phone_and_unsent_messages(issue, client, auth, services):
    ticket = issue(phone=PHONE, notify_consent=True)
    call_next(client, auth)
    client.post("/api/v1/counters/2/done", headers=auth("officer"))
    assert contacts(services) == {}
    [message] = messages(services)
    assert message.status is NotificationStatus.WITHDRAWN and message.phone is None
    assert message.phone_masked == "+62812*****890" and message.ticket_id == ticket["id"]


def test_a_no_show_keeps_the_phone_for_the_call_back_window(issue, client, auth, services,
                                                             clock):
    issue(phone=PHONE, notify_consent=True)
    call_next(client, auth)
    client.post("/api/v1/counters/2/no-show", headers=auth("officer"))
    with services.session_factory() as db, db.begin():
        sweep(db, services.config, clock())
    assert list(contacts(services).values()) == [E164]
    clock.advance(minutes=16)
    with services.session_factory() as db, db.begin():
        sweep(db, services.config, clock())
    assert contacts(services) == {}


def test_the_nightly_purge_empties_the_days_phones(issue, client, auth, services, clock):
    issue(phone=PHONE, notify_consent=True)
    issue(phone="081298765432", notify_consent=True)
    call_next(client, auth)  # one message queued, still unsent
    clock.advance(days=1)
    run_purge(services)
    assert contacts(services) == {}
    assert [(m.phone, m.status) for m in messages(services)] == [
        (None, NotificationStatus.FAILED)]


def test_a_held_ticket_is_not_waiting_and_gets_no_ahead_message(issue, client, auth, services):
    from queue_server.tickets.contacts import Contact

    for _ in range(3):
        issue()
    held = services.work.run(services.queue.issuing.issue, None, "INFO", "umum",
                             held=True, contact=Contact(E164, "id")).ticket
    for _ in range(3):
        call_next(client, auth)
    assert [m for m in messages(services) if m.ticket_id == held.id] == []


def test_a_double_press_keeps_one_contact_and_another_number_under_the_key_is_409(
        client, auth, services):
    body = {"service": "INFO", "category": "umum", "phone": PHONE, "notify_consent": True}
    headers = {**auth("receptionist"), "Idempotency-Key": "tekan-1"}
    first = client.post("/api/v1/tickets", json=body, headers=headers)
    again = client.post("/api/v1/tickets", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json["id"] == first.json["id"]
    assert contacts(services) == {first.json["id"]: E164}
    other = client.post("/api/v1/tickets", json={**body, "phone": "081298765432"},
                        headers=headers)
    assert other.status_code == 409
