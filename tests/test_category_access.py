"""A ticket's category is health data: only reception, the counters and admin read it."""
from __future__ import annotations

import pytest

READERS = {"admin", "receptionist", "officer"}
OTHERS = {"ppid", "security", "display"}


@pytest.fixture
def disabled_visitor(client, auth):
    return client.post("/api/v1/tickets", headers=auth("receptionist"),
                       json={"service": "INFO", "category": "disabilitas"}).get_json()


@pytest.mark.parametrize("role", sorted(READERS | OTHERS))
def test_the_category_reaches_only_the_roles_that_need_it(client, auth, disabled_visitor,
                                                          role):
    ticket = client.get(f"/api/v1/tickets/{disabled_visitor['id']}", headers=auth(role))
    queue = client.get("/api/v1/queue", headers=auth(role))
    assert ticket.status_code == queue.status_code == 200
    listed = queue.get_json()["tickets"][0]
    assert listed["number"] == ticket.get_json()["number"] == disabled_visitor["number"]
    if role in READERS:
        assert ticket.get_json()["category"] == listed["category"] == "disabilitas"
    else:
        assert "category" not in ticket.get_json()
        assert "category" not in listed
        assert "disabilitas" not in ticket.get_data(as_text=True) + queue.get_data(as_text=True)


def test_staff_sockets_hear_the_category_only_in_the_roles_that_read_it(app, client, auth,
                                                                         tokens):
    socketio = app.extensions["queue_socketio"]
    sockets = {role: socketio.test_client(app, namespace="/staff", auth={"token": tokens[role]})
               for role in sorted(READERS | OTHERS)}
    for socket in sockets.values():
        socket.get_received("/staff")
    client.post("/api/v1/tickets", headers=auth("receptionist"),
                json={"service": "INFO", "category": "disabilitas"})
    client.post("/api/v1/counters/1/call-next", headers=auth("officer"))
    for role, socket in sockets.items():
        received = socket.get_received("/staff")
        names = [message["name"] for message in received]
        assert "ticket_issued" in names and "ticket_called" in names, (role, names)
        tickets = [message["args"][0]["ticket"] for message in received
                   if "ticket" in message["args"][0]]
        assert tickets, role
        if role in READERS:
            assert all(ticket["category"] == "disabilitas" for ticket in tickets), role
        else:
            assert all("category" not in ticket for ticket in tickets), role
            assert "disabilitas" not in repr(received), role


def test_a_fetch_alert_reaches_only_reception_and_security(app, client, auth, tokens, services):
    """A deaf visitor's ticket is called: reception and security hear "fetch P-001 to
    Loket 2"; the other roles (who might infer the need) hear nothing of it."""
    from datetime import UTC, datetime

    from queue_server.procedure.models import GuestEntry, Visit, VisitStatus

    ticket = client.post("/api/v1/tickets", headers=auth("receptionist"),
                         json={"service": "INFO", "category": "lansia"}).get_json()
    now = datetime.now(UTC)
    with services.session_factory() as db, db.begin():
        visit = Visit(day=now.date(), status=VisitStatus.ACTIVE, position=3, present=True,
                      aids=[], ticket_id=ticket["id"], created_at=now)
        db.add(visit)
        db.flush()
        db.add(GuestEntry(visit_id=visit.id, day=now.date(), name="Tamu", category="lansia",
                          kinds=[], aids=[], communication=["sensorik_rungu"],
                          guardian_consent=False, created_at=now))
    socketio = app.extensions["queue_socketio"]
    sockets = {role: socketio.test_client(app, namespace="/staff", auth={"token": tokens[role]})
               for role in sorted(READERS | OTHERS)}
    for socket in sockets.values():
        socket.get_received("/staff")
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    for role, socket in sockets.items():
        received = socket.get_received("/staff")
        fetches = [m["args"][0] for m in received if m["name"] == "fetch_requested"]
        if role in ("admin", "receptionist", "security"):
            assert [(f["ticket"], f["counter_name"]) for f in fetches] == [
                (ticket["number"], "Loket 2")], role
            assert "rungu" not in repr(fetches)
        else:
            assert fetches == [], role
            assert any(m["name"] == "ticket_called" for m in received), role
