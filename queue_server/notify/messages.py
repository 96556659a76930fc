"""Which messages a queue event causes, written in the event's own transaction.

- A call (not a recall) of a ticket with a contact: "Nomor antrean P-003: silakan menuju
  Loket 2." Older unsent messages of that ticket are withdrawn: they are no longer true.
- When the line of a service moves, the waiting ticket with exactly `ahead_threshold`
  people ahead gets "N orang lagi di depan Anda", once per ticket. The check reads the
  service's waiting contacts first (only today's consenting visitors, usually none) and
  only then the one ticket at that place, so a call never scans the queue.
- A ticket served or cancelled loses its contact and its unsent messages.

A held ticket (the procedure's) is not waiting, so it never gets an "ahead" message.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.notify import outbox
from queue_server.notify.models import Notification
from queue_server.notify.settings import NotifySettings
from queue_server.platform.config import Config
from queue_server.platform.events import Event
from queue_server.tickets.models import Ticket, TicketContact, TicketStatus

FINAL = (TicketStatus.SERVED.value, TicketStatus.CANCELLED.value)
LEAVING_THE_LINE = (TicketStatus.CALLED.value, TicketStatus.CANCELLED.value)


class MessageRules:
    """Hooks (session, event) -> events for the queue's events."""

    def __init__(self, config: Config, clock: Callable[[], datetime]):
        self.config = config
        self.settings: NotifySettings = config.notify
        self.clock = clock

    def _text(self, kind: str, language: str, **values) -> str:
        texts = self.settings.messages[kind]
        return texts.get(language, texts["id"]).format(**values)

    def on_ticket_called(self, session: Session, event: Event) -> list[Event]:
        call, ticket = event.payload["call"], event.payload["ticket"]
        if call["recall"]:
            return []
        events = []
        now = self.clock()
        contact = session.get(TicketContact, ticket["id"])
        if contact is not None:
            outbox.withdraw(session, ticket["id"], now)
            counter = self.config.counters[call["counter"]]
            name = counter.name_en if contact.language == "en" else counter.name
            text = self._text("called", contact.language, number=ticket["number"],
                              counter=name)
            events.append(outbox.enqueue(session, ticket["id"], "called",
                                         f"call:{call['seq']}", contact.phone,
                                         contact.language, text, now))
        return events + self.line_moved(session, ticket["service"], now)

    def on_ticket_updated(self, session: Session, event: Event) -> list[Event]:
        ticket = event.payload["ticket"]
        if ticket["status"] in FINAL:
            contact = session.get(TicketContact, ticket["id"])
            if contact is not None:
                session.delete(contact)
                outbox.withdraw(session, ticket["id"], self.clock())
        if ticket["status"] in LEAVING_THE_LINE:  # a quiet call or a cancel moves the line
            return self.line_moved(session, ticket["service"], self.clock())
        return []

    def line_moved(self, session: Session, service: str, now: datetime) -> list[Event]:
        """Tell the waiting ticket that now has exactly N people ahead, once."""
        waiting = dict(session.execute(
            select(TicketContact.ticket_id, TicketContact)
            .join(Ticket, Ticket.id == TicketContact.ticket_id)
            .where(Ticket.status == TicketStatus.WAITING, Ticket.service == service)).all())
        if not waiting:
            return []
        ahead = self.settings.ahead_threshold
        ticket = session.scalar(
            select(Ticket).where(Ticket.status == TicketStatus.WAITING,
                                 Ticket.service == service)
            .order_by(Ticket.priority.desc(), Ticket.id).offset(ahead).limit(1))
        if ticket is None or ticket.id not in waiting:
            return []
        dedupe = f"ahead:{ticket.id}"
        if session.scalar(select(Notification.id).where(Notification.dedupe == dedupe)):
            return []
        contact = waiting[ticket.id]
        text = self._text("ahead", contact.language, number=ticket.number, ahead=ahead)
        return [outbox.enqueue(session, ticket.id, "ahead", dedupe, contact.phone,
                               contact.language, text, now)]
