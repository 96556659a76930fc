"""Remote print agent: fetch one printer's jobs from the server and print each exactly once.

Runs on a receptionist PC with printer/ alone. Protocol (server side in queue_server/):

    GET  {server}/api/v1/printers/{name}/jobs/next?wait=SECONDS
         Authorization: Bearer TOKEN
         -> 200 {"id": int, "data": "<base64 ESC/POS bytes>"}, or 204 when none came
    POST {server}/api/v1/print-jobs/{id}/ack
         {"status": "printed"} or {"status": "failed", "error": "..."} -> 200

The server must offer a job again, to any later poll, until it is acked.

Exactly once: after the device took a job, its id and the SHA-256 of its bytes
are appended to a local journal and fsync'd before the ack is sent. A job
offered again (its ack was lost, the connection dropped, the agent restarted)
that is already in the journal is acked without printing. The digest keeps a
reset server database, which reuses ids, from suppressing new tickets.

Remaining windows, which this design cannot close:
- the agent dies (power cut, kill -9) after the printer took the bytes and
  before the journal line reached the disk: on restart the job prints twice;
- a printer that is switched off mid-job can lose the print without any error
  (raw TCP has no delivery acknowledgement, python-escpos#253): it is acked
  as printed.
A stop request is seen between polls, so stopping can take up to `poll_wait` seconds.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from printer.config import PrinterSettings
from printer.devices import send
from printer.errors import PrinterError

logger = logging.getLogger(__name__)

MAX_BACKOFF = 5.0
"""Longest pause between attempts, so a job is retried at least every 5 s."""
MIN_POLL_INTERVAL = 1.0
"""Shortest time between two empty polls, should a server not hold the request."""


class AgentError(Exception):
    """The server could not be reached or answered something unusable."""

    def __init__(self, message: str, final: bool = False) -> None:
        super().__init__(message)
        self.final = final
        """True when retrying the same request cannot help (a 4xx answer)."""


@dataclass(frozen=True)
class PrintJob:
    """One job as the server hands it out."""

    id: int
    data: bytes

    @property
    def digest(self) -> str:
        """Fingerprint the bytes, so a reused id with new bytes is a new job."""
        return hashlib.sha256(self.data).hexdigest()


class Backoff:
    """Grow a pause from `initial` to MAX_BACKOFF seconds, doubling each time."""

    def __init__(self, initial: float = 0.25, maximum: float = MAX_BACKOFF) -> None:
        self.initial = initial
        self.maximum = maximum
        self.current = initial

    def next(self) -> float:
        """Return the pause to take now and grow the next one."""
        pause, self.current = self.current, min(self.maximum, self.current * 2)
        return pause

    def reset(self) -> None:
        """Start from the shortest pause again."""
        self.current = self.initial


class Journal:
    """Append-only, fsync'd record of the jobs this agent has printed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.entries: set[tuple[int, str]] = set()
        self._needs_newline = False
        if self.path.exists():
            raw = self.path.read_bytes()
            # A crash mid-write leaves a torn last line: ignore it, never append to it.
            self._needs_newline = bool(raw) and not raw.endswith(b"\n")
            for line in raw.decode("ascii", errors="replace").splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[0] == "printed" and parts[1].isdigit():
                    self.entries.add((int(parts[1]), parts[2]))

    def __contains__(self, job: PrintJob) -> bool:
        return (job.id, job.digest) in self.entries

    def record(self, job: PrintJob) -> None:
        """Append the job and force it to disk before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        line = f"{chr(10) if self._needs_newline else ''}printed {job.id} {job.digest}\n"
        with open(self.path, "ab") as handle:
            handle.write(line.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        if created and hasattr(os, "O_DIRECTORY"):
            # A new file's directory entry must be durable too.
            directory = os.open(self.path.parent, os.O_DIRECTORY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        self._needs_newline = False
        self.entries.add((job.id, job.digest))


class ServerClient:
    """Talk the print-job protocol to the server."""

    def __init__(self, server_url: str, token: str, printer_name: str,
                 session: requests.Session | None = None) -> None:
        self.base = server_url.rstrip("/")
        self.printer_name = printer_name
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def next_job(self, wait: float) -> PrintJob | None:
        """Long-poll for the next job; None when the server had none."""
        url = f"{self.base}/api/v1/printers/{requests.utils.quote(self.printer_name)}/jobs/next"
        response = self._request("GET", url, params={"wait": max(1, int(wait))},
                                 timeout=(5, wait + 10))
        if response.status_code == 204:
            return None
        try:
            body = response.json()
            job_id = body["id"]
            if isinstance(job_id, bool) or not isinstance(job_id, int):
                raise TypeError("id is not an integer")
            data = base64.b64decode(body["data"], validate=True)
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise AgentError(f"unusable job from the server: {exc}") from exc
        return PrintJob(job_id, data)

    def ack(self, job_id: int, error: str | None = None) -> None:
        """Tell the server the job printed, or why it did not."""
        body = {"status": "printed"} if error is None else {"status": "failed", "error": error}
        self._request("POST", f"{self.base}/api/v1/print-jobs/{job_id}/ack", json=body,
                      timeout=(5, 10))

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        """Send a request; raise AgentError for anything but a 200 or 204."""
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            raise AgentError(f"{method} {url} failed: {type(exc).__name__}") from exc
        if response.status_code in (200, 204):
            return response
        final = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        raise AgentError(f"{method} {url} answered {response.status_code}", final=final)


def _acknowledge(client: ServerClient, job: PrintJob, error: str | None,
                 stop: threading.Event) -> None:
    """Ack the job, retrying with backoff until the server has it or we are stopped."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            client.ack(job.id, error)
            return
        except AgentError as exc:
            if exc.final:
                logger.error("Server refused the ack for job %s: %s", job.id, exc)
                return
            logger.warning("Ack for job %s not delivered, retrying: %s", job.id, exc)
            stop.wait(backoff.next())


def handle_job(job: PrintJob, settings: PrinterSettings, journal: Journal) -> str | None:
    """Print a job unless the journal has it; return the error, or None when printed."""
    if job in journal:
        logger.info("Job %s was printed before; acknowledging it again", job.id)
        return None
    try:
        send(settings, job.data, job_name=f"job-{job.id}")
    except PrinterError as exc:
        logger.warning("Job %s did not print: %s", job.id, exc)
        return str(exc)
    try:
        journal.record(job)
    except OSError as exc:
        # The server's ack is the main record; the journal only guards redelivery.
        logger.error("Could not journal job %s: %s", job.id, exc)
    return None


def run_agent(
    server_url: str,
    token: str,
    printer_name: str,
    settings: PrinterSettings,
    journal_path: str | Path,
    stop: threading.Event,
    poll_wait: float = 20,
    session: requests.Session | None = None,
) -> None:
    """Poll, print and ack jobs for one printer until `stop` is set; never raise for I/O."""
    journal = Journal(journal_path)
    client = ServerClient(server_url, token, printer_name, session)
    server_backoff, printer_backoff = Backoff(), Backoff(initial=0.5)
    logger.info("Print agent for %r polling %s", printer_name, client.base)
    while not stop.is_set():
        started = time.monotonic()
        try:
            job = client.next_job(poll_wait)
        except AgentError as exc:
            logger.warning("Polling for jobs failed: %s", exc)
            stop.wait(server_backoff.next())
            continue
        server_backoff.reset()
        if job is None:
            stop.wait(max(0.0, MIN_POLL_INTERVAL - (time.monotonic() - started)))
            continue
        error = handle_job(job, settings, journal)
        _acknowledge(client, job, error, stop)
        if error is None:
            printer_backoff.reset()
        else:
            # The server offers the job again; give the printer a moment first.
            stop.wait(printer_backoff.next())
