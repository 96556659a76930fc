"""Visits through the procedure's steps: order, roles, times, deviations, reassignment."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.config import Config
from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text
from queue_server.procedure.calendar import (
    add_working_days,
    count_from,
    working_days_between,
    years_without_holidays,
)
from queue_server.procedure.errors import conflict, forbidden, invalid, not_found
from queue_server.procedure.events import (
    DEVIATION_RECORDED,
    ESCORT_REQUESTED,
    ESCORT_UPDATED,
    visit_event,
)
from queue_server.procedure.models import (
    Deviation,
    EscortCall,
    InfoRequest,
    StepRecord,
    Visit,
    VisitStatus,
)
from queue_server.procedure.outputs import OutputRecorder
from queue_server.procedure.settings import VISITOR, EscortKind, Step
from queue_server.procedure.visit_actions import VisitActions
from queue_server.procedure.visit_ticket import VisitEnd, VisitTickets
from queue_server.tickets.service import QueueService

log = logging.getLogger(__name__)


class ProcedureService:
    """The procedure's domain functions; each runs inside the caller's transaction."""

    def __init__(self, config: Config, clock: Callable[[], datetime], queue: QueueService):
        self.config = config
        self.settings = config.procedure
        self.procedure = self.settings.procedure
        self.clock = clock
        self.queue = queue
        self.outputs = OutputRecorder(self)
        self.actions = VisitActions(self)
        self.tickets = VisitTickets(self)

    # -- time ----------------------------------------------------------------------------

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.config.tz).date()

    def end_of_day(self, day: date) -> datetime:
        """The first instant after a local day, in UTC."""
        return datetime.combine(day + timedelta(days=1), time(0), self.config.tz).astimezone(UTC)

    def working_day_after(self, start: date, days: int) -> date:
        return add_working_days(start, days, self.settings.holidays)

    def deadline(self, received: date, days: int) -> date:
        """The last day of a statutory period of working days, counted as ppid.day_one says.

        A deadline counted into a year with no holiday listed is logged loudly: every
        weekday of that year, 1 January included, counted as a working day.
        """
        holidays = self.settings.holidays
        due = count_from(received, days, holidays, self.settings.ppid.day_one == "receipt_day")
        missing = years_without_holidays(received, due, holidays)
        if missing:
            log.warning("Daftar hari libur %s belum diisi: deadline %s counted with every "
                        "weekday as a working day; add the SKB 3 Menteri holidays to "
                        "config.yaml (holidays:)", ", ".join(map(str, missing)),
                        due.isoformat())
        return due

    # -- lookups -------------------------------------------------------------------------

    def step_at(self, position: int) -> Step | None:
        steps = self.procedure.steps
        return steps[position - 1] if 1 <= position <= len(steps) else None

    def step_named(self, key: str) -> Step:
        step = self.procedure.step(key)
        if step is None:
            raise not_found(f"The procedure has no step {key!r}")
        return step

    def visit(self, session: Session, visit_id: int, lock: bool = False) -> Visit:
        visit = session.get(Visit, visit_id, with_for_update=lock or None)
        if visit is None:
            raise not_found(f"No visit {visit_id}")
        return visit

    def record(self, session: Session, visit: Visit, position: int) -> StepRecord | None:
        return session.scalar(select(StepRecord).where(StepRecord.visit_id == visit.id,
                                                       StepRecord.position == position))

    def request_of(self, session: Session, visit: Visit) -> InfoRequest | None:
        return session.scalar(select(InfoRequest).where(InfoRequest.visit_id == visit.id))

    def require_enabled(self) -> None:
        if not self.procedure.enabled:
            raise not_found("No procedure is configured (procedure: in config.yaml)")

    # -- starting and moving on ----------------------------------------------------------

    def start(self, session: Session, actor: Identity, aids: list[str],
              note: str | None = None) -> Outcome:
        """Record an arrival: a visit opens at step 1, done at once when it is the visitor's."""
        self.require_enabled()
        first = self.procedure.steps[0]
        if actor.role not in first.recorded_by:
            raise forbidden(f"Step 1 ({first.name}) is recorded by "
                            f"{', '.join(r.value for r in first.recorded_by)}, "
                            f"not by {actor.role.value}")
        known = {aid.code for aid in self.settings.guest_book.aids}
        unknown = [aid for aid in aids if aid not in known]
        if unknown:
            raise invalid(f"Unknown aids {unknown}; known: {sorted(known)}")
        now = self.clock()
        visit = Visit(day=self.local_day(now), status=VisitStatus.ACTIVE, position=1,
                      present=True, aids=list(dict.fromkeys(aids)),
                      arrival_note=checked_text(note, "note", 500), created_at=now,
                      created_by=actor.user_id)
        session.add(visit)
        session.flush()
        events = self._open(session, visit, first, actor, now)
        if first.role == VISITOR:
            events += self._complete(session, visit, first, actor, {}, now)
        return Outcome(None, events, view={"id": visit.id})

    def _open(self, session: Session, visit: Visit, step: Step, actor: Identity | None,
              now: datetime) -> list[Event]:
        """Create the step's record; it starts now unless it waits for the visitor."""
        record = StepRecord(visit_id=visit.id, position=step.position, step_key=step.key,
                            role=step.role, details={})
        session.add(record)
        session.flush()
        if visit.present or not step.visitor_present:
            return self.begin_step(session, visit, step, record, actor, now)
        return []

    def begin_step(self, session: Session, visit: Visit, step: Step, record: StepRecord,
               actor: Identity | None, now: datetime) -> list[Event]:
        record.started_at = now
        record.due_at = self._due(session, visit, step, now)
        if step.role != Role.SECURITY.value:
            return []
        # Without an explicit direction, the first security step walks in, later ones out.
        earlier = any(s.role == step.role for s in self.procedure.steps[:step.position - 1])
        kind = step.escort or (EscortKind.OUT if earlier else EscortKind.IN)
        call = EscortCall(visit_id=visit.id, step_record_id=record.id, kind=kind,
                          aids=list(visit.aids), requested_at=now,
                          requested_by=actor.user_id if actor else None)
        session.add(call)
        session.flush()
        return [Event(ESCORT_REQUESTED, {"call_id": call.id, "visit_id": visit.id,
                                         "kind": kind.value})]

    def _due(self, session: Session, visit: Visit, step: Step, now: datetime) -> datetime | None:
        if step.minutes is not None:
            return now + timedelta(minutes=step.minutes)
        if step.working_days is None:
            return None
        request = self.request_of(session, visit)
        days = 0 if request is not None and request.same_day else step.working_days[1]
        return self.end_of_day(self.working_day_after(self.local_day(now), days))

    def _complete(self, session: Session, visit: Visit, step: Step, actor: Identity,
                  data: dict[str, Any], now: datetime) -> list[Event]:
        record = self.record(session, visit, step.position)
        events = self.outputs.record(session, visit, step, record, actor, data, now)
        self.actions.tick_all(session, record, actor, data.get("equipment"), now)
        record.ended_at = now
        record.completed_by = actor.user_id
        deviation = self._deviation(session, visit, step, record, now)
        if deviation is not None:
            events.append(Event(DEVIATION_RECORDED, {
                "visit_id": visit.id, "step": step.key, "role": step.role,
                "over_seconds": deviation.over_seconds}))
        return events + self._advance(session, visit, actor, now)

    def _advance(self, session: Session, visit: Visit, actor: Identity,
                 now: datetime) -> list[Event]:
        """On to the next step; after the last one the visit and its tickets are done."""
        visit.position += 1
        following = self.step_at(visit.position)
        events: list[Event] = []
        if following is None:
            visit.status = VisitStatus.COMPLETED
            visit.completed_at = now
            events += self.tickets.close(session, visit, actor, VisitEnd.FINISHED)
        else:
            events += self._open(session, visit, following, actor, now)
        events.append(visit_event(visit, following))
        return events

    def _deviation(self, session: Session, visit: Visit, step: Step, record: StepRecord,
                   now: datetime) -> Deviation | None:
        if record.due_at is None or record.started_at is None or now <= record.due_at:
            return None
        actual = int((now - record.started_at).total_seconds())
        standard = step.standard_seconds
        if standard is not None:
            over = actual - standard
            if over <= 0:
                return None
            late_days = None
        else:
            over = int((now - record.due_at).total_seconds())
            due_day = self.local_day(record.due_at - timedelta(microseconds=1))
            late_days = working_days_between(due_day, self.local_day(now), self.settings.holidays)
        deviation = Deviation(
            visit_id=visit.id, step_record_id=record.id, step_key=step.key, role=step.role,
            responsible_user_id=record.assigned_to or record.completed_by,
            day=self.local_day(now), standard_seconds=standard, actual_seconds=actual,
            over_seconds=over, over_working_days=late_days, recorded_at=now)
        session.add(deviation)
        return deviation

    # -- the actions staff take ----------------------------------------------------------

    def may_do(self, step: Step, record: StepRecord | None, actor: Identity) -> bool:
        """The step's role (or its recorders), or the officer it was reassigned to."""
        if record is not None and record.assigned_to is not None:
            return record.assigned_to == actor.user_id
        return actor.role in step.recorded_by

    def current(self, session: Session, visit_id: int, key: str, actor: Identity,
                lock: bool = True, may: bool = False) -> tuple[Visit, Step, StepRecord]:
        """The visit, the step named and its record, if the actor may act on it now
        (`may`: the caller has checked the actor's right already)."""
        self.require_enabled()
        visit = self.visit(session, visit_id, lock)
        step = self.step_named(key)
        record = self.record(session, visit, step.position)
        if not may and not self.may_do(step, record, actor):
            who = ", ".join(r.value for r in step.recorded_by)
            if record is not None and record.assigned_to is not None:
                who = "the officer it was reassigned to"
            raise forbidden(f"Step {step.position} ({step.name}) is done by {who}, "
                            f"not by {actor.username} ({actor.role.value})")
        if visit.status != VisitStatus.ACTIVE:
            raise conflict(f"Visit {visit.id} is {visit.status.value}; its steps are closed")
        if step.position != visit.position:
            now_step = self.step_at(visit.position)
            when = "is already done" if step.position < visit.position else "comes later"
            raise conflict(f"Out of order: visit {visit.id} is at step {visit.position} "
                           f"({now_step.name}); step {step.position} ({step.name}) {when}")
        if record.started_at is None:
            raise conflict(f"Step {step.position} ({step.name}) waits for the visitor to "
                           f"come back (pick-up)")
        return visit, step, record

    def complete(self, session: Session, actor: Identity, visit_id: int, key: str,
                 data: dict[str, Any]) -> Outcome:
        """Finish the visit's current step with its output; 403 wrong role, 409 out of order.

        A counter step takes the visit's ticket first (called at `data["counter"]`).
        """
        visit, step, record = self.current(session, visit_id, key, actor)
        counter = checked_text(data.get("counter"), "counter", 32)
        events = self.tickets.take(session, visit, step, record, actor, counter)
        events += self._complete(session, visit, step, actor, data, self.clock())
        return Outcome(None, events, view={"id": visit.id})

    def acknowledge(self, session: Session, actor: Identity, visit_id: int, key: str,
                    counter: str | None = None) -> Outcome:
        """Take on the current step (one tap): who and when are recorded. At a counter
        step the visit's ticket is called at that counter."""
        visit, step, record = self.current(session, visit_id, key, actor)
        if record.acknowledged_at is None:
            record.acknowledged_at = self.clock()
            record.acknowledged_by = actor.user_id
        events = self.tickets.take(session, visit, step, record, actor, counter)
        return Outcome(None, [*events, visit_event(visit, step)], view={"id": visit.id})

    def skip(self, session: Session, actor: Identity, visit_id: int, key: str,
             reason: str) -> Outcome:
        """Mark the current step not needed (the visitor declined an escort, came with
        family): it ends now with the reason and whoever said so, without a deviation."""
        self.require_enabled()
        step = self.step_named(key)
        if actor.role not in step.skip_by:
            allowed = ", ".join(r.value for r in step.skip_by) or "nobody"
            raise forbidden(f"Step {step.position} ({step.name}) may be marked not needed "
                            f"by {allowed}, not by {actor.role.value}")
        reason = checked_text(reason, "reason", 500, True)
        visit, step, record = self.current(session, visit_id, key, actor, may=True)
        now = self.clock()
        record.ended_at, record.completed_by = now, actor.user_id
        record.details = {**(record.details or {}), "skipped": True, "skip_reason": reason}
        events = []
        for call in session.scalars(select(EscortCall).where(
                EscortCall.step_record_id == record.id, EscortCall.done_at.is_(None))):
            call.done_at, call.done_by = now, actor.user_id
            events.append(Event(ESCORT_UPDATED, {"call_id": call.id, "visit_id": visit.id}))
        return Outcome(None, events + self._advance(session, visit, actor, now),
                       view={"id": visit.id})
