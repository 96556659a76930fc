"""Printing fixtures: a fake network printer as the ticket printer, workers, a running clock."""
from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from printer.fake import FakeNetworkPrinter


class RunningClock:
    """Real time plus an offset the test can move forward (retries still come due)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **kwargs) -> None:
        self.offset += timedelta(**kwargs)


@pytest.fixture
def clock() -> RunningClock:
    return RunningClock()


@pytest.fixture
def fake_printer():
    with FakeNetworkPrinter() as fake:
        yield fake


def network_printer(fake: FakeNetworkPrinter, **extra) -> dict:
    return {"type": "network", "host": "127.0.0.1", "port": fake.port, "timeout": 2, **extra}


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    """The fake is the ticket printer, asked for its state five times a second."""
    return {"printers": {"desk": network_printer(fake_printer)}, "ticket_printer": "desk",
            "printing": {"status_poll_seconds": 0.2}}


@pytest.fixture
def printing(app):
    """Start the app's print workers, as `queue-server run` does, and stop them after."""
    service = app.extensions["printing"]
    service.start()
    yield service
    service.stop()


def wait_until(predicate, timeout: float = 15.0, interval: float = 0.05):
    """Return predicate()'s first truthy value; fail the test if none comes in time."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def issue(client, headers, service="INFO", category="umum", **extra):
    response = client.post("/api/v1/tickets", json={"service": service, "category": category,
                                                    **extra}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def job_for_ticket(services, ticket_id: int):
    from sqlalchemy import select

    from queue_server.printing.models import PrintJob
    with services.session_factory() as db:
        return db.scalars(select(PrintJob).where(PrintJob.ticket_id == ticket_id)
                          .order_by(PrintJob.id)).all()


_STATUS_QUERIES = re.compile(rb"(\x10\x04[\x01-\x04])*(\x10\x04?)?")


def wait_for_print_jobs(fake: FakeNetworkPrinter, count: int, timeout: float = 30) -> list[bytes]:
    """Jobs with print data, once `count` came; status queries cut off by the fake's stop()
    are left out (the fake counts a query it could not answer as a job)."""

    def jobs() -> list[bytes]:
        return [job for job in list(fake.jobs) if not _STATUS_QUERIES.fullmatch(job)]

    wait_until(lambda: len(jobs()) >= count, timeout)
    return jobs()
