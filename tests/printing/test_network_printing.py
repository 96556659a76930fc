"""Tickets reach a network printer: each number once, in order, across outages and restarts."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from queue_server.platform.database import make_engine, make_session_factory
from queue_server.printing.models import PrintJob, PrintJobStatus

from .conftest import issue, job_for_ticket, wait_for_print_jobs, wait_until


def numbers_in(jobs: list[bytes], numbers: list[str]) -> list[str]:
    """The numbers found in the jobs, in the order the jobs arrived."""
    return [number for job in jobs for number in numbers if number.encode() in job]


def test_each_issued_ticket_prints_its_number(client, auth, fake_printer, printing, services):
    tickets = [issue(client, auth("receptionist"), "INFO", category)
               for category in ("disabilitas", "umum", "umum")]
    jobs = fake_printer.wait_for_jobs(3, timeout=15)
    assert numbers_in(jobs, [t["number"] for t in tickets]) == ["P-001", "A-001", "A-002"]
    priority = jobs[0]
    # The health group prints under its print_name only.
    assert b"Prioritas" in priority and b"disabilitas" not in priority.lower()
    assert b"Loket Prioritas" in priority and b"/t/" in priority
    # Everyone waiting for the service with at least its priority is ahead of it.
    assert b"Di depan Anda: 1 orang" in jobs[1] and b"Di depan Anda: 2 orang" in jobs[2]
    job = wait_until(lambda: job_for_ticket(services, tickets[2]["id"])[0].printed_at
                     and job_for_ticket(services, tickets[2]["id"])[0])
    assert job.status is PrintJobStatus.PRINTED and job.attempts == 1


def test_printer_switched_off_then_on_prints_every_ticket_once_in_order(
        client, auth, fake_printer, printing):
    fake_printer.stop()
    tickets = [issue(client, auth("receptionist")) for _ in range(10)]
    fake_printer.start()
    jobs = wait_for_print_jobs(fake_printer, 10)
    numbers = [t["number"] for t in tickets]
    assert numbers_in(jobs, numbers) == numbers
    wait_until(lambda: all(job.status is PrintJobStatus.PRINTED
                           for job in _jobs(printing)))
    assert len(wait_for_print_jobs(fake_printer, 10)) == 10


def test_idempotent_replay_queues_no_second_job(client, auth, services):
    headers = {**auth("receptionist"), "Idempotency-Key": "tekan-sekali"}
    first = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                        headers=headers)
    again = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                        headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(job_for_ticket(services, first.get_json()["id"])) == 1
    with services.session_factory() as db:
        job = db.scalar(select(PrintJob))
    assert job.status is PrintJobStatus.QUEUED and job.payload["number"] == "A-001"


def test_queued_jobs_print_after_a_server_restart(live_server, fake_printer):
    token = live_server.token("receptionist")
    fake_printer.stop()
    numbers = [live_server.api("POST", "/tickets", token, json={
        "service": "INFO", "category": "umum"}).json()["number"] for _ in range(4)]
    live_server.stop()
    # While the server is down: job 1 was in the middle of printing when the server died,
    # job 4 printed already (its record says so): only 1, 2 and 3 may print.
    factory = make_session_factory(make_engine(_database_url(live_server)))
    with factory() as db, db.begin():
        jobs = db.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        jobs[0].status = PrintJobStatus.PRINTING
        jobs[0].claimed_at = datetime.now(UTC) - timedelta(minutes=5)
        jobs[3].status = PrintJobStatus.PRINTED
    fake_printer.start()
    live_server.start()
    jobs = wait_for_print_jobs(fake_printer, 3)
    assert numbers_in(jobs, numbers) == numbers[:3]
    token = live_server.token("receptionist")
    wait_until(lambda: live_server.api("GET", "/printers", token).json()["printers"][0][
        "pending_jobs"] == 0)
    assert len(wait_for_print_jobs(fake_printer, 3)) == 3


def _jobs(printing):
    with printing.session_factory() as db:
        return db.scalars(select(PrintJob)).all()


def _database_url(live_server) -> str:
    import yaml

    return yaml.safe_load(live_server.config_path.read_text())["database"]["url"]
