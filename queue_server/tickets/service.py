"""The queue's domain service: issuing, the counter desk and reading, composed."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from queue_server.platform.config import Config
from queue_server.tickets.desk import Announcer, CounterDesk
from queue_server.tickets.issuing import TicketIssuing
from queue_server.tickets.reading import QueueReading


class QueueService:
    """The three parts of the queue rules, sharing one config and clock."""

    def __init__(self, config: Config, clock: Callable[[], datetime], announcer: Announcer):
        self.config = config
        self.clock = clock
        self.reading = QueueReading(config, clock)
        self.issuing = TicketIssuing(config, clock, self.reading)
        self.desk = CounterDesk(config, clock, announcer, self.reading)
