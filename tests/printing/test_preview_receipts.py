"""The preview printer keeps each job's bytes; reprint and receipts make jobs of their own."""
from __future__ import annotations

import pytest

from queue_server.printing.models import PrintJobStatus

from .conftest import issue, job_for_ticket, network_printer, wait_until

NIK = "3171234567890001"


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    """Tickets go to the preview printer; counter 2's desk has a network printer."""
    return {"ticket_printer": "preview",
            "printers": {"loket": network_printer(fake_printer)},
            "stations": {"loket-2": {"printer": "loket", "counters": ["2"]}}}


def printed(services, ticket_id: int, count: int = 1):
    return wait_until(lambda: (jobs := job_for_ticket(services, ticket_id)) and len(jobs) >= count
                      and all(j.status is PrintJobStatus.PRINTED for j in jobs) and jobs)


def test_preview_keeps_the_bytes_and_shows_the_ticket(client, auth, services, printing):
    headers = auth("receptionist")
    ticket = issue(client, headers, "KONSUL", "lansia")
    job = printed(services, ticket["id"])[0]
    kept = services.config.printers["preview"].connection.directory / job.output_file
    assert kept.read_bytes() == job.data and b"P-001" in job.data
    assert kept.parent == services.config.instance_dir / "prints"
    preview = client.get(f"/api/v1/print-jobs/{job.id}/preview", headers=headers)
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    page = preview.get_data(as_text=True)
    assert "P-001" in page and "ANTREAN PRIORITAS" in page and "Konsultasi" in page
    assert client.get(f"/api/v1/print-jobs/{job.id}/preview").status_code == 401
    view = client.get(f"/api/v1/print-jobs/{job.id}", headers=headers).get_json()
    assert view["status"] == "printed" and view["number"] == "P-001" and "data" not in view


def test_reprint_makes_a_second_job(client, auth, services, printing):
    ticket = issue(client, auth("receptionist"))
    first = printed(services, ticket["id"])[0]
    again = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", headers=auth("receptionist"))
    assert again.status_code == 201 and again.get_json()["id"] != first.id
    jobs = printed(services, ticket["id"], 2)
    assert len(jobs) == 2 and jobs[0].output_file != jobs[1].output_file
    assert b"A-001" in jobs[1].data
    assert client.post(f"/api/v1/tickets/{ticket['id']}/reprint",
                       headers=auth("officer")).status_code == 403
    assert client.post("/api/v1/tickets/999/reprint",
                       headers=auth("receptionist")).status_code == 404


def test_receipt_prints_at_the_counters_desk_without_personal_data(
        client, auth, services, printing, fake_printer):
    ticket = issue(client, auth("receptionist"), "INFO", "disabilitas")
    response = client.post("/api/v1/receipts", headers=auth("officer"), json={
        "ticket_id": ticket["id"], "counter": "2", "request_number": "PPID-2024-0042",
        "items": ["Salinan SK penetapan"], "nik": NIK, "visitor_name": "Siti Aminah"})
    assert response.status_code == 201, response.get_json()
    job = response.get_json()
    assert job["printer"] == "loket" and job["kind"] == "receipt"
    data = fake_printer.wait_for_jobs(1)[0]
    assert b"TANDA TERIMA INFORMASI" in data and b"PPID-2024-0042" in data
    assert b"P-001" in data and b"Petugas officer" in data and b"Salinan SK" in data
    assert NIK.encode() not in data and b"Siti" not in data and b"disabilitas" not in data


def test_receipt_input_is_checked(client, auth):
    ticket = issue(client, auth("receptionist"))
    body = {"ticket_id": ticket["id"], "request_number": "R-1"}
    assert client.post("/api/v1/receipts", headers=auth("receptionist"),
                       json=body).status_code == 403
    assert client.post("/api/v1/receipts", headers=auth("officer"),
                       json={**body, "ticket_id": 404}).status_code == 404
    assert client.post("/api/v1/receipts", headers=auth("officer"),
                       json={**body, "station": "gudang"}).status_code == 422
    assert client.post("/api/v1/receipts", headers=auth("officer"),
                       json={**body, "items": "semua"}).status_code == 422
    elsewhere = client.post("/api/v1/receipts", headers=auth("officer"), json={**body,
                                                                             "counter": "3"})
    assert elsewhere.status_code == 201 and elsewhere.get_json()["printer"] == "preview"
