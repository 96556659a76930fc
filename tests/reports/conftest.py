"""Hand-built tickets for the report tests: rows written as the desks would write them."""
from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from queue_server.auth.models import User
from queue_server.tickets.models import Ticket, TicketAction, TicketEvent, TicketStatus


class Desk:
    """Writes tickets with exact times (local times in the office's zone)."""

    def __init__(self, services) -> None:
        self.services = services
        self.tz = ZoneInfo(services.config.timezone)
        self.count = 0
        with services.session_factory() as db:
            self.users = {u.username: u.id for u in db.scalars(select(User))}

    def at(self, text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=self.tz)

    def ticket(self, service: str, category: str, created: str, called: str | None = None,
               finished: str | None = None, status: str = "waiting",
               counter: str | None = None, officer: str = "officer",
               transferred: bool = False) -> int:
        config = self.services.config
        kind = config.categories[category]
        made = self.at(created)
        self.count += 1
        with self.services.session_factory() as db, db.begin():
            ticket = Ticket(number=f"{kind.prefix}-{self.count:03d}",
                            public_id=secrets.token_urlsafe(8), prefix=kind.prefix,
                            day=made.date(), sequence=self.count, service=service,
                            category=category, priority=kind.priority,
                            status=TicketStatus(status), counter=counter,
                            created_at=made, called_at=self.at(called) if called else None,
                            finished_at=self.at(finished) if finished else None)
            db.add(ticket)
            db.flush()
            user = self.users[officer]
            events = [(TicketAction.ISSUED, made, None)]
            if called:
                events.append((TicketAction.CALLED, self.at(called), user))
            if transferred:
                events.append((TicketAction.TRANSFERRED, self.at(called), user))
            if finished:
                action = TicketAction.SERVED if status == "served" else TicketAction.NO_SHOW
                events.append((action, self.at(finished), user))
            for action, moment, by in events:
                db.add(TicketEvent(ticket_id=ticket.id, action=action, at=moment,
                                   user_id=by, counter=counter))
            return ticket.id


@pytest.fixture
def desk(services, users) -> Desk:
    return Desk(services)
