"""The page the ticket's QR code opens: number, status, place, counter to watch; nothing personal."""
from __future__ import annotations

from sqlalchemy import select

from queue_server.printing.models import PrintJob

from .conftest import issue


def status_path(services, ticket_id: int) -> str:
    with services.session_factory() as db:
        job = db.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket_id))
    url = job.payload["status_url"]
    assert url.startswith(services.config.public_url + "/t/")
    return url[len(services.config.public_url):]


def test_the_printed_link_shows_the_ticket_and_where_to_go(client, auth, services):
    issue(client, auth("receptionist"), "INFO", "disabilitas")
    ticket = issue(client, auth("receptionist"), "INFO", "disabilitas")
    page = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "P-002" in page and "Di depan Anda: 1 orang" in page
    assert "Anda akan dipanggil ke Loket Prioritas, Loket 2, Loket 3." in page
    assert 'http-equiv="refresh"' in page
    assert "disabilitas" not in page.lower() and "Prioritas</" not in page
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/3/call-next", headers=auth("officer"))
    called = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "Silakan menuju Loket 3." in called and "dipanggil ke" not in called


def test_a_regular_ticket_is_not_sent_to_the_priority_counter(client, auth, services):
    ticket = issue(client, auth("receptionist"), "KONSUL", "umum")
    page = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "Anda akan dipanggil ke Loket 2.<" in page
    assert client.get("/t/no-such-ticket").status_code == 404


def test_the_english_page_names_the_counter_in_english(client, auth, services):
    ticket = issue(client, auth("receptionist"), "KONSUL", "umum")
    client.get("/lang/en")
    waiting = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "You will be called to Counter 2." in waiting and "People ahead of" not in waiting
    assert "Nobody is waiting ahead of you" in waiting
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    called = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "Please proceed to Counter 2." in called
    assert "Loket" not in called and "Silakan" not in called
