"""What staff do to a visit besides completing its step: equipment, reassignment, going home."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role, User
from queue_server.auth.service import Identity
from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text
from queue_server.procedure.errors import conflict, forbidden, invalid
from queue_server.procedure.events import ESCORT_REQUESTED, visit_event
from queue_server.procedure.models import (
    EquipmentTick,
    EscortCall,
    Reassignment,
    StepRecord,
    Visit,
    VisitStatus,
)
from queue_server.procedure.settings import EscortKind
from queue_server.procedure.visit_ticket import VisitEnd


class VisitActions:
    """Equipment, reassignment, leaving and coming back, cancelling; part of ProcedureService."""

    def __init__(self, service) -> None:
        self.service = service

    def tick_all(self, session: Session, record: StepRecord, actor: Identity, ticks: Any,
                  now: datetime) -> None:
        if ticks is None:
            return
        if not isinstance(ticks, dict):
            raise invalid("equipment must map each item to true or false")
        for item, provided in ticks.items():
            self.tick(session, record, actor, str(item), bool(provided), now)

    def tick(self, session: Session, record: StepRecord, actor: Identity, item: str,
              provided: bool, now: datetime) -> None:
        step = self.service.step_named(record.step_key)
        if item not in step.equipment:
            raise invalid(f"{item!r} is not equipment of step {step.position}; "
                          f"it lists {list(step.equipment)}")
        tick = session.scalar(select(EquipmentTick).where(
            EquipmentTick.step_record_id == record.id, EquipmentTick.item == item))
        if tick is None:
            session.add(EquipmentTick(step_record_id=record.id, item=item, provided=provided,
                                      by_user_id=actor.user_id, at=now))
        else:
            tick.provided, tick.by_user_id, tick.at = provided, actor.user_id, now

    def tick_equipment(self, session: Session, actor: Identity, visit_id: int, key: str,
                       item: str, provided: bool) -> Outcome:
        """Tick an item of the current step's equipment (kelengkapan) as provided or not."""
        visit, step, record = self.service.current(session, visit_id, key, actor)
        self.tick(session, record, actor, item, provided, self.service.clock())
        return Outcome(None, [visit_event(visit, step)], view={"id": visit.id})

    def reassign(self, session: Session, actor: Identity, visit_id: int, key: str,
                 to_user_id: int, letter: str, from_user_id: int | None = None,
                 reason: str | None = None) -> Outcome:
        """A supervisor hands a step to another officer by letter; both names are kept."""
        if actor.role != Role.ADMIN:
            raise forbidden("Only a supervisor (admin) may reassign a step")
        self.service.require_enabled()
        letter = (letter or "").strip()
        if not letter:
            raise invalid("The assignment letter's reference is required")
        visit = self.service.visit(session, visit_id, lock=True)
        step = self.service.step_named(key)
        if visit.status != VisitStatus.ACTIVE or step.position < visit.position:
            raise conflict(f"Step {step.position} ({step.name}) of visit {visit.id} is done")
        target = session.get(User, to_user_id)
        if target is None or not target.active:
            raise invalid(f"No active user {to_user_id}")
        if from_user_id is not None and session.get(User, from_user_id) is None:
            raise invalid(f"No user {from_user_id}")
        record = self.service.record(session, visit, step.position)
        if record is None:
            record = StepRecord(visit_id=visit.id, position=step.position, step_key=step.key,
                                role=step.role, details={})
            session.add(record)
            session.flush()
        previous = record.assigned_to or from_user_id or record.acknowledged_by
        if previous is None:
            raise invalid("Name the officer who is unavailable (from_user_id)")
        session.add(Reassignment(visit_id=visit.id, step_record_id=record.id,
                                 from_user_id=previous, to_user_id=target.id,
                                 letter_reference=checked_text(letter, "letter_reference", 200, True),
                                 reason=checked_text(reason, "reason", 1000),
                                 by_user_id=actor.user_id, at=self.service.clock()))
        record.assigned_to = target.id
        return Outcome(None, [visit_event(visit, step)], view={"id": visit.id})

    def leave(self, session: Session, actor: Identity, visit_id: int, escort: bool) -> Outcome:
        """The visitor goes home while staff work without them (PPID); optionally escorted."""
        self.service.require_enabled()
        if actor.role not in (Role.OFFICER, Role.RECEPTIONIST, Role.ADMIN):
            raise forbidden("Only the counter or reception records a visitor going home")
        visit = self.service.visit(session, visit_id, lock=True)
        step = self.service.step_at(visit.position)
        if visit.status != VisitStatus.ACTIVE or step is None or step.visitor_present:
            raise conflict(f"Visit {visit.id} is at a step that needs the visitor")
        if not visit.present:
            raise conflict(f"The visitor of visit {visit.id} has already gone home")
        now = self.service.clock()
        visit.present, visit.left_at = False, now
        events = self.service.tickets.close(session, visit, actor, VisitEnd.LEFT)
        events.append(visit_event(visit, step))
        if escort:
            events.append(self.call_escort(session, visit, EscortKind.OUT, actor, now))
        return Outcome(None, events, view={"id": visit.id})

    def call_escort(self, session: Session, visit: Visit, kind: EscortKind, actor: Identity,
                    now: datetime) -> Event:
        """Ask security to walk the visitor, outside the steps (going home, coming back)."""
        call = EscortCall(visit_id=visit.id, kind=kind, aids=list(visit.aids), requested_at=now,
                          requested_by=actor.user_id)
        session.add(call)
        session.flush()
        return Event(ESCORT_REQUESTED, {"call_id": call.id, "visit_id": visit.id,
                                        "kind": kind.value})

    def come_back(self, session: Session, visit: Visit, actor: Identity, escort: bool,
                  now: datetime) -> list[Event]:
        """The visitor is here again: a step waiting for them starts now."""
        visit.present, visit.returned_at = True, now
        events = []
        if escort:
            events.append(self.call_escort(session, visit, EscortKind.IN, actor, now))
        step = self.service.step_at(visit.position)
        record = self.service.record(session, visit, visit.position) if step else None
        if record is not None and record.started_at is None:
            events += self.service.begin_step(session, visit, step, record, actor, now)
        events.append(visit_event(visit, step))
        return events

    def cancel(self, session: Session, actor: Identity, visit_id: int, reason: str) -> Outcome:
        """Close a visit that cannot go on (the visitor left); the reason is kept."""
        if actor.role not in (Role.ADMIN, Role.OFFICER, Role.RECEPTIONIST):
            raise forbidden("Only the counter, reception or a supervisor cancels a visit")
        if not (reason or "").strip():
            raise invalid("A reason is required to cancel a visit")
        visit = self.service.visit(session, visit_id, lock=True)
        if visit.status != VisitStatus.ACTIVE:
            raise conflict(f"Visit {visit.id} is already {visit.status.value}")
        visit.status = VisitStatus.CANCELLED
        visit.cancel_reason = checked_text(reason, "reason", 500)
        visit.completed_at = self.service.clock()
        for call in session.scalars(select(EscortCall).where(EscortCall.visit_id == visit.id,
                                                             EscortCall.done_at.is_(None))):
            call.done_at = visit.completed_at
        events = self.service.tickets.close(session, visit, actor, VisitEnd.CANCELLED)
        return Outcome(None, [*events, visit_event(visit, None)], view={"id": visit.id})
