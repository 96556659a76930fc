"""The public display snapshot: calls and waiting counts, nothing personal."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.platform.errors import not_found
from queue_server.tickets.errors import queue_error
from queue_server.tickets.estimate import WaitEstimator
from queue_server.tickets.models import Call, Ticket, TicketStatus
from queue_server.tickets.reading import QueueReading
from queue_server.tickets.views import call_view, waiting_totals


def shown_counters(config: Config, counters: str | None, display: str | None) -> list[str]:
    """Resolve ?counters=1,2 or ?display=name into counter codes (all when neither)."""
    if display:
        if display not in config.display.named:
            raise not_found(f"Unknown display {display!r}", "unknown_display")
        return list(config.display.named[display])
    if counters:
        codes = [code.strip() for code in counters.split(",") if code.strip()]
        unknown = [code for code in codes if code not in config.counters]
        if unknown:
            raise queue_error("unknown_counter", f"Unknown counter {unknown[0]!r}")
        return codes
    return list(config.counters)


def snapshot(session: Session, config: Config, reading: QueueReading, codes: list[str],
             now, announcer=None, estimates: WaitEstimator | None = None) -> dict[str, Any]:
    """Everything a TV needs to be whole.

    Each call says whether it is `live`: its ticket is still called at that counter and no
    newer call of the ticket exists. A TV announces only live calls, so a call whose
    ticket has since been transferred, finished or called again is never spoken.
    """
    limit = config.display.recent_calls
    groups = reading.waiting_groups(session)
    calls = session.scalars(select(Call).where(Call.counter.in_(codes))
                            .order_by(Call.id.desc()).limit(limit + 1)).all()
    names = {code: counter.name for code, counter in config.counters.items()}
    live = live_calls(session, calls)
    views = [call_view(call, names.get(call.counter, call.counter))
             | {"live": call.id in live} for call in calls]
    if announcer is not None:
        for view in views:
            with_parts(view, config, announcer)
    audio = config.display.audio
    return {
        "seq": latest_seq(session),
        "office": {"name": config.office_name, "unit": config.office_unit,
                   "timezone": config.timezone},
        "language": config.display.language,
        "running_text": config.display.running_text,
        "counters": [{"code": code, "name": names[code]} for code in codes],
        "current": views[0] if views else None,
        "recent": views[:limit],
        "waiting": waiting_totals(groups),
        "estimates": estimates.for_services(session, groups, config.display.language)
        if estimates is not None else [],
        "audio": {"enabled": audio.enabled, "volume": audio.volume,
                  "short_queue": audio.short_queue},
        "notice": announcer.notice() if announcer is not None else None,
        "legibility": {"viewing_distance_m": config.display.viewing_distance_m,
                       "screen_diagonal_in": config.display.screen_diagonal_in},
        "server_time": now.isoformat(),
    }


def with_parts(view: dict[str, Any], config: Config, announcer) -> dict[str, Any]:
    """Add the call's audio parts (tv.announcer.Announcer.parts) to a public call view."""
    counter = config.counters.get(view["counter"])
    if counter is not None:
        view["audio"] = announcer.parts(view["number"], counter)
    return view


def live_calls(session: Session, calls: list[Call]) -> set[int]:
    """The ids of the calls whose ticket is still called at that counter by that call."""
    ticket_ids = {call.ticket_id for call in calls}
    if not ticket_ids:
        return set()
    tickets = {ticket.id: ticket for ticket in session.scalars(
        select(Ticket).where(Ticket.id.in_(ticket_ids)))}
    newest = dict(session.execute(select(Call.ticket_id, func.max(Call.id))
                                  .where(Call.ticket_id.in_(ticket_ids))
                                  .group_by(Call.ticket_id)).all())
    return {call.id for call in calls
            if (ticket := tickets.get(call.ticket_id)) is not None
            and ticket.status == TicketStatus.CALLED and ticket.counter == call.counter
            and newest.get(call.ticket_id) == call.id}


def latest_seq(session: Session) -> int:
    """The newest call's sequence number (0 before the first call)."""
    return session.scalar(select(func.max(Call.id))) or 0
