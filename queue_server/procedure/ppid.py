"""PPID work on requests: due dates, the one statutory extension, and the pick-up ticket."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.errors import DomainError
from queue_server.platform.transactions import Outcome
from queue_server.platform.validation import checked_text
from queue_server.procedure.errors import conflict, forbidden, invalid, not_found
from queue_server.procedure.events import visit_event
from queue_server.procedure.models import GuestEntry, InfoRequest, RequestStatus, Visit, VisitStatus

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService


def statutory_limit(request: InfoRequest, service: ProcedureService) -> date:
    """The legal deadline: 10 working days, plus the extension when one was given."""
    if request.extension_days:
        return service.working_day_after(request.due_statutory, request.extension_days)
    return request.due_statutory


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
    """Extend the statutory limit once, by up to 7 working days, with a written reason."""
    if actor.role not in (Role.PPID, Role.ADMIN):
        raise forbidden("Only the PPID team extends a request's deadline")
    request = session.get(InfoRequest, request_id, with_for_update=True)
    if request is None:
        raise not_found(f"No request {request_id}")
    limit = service.settings.ppid.extension_working_days
    if request.extension_days:
        raise conflict(f"Request {request.number} was already extended once")
    if request.status != RequestStatus.IN_PROCESS:
        raise conflict(f"Request {request.number} already has its result")
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
