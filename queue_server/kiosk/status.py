"""Whether the kiosk can give a visitor a number now: its printer's last known state."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.printing.models import PrinterStatus
from queue_server.printing.outbox import ticket_printer


def kiosk_printer(config: Config) -> str | None:
    """The printer of the kiosk's station (or the ticket printer): where its tickets print."""
    return ticket_printer(config, config.kiosk.station)


def kiosk_status(session: Session, config: Config) -> dict[str, Any]:
    """The kiosk's printer and its state; `can_issue` is false while it is out of paper, or
    when no printer prints its tickets (then the kiosk sends visitors to reception, and
    issuing refuses its requests)."""
    printer = kiosk_printer(config)
    state = session.scalar(select(PrinterStatus.state).where(PrinterStatus.name == printer)) \
        if printer else None
    state_value = state.value if state is not None else "unknown"
    return {"printer": printer, "printer_state": state_value,
            "can_issue": printer is not None and state_value != "paper_out"}
