"""Printer states shared by every server process: what each printer last said, and its alert.

States are advisory (some printers always say offline): printing never waits for them.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from printer.states import PrinterState
from queue_server.platform.config import Config
from queue_server.platform.events import Event
from queue_server.platform.sequences import dialect_insert
from queue_server.printing.models import PrinterStatus, PrintJob
from queue_server.printing.outbox import STATUS_EVENT, UNFINISHED

AGENT_SILENCE = timedelta(seconds=60)
"""An agent that has not polled this long is taken as gone (it polls every 30 s at most)."""


def ensure_rows(session: Session, names: list[str]) -> None:
    """Create a row per printer; processes starting together may race, so insert-or-skip."""
    for name in names:
        session.execute(dialect_insert(session, PrinterStatus).values(
            name=name, state=PrinterState.UNKNOWN, alert=False).on_conflict_do_nothing())


def _row(session: Session, name: str) -> PrinterStatus:
    """The printer's row, locked and read afresh (it may have been read unlocked before)."""
    row = session.get(PrinterStatus, name, with_for_update=True, populate_existing=True)
    if row is None:
        ensure_rows(session, [name])
        row = session.get(PrinterStatus, name, with_for_update=True)
    return row


def _event(session: Session, config: Config, row: PrinterStatus, now: datetime) -> Event:
    pending = _pending(session).get(row.name, 0)
    return Event(STATUS_EVENT, {"printer": printer_view(config, row, now, pending)})


def record_state(session: Session, config: Config, name: str, state: PrinterState,
                 now: datetime, error: str | None = None) -> list[Event]:
    """Store what the printer said; an event only when something a person sees changed."""
    row = _row(session, name)
    before = (row.state, row.last_error, row.alert)
    row.checked_at = now
    # A status poll that finds the printer still offline says nothing new about why: the
    # last failed send's reason stays until the printer answers again.
    if error is not None or state is not PrinterState.OFFLINE or row.state is not state:
        row.last_error = error
    row.state = state
    if state is PrinterState.OFFLINE:
        row.offline_since = row.offline_since or now
    else:
        row.offline_since = None
    row.alert = _alert_due(config, row, now)
    if (row.state, row.last_error, row.alert) == before:
        return []
    return [_event(session, config, row, now)]


def note_agent_poll(session: Session, config: Config, name: str, now: datetime) -> list[Event]:
    """Remember the agent is alive; one that was silent comes back as state unknown."""
    row = _row(session, name)
    returning = row.agent_seen_at is None or now - row.agent_seen_at > AGENT_SILENCE
    row.agent_seen_at = now
    if returning and row.state is PrinterState.OFFLINE:
        return record_state(session, config, name, PrinterState.UNKNOWN, now)
    return []


def _alert_due(config: Config, row: PrinterStatus, now: datetime) -> bool:
    threshold = timedelta(seconds=config.printing.offline_alert_seconds)
    return row.state is PrinterState.OFFLINE and row.offline_since is not None \
        and now - row.offline_since >= threshold


def refresh(session: Session, config: Config, now: datetime) -> list[Event]:
    """Raise alerts that came due and mark silent agents offline."""
    events = []
    # Read without locks: a worker claiming a job must not find its printer's row taken.
    for row in session.scalars(select(PrinterStatus)).all():
        if row.name not in config.printers:
            continue
        if row.name in config.printing.agent_printers and row.state is not PrinterState.OFFLINE \
                and row.agent_seen_at and now - row.agent_seen_at > AGENT_SILENCE:
            seen = row.agent_seen_at.isoformat(timespec="seconds")
            events += record_state(session, config, row.name, PrinterState.OFFLINE, now,
                                   f"The print agent has not polled since {seen}")
        elif _alert_due(config, row, now) != row.alert:
            row = _row(session, row.name)
            alert = _alert_due(config, row, now)
            if alert != row.alert:
                row.alert = alert
                events.append(_event(session, config, row, now))
    return events


def _pending(session: Session) -> dict[str, int]:
    rows = session.execute(select(PrintJob.printer, func.count(PrintJob.id))
                           .where(PrintJob.status.in_(UNFINISHED)).group_by(PrintJob.printer))
    return dict(rows.all())


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def printer_view(config: Config, row: PrinterStatus | None, now: datetime,
                 pending: int = 0, name: str | None = None) -> dict[str, Any]:
    """A printer's settings summary and state, for the API, events and the panel."""
    name = row.name if row is not None else name
    settings = config.printers[name]
    return {
        "name": name, "type": settings.type.value, "location": settings.location(),
        "profile": settings.profile, "status_query": settings.status_query,
        "agent": name in config.printing.agent_printers,
        "ticket_printer": name == config.ticket_printer,
        "stations": sorted(s for s, p in config.stations.items() if p == name),
        "counters": sorted(c for c, p in config.printing.counter_printers.items() if p == name),
        "state": (row.state if row else PrinterState.UNKNOWN).value,
        "offline_since": _iso(row.offline_since) if row else None,
        "alert": bool(row and (row.alert or _alert_due(config, row, now))),
        "last_error": row.last_error if row else None,
        "checked_at": _iso(row.checked_at) if row else None,
        "agent_seen_at": _iso(row.agent_seen_at) if row else None,
        "pending_jobs": pending,
    }


def printer_views(session: Session, config: Config, now: datetime) -> list[dict[str, Any]]:
    """Every configured printer with its last known state, in config order."""
    rows = {row.name: row for row in session.scalars(select(PrinterStatus))}
    pending = _pending(session)
    return [printer_view(config, rows.get(name), now, pending.get(name, 0), name)
            for name in config.printers]


def record_send(session: Session, config: Config, name: str, now: datetime,
                error: str | None) -> list[Event]:
    """Learn from a send: a failure means offline; a success means reachable again."""
    if error is not None:
        return record_state(session, config, name, PrinterState.OFFLINE, now, error)
    row = _row(session, name)
    if row.state in (PrinterState.OFFLINE, PrinterState.UNKNOWN):
        return record_state(session, config, name, PrinterState.ONLINE, now)
    return record_state(session, config, name, row.state, now)
