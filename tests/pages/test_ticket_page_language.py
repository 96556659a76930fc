"""The public ticket page (/t/<code>) in English names the counter in English."""
from __future__ import annotations

from sqlalchemy import select

from queue_server.tickets.models import Ticket


def test_the_english_page_names_the_counter_in_english(client, auth, services):
    answer = client.post("/api/v1/tickets", json={"service": "KONSUL", "category": "umum"},
                         headers=auth("receptionist"))
    assert answer.status_code == 201
    with services.session_factory() as db:
        code = db.scalar(select(Ticket.public_id).where(Ticket.id == answer.get_json()["id"]))
    client.get("/lang/en")
    waiting = client.get(f"/t/{code}").get_data(as_text=True)
    assert "You will be called to Counter 2." in waiting and "Loket" not in waiting
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    called = client.get(f"/t/{code}").get_data(as_text=True)
    assert "Please go to Counter 2." in called
    assert "Loket" not in called and "Silakan" not in called
