"""Data-subject requests (UU 27/2022 Pasal 5-8, 42-43): find, export, correct, erase.

An admin acts at a visitor's request: each action needs a reason and leaves an audit row
(data_subject_actions: who, when, which entries, which fields, why; never the values) and
a log line with the same facts.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text
from queue_server.procedure.errors import conflict, forbidden, invalid, not_found
from queue_server.procedure.models import (
    DataSubjectAction,
    GuestEntry,
    InfoRequest,
    InformationReceipt,
    Visit,
)
from queue_server.procedure.personal import empty_entry, tally
from queue_server.procedure.privacy import InvalidNik, mask_nik, normalise_nik, normalise_phone

log = logging.getLogger(__name__)
ACTIONS = ("find", "export", "correct", "erase")
CORRECTABLE = {"name": 200, "nik": 16, "phone": 32, "institution": 200, "purpose": 1000,
               "companion": 200}
MAX_ENTRIES = 200
MAX_ID = 2**31 - 1


def _audit(session: Session, actor: Identity, action: str, reason: Any, entries: list[int],
           fields: list[str], now: datetime) -> None:
    if actor.role != Role.ADMIN:
        raise forbidden("Only an admin handles a data-subject request")
    if not isinstance(reason, str) or not reason.strip():
        raise invalid("A reason is required for a data-subject action")
    session.add(DataSubjectAction(action=action, entry_ids=entries, fields=fields,
                                  reason=checked_text(reason, "reason", 1000),
                                  by_user_id=actor.user_id, at=now))
    log.warning("admin %s: data-subject %s of guest book entries %s (fields %s): %s",
                actor.username, action, entries, fields or "-", reason.strip()[:200])


def _entry_id(value: Any) -> int | None:
    """An id as JSON gives it (1 or 1.0), or None when it is no id."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    return None


def _entries(session: Session, given: Any) -> list[GuestEntry]:
    ids = [_entry_id(value) for value in given] if isinstance(given, list) else []
    if not ids or len(ids) > MAX_ENTRIES or None in ids:
        raise invalid(f"entry_ids must be a list of 1 to {MAX_ENTRIES} guest book entry ids")
    entries = list(session.scalars(select(GuestEntry).where(GuestEntry.id.in_(ids))
                                   .order_by(GuestEntry.id)))
    missing = sorted(set(ids) - {entry.id for entry in entries})
    if missing:
        raise not_found(f"No guest book entries {missing}")
    return entries


def _summary(entry: GuestEntry) -> dict[str, Any]:
    return {"id": entry.id, "visit_id": entry.visit_id, "day": entry.day.isoformat(),
            "name": entry.name, "nik_masked": mask_nik(entry.nik),
            "institution": entry.institution, "purged": entry.purged_at is not None}


def find(session: Session, actor: Identity, nik: Any, name: Any, reason: Any,
         now: datetime) -> Outcome:
    """One visitor's guest book entries, by NIK (exact) or by name (case-insensitive)."""
    query = select(GuestEntry)
    if nik is not None and (not isinstance(nik, str) or len(nik) > 64):
        raise invalid("Field 'nik' must be text of at most 64 characters")
    if isinstance(nik, str) and nik.strip():
        try:
            query = query.where(GuestEntry.nik == normalise_nik(nik))
        except InvalidNik as exc:
            raise invalid(str(exc)) from None
    elif isinstance(name, str) and name.strip():
        query = query.where(func.lower(GuestEntry.name) == name.strip().lower())
    else:
        raise invalid("Give the visitor's nik or name")
    entries = list(session.scalars(query.order_by(GuestEntry.id).limit(MAX_ENTRIES)))
    _audit(session, actor, "find", reason, [e.id for e in entries],
           ["nik"] if isinstance(nik, str) and nik.strip() else ["name"], now)
    return Outcome(None, [], view={"entries": [_summary(entry) for entry in entries]})


def export(session: Session, actor: Identity, ids: Any, reason: Any, now: datetime) -> Outcome:
    """Everything stored about the entries, for the visitor (their own data, in full)."""
    entries = _entries(session, ids)
    _audit(session, actor, "export", reason, [e.id for e in entries], [], now)
    rows = []
    for entry in entries:
        request = session.scalar(select(InfoRequest).where(InfoRequest.visit_id == entry.visit_id))
        rows.append({
            **_summary(entry), "nik": entry.nik, "phone": entry.phone, "purpose": entry.purpose,
            "category": entry.category, "kinds": entry.kinds, "aids": entry.aids,
            "communication": entry.communication or [], "companion": entry.companion,
            "guardian_name": entry.guardian_name, "guardian_relation": entry.guardian_relation,
            "guardian_consent": entry.guardian_consent, "notice_mode": entry.notice_mode,
            "consent_by": entry.consent_by, "created_at": entry.created_at.isoformat(),
            "request": None if request is None else {
                "number": request.number, "subject": request.subject,
                "status": request.status.value, "result": request.result}})
    return Outcome(None, [], view={"exported_at": now.isoformat(), "entries": rows})


def _corrected(name: str, value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise invalid(f"Field {name!r} must be text")
    try:
        if name == "nik":
            return normalise_nik(value) if value and value.strip() else None
        if name == "phone":
            return normalise_phone(value)
    except (InvalidNik, ValueError) as exc:
        raise invalid(str(exc)) from None
    return checked_text(value, name, CORRECTABLE[name], name in ("name", "purpose"))


def correct(session: Session, actor: Identity, entry_id: int, changes: Any, reason: Any,
            now: datetime) -> Outcome:
    """Correct an entry's personal fields at the visitor's request (Pasal 6)."""
    if not isinstance(changes, dict) or not changes:
        raise invalid(f"changes must map some of {sorted(CORRECTABLE)} to new values")
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise invalid(f"Fields {unknown} cannot be corrected; correctable: {sorted(CORRECTABLE)}")
    entry = session.get(GuestEntry, entry_id, with_for_update=True)
    if entry is None:
        raise not_found(f"No guest book entry {entry_id}")
    if entry.purged_at is not None:
        raise conflict(f"Guest book entry {entry_id} is already emptied")
    values = {name: _corrected(name, value) for name, value in changes.items()}
    _audit(session, actor, "correct", reason, [entry.id], sorted(values), now)
    for name, value in values.items():
        setattr(entry, name, value)
    if "name" in values:
        receipt_names(session, [entry.visit_id], values["name"])
    return Outcome(None, [], view=_summary(entry))


def receipt_names(session: Session, visit_ids: list[int], name: str | None) -> None:
    for receipt in session.scalars(select(InformationReceipt).where(
            InformationReceipt.visit_id.in_(visit_ids))):
        receipt.recipient_name = name


def erase(session: Session, actor: Identity, ids: Any, reason: Any, now: datetime) -> Outcome:
    """Empty the entries at the visitor's request (Pasal 8): as the purge does, at once."""
    entries = _entries(session, ids)
    _audit(session, actor, "erase", reason, [e.id for e in entries], sorted(CORRECTABLE), now)
    visit_ids = [entry.visit_id for entry in entries]
    tally(session, [entry for entry in entries if entry.purged_at is None])
    for entry in entries:
        empty_entry(entry, now)
    for visit in session.scalars(select(Visit).where(Visit.id.in_(visit_ids))):
        visit.arrival_note = None
    receipt_names(session, visit_ids, None)
    return Outcome(None, [], view={"erased": [entry.id for entry in entries]})


def actions(session: Session, limit: int = 200) -> list[DataSubjectAction]:
    return list(session.scalars(select(DataSubjectAction)
                                .order_by(DataSubjectAction.id.desc()).limit(limit)))
