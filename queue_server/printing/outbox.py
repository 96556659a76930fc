"""The print outbox: jobs written with their ticket, claimed by one sender, acked once.

A job is `queued` until a sender claims it (`printing`), then `printed`, or back to
`queued` with `last_error` and a retry time when the printer did not take it. A job
that has not printed `printing.job_expiry_minutes` after it was queued is `failed`
for good: a ticket printed an hour late helps nobody, and "Cetak ulang" makes a new one.

A job left in `printing` (its sender crashed mid-job) is sent again once its claim is
older than the printer's lease: at least once, because a lost ticket strands a visitor
while a duplicate costs a slip of paper. A `printed` job is never sent again.
"""
from __future__ import annotations

import enum
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from printer.config import PrinterSettings
from printer.layout import (
    ReceiptLayout,
    TicketLayout,
    render_receipt,
    render_test_page,
    render_ticket,
)
from printer.states import PrinterState
from queue_server.platform import outbox as shared
from queue_server.platform.config import Config
from queue_server.platform.database import add_loaded
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.printing.models import PrinterStatus, PrintJob, PrintJobStatus
from queue_server.tickets.models import Ticket, TicketAction, TicketEvent
from queue_server.tickets.views import counter_names, status_url

JOB_UPDATED = "print_job_updated"
STATUS_EVENT = "printer_status"
STAFF_EVENTS = frozenset({JOB_UPDATED, STATUS_EVENT})
MAX_RETRY_SECONDS = 5.0
"""An unreachable printer is tried again at least this often."""
UNFINISHED = (PrintJobStatus.QUEUED, PrintJobStatus.PRINTING)
INSERT_JOB = PrintJob.__table__.insert()


class JobKind(enum.Enum):
    """What a print job carries."""

    TICKET = "ticket"
    RECEIPT = "receipt"
    TEST_PAGE = "test_page"


def retry_delay(attempts: int) -> float:
    """Seconds before the next try: 0.5, 1, 2, 4, then every 5."""
    return shared.retry_delay(attempts, 0.5, MAX_RETRY_SECONDS)


def lease(settings: PrinterSettings) -> timedelta:
    """How long a claim protects a job: longer than any send to this printer can take."""
    timeout = getattr(settings.connection, "timeout", 5.0)
    return timedelta(seconds=2 * timeout + 10)



def ticket_payload(config: Config, ticket: Ticket, position: int | None,
                   estimate: dict[str, Any] | None = None) -> dict[str, Any]:
    """The TicketLayout fields as JSON: nothing personal, the category's print name only.

    `estimate` is the ticket's estimated wait (tickets.estimate, its API shape): printed only
    when there is one."""
    service = config.services[ticket.service]
    return {
        "office_name": config.office_name,
        "number": ticket.number,
        "priority": ticket.priority > 0,
        "category_name": config.categories[ticket.category].print_name,
        "service_name": service.name_en if config.default_language == "en" else service.name,
        "issued_at": ticket.created_at.isoformat(),
        "timezone": config.timezone,
        "waiting_ahead": max(0, (position or 1) - 1),
        "counter_names": counter_names(config, ticket.service, ticket.priority > 0),
        "status_url": status_url(config, ticket),
        "language": config.default_language,
        "wait_minutes": [estimate["low_minutes"], estimate["high_minutes"]] if estimate
        else None,
    }


def ticket_printer(config: Config, station: str | None) -> str | None:
    """The printer for a ticket issued at a station: the station's, else the ticket printer."""
    return config.stations.get(station or "", config.ticket_printer)


def enqueue(session: Session, printer: str, kind: JobKind, payload: dict[str, Any],
            now: datetime, ticket_id: int | None = None) -> tuple[PrintJob, Event]:
    """Add a job to the outbox in the caller's transaction.

    One cached Core INSERT (every ticket is issued with one; the ORM's flush cost more
    CPU than the rest of the row), the job placed in the session as loaded.
    """
    values = {"printer": printer, "kind": kind.value, "ticket_id": ticket_id,
              "payload": payload, "data": None, "status": PrintJobStatus.QUEUED, "attempts": 0,
              "next_attempt_at": None, "last_error": None, "created_at": now,
              "printed_at": None, "claimed_at": None, "output_file": None}
    job_id = session.connection().execute(INSERT_JOB, values).inserted_primary_key[0]
    job = add_loaded(session, PrintJob, {"id": job_id, **values})
    return job, job_event(job)


def out_of_paper() -> DomainError:
    return DomainError(409, "printer_out_of_paper", "The kiosk's printer is out of paper: "
                                                    "take a number at reception")


def paper_out(session: Session, printer: str | None) -> bool:
    """Whether the printer last said it is out of paper (advisory, as every state)."""
    if printer is None:
        return False
    state = session.scalar(select(PrinterStatus.state).where(PrinterStatus.name == printer))
    return state is PrinterState.PAPER_OUT


def queue_ticket_print(session: Session, config: Config, ticket: Ticket, position: int | None,
                       now: datetime, estimate: dict[str, Any] | None = None,
                       self_service: bool = False) -> list[Event]:
    """Queue the ticket's print job, if a printer is configured for it.

    A visitor's own ticket (the kiosk) is refused while its printer is out of paper, so
    nobody is given a number they cannot hold; reception's tickets always queue: the
    receptionist sees the printer and can write the number down.
    """
    printer = ticket_printer(config, ticket.station)
    if self_service and printer is None:
        raise DomainError(409, "no_printer", "No printer prints the kiosk's tickets "
                                             "(kiosk.station, ticket_printer)")
    if self_service and paper_out(session, printer):
        raise out_of_paper()
    if printer is None:
        return []
    _job, event = enqueue(session, printer, JobKind.TICKET,
                          ticket_payload(config, ticket, position, estimate), now, ticket.id)
    return [event]


def withdraw_ticket_jobs(session: Session, ticket_id: int) -> list[Event]:
    """Withdraw a cancelled ticket's print jobs that no sender has taken yet.

    A queued job is cancelled; one being printed (claimed by a worker or an agent) or
    printed is left, since paper may already be out. Each printer's row is locked first,
    as a worker's claim locks it, so a job is never withdrawn and sent at once. What was
    done is added to the cancellation's line in the ticket's history (`print_jobs`).
    """
    jobs = session.scalars(select(PrintJob).where(PrintJob.ticket_id == ticket_id)
                           .order_by(PrintJob.id)).all()
    for printer in sorted({job.printer for job in jobs}):
        session.scalar(select(PrinterStatus.name).where(PrinterStatus.name == printer)
                       .with_for_update())
    withdrawn, left, events = [], [], []
    for job in jobs:
        session.refresh(job, with_for_update=True)
        if job.status is PrintJobStatus.QUEUED:
            job.status, job.next_attempt_at = PrintJobStatus.CANCELLED, None
            withdrawn.append(job.id)
            events.append(job_event(job))
        elif job.status in (PrintJobStatus.PRINTING, PrintJobStatus.PRINTED):
            left.append({"id": job.id, "status": job.status.value})
    line = session.scalar(select(TicketEvent).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.action == TicketAction.CANCELLED)
        .order_by(TicketEvent.id.desc()).limit(1))
    if line is not None:
        line.details = {**(line.details or {}),
                        "print_jobs": {"withdrawn": withdrawn, "left": left}}
    return events


def render(job: PrintJob, settings: PrinterSettings) -> bytes:
    """Turn the job's payload into ESC/POS bytes for this printer's paper."""
    payload = dict(job.payload)
    kind = JobKind(job.kind)
    if kind is JobKind.TICKET:
        payload["issued_at"] = datetime.fromisoformat(payload["issued_at"])
        return render_ticket(TicketLayout(**payload), settings.profile, settings.width_chars)
    if kind is JobKind.RECEIPT:
        payload["date"] = datetime.fromisoformat(payload["date"])
        return render_receipt(ReceiptLayout(**payload), settings.profile, settings.width_chars)
    return render_test_page(settings.name, settings.profile, settings.width_chars,
                            payload.get("language", "id"))


def job_view(job: PrintJob) -> dict[str, Any]:
    """The API and event shape of a job: no bytes, no payload."""
    return {
        "id": job.id, "printer": job.printer, "kind": job.kind, "ticket_id": job.ticket_id,
        "number": (job.payload or {}).get("number") or (job.payload or {}).get("visitor_label"),
        "status": job.status.value, "attempts": job.attempts, "last_error": job.last_error,
        "created_at": job.created_at.isoformat(),
        "printed_at": job.printed_at.isoformat() if job.printed_at else None,
        "next_attempt_at": job.next_attempt_at.isoformat() if job.next_attempt_at else None,
        "preview_url": f"/api/v1/print-jobs/{job.id}/preview",
    }


def job_event(job: PrintJob) -> Event:
    return Event(JOB_UPDATED, {"job": job_view(job)})


def lock_printer(session: Session, name: str) -> bool:
    """Take the printer's row lock so one process at a time picks its next job."""
    # A second process skips instead of queueing behind: it looks again shortly.
    query = shared.skip_locked(select(PrinterStatus.name).where(PrinterStatus.name == name),
                               session)
    return session.scalar(query) is not None


def _oldest_unfinished(session: Session, printer: str) -> PrintJob | None:
    return session.scalar(select(PrintJob).where(
        PrintJob.printer == printer, PrintJob.status.in_(UNFINISHED))
        .order_by(PrintJob.id).limit(1))


def _expired(config: Config, job: PrintJob, now: datetime) -> bool:
    minutes = config.printing.job_expiry_minutes
    return bool(minutes) and now - job.created_at > timedelta(minutes=minutes)


def _give_up(job: PrintJob, reason: str) -> Event:
    job.status = PrintJobStatus.FAILED
    job.last_error = reason
    job.next_attempt_at = None
    job.claimed_at = None
    return job_event(job)


def _take(config: Config, job: PrintJob, settings: PrinterSettings, now: datetime) -> Event | None:
    """Mark the job claimed and make its bytes once, so every retry sends the same bytes."""
    if job.data is None:
        try:
            job.data = render(job, settings)
        except (KeyError, TypeError, ValueError) as exc:
            return _give_up(job, f"Cannot lay out this job: {exc}")
    job.status = PrintJobStatus.PRINTING
    shared.claim(job, now)
    return None


def claim_next(session: Session, config: Config, printer: str, now: datetime,
               agent: bool = False) -> tuple[PrintJob | None, datetime | None, list[Event]]:
    """Claim the printer's oldest unfinished job: (job, or when to look again, events).

    FIFO per printer: a later job never overtakes one waiting for its retry. For an
    agent every poll is offered the oldest job not yet acked printed, claimed or not.
    """
    settings = config.printers[printer]
    events: list[Event] = []
    if not lock_printer(session, printer):
        return None, now + timedelta(milliseconds=50), events
    while (job := _oldest_unfinished(session, printer)) is not None:
        if not agent and job.status is PrintJobStatus.PRINTING \
                and shared.claim_alive(job, lease(settings), now):
            return None, job.claimed_at + lease(settings), events
        if _expired(config, job, now):
            minutes = config.printing.job_expiry_minutes
            events.append(_give_up(job, f"Not printed within {minutes} minutes; "
                                        f"last error: {job.last_error or 'none'}"))
            continue
        if not agent and job.next_attempt_at and job.next_attempt_at > now:
            return None, job.next_attempt_at, events
        failed = _take(config, job, settings, now)
        if failed is not None:
            events.append(failed)
            continue
        return job, None, events
    return None, None, events


def finish(session: Session, job_id: int, now: datetime, error: str | None = None,
           output_file: str | None = None) -> tuple[PrintJob | None, list[Event]]:
    """Record a send: printed, or back in the queue with the error and a retry time."""
    job = session.get(PrintJob, job_id, with_for_update=True)
    if job is None or job.status is PrintJobStatus.PRINTED:
        return job, []
    if job.status is PrintJobStatus.FAILED and error is not None:
        return job, []
    if error is None:
        job.claimed_at = None
        job.status = PrintJobStatus.PRINTED
        job.printed_at = now
        job.next_attempt_at = None
        job.output_file = output_file
    else:
        job.status = PrintJobStatus.QUEUED
        shared.release_for_retry(job, now, error, 0.5, MAX_RETRY_SECONDS)
    return job, [job_event(job)]


def last_ticket_job(session: Session) -> PrintJob | None:
    """The newest ticket job, for the receptionist's preview and "Cetak ulang"."""
    return session.scalar(select(PrintJob).where(PrintJob.kind == JobKind.TICKET.value)
                          .order_by(PrintJob.id.desc()).limit(1))


def job_bytes(config: Config, job: PrintJob) -> bytes:
    """The bytes a job printed: the preview file kept, else what was sent, else a fresh render."""
    settings = config.printers.get(job.printer)
    if settings is not None and job.output_file and Path(job.output_file).name == job.output_file:
        try:
            return (settings.connection.directory / job.output_file).read_bytes()
        except (AttributeError, OSError):
            pass
    if job.data is not None or settings is None:
        return job.data or b""
    return render(job, settings)
