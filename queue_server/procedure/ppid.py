"""PPID work on requests: due dates, the one extension, refusals, objections, pick-up."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.errors import DomainError
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text
from queue_server.procedure.calendar import count_from, years_without_holidays
from queue_server.procedure.errors import conflict, forbidden, invalid, not_found
from queue_server.procedure.events import visit_event
from queue_server.procedure.models import (
    GuestEntry,
    InfoRequest,
    Objection,
    RequestStatus,
    Visit,
    VisitStatus,
)
from queue_server.procedure.settings import RecordKind

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService

WORKERS = (Role.PPID, Role.ADMIN)
# UU 14/2008 Pasal 17: the information exempted, huruf a to j.
EXEMPTIONS = tuple("abcdefghij")
# Pasal 35 ayat (1): the grounds of an objection, huruf a to g.
OBJECTION_GROUNDS = {
    "a": "Penolakan berdasarkan alasan pengecualian Pasal 17",
    "b": "Tidak disediakannya informasi berkala (Pasal 9)",
    "c": "Tidak ditanggapinya permintaan informasi",
    "d": "Permintaan informasi ditanggapi tidak sebagaimana yang diminta",
    "e": "Tidak dipenuhinya permintaan informasi",
    "f": "Pengenaan biaya yang tidak wajar",
    "g": "Penyampaian informasi melebihi waktu yang diatur",
}


def holiday_gaps(service: ProcedureService, today: date) -> list[int]:
    """Years a deadline counted from today can reach that list no holiday at all."""
    ppid = service.settings.ppid
    longest = max(ppid.statutory_working_days + ppid.extension_working_days,
                  ppid.objection_working_days)
    # Count as if no holidays: the furthest a deadline from today can reach in weekdays.
    horizon = count_from(today, longest, ())
    return years_without_holidays(today, horizon, service.settings.holidays)


def statutory_limit(request: InfoRequest, service: ProcedureService) -> date:
    """The legal deadline: 10 working days, plus the extension when one was given."""
    if request.extension_days:
        return service.working_day_after(request.due_statutory, request.extension_days)
    return request.due_statutory


def answered_on(request: InfoRequest, service: ProcedureService) -> date | None:
    """The day the request got its answer: the result, or the refusal."""
    moments = [m for m in (request.result_at, request.refused_at) if m is not None]
    return service.local_day(min(moments)) if moments else None


def past_statutory_limit(request: InfoRequest, service: ProcedureService, today: date) -> bool:
    """Answered after the legal limit, or still unanswered with the limit passed."""
    return (answered_on(request, service) or today) > statutory_limit(request, service)


def open_requests(session: Session, service: ProcedureService,
                  today: date) -> list[InfoRequest]:
    """Requests not yet handed over: overdue first (oldest due first), then by due date."""
    rows = session.scalars(select(InfoRequest).where(
        InfoRequest.status != RequestStatus.HANDED_OVER)
        .join(Visit, Visit.id == InfoRequest.visit_id)
        .where(Visit.status == VisitStatus.ACTIVE)).all()
    return sorted(rows, key=lambda r: (not is_overdue(r, today), r.due_internal, r.id))


def is_overdue(request: InfoRequest, today: date) -> bool:
    """Past the internal target with no result yet."""
    return request.status == RequestStatus.IN_PROCESS and today > request.due_internal


def extend(session: Session, service: ProcedureService, actor: Identity, request_id: int,
           days: int, reason: str) -> Outcome:
    """Extend the statutory limit once, by up to 7 working days, with a written reason.

    Only before the 10 working days have passed (Pasal 22 ayat (8)): after it, 409.
    """
    if actor.role not in WORKERS:
        raise forbidden("Only the PPID team extends a request's deadline")
    request = session.get(InfoRequest, request_id, with_for_update=True)
    if request is None:
        raise not_found(f"No request {request_id}")
    limit = service.settings.ppid.extension_working_days
    if request.extension_days:
        raise conflict(f"Request {request.number} was already extended once")
    if request.status != RequestStatus.IN_PROCESS or request.refused_at is not None:
        raise conflict(f"Request {request.number} already has its result")
    today = service.local_day(service.clock())
    if today > request.due_statutory:
        raise conflict(f"The {service.settings.ppid.statutory_working_days}-working-day limit "
                       f"of request {request.number} passed on "
                       f"{request.due_statutory.isoformat()}; an extension must be given "
                       f"before it")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
        raise invalid(f"days must be 1 to {limit} working days")
    if not (reason or "").strip():
        raise invalid("A written reason is required to extend the deadline")
    request.extension_days = days
    request.extension_reason = checked_text(reason, "reason", 2000)
    request.extended_at, request.extended_by = service.clock(), actor.user_id
    visit = session.get(Visit, request.visit_id)
    return Outcome(None, [visit_event(visit, service.step_at(visit.position))],
                   view={"id": request.id})


def pickup(session: Session, service: ProcedureService, actor: Identity, request_id: int,
           escort: bool, station: str | None = None) -> Outcome:
    """The visitor came back for the result: a priority ticket linked to the request."""
    if actor.role not in (Role.RECEPTIONIST, Role.ADMIN):
        raise forbidden("Only reception issues the pick-up ticket")
    request = session.get(InfoRequest, request_id)
    if request is None:
        raise not_found(f"No request {request_id}")
    visit = service.visit(session, request.visit_id, lock=True)
    if visit.status != VisitStatus.ACTIVE or request.status == RequestStatus.HANDED_OVER:
        raise conflict(f"Request {request.number} is already handed over")
    if visit.present:
        raise conflict(f"The visitor of request {request.number} has not gone home")
    entry = session.scalar(select(GuestEntry).where(GuestEntry.visit_id == visit.id))
    if entry is None:
        raise conflict(f"Request {request.number} has no guest book entry")
    category = service.settings.guest_book.categories[entry.category]
    try:
        # Escorted in by security: held out of the waiting line, called quietly.
        issued = service.queue.issuing.issue(session, actor.user_id, request.service,
                                             category.queue_category, station, held=escort)
    except DomainError as exc:
        raise invalid(exc.message) from None
    visit.pickup_ticket_id = issued.ticket.id
    events = issued.events + service.actions.come_back(session, visit, actor, escort, service.clock())
    return Outcome(issued.ticket, events, view={"id": visit.id, "ticket": issued.view})


def refuse(session: Session, service: ProcedureService, actor: Identity, request_id: int,
           article: str, reason: str) -> Outcome:
    """Refuse: the information is exempted under Pasal 17 (the letter) for a written reason.

    The refusal is the request's answer: the PPID step ends with the written notice as its
    result, and the counter hands the notice over like any result.
    """
    if actor.role not in WORKERS:
        raise forbidden("Only the PPID team refuses a request")
    request = session.get(InfoRequest, request_id, with_for_update=True)
    if request is None:
        raise not_found(f"No request {request_id}")
    if request.status != RequestStatus.IN_PROCESS or request.refused_at is not None:
        raise conflict(f"Request {request.number} already has its result")
    letter = (article or "").strip().lower()
    if letter not in EXEMPTIONS:
        raise invalid(f"article must be the letter of UU 14/2008 Pasal 17: one of "
                      f"{', '.join(EXEMPTIONS)}")
    reason = checked_text(reason, "reason", 4000, required=True)
    step = service.procedure.step_with(RecordKind.SERVICE_RESULT)
    notice = f"Permohonan ditolak: informasi dikecualikan (UU 14/2008 Pasal 17 huruf " \
             f"{letter}). {reason}"
    outcome = service.complete(session, actor, request.visit_id, step.key, {"result": notice}) \
        if step is not None else Outcome(None, [])
    request.refused_at, request.refused_by = service.clock(), actor.user_id
    request.refusal_article, request.refusal_reason = letter, reason
    return Outcome(None, outcome.events, view={"id": request.id})


def lodge_objection(session: Session, service: ProcedureService, actor: Identity,
                    request_id: int, ground: str, note: str | None) -> Outcome:
    """Register a keberatan (Pasal 35-36): its own number, due in 30 working days."""
    if actor.role not in (*WORKERS, Role.OFFICER):
        raise forbidden("The PPID team or the counter registers an objection")
    request = session.get(InfoRequest, request_id)
    if request is None:
        raise not_found(f"No request {request_id}")
    code = (ground or "").strip().lower()
    if code not in OBJECTION_GROUNDS:
        raise invalid(f"ground must be the letter of UU 14/2008 Pasal 35 ayat (1): one of "
                      f"{', '.join(OBJECTION_GROUNDS)}")
    from queue_server.procedure.outputs import document_number  # outputs imports this module

    now = service.clock()
    day = service.local_day(now)
    objection = Objection(
        number=document_number(session, "KBR", day), request_id=request.id, day=day,
        ground=code, note=checked_text(note, "note", 4000), received_at=now,
        received_by=actor.user_id,
        due_date=service.deadline(day, service.settings.ppid.objection_working_days))
    session.add(objection)
    session.flush()
    return Outcome(None, [], view={"id": objection.id, "number": objection.number})


def refusal_notice(request: InfoRequest, service: ProcedureService, now: datetime,
                   officer: str | None) -> str:
    """The written notice of a refusal (surat pemberitahuan tertulis), as plain text."""
    config = service.config
    lines = [config.office_name, config.office_unit,
             "PEMBERITAHUAN TERTULIS PENOLAKAN PERMOHONAN INFORMASI", "",
             f"Nomor permohonan : {request.number}",
             f"Tanggal permohonan : {request.day.isoformat()}",
             f"Nama pemohon : {request.requester_name or '-'}",
             f"Alamat pemohon : {request.requester_address or '-'}",
             f"Informasi yang dimohon : {request.subject}", "",
             "Informasi yang dimohon tidak dapat diberikan karena merupakan informasi yang "
             f"dikecualikan menurut UU 14/2008 Pasal 17 huruf {request.refusal_article}.",
             f"Alasan: {request.refusal_reason}", "",
             "Pemohon berhak mengajukan keberatan kepada atasan PPID dalam 30 hari kerja "
             "(UU 14/2008 Pasal 35-36).", "",
             f"Tanggal pemberitahuan : {service.local_day(request.refused_at or now).isoformat()}",
             f"PPID : {officer or '-'}"]
    return "\n".join(line for line in lines if line is not None) + "\n"


def reprint_proof(session: Session, service: ProcedureService, actor: Identity,
                  request_id: int, counter: str | None) -> Outcome:
    """Print the Bukti Permohonan Informasi again (the first was lost or jammed)."""
    if actor.role not in (*WORKERS, Role.OFFICER):
        raise forbidden("The counter or the PPID team reprints the proof of a request")
    request = session.get(InfoRequest, request_id, with_for_update=True)
    if request is None:
        raise not_found(f"No request {request_id}")
    visit = session.get(Visit, request.visit_id)
    events = service.outputs.print_proof(session, visit, request, actor, counter)
    return Outcome(None, events, view={"id": request.id, "job": request.proof_print_job_id})
