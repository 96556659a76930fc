"""The public display snapshot: calls and waiting counts, nothing personal."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.platform.errors import not_found
from queue_server.tickets.errors import queue_error
from queue_server.tickets.models import Call
from queue_server.tickets.reading import QueueReading
from queue_server.tickets.views import call_view


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
             now) -> dict[str, Any]:
    """Everything a TV needs to be whole."""
    limit = config.display.recent_calls
    calls = session.scalars(select(Call).where(Call.counter.in_(codes))
                            .order_by(Call.id.desc()).limit(limit + 1)).all()
    names = {code: counter.name for code, counter in config.counters.items()}
    views = [call_view(call, names.get(call.counter, call.counter)) for call in calls]
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
        "waiting": reading.waiting_counts(session),
        "audio": {"enabled": audio.enabled, "volume": audio.volume},
        "server_time": now.isoformat(),
    }


def latest_seq(session: Session) -> int:
    """The newest call's sequence number (0 before the first call)."""
    return session.scalar(select(func.max(Call.id))) or 0
