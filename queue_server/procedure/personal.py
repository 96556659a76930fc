"""Personal data actions: an admin's logged reveal, and the retention purge."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, select, update
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text
from queue_server.procedure.errors import conflict, forbidden, invalid, not_found
from queue_server.procedure.models import (
    DataReveal,
    EscortCall,
    GuestEntry,
    GuestTally,
    InfoRequest,
    InformationReceipt,
    Visit,
)
from queue_server.procedure.privacy import mask_nik

log = logging.getLogger(__name__)
REVEALABLE = ("nik", "phone")


def reveal(session: Session, actor: Identity, entry_id: int, field: str, reason: str,
           now: datetime) -> Outcome:
    """Show an admin the full NIK or phone; who, when and why are recorded and logged."""
    if actor.role != Role.ADMIN:
        raise forbidden("Only an admin may see a full NIK or phone number")
    if field not in REVEALABLE:
        raise invalid(f"field must be one of {list(REVEALABLE)}")
    if not (reason or "").strip():
        raise invalid("A reason is required to reveal personal data")
    entry = session.get(GuestEntry, entry_id)
    if entry is None:
        raise not_found(f"No guest book entry {entry_id}")
    if entry.purged_at is not None:
        raise conflict(f"Guest book entry {entry_id} was purged after its retention period")
    session.add(DataReveal(guest_entry_id=entry.id, field=field, reason=checked_text(reason, "reason", 1000),
                           by_user_id=actor.user_id, at=now))
    # The log names the entry and the masked NIK only: the log is no place for the value.
    log.warning("admin %s revealed the %s of guest book entry %s (NIK %s): %s",
                actor.username, field, entry.id, mask_nik(entry.nik), reason.strip()[:200])
    return Outcome(None, [], view={"field": field, "value": getattr(entry, field),
                                   "entry_id": entry.id})


TALLIED = ("kinds", "aids", "communication")
"""Lists a purge turns into monthly counts: together with a day they re-identify a visitor."""


def tally(session: Session, entries: list[GuestEntry]) -> None:
    """Add the entries' kinds, aids and needs to the monthly counts (guest_tallies)."""
    counts: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        month = entry.day.strftime("%Y-%m")
        for name in TALLIED:
            for code in getattr(entry, name) or []:
                counts[(month, name, code)] = counts.get((month, name, code), 0) + 1
    for (month, name, code), count in sorted(counts.items()):
        row = session.scalar(select(GuestTally).where(
            GuestTally.month == month, GuestTally.field == name, GuestTally.code == code)
            .with_for_update())
        if row is None:
            session.add(GuestTally(month=month, field=name, code=code, count=count))
            session.flush()
        else:
            row.count += count


def empty_entry(entry: GuestEntry, now: datetime) -> None:
    """Clear what identifies the visitor; the row keeps its day and category for counts."""
    entry.name = entry.nik = entry.phone = entry.companion = entry.institution = None
    entry.guardian_name = entry.guardian_relation = entry.purpose = None
    entry.kinds, entry.aids, entry.communication = [], [], []
    entry.notice_mode = entry.consent_by = None
    entry.purged_at = now


def purge(session: Session, today: date, retention_days: int, now: datetime) -> int:
    """Empty the guest entries older than the retention; monthly counts of the lists stay.

    Institution, day, disability kinds, aids and needs together re-identify a visitor, so
    the institution goes, and the lists become counts per month (guest_tallies). Each row
    keeps its day and guest category, which the tickets table holds anyway.
    """
    cutoff = today - timedelta(days=retention_days)
    entries = list(session.scalars(select(GuestEntry).where(
        GuestEntry.day < cutoff, GuestEntry.purged_at.is_(None))))
    tally(session, entries)
    for entry in entries:
        empty_entry(entry, now)
    visit_ids = select(Visit.id).where(Visit.day < cutoff)
    session.execute(update(Visit).where(Visit.day < cutoff, Visit.arrival_note.is_not(None))
                    .values(arrival_note=None))
    # Only rows still holding aids: the night's work does not grow with the years kept.
    for visit in session.scalars(select(Visit).where(
            Visit.day < cutoff, cast(Visit.aids, String) != "[]")):
        visit.aids = []
    for call in session.scalars(select(EscortCall).where(
            EscortCall.visit_id.in_(visit_ids), cast(EscortCall.aids, String) != "[]")):
        call.aids = []
    session.execute(update(InformationReceipt).where(
        InformationReceipt.visit_id.in_(visit_ids), InformationReceipt.recipient_name.is_not(None))
        .values(recipient_name=None))
    session.execute(update(InfoRequest).where(  # the requester (Pasal 22 ayat (2))
        InfoRequest.visit_id.in_(visit_ids), InfoRequest.requester_name.is_not(None))
        .values(requester_name=None, requester_address=None, requester_email=None))
    if entries:
        log.info("purged personal data of %d guest book entries from before %s",
                 len(entries), cutoff.isoformat())
    return len(entries)


class DailyPurge:
    """Run the purge once a day at a set local hour, in a daemon thread."""

    def __init__(self, run: Callable[[], int], timezone: ZoneInfo, hour: int = 2):
        self.run = run
        self.timezone = timezone
        self.hour = hour
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def seconds_to_next(self, now: datetime) -> float:
        local = now.astimezone(self.timezone)
        target = local.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        if target <= local:
            target += timedelta(days=1)
        return (target - local).total_seconds()

    def start(self) -> DailyPurge:
        """Start the thread (again, in a forked child: threads do not survive a fork)."""
        self.stopped.clear()
        self.thread = threading.Thread(target=self._loop, name="daily-purge", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        while not self.stopped.wait(self.seconds_to_next(datetime.now(self.timezone))):
            try:
                self.run()
            except Exception:  # noqa: BLE001 - a failed night must not end the thread
                log.exception("daily purge failed; it runs again tomorrow")
