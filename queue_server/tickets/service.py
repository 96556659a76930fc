"""The queue's domain service: issuing, the counter desk and reading, composed."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.platform.transactions import Outcome
from queue_server.tickets.desk import Announcer, CounterDesk
from queue_server.tickets.estimate import WaitEstimator
from queue_server.tickets.issuing import TicketIssuing
from queue_server.tickets.models import TicketStatus
from queue_server.tickets.reading import QueueReading


class QueueService:
    """The three parts of the queue rules, sharing one config and clock."""

    def __init__(self, config: Config, clock: Callable[[], datetime], announcer: Announcer):
        self.config = config
        self.clock = clock
        self.reading = QueueReading(config, clock)
        self.estimates = WaitEstimator(config, clock)
        self.issuing = TicketIssuing(config, clock, self.reading, self.estimates)
        self.desk = CounterDesk(config, clock, announcer, self.reading)

    # A flow outside the queue (the procedure) moves a ticket of its own through these,
    # inside its own transaction; the queue never needs to know that flow.

    def call_at(self, session: Session, user_id: int | None, ticket_id: int,
                counter_code: str, announce: bool) -> Outcome:
        """Call this ticket at this counter (announced on the displays or quietly)."""
        return self.desk.call_at(session, user_id, ticket_id, counter_code, announce)

    def close(self, session: Session, user_id: int | None, ticket_id: int,
              status: TicketStatus, reason: str) -> Outcome:
        """End a ticket that is not finished as served or cancelled, with the reason."""
        return self.desk.close(session, user_id, ticket_id, status, reason)

    def cancel(self, session: Session, user_id: int | None, ticket_id: int,
               reason: str) -> Outcome:
        """Cancel a ticket issued by mistake, with the reason (staff at reception or a counter)."""
        return self.desk.cancel(session, user_id, ticket_id, reason)
