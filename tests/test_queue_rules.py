"""Queue rules through the API: numbering, order, fairness, recall, no-show, transfer."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from queue_server.tickets.models import Call, TicketAction, TicketEvent


def issue(client, auth, category="umum", service="INFO"):
    response = client.post("/api/v1/tickets", json={"service": service, "category": category},
                           headers=auth("receptionist"))
    assert response.status_code == 201, response.json
    return response.json


def call(client, auth, counter="2", action="call-next", **kwargs):
    return client.post(f"/api/v1/counters/{counter}/{action}", headers=auth("officer"), **kwargs)


def test_numbers_count_per_prefix_and_restart_each_local_day(client, auth, clock):
    # 16:59 UTC is 23:59 in Jakarta; two minutes later is the next local day.
    clock.now = datetime(2026, 11, 25, 16, 59, tzinfo=UTC)
    numbers = [issue(client, auth, c)["number"] for c in ("umum", "lansia", "umum", "anak")]
    assert numbers == ["A-001", "P-001", "A-002", "P-002"]
    clock.advance(minutes=2)
    assert issue(client, auth, "umum")["number"] == "A-001"
    assert issue(client, auth, "disabilitas")["number"] == "P-001"


def test_priority_first_then_fifo_within_class(client, auth):
    for category in ("umum", "lansia", "umum", "anak", "ibu_hamil"):
        issue(client, auth, category)
    order = [call(client, auth).json["number"] for _ in range(5)]
    # The guard lets three priority tickets go in a row, then regulars in order.
    assert order == ["P-001", "P-002", "P-003", "A-001", "A-002"]
    assert call(client, auth).status_code == 204


def test_guard_takes_a_regular_after_three_priority_calls(client, auth):
    issue(client, auth, "umum")
    for _ in range(5):
        issue(client, auth, "lansia")
    order = [call(client, auth).json["number"] for _ in range(6)]
    assert order == ["P-001", "P-002", "P-003", "A-001", "P-004", "P-005"]


@pytest.fixture
def config_overrides():
    return {"queue": {"max_priority_streak": 3, "max_regular_wait_minutes": 10,
                      "no_show_recall_minutes": 15, "number_digits": 3}}


def test_regular_waiting_past_the_limit_goes_first(client, auth, clock):
    assert call(client, auth, counter="1").status_code == 204  # the priority counter is open
    issue(client, auth, "umum")
    clock.advance(minutes=11)
    issue(client, auth, "lansia")
    assert call(client, auth).json["number"] == "A-001"
    assert call(client, auth).json["number"] == "P-001"


def test_with_the_priority_counter_closed_priority_goes_first(client, auth, clock):
    issue(client, auth, "umum")
    clock.advance(minutes=11)
    issue(client, auth, "lansia")
    # Nobody called at the priority-only counter: the waiting rule does not apply.
    assert call(client, auth).json["number"] == "P-001"
    assert call(client, auth).json["number"] == "A-001"


def test_priority_counter_takes_only_priority_tickets(client, auth):
    issue(client, auth, "umum")
    assert call(client, auth, counter="1").status_code == 204
    issue(client, auth, "lansia")
    assert call(client, auth, counter="1").json["number"] == "P-001"


def test_counter_only_takes_its_services(client, auth):
    issue(client, auth, "umum", service="KONSUL")
    assert call(client, auth, counter="3").status_code == 204
    assert call(client, auth, counter="2").json["number"] == "A-001"


def test_call_next_closes_the_current_ticket_as_served(client, auth, services):
    first = issue(client, auth)
    issue(client, auth)
    call(client, auth)
    call(client, auth)
    detail = client.get(f"/api/v1/tickets/{first['id']}", headers=auth("officer")).json
    assert detail["status"] == "served"
    assert [h["action"] for h in detail["history"]] == ["issued", "called", "served"]


def test_recall_announces_the_same_ticket_again(client, auth, services):
    issue(client, auth)
    called = call(client, auth).json
    recalled = call(client, auth, action="recall").json
    assert recalled["number"] == called["number"]
    assert recalled["call"]["recall"] is True
    assert recalled["call"]["seq"] == called["call"]["seq"] + 1
    with services.session_factory() as db:
        calls = db.scalars(select(Call).order_by(Call.id)).all()
    assert [(c.number, c.recall) for c in calls] == [("A-001", False), ("A-001", True)]


def test_recall_without_a_current_ticket_is_a_conflict(client, auth):
    response = call(client, auth, action="recall")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "no_current_ticket"


def test_no_show_can_be_called_back_within_the_window_only(client, auth, clock):
    issue(client, auth)
    issue(client, auth)
    first = call(client, auth).json
    assert call(client, auth, action="no-show").json["status"] == "no_show"
    status = client.get("/api/v1/counters/2", headers=auth("officer")).json
    assert [t["number"] for t in status["no_shows"]] == ["A-001"]
    clock.advance(minutes=14)
    back = call(client, auth, action="call-back", json={"ticket_id": first["id"]})
    assert back.status_code == 200 and back.json["status"] == "called"
    call(client, auth, action="no-show")
    clock.advance(minutes=16)
    late = call(client, auth, action="call-back", json={"ticket_id": first["id"]})
    assert late.status_code == 409
    assert "15 minutes" in late.json["error"]["message"]


def test_transfer_keeps_number_and_priority(client, auth):
    issue(client, auth, "lansia")
    issue(client, auth, "lansia")
    called = call(client, auth, counter="1").json
    moved = call(client, auth, counter="1", action="transfer",
                 json={"service": "SURAT", "counter": "3"}).json
    assert moved["number"] == called["number"] and moved["priority"] == 1
    assert moved["status"] == "waiting" and moved["service"] == "SURAT"
    assert moved["target_counter"] == "3"
    # Counter 2 serves SURAT too, but the ticket was sent to counter 3.
    assert call(client, auth, counter="2").json["number"] == "P-002"
    assert call(client, auth, counter="3").json["number"] == called["number"]


def test_transfer_to_a_counter_without_the_service_is_refused(client, auth):
    issue(client, auth, service="KONSUL")
    called = call(client, auth).json
    response = call(client, auth, action="transfer", json={"counter": "3"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"
    assert response.json["error"]["message"] == "Counter 3 does not serve KONSUL"
    # Nothing moved: counter 2 still has the ticket called, and the ticket its counter.
    counter = client.get("/api/v1/counters/2", headers=auth("officer")).json
    assert counter["current"]["id"] == called["id"]
    assert counter["current"]["number"] == "A-001"
    ticket = client.get(f"/api/v1/tickets/{called['id']}", headers=auth("officer")).json
    assert (ticket["status"], ticket["counter"], ticket["target_counter"], ticket["service"]) \
        == ("called", "2", None, "KONSUL")
    assert [h["action"] for h in ticket["history"]] == ["issued", "called"]


def test_every_change_is_recorded_with_time_and_user(client, auth, services, clock):
    ticket = issue(client, auth)
    call(client, auth)
    call(client, auth, action="done")
    with services.session_factory() as db:
        events = db.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket["id"])
                            .order_by(TicketEvent.id)).all()
        users = {e.action: e.user_id for e in events}
    assert [e.action for e in events] == [TicketAction.ISSUED, TicketAction.CALLED,
                                          TicketAction.SERVED]
    assert all(e.at == clock.now for e in events)
    me = {role: client.get("/api/v1/me", headers=auth(role)).json["id"]
          for role in ("receptionist", "officer")}
    assert users[TicketAction.ISSUED] == me["receptionist"]
    assert users[TicketAction.SERVED] == me["officer"]
