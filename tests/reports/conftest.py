"""Hand-built tickets for the report tests: rows written as the desks would write them."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from queue_server.auth.models import User
from queue_server.tickets.models import Ticket, TicketAction, TicketEvent, TicketStatus

DAY = "2026-03-10"  # a Tuesday


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
               transferred: bool = False, first_called: str | None = None,
               fairness_guard: bool = False) -> int:
        """A ticket; `first_called` (default `called`) is its first call, `called` its
        last (after a transfer or a call-back)."""
        first_called = first_called or called
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
                            finished_at=self.at(finished) if finished else None,
                            first_called_at=self.at(first_called) if first_called else None,
                            officer_id=self.users[officer] if called else None,
                            fairness_guard=fairness_guard)
            db.add(ticket)
            db.flush()
            user = self.users[officer]
            events = [(TicketAction.ISSUED, made, None)]
            if first_called and first_called != called:
                events.append((TicketAction.CALLED, self.at(first_called), user))
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


@pytest.fixture
def day_of_tickets(desk, clock):
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    # wait 600 s, service 600 s; transferred once on the way
    desk.ticket("INFO", "umum", f"{DAY} 08:00:00", f"{DAY} 08:10:00", f"{DAY} 08:20:00",
                "served", "2", transferred=True)
    # priority: wait 120 s, service 720 s
    desk.ticket("INFO", "disabilitas", f"{DAY} 08:05:00", f"{DAY} 08:07:00",
                f"{DAY} 08:19:00", "served", "1")
    # wait 1800 s, then no-show (no service time)
    desk.ticket("SURAT", "umum", f"{DAY} 09:00:00", f"{DAY} 09:30:00", f"{DAY} 09:35:00",
                "no_show", "3")
    # late evening: 23:30 local is 16:30 UTC the same day; never called
    desk.ticket("KONSUL", "umum", f"{DAY} 23:30:00")
    # 00:30 local the next day is 17:30 UTC on DAY: it belongs to the next local day
    desk.ticket("INFO", "umum", "2026-03-11 00:30:00")
