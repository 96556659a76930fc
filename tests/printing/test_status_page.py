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
    assert "P-002" in page and "Urutan Anda dalam antrean: 2" in page
    assert "Perhatikan: Loket Prioritas, Loket 2, Loket 3" in page
    assert 'http-equiv="refresh"' in page
    assert "disabilitas" not in page.lower() and "Prioritas</" not in page
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.post("/api/v1/counters/3/call-next", headers=auth("officer"))
    called = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "Silakan menuju Loket 3." in called and "Perhatikan" not in called


def test_a_regular_ticket_is_not_sent_to_the_priority_counter(client, auth, services):
    ticket = issue(client, auth("receptionist"), "KONSUL", "umum")
    page = client.get(status_path(services, ticket["id"])).get_data(as_text=True)
    assert "Perhatikan: Loket 2<" in page
    assert client.get("/t/no-such-ticket").status_code == 404
