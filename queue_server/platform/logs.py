"""Logging that an outage cannot flood and a visitor's text cannot forge."""
from __future__ import annotations

import logging
import re
import threading
import time
import traceback
from collections.abc import Callable

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]|\n|\r")


def escape_controls(text: str) -> str:
    """Newlines and control characters as visible escapes, so one record stays one line."""
    return CONTROL.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"),
                       text)


class SafeFormatter(logging.Formatter):
    """Escapes control characters in the message (not in a traceback, which we write)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging API
        record.message = escape_controls(record.getMessage())
        return super().formatMessage(record)


class RateLimitedLog:
    """Log each kind of failure in full once per interval, then a count of the repeats."""

    def __init__(self, logger: logging.Logger, interval: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self._seen: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def exception(self, kind: str, message: str, exc: BaseException) -> bool:
        """Log `exc` with its traceback unless this kind was logged within the interval.

        Returns True when it logged. Repeats are counted and reported with the next
        full record of the kind.
        """
        now = self.clock()
        with self._lock:
            since, repeats = self._seen.get(kind, (None, 0))
            if since is not None and now - since < self.interval:
                self._seen[kind] = (since, repeats + 1)
                return False
            self._seen[kind] = (now, 0)
        suffix = f" ({repeats} more since the last report)" if repeats else ""
        self.logger.error("%s: %s%s: %s\n%s", message, kind, suffix,
                          describe_database_error(exc), traceback_text(exc))
        return True


def describe_database_error(exc: BaseException) -> str:
    """The error's kind, SQLSTATE, table and constraint, without the data involved.

    PostgreSQL's message DETAIL repeats the failing row ("Failing row contains (...)"),
    a visitor's NIK and phone included; only its primary message and names are kept.
    """
    original = getattr(exc, "orig", None) or exc
    diag = getattr(original, "diag", None)
    if diag is not None:
        parts = [f"{type(original).__name__} (SQLSTATE {getattr(original, 'sqlstate', '?')})",
                 diag.message_primary or ""]
        for name in ("table_name", "column_name", "constraint_name"):
            value = getattr(diag, name, None)
            if value:
                parts.append(f"{name.replace('_name', '')}={value}")
        return ": ".join(parts[:2]) + (" " + " ".join(parts[2:]) if parts[2:] else "")
    return f"{type(original).__name__}: {str(original).splitlines()[0] if str(original) else ''}"


def traceback_text(exc: BaseException) -> str:
    """The frames of a traceback (file, line, code) without any exception message."""
    return "".join(traceback.format_tb(exc.__traceback__))
