"""Print on request: reprint a ticket, an information receipt, a printer's test page."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.platform.transactions import Outcome
from queue_server.printing.outbox import JobKind, enqueue, job_view, ticket_payload, ticket_printer
from queue_server.tickets.errors import queue_error
from queue_server.tickets.models import Ticket
from queue_server.tickets.service import QueueService


def _queued(session: Session, printer: str, kind: JobKind, payload: dict, now: datetime,
            ticket_id: int | None = None) -> Outcome:
    job, event = enqueue(session, printer, kind, payload, now, ticket_id)
    return Outcome(None, [event], view=job_view(job))


def reprint_ticket(session: Session, queue: QueueService, ticket_id: int,
                   station: str | None = None) -> Outcome:
    """Queue a new print of a ticket ("Cetak ulang"), with its place in the queue now."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise queue_error("unknown_ticket", f"No ticket {ticket_id}")
    printer = ticket_printer(queue.config, station or ticket.station)
    if printer is None:
        raise queue_error("conflict", "No printer is configured for tickets")
    position = queue.reading.position(session, ticket)
    found = queue.estimates.for_ticket(session, ticket)
    payload = ticket_payload(queue.config, ticket, position,
                             found.view(queue.config.default_language) if found else None)
    outcome = _queued(session, printer, JobKind.TICKET, payload, queue.clock(), ticket.id)
    outcome.ticket = ticket
    return outcome


def queue_receipt(session: Session, config: Config, *, printer: str, request_number: str,
                  service_name: str, officer_name: str, visitor_label: str, now: datetime,
                  items: Sequence[str] = (), ticket_id: int | None = None,
                  title: str | None = None,
                  details: Sequence[tuple[str, str]] = ()) -> Outcome:
    """Queue a "Tanda terima informasi"; visitor_label is a ticket number, never a NIK or name."""
    if printer not in config.printers:
        raise queue_error("invalid", f"Unknown printer {printer!r}")
    payload = {
        "office_name": config.office_name, "request_number": request_number,
        "service_name": service_name, "date": now.isoformat(), "officer_name": officer_name,
        "visitor_label": visitor_label, "items": [str(item) for item in items],
        "title": title, "timezone": config.timezone, "language": config.default_language,
        "details": [[str(label), str(value)] for label, value in details],
    }
    return _queued(session, printer, JobKind.RECEIPT, payload, now, ticket_id)


def receipt_printer(config: Config, counter: str | None, station: str | None) -> str | None:
    """Where a counter's receipts print: the named station, the counter's station, else tickets'."""
    if station:
        if station not in config.stations:
            raise queue_error("invalid", f"Unknown station {station!r}")
        return config.stations[station]
    return config.printing.counter_printers.get(counter or "", config.ticket_printer)


def receipt_for_ticket(session: Session, queue: QueueService, *, ticket_id: int,
                       request_number: str, officer_name: str, counter: str | None = None,
                       station: str | None = None, service: str | None = None,
                       items: Sequence[str] = (), title: str | None = None,
                       details: Sequence[tuple[str, str]] = ()) -> Outcome:
    """Queue the receipt for a visitor's ticket at the counter's printer."""
    config = queue.config
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise queue_error("unknown_ticket", f"No ticket {ticket_id}")
    if counter is not None:
        queue.reading.counter(counter)
    code = service or ticket.service
    if code not in config.services:
        raise queue_error("unknown_service", f"Unknown service {code!r}")
    printer = receipt_printer(config, counter or ticket.counter, station)
    if printer is None:
        raise queue_error("conflict", "No printer is configured for receipts")
    names = config.services[code]
    outcome = queue_receipt(
        session, config, printer=printer, request_number=request_number,
        service_name=names.name_en if config.default_language == "en" else names.name,
        officer_name=officer_name, visitor_label=ticket.number, now=queue.clock(),
        items=items, ticket_id=ticket.id, title=title, details=details)
    outcome.ticket = ticket
    return outcome


def queue_test_page(session: Session, config: Config, printer: str, now: datetime) -> Outcome:
    """Queue a test page, for printers the server does not reach itself (agents)."""
    return _queued(session, printer, JobKind.TEST_PAGE, {"language": config.default_language},
                   now)
