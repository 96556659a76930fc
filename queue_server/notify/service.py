"""The notifier of one server process: its hooks, its sender thread and its sweep.

The sender wakes on `notification_queued` from this process and at least every second
otherwise, so messages queued by another process are found too. It claims a message in
one transaction, sends it with no transaction open, and records the result in another.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from queue_server.notify import outbox
from queue_server.notify.gateway import DeliveryError, HttpGateway, Notifier, Outgoing
from queue_server.notify.messages import MessageRules
from queue_server.notify.settings import NotifySettings
from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.tickets.contacts import mask_phone
from queue_server.tickets.events import TICKET_CALLED, TICKET_UPDATED
from queue_server.tickets.models import Ticket, TicketContact, TicketStatus

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
SWEEP_SECONDS = 60.0
"""How often finished tickets' contacts are deleted and sent messages' phones emptied."""


def start_of_day(now: datetime, tz) -> datetime:
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def sweep(session: Session, config, now: datetime) -> int:
    """Delete contacts no ticket needs any more; forget phones of finished messages.

    A contact goes once its ticket is served or cancelled, a no-show past the call-back
    window, or of an earlier day; a message's phone once it is sent or given up.
    """
    window = now - timedelta(minutes=config.queue.no_show_recall_minutes)
    today = now.astimezone(config.tz).date()
    # From the contacts (today's consenting visitors, a handful) to their tickets: the
    # tickets table, a year of rows, is only looked up by id.
    done = list(session.scalars(
        select(TicketContact.ticket_id).join(Ticket, Ticket.id == TicketContact.ticket_id)
        .where(or_(Ticket.status.in_((TicketStatus.SERVED, TicketStatus.CANCELLED)),
                   (Ticket.status == TicketStatus.NO_SHOW) & (Ticket.finished_at < window),
                   Ticket.day < today))))
    if done:
        session.execute(delete(TicketContact).where(TicketContact.ticket_id.in_(done)))
    return len(done) + outbox.forget_phones(session, start_of_day(now, config.tz), now)


class NotifyService:
    """Hooks the queue's events and runs the sender; does nothing while notify is off."""

    def __init__(self, services, notifier: Notifier | None = None) -> None:
        self.config = services.config
        # A Config read without the notify section (platform's own parse) has messages off.
        self.settings = services.config.notify or NotifySettings()
        self.clock: Callable[[], datetime] = services.clock
        self.work = services.work
        self.notifier = notifier or HttpGateway(self.settings.gateway)
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._swept = 0.0
        services.purges.append(lambda session, now: sweep(session, self.config, now))
        if not self.settings.enabled:
            return
        rules = MessageRules(self.config, self.clock)
        services.publisher.hook(TICKET_CALLED, rules.on_ticket_called)
        services.publisher.hook(TICKET_UPDATED, rules.on_ticket_updated)
        services.publisher.subscribe(self.on_event)

    def on_event(self, event: Event) -> None:
        if event.name == outbox.NOTIFICATION_QUEUED:
            self.wake.set()

    def run(self, function: Callable[..., Any], *args) -> Any:
        def step(session) -> Outcome:
            return Outcome(result=function(session, *args))

        return self.work.run(step).result

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        if not self.settings.enabled or self._thread is not None:
            return
        self.stopping.clear()
        self._thread = threading.Thread(target=self.loop, name="notify-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def loop(self) -> None:
        while not self.stopping.is_set():
            self.wake.clear()
            try:
                sent = self.step()
            except Exception:
                log.exception("notify sender failed; trying again")
                sent = False
            if not sent:
                self.wake.wait(POLL_SECONDS)

    # -- one round -----------------------------------------------------------------------

    def step(self) -> bool:
        """Sweep when due, then send one due message; True when one was sent or tried."""
        if time.monotonic() - self._swept >= SWEEP_SECONDS:
            self.run(lambda session: sweep(session, self.config, self.clock()))
            self._swept = time.monotonic()
        message = self.run(lambda session: outbox.claim_next(session, self.settings,
                                                             self.clock()))
        if message is None:
            return False
        self.deliver(message)
        return True

    def deliver(self, message: Outgoing) -> None:
        error = None
        try:
            self.notifier.send(message)
        except DeliveryError as exc:
            error = str(exc).replace(message.phone, mask_phone(message.phone))
            log.warning("message %s to %s not sent: %s", message.id, mask_phone(message.phone),
                        error)
        self.run(lambda session: outbox.finish(session, self.settings, message.id,
                                               self.clock(), error))
