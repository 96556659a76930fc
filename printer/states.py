"""Printer states, apart from the drivers so code that only names a state loads no escpos."""
from __future__ import annotations

import enum


class PrinterState(enum.Enum):
    """What a printer said about itself; advisory only."""

    ONLINE = "online"
    OFFLINE = "offline"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    UNKNOWN = "unknown"
