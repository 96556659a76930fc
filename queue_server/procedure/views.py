"""JSON shapes of visits, steps, requests and the timeline, cut to what a role may read."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.access import (
    HEALTH_READERS,
    IDENTITY_READERS,
    PHONE_READERS,
    REQUESTER_READERS,
)
from queue_server.auth.models import Role, User
from queue_server.printing.models import PrintJob
from queue_server.printing.outbox import JobKind
from queue_server.procedure.models import (
    Deviation,
    EquipmentTick,
    EscortCall,
    GuestEntry,
    InfoRequest,
    InformationReceipt,
    Objection,
    Reassignment,
    StepRecord,
    Visit,
)
from queue_server.procedure.ppid import (
    OBJECTION_GROUNDS,
    is_overdue,
    past_statutory_limit,
    statutory_limit,
)
from queue_server.procedure.privacy import mask_nik, nik_warnings
from queue_server.procedure.settings import Identity, Step
from queue_server.tickets.models import Ticket

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def user_names(session: Session) -> dict[int, str]:
    return {user.id: user.display_name for user in session.scalars(select(User))}


def identity_view(identity: Identity) -> dict[str, Any]:
    """The procedure document's identity, for the heading of timelines and exports."""
    return {"name": identity.name, "number": identity.number, "made": iso(identity.made),
            "revised": iso(identity.revised), "effective": iso(identity.effective),
            "approved_by": identity.approved_by, "approver_name": identity.approver_name,
            "approver_nip": identity.approver_nip, "note": identity.note,
            "note_en": identity.note_en}


def guest_view(entry: GuestEntry | None, role: Role) -> dict[str, Any] | None:
    """A guest book entry: NIK always masked; phone and health data only for roles that need them."""
    if entry is None:
        return None
    view: dict[str, Any] = {"id": entry.id, "day": iso(entry.day), "aids": entry.aids,
                            "purged": entry.purged_at is not None}
    if role in IDENTITY_READERS:
        view.update(name=entry.name, nik_masked=mask_nik(entry.nik),
                    institution=entry.institution, purpose=entry.purpose,
                    companion=entry.companion, guardian_name=entry.guardian_name,
                    guardian_relation=entry.guardian_relation,
                    guardian_consent=entry.guardian_consent,
                    nik_warnings=nik_warnings(entry.nik))
    if role in PHONE_READERS:
        view["phone"] = entry.phone
    if role in HEALTH_READERS:
        view.update(category=entry.category, kinds=entry.kinds,
                    communication=entry.communication or [], notice_mode=entry.notice_mode,
                    consent_by=entry.consent_by)
    return view


def request_view(request: InfoRequest | None, service: ProcedureService, today: date,
                 visitor_present: bool | None = None,
                 role: Role | None = None) -> dict[str, Any] | None:
    """A request; the requester's name, address and e-mail only for the roles working it."""
    if request is None:
        return None
    names = service.config.services.get(request.service)
    view = {
        "id": request.id, "number": request.number, "visit_id": request.visit_id,
        "service": request.service, "service_name": names.name if names else request.service,
        "subject": request.subject, "requirements": request.requirements,
        "requirements_complete": request.requirements_complete, "fee": 0,
        "same_day": request.same_day, "status": request.status.value,
        "received_at": iso(request.received_at), "due_internal": iso(request.due_internal),
        "due_statutory": iso(request.due_statutory),
        "statutory_limit": iso(statutory_limit(request, service)),
        "extension_days": request.extension_days, "extension_reason": request.extension_reason,
        "result": request.result, "result_at": iso(request.result_at),
        "handed_over_at": iso(request.handed_over_at), "overdue": is_overdue(request, today),
        "visitor_present": visitor_present,
        "past_statutory_limit": past_statutory_limit(request, service, today),
        "format": request.info_format.value if request.info_format else None,
        "delivery": request.delivery.value if request.delivery else None,
        "proof_print_job_id": request.proof_print_job_id,
        "refused": request.refused_at is not None, "refused_at": iso(request.refused_at),
        "refusal_article": request.refusal_article, "refusal_reason": request.refusal_reason}
    if role in REQUESTER_READERS:
        view.update(requester_name=request.requester_name,
                    requester_address=request.requester_address,
                    requester_email=request.requester_email)
    return view


def objection_view(objection: Objection, request: InfoRequest | None,
                   today: date) -> dict[str, Any]:
    return {"id": objection.id, "number": objection.number, "request_id": objection.request_id,
            "request_number": request.number if request else None,
            "day": iso(objection.day), "ground": objection.ground,
            "ground_text": OBJECTION_GROUNDS.get(objection.ground), "note": objection.note,
            "received_at": iso(objection.received_at), "due_date": iso(objection.due_date),
            "past_due_date": today > objection.due_date}


def step_view(step: Step, record: StepRecord | None, names: dict[int, str],
              now: datetime) -> dict[str, Any]:
    view: dict[str, Any] = {
        "position": step.position, "key": step.key, "name": step.name, "name_en": step.name_en,
        "short_name": step.short_name, "short_name_en": step.short_name_en,
        "role": step.role, "recorded_by": [role.value for role in step.recorded_by],
        "skip_by": [role.value for role in step.skip_by], "standard": step.standard_text(),
        "standard_seconds": step.standard_seconds, "equipment": list(step.equipment),
        "output": step.output, "records": [kind.value for kind in step.records],
        "started_at": None, "ended_at": None, "due_at": None, "waiting_for_visitor": False}
    if record is None:
        return view
    end = record.ended_at or now
    view.update(
        started_at=iso(record.started_at), ended_at=iso(record.ended_at),
        due_at=iso(record.due_at), waiting_for_visitor=record.started_at is None,
        duration_seconds=int((end - record.started_at).total_seconds())
        if record.started_at else None,
        running_late=record.ended_at is None and record.due_at is not None
        and now > record.due_at,
        acknowledged_at=iso(record.acknowledged_at),
        acknowledged_by=names.get(record.acknowledged_by),
        assigned_to=names.get(record.assigned_to), assigned_to_id=record.assigned_to,
        completed_by=names.get(record.completed_by), details=record.details or {})
    return view


def deviation_view(deviation: Deviation, names: dict[int, str],
                   service: ProcedureService) -> dict[str, Any]:
    step = service.procedure.step(deviation.step_key)
    return {"id": deviation.id, "visit_id": deviation.visit_id, "step": deviation.step_key,
            "step_name": step.name if step else deviation.step_key, "role": deviation.role,
            "responsible": names.get(deviation.responsible_user_id),
            "responsible_id": deviation.responsible_user_id, "day": iso(deviation.day),
            "standard_seconds": deviation.standard_seconds,
            "actual_seconds": deviation.actual_seconds, "over_seconds": deviation.over_seconds,
            "over_working_days": deviation.over_working_days,
            "recorded_at": iso(deviation.recorded_at)}


def visit_summary(session: Session, service: ProcedureService, visit: Visit, role: Role,
                  names: dict[int, str], now: datetime) -> dict[str, Any]:
    """A visit as the role's list shows it: current step, ticket, guest, request."""
    step = service.step_at(visit.position)
    record = service.record(session, visit, visit.position) if step else None
    rows = {t.id: t for t in session.scalars(select(Ticket).where(
        Ticket.id.in_([i for i in (visit.ticket_id, visit.pickup_ticket_id) if i])))}
    tickets = {ticket_id: ticket.number for ticket_id, ticket in rows.items()}
    # The ticket the visit goes by now (the pick-up's once issued), and where it stands.
    open_ticket = rows.get(visit.pickup_ticket_id or visit.ticket_id)
    entry = session.scalar(select(GuestEntry).where(GuestEntry.visit_id == visit.id))
    request = service.request_of(session, visit)
    jobs = {job.ticket_id: job.id for job in session.scalars(select(PrintJob).where(
        PrintJob.ticket_id.in_(list(tickets)), PrintJob.kind == JobKind.TICKET.value)
        .order_by(PrintJob.id))}
    receipt = session.scalar(select(InformationReceipt).where(
        InformationReceipt.visit_id == visit.id))
    current = step_view(step, record, names, now) if step else None
    if current is not None:
        current["ticks"] = {tick.item: tick.provided for tick in session.scalars(
            select(EquipmentTick).where(EquipmentTick.step_record_id == record.id))
        } if record is not None else {}
    return {
        "id": visit.id, "day": iso(visit.day), "status": visit.status.value,
        "position": visit.position, "present": visit.present, "aids": visit.aids,
        "arrival_note": visit.arrival_note, "created_at": iso(visit.created_at),
        "completed_at": iso(visit.completed_at), "left_at": iso(visit.left_at),
        "returned_at": iso(visit.returned_at), "cancel_reason": visit.cancel_reason,
        "ticket": tickets.get(visit.ticket_id), "pickup_ticket": tickets.get(
            visit.pickup_ticket_id),
        "ticket_status": open_ticket.status.value if open_ticket else None,
        "ticket_counter": open_ticket.counter if open_ticket else None,
        "print_jobs": {"ticket": jobs.get(visit.ticket_id),
                       "pickup_ticket": jobs.get(visit.pickup_ticket_id),
                       "receipt": receipt.print_job_id if receipt else None},
        "receipt": receipt.number if receipt else None,
        "step": current,
        "guest": guest_view(entry, role),
        "request": request_view(request, service, service.local_day(now), visit.present, role)
        if role != Role.SECURITY else None}


def escort_view(call: EscortCall, names: dict[int, str]) -> dict[str, Any]:
    return {"id": call.id, "visit_id": call.visit_id, "kind": call.kind.value,
            "aids": call.aids, "step_record_id": call.step_record_id,
            "requested_at": iso(call.requested_at), "requested_by": names.get(call.requested_by),
            "acknowledged_at": iso(call.acknowledged_at),
            "acknowledged_by": names.get(call.acknowledged_by), "done_at": iso(call.done_at),
            "done_by": names.get(call.done_by),
            "place": call.place.value if call.place else None}


def timeline(session: Session, service: ProcedureService, visit: Visit,
             role: Role, now: datetime) -> dict[str, Any]:
    """The whole visit read back: every step with who, when, deviations and reassignments."""
    names = user_names(session)
    records = {r.position: r for r in session.scalars(
        select(StepRecord).where(StepRecord.visit_id == visit.id))}
    by_record = {r.id: r.position for r in records.values()}
    deviations = {by_record[d.step_record_id]: d for d in session.scalars(
        select(Deviation).where(Deviation.visit_id == visit.id))}
    reassignments: dict[int, list] = {}
    for item in session.scalars(select(Reassignment).where(Reassignment.visit_id == visit.id)
                                .order_by(Reassignment.id)):
        reassignments.setdefault(by_record[item.step_record_id], []).append({
            "from": names.get(item.from_user_id), "to": names.get(item.to_user_id),
            "letter_reference": item.letter_reference, "reason": item.reason,
            "by": names.get(item.by_user_id), "at": iso(item.at)})
    ticks: dict[int, list] = {}
    for tick in session.scalars(select(EquipmentTick).where(
            EquipmentTick.step_record_id.in_(list(by_record))).order_by(EquipmentTick.id)):
        ticks.setdefault(by_record[tick.step_record_id], []).append({
            "item": tick.item, "provided": tick.provided, "by": names.get(tick.by_user_id),
            "at": iso(tick.at)})
    steps = []
    for step in service.procedure.steps:
        view = step_view(step, records.get(step.position), names, now)
        deviation = deviations.get(step.position)
        view["deviation"] = deviation_view(deviation, names, service) if deviation else None
        view["reassignments"] = reassignments.get(step.position, [])
        view["equipment_ticks"] = ticks.get(step.position, [])
        steps.append(view)
    receipt = session.scalar(select(InformationReceipt).where(
        InformationReceipt.visit_id == visit.id))
    escorts = session.scalars(select(EscortCall).where(EscortCall.visit_id == visit.id)
                              .order_by(EscortCall.id))
    return {
        "procedure": identity_view(service.procedure.identity),
        "visit": visit_summary(session, service, visit, role, names, now), "steps": steps,
        "deviation_count": len(deviations),
        "receipt": {"number": receipt.number, "items": receipt.items,
                    "handed_over_at": iso(receipt.handed_over_at),
                    "officer": names.get(receipt.officer_id),
                    "print_job_id": receipt.print_job_id} if receipt else None,
        "escorts": [escort_view(call, names) for call in escorts]}
