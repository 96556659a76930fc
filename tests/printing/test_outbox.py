"""The outbox's claim rules: FIFO per printer, one sender per job, stale claims, expiry."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from queue_server import create_app
from queue_server.printing.models import PrintJob, PrintJobStatus
from queue_server.printing.outbox import claim_next, finish, retry_delay
from queue_server.printing.states import ensure_rows

from .conftest import issue, wait_until


def claim(services, now=None):
    with services.session_factory() as db, db.begin():
        ensure_rows(db, ["desk"])
        job, retry_at, _ = claim_next(db, services.config, "desk", now or services.clock())
        return job, retry_at


def test_jobs_are_claimed_oldest_first_and_never_twice(client, auth, services):
    for _ in range(3):
        issue(client, auth("receptionist"))
    first, _ = claim(services)
    assert first.payload["number"] == "A-001" and first.status is PrintJobStatus.PRINTING
    assert first.data and b"A-001" in first.data
    # While job 1 is being sent nobody may take job 2: the printer keeps its order.
    busy, retry_at = claim(services)
    assert busy is None and retry_at > services.clock()
    with services.session_factory() as db, db.begin():
        finish(db, first.id, services.clock(), "Printer 'desk' is unreachable")
    blocked, retry_at = claim(services)
    assert blocked is None and retry_at is not None
    again, _ = claim(services, services.clock() + timedelta(seconds=5))
    assert again.id == first.id and again.attempts == 2 and again.data == first.data
    with services.session_factory() as db, db.begin():
        finish(db, first.id, services.clock())
        finish(db, first.id, services.clock(), "late error")
    second, _ = claim(services, services.clock() + timedelta(seconds=5))
    assert second.payload["number"] == "A-002"
    with services.session_factory() as db:
        assert db.get(PrintJob, first.id).status is PrintJobStatus.PRINTED


def test_a_stale_claim_is_sent_again_but_a_printed_job_never(client, auth, services):
    issue(client, auth("receptionist"))
    job, _ = claim(services)
    later = services.clock() + timedelta(minutes=1)
    resent, _ = claim(services, later)
    assert resent.id == job.id and resent.attempts == 2
    with services.session_factory() as db, db.begin():
        finish(db, job.id, later)
    assert claim(services, later + timedelta(minutes=5)) == (None, None)


def test_unprinted_jobs_expire(client, auth, services):
    issue(client, auth("receptionist"))
    issue(client, auth("receptionist"))
    job, retry_at = claim(services, services.clock() + timedelta(minutes=31))
    assert job is None and retry_at is None
    with services.session_factory() as db:
        jobs = db.scalars(select(PrintJob)).all()
    assert {j.status for j in jobs} == {PrintJobStatus.FAILED}
    assert "Not printed within 30 minutes" in jobs[0].last_error


def test_retries_come_at_least_every_five_seconds():
    assert [retry_delay(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 5, 5, 5]


def test_two_server_processes_never_send_one_job_twice(app, client, auth, config_path, clock,
                                                       fake_printer, printing):
    other = create_app(config_path, clock=clock)
    other.extensions["printing"].start()
    try:
        other_client = other.test_client()
        numbers = []
        for index in range(20):
            sender = client if index % 2 else other_client
            numbers.append(issue(sender, auth("receptionist"))["number"])
        jobs = fake_printer.wait_for_jobs(20, timeout=30)
        wait_until(lambda: all(j.status is PrintJobStatus.PRINTED for j in _jobs(app)))
    finally:
        other.extensions["printing"].stop()
        other.extensions["queue"].engine.dispose()
    printed = [n for job in jobs for n in numbers if n.encode() in job]
    assert printed == numbers and len(fake_printer.jobs) == 20  # once each, in order


def _jobs(app):
    with app.extensions["queue"].session_factory() as db:
        return db.scalars(select(PrintJob)).all()
