"""Security's calls: escort a visitor in or out; one tap to acknowledge, one to finish."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.events import Event
from queue_server.platform.transactions import Outcome
from queue_server.procedure.errors import conflict, forbidden, invalid, not_found
from queue_server.procedure.events import ESCORT_UPDATED
from queue_server.procedure.models import EscortCall, EscortPlace, StepRecord

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService


def open_calls(session: Session) -> list[EscortCall]:
    """Calls not done yet, oldest first."""
    return list(session.scalars(select(EscortCall).where(EscortCall.done_at.is_(None))
                                .order_by(EscortCall.id)))


def _call(session: Session, call_id: int) -> EscortCall:
    call = session.get(EscortCall, call_id, with_for_update=True)
    if call is None:
        raise not_found(f"No escort call {call_id}")
    if call.done_at is not None:
        raise conflict(f"Escort call {call_id} is already done")
    return call


def _check(service: ProcedureService, session: Session, call: EscortCall,
           actor: Identity) -> StepRecord | None:
    record = session.get(StepRecord, call.step_record_id) if call.step_record_id else None
    if record is not None:
        step = service.step_named(record.step_key)
        if not service.may_do(step, record, actor):
            raise forbidden(f"Step {step.position} ({step.name}) is not yours to do")
    elif actor.role != Role.SECURITY:
        raise forbidden("Only security takes escort calls")
    return record


def acknowledge(session: Session, service: ProcedureService, actor: Identity,
                call_id: int) -> Outcome:
    """One tap: I am on my way. Also takes on the security step it belongs to."""
    call = _call(session, call_id)
    record = _check(service, session, call, actor)
    if call.acknowledged_at is None:
        now = service.clock()
        call.acknowledged_at, call.acknowledged_by = now, actor.user_id
        if record is not None and record.acknowledged_at is None:
            record.acknowledged_at, record.acknowledged_by = now, actor.user_id
    return Outcome(None, [Event(ESCORT_UPDATED, {"call_id": call.id, "visit_id": call.visit_id})],
                   view={"id": call.id})


def finish(session: Session, service: ProcedureService, actor: Identity, call_id: int,
           place: str, equipment: dict[str, Any] | None = None) -> Outcome:
    """Done at the ULT, the exit or the vehicle; a step's call completes that step."""
    call = _call(session, call_id)
    record = _check(service, session, call, actor)
    try:
        EscortPlace(place)
    except ValueError:
        raise invalid(f"place must be one of {[p.value for p in EscortPlace]}") from None
    if record is not None:
        return service.complete(session, actor, call.visit_id, record.step_key,
                                {"place": place, "equipment": equipment})
    now = service.clock()
    call.done_at, call.done_by, call.place = now, actor.user_id, EscortPlace(place)
    if call.acknowledged_at is None:
        call.acknowledged_at, call.acknowledged_by = now, actor.user_id
    return Outcome(None, [Event(ESCORT_UPDATED, {"call_id": call.id, "visit_id": call.visit_id})],
                   view={"id": call.id})
