"""What every outbox shares: a claim with a lease, the retry delay, the locked pick.

An outbox row commits with the event that causes it; a sender claims it (stamping
`claimed_at` and counting the attempt), sends it outside any transaction, then records the
result. A claim older than its lease means the sender died mid-send: the row is due again.
Printing (print jobs) and notify (visitors' messages) keep their own tables and states and
use these pieces, so the rules are written once.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Select
from sqlalchemy.orm import Session


class OutboxRow(Protocol):
    """The columns a claimable outbox row has."""

    attempts: int
    claimed_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None


def retry_delay(attempts: int, first: float = 0.5, longest: float = 5.0) -> float:
    """Seconds before the next try after `attempts` tries: first, doubling, at most longest."""
    return min(longest, first * 2 ** max(0, attempts - 1))


def claim_alive(row: OutboxRow, lease: timedelta, now: datetime) -> bool:
    """True while the row's claim protects it: its sender may still be sending."""
    return row.claimed_at is not None and row.claimed_at + lease > now


def claim(row: OutboxRow, now: datetime) -> None:
    """Take the row for one send: stamp the claim and count the attempt."""
    row.claimed_at = now
    row.attempts += 1


def release_for_retry(row: OutboxRow, now: datetime, error: str, first: float = 0.5,
                      longest: float = 5.0) -> None:
    """A send failed: drop the claim, keep the error, set when to try again."""
    row.claimed_at = None
    row.last_error = error[:2000]
    row.next_attempt_at = now + timedelta(seconds=retry_delay(row.attempts, first, longest))


def skip_locked(query: Select[Any], session: Session) -> Select[Any]:
    """Lock the picked rows; on PostgreSQL a second process skips them instead of waiting.

    SQLite has one writer at a time (every write transaction begins IMMEDIATE), so the
    pick is already exclusive there.
    """
    if session.bind.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query
