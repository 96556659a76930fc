"""Print workers: one thread per local printer sends its jobs after the commit and watches it.

A worker wakes on a `print_job_updated` event from this process and at least every
second otherwise, so jobs queued by another server process are found too. Agent
printers get no worker: their jobs wait for the agent's long poll.

Several server processes may share the database: each runs a worker per printer, but only
the one holding the printer's lease (platform.leases, `printer:<name>`) sends, so a
printer's jobs go out from one process, in order. When that process dies, another takes
the lease over within `cluster.lease_seconds` and sends the dead holder's job that was
mid-send again at once (it may print twice: the one job a crash can duplicate). The state
monitor runs under a lease of its own, so alerts are raised once per cluster.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import update

from printer.config import PrinterSettings, PrinterType
from printer.errors import PrinterError, translated_errors
from printer.states import PrinterState
from queue_server.platform import leases
from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.printing import outbox
from queue_server.printing import states as printer_states
from queue_server.printing.models import PrintJob, PrintJobStatus
from queue_server.tickets.events import TICKET_CANCELLED, TICKET_ISSUED
from queue_server.tickets.models import Ticket

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
"""Longest a worker sleeps before looking at the outbox again."""
MAX_AGENT_WAIT = 30.0
"""Longest an agent's poll is held open."""
UNKNOWN_BACKOFF = 6
"""A printer that never answers status queries is asked this many times less often."""


def _quiet_escpos(record: logging.LogRecord) -> bool:
    """Drop python-escpos' per-connection INFO lines, which it logs on the root logger."""
    return record.levelno > logging.INFO or f"{os.sep}escpos{os.sep}" not in record.pathname


def deliver(settings: PrinterSettings, data: bytes, job_id: int) -> str | None:
    """Send the bytes; for the preview printer return the file name that keeps them."""
    # The drivers import python-escpos, PIL and qrcode (~13 MB): only once a job is sent.
    from printer.devices import PreviewFile, send

    if settings.type is not PrinterType.PREVIEW:
        send(settings, data, job_name=f"job-{job_id}")
        return None
    with translated_errors(settings.name, settings.location()):
        driver = PreviewFile(settings.connection.directory, job_name=f"job-{job_id}",
                             profile=settings.profile)
        driver.open()
        driver._raw(data)
        driver.close()
    return driver.path.name


class PrintingService:
    """The workers, the state monitor and the agents' long polls of one server process."""

    def __init__(self, services) -> None:
        self.config = services.config
        self.session_factory = services.session_factory
        self.publisher = services.publisher
        self.clock: Callable[[], datetime] = services.clock
        self.engine = services.engine
        self.work = services.work
        cluster = getattr(self.config, "cluster", None)
        self.lease_seconds = cluster.lease_seconds if cluster else leases.DEFAULT_SECONDS
        self.holder = leases.new_holder()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.wakes = {name: threading.Event() for name in self.config.printers}
        self._agent_signal = threading.Condition()
        self._generation = 0
        self.publisher.subscribe(self.on_event)
        # The ticket's print job commits with the ticket; the queue rules never see it.
        self.publisher.hook(TICKET_ISSUED, self.queue_ticket_print)
        self.publisher.hook(TICKET_CANCELLED, self.withdraw_ticket_print)

    # -- plumbing ------------------------------------------------------------------------

    def run(self, function: Callable[..., Any], *args, **kwargs) -> Any:
        """Run function(session, ...) -> (result, events) through the transaction runner."""

        def step(session) -> Outcome:
            result, events = function(session, *args, **kwargs)
            return Outcome(events=events, result=result)

        return self.work.run(step).result

    def queue_ticket_print(self, session, event: Event) -> list[Event]:
        """Add an issued ticket's print job inside the ticket's own transaction."""
        self_service = event.payload.get("self_service", False)
        if self.config.ticket_printer is None and not self.config.stations and not self_service:
            return []  # no printer takes tickets: nothing to read or write
        view = event.payload["ticket"]
        ticket = session.get(Ticket, view["id"])
        return outbox.queue_ticket_print(session, self.config, ticket, view["position"],
                                         ticket.created_at, view.get("estimate"),
                                         self_service=self_service)

    def withdraw_ticket_print(self, session, event: Event) -> list[Event]:
        """Withdraw a cancelled ticket's unprinted job inside the cancellation's transaction."""
        return outbox.withdraw_ticket_jobs(session, event.payload["ticket"]["id"])

    def on_event(self, event: Event) -> None:
        """Wake the printer's worker, or its agent's poll, when a job is queued."""
        if event.name != outbox.JOB_UPDATED or event.payload["job"]["status"] != "queued":
            return
        wake = self.wakes.get(event.payload["job"]["printer"])
        if wake is not None:
            wake.set()
        with self._agent_signal:
            self._generation += 1
            self._agent_signal.notify_all()

    def local_printers(self) -> list[PrinterSettings]:
        return [settings for name, settings in self.config.printers.items()
                if name not in self.config.printing.agent_printers]

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Start a worker per local printer and the state monitor."""
        self.stopping.clear()
        if _quiet_escpos not in logging.getLogger().filters:
            logging.getLogger().addFilter(_quiet_escpos)
        self.run(lambda s: (printer_states.ensure_rows(s, list(self.config.printers)), []))
        for settings in self.local_printers():
            self._spawn(f"print-{settings.name}", PrinterWorker(self, settings).loop)
        self._spawn("print-monitor", self._monitor)


    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        for wake in self.wakes.values():
            wake.set()
        with self._agent_signal:
            self._agent_signal.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def lease(self, name: str) -> leases.Lease:
        """A lease of this service's holder, on its engine and clock."""
        return leases.Lease(self.engine, name, self.lease_seconds, self.clock, self.holder)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _monitor(self) -> None:
        lease = self.lease("print-monitor")
        while not self.stopping.wait(POLL_SECONDS):
            try:
                if lease.held():
                    self.run(lambda s: (None, printer_states.refresh(s, self.config,
                                                                     self.clock())))
            except Exception:
                log.exception("printer state monitor failed; trying again")
        lease.release()

    # -- agents --------------------------------------------------------------------------

    def next_for_agent(self, printer: str, wait: float) -> PrintJob | None:
        """Hold an agent's poll until a job for its printer comes or the wait ends."""
        deadline = time.monotonic() + max(0.0, min(wait, MAX_AGENT_WAIT))
        self.run(lambda s: (None, printer_states.note_agent_poll(s, self.config, printer,
                                                                self.clock())))
        while True:
            generation = self._generation
            job, _ = self.run(self.claim, printer, agent=True)
            if job is not None:
                return job
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.stopping.is_set():
                return None
            with self._agent_signal:
                if self._generation == generation:
                    self._agent_signal.wait(min(remaining, POLL_SECONDS))

    def claim(self, session, printer: str, agent: bool = False):
        job, retry_at, events = outbox.claim_next(session, self.config, printer,
                                                      self.clock(), agent=agent)
        return (job, retry_at), events

    def ack(self, job_id: int, error: str | None) -> PrintJob | None:
        """Record an agent's report; a repeated `printed` changes nothing."""

        def record(session):
            job, events = outbox.finish(session, job_id, self.clock(), error)
            if events:  # a repeated or late ack tells nothing new about the printer
                events += printer_states.record_send(session, self.config, job.printer,
                                                     self.clock(), error)
            return job, events

        return self.run(record)


class PrinterWorker:
    """Send one printer's jobs in order, retry while it is unreachable, poll its state."""

    def __init__(self, service: PrintingService, settings: PrinterSettings) -> None:
        self.service = service
        self.settings = settings
        self.name = settings.name
        self.wake = service.wakes[settings.name]
        self.status_due = 0.0
        self.status_interval = service.config.printing.status_poll_seconds
        self.lease = service.lease(f"printer:{settings.name}")
        self.holding = False

    def loop(self) -> None:
        self._first_state()
        while not self.service.stopping.is_set():
            self.wake.clear()
            try:
                pause = self.step() if self.holds_lease() else POLL_SECONDS
            except Exception:
                log.exception("print worker for %r failed; trying again", self.name)
                pause = POLL_SECONDS
            if pause > 0:
                self.wake.wait(pause)
        self.lease.release()

    def holds_lease(self) -> bool:
        """Whether this process sends the printer's jobs; on taking over, resend the job
        the previous holder was sending when it died (its claim no longer protects it)."""
        holding, was = self.lease.held(), self.holding
        self.holding = holding
        if holding and not was:
            self.service.run(lambda s: (s.execute(
                update(PrintJob).where(PrintJob.printer == self.name,
                                       PrintJob.status == PrintJobStatus.PRINTING)
                .values(claimed_at=None)), []))
        return holding

    def _first_state(self) -> None:
        if self.settings.type is PrinterType.PREVIEW:
            try:
                self.settings.connection.directory.mkdir(parents=True, exist_ok=True)
                self._record(PrinterState.ONLINE)
            except OSError as exc:
                self._record(PrinterState.OFFLINE, f"Cannot write {exc.filename}: {exc.strerror}")

    def _record(self, state: PrinterState, error: str | None = None) -> None:
        service = self.service
        service.run(lambda s: (None, printer_states.record_state(
            s, service.config, self.name, state, service.clock(), error)))

    def step(self) -> float:
        """Send the next due job, or poll the state; return how long to sleep."""
        service = self.service
        job, retry_at = service.run(service.claim, self.name)
        if job is not None:
            self._send(job)
            return 0.0
        pause = POLL_SECONDS
        if retry_at is not None:
            pause = min(pause, max(0.0, (retry_at - service.clock()).total_seconds()))
        if self.settings.status_query:
            now = time.monotonic()
            if now >= self.status_due:
                from printer.devices import query_status

                state = query_status(self.settings)
                self._record(state)
                backoff = UNKNOWN_BACKOFF if state is PrinterState.UNKNOWN else 1
                self.status_due = time.monotonic() + self.status_interval * backoff
            pause = min(pause, max(0.0, self.status_due - time.monotonic()))
        return pause

    def _send(self, job: PrintJob) -> None:
        service = self.service
        error, output_file = None, None
        try:
            output_file = deliver(self.settings, job.data, job.id)
        except PrinterError as exc:
            error = str(exc)
            log.warning("print job %s not printed: %s", job.id, error)

        def record(session):
            now = service.clock()
            _job, events = outbox.finish(session, job.id, now, error, output_file)
            return None, events + printer_states.record_send(session, service.config,
                                                             self.name, now, error)

        service.run(record)
        if error is None and self.settings.status_query:
            self.status_due = min(self.status_due, time.monotonic() + self.status_interval)
