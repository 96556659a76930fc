"""Each step's output as a record: guest book, priority ticket, request, result, receipt."""
from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.platform.sequences import next_number
from queue_server.platform.validation import checked_text
from queue_server.procedure.errors import conflict, invalid
from queue_server.procedure.events import ESCORT_UPDATED, REQUEST_RETURNED
from queue_server.procedure.models import (
    Delivery,
    DocumentSequence,
    EscortCall,
    EscortPlace,
    GuestEntry,
    InfoFormat,
    InfoRequest,
    InformationReceipt,
    RequestStatus,
    StepRecord,
    Visit,
)
from queue_server.procedure.privacy import InvalidNik, mask_nik, normalise_nik, normalise_phone
from queue_server.procedure.sections import COMMUNICATION_NEEDS, CONSENT_BY, NOTICE_MODES
from queue_server.procedure.settings import RecordKind, Step

log = logging.getLogger(__name__)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
DAY_ONE_TEXT = {"next_working_day": "hari kerja berikutnya setelah permohonan diterima",
                "receipt_day": "hari permohonan diterima (bila hari kerja)"}


def text(data: dict, name: str, required: bool = False, limit: int = 200) -> str | None:
    """A trimmed text field; 422 when required and empty, or not text."""
    return checked_text(data.get(name), name, limit, required)


def codes(data: dict, name: str, allowed: set[str]) -> list[str]:
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(f"Field {name!r} must be a list of codes")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise invalid(f"Field {name!r} has unknown codes {unknown}; known: {sorted(allowed)}")
    return list(dict.fromkeys(value))


def choice(data: dict, name: str, kind):
    """An enum member from its value; 422 naming the field and the choices otherwise."""
    allowed = [member.value for member in kind]
    try:
        return kind(data.get(name))
    except ValueError:
        raise invalid(f"Field {name!r} must be one of {allowed}") from None


FORMAT_NAMES = {InfoFormat.SOFTCOPY: "Salinan elektronik (softcopy)",
                InfoFormat.HARDCOPY: "Salinan tercetak (hardcopy)",
                InfoFormat.VIEWING: "Melihat/membaca di tempat"}
DELIVERY_NAMES = {Delivery.IN_PERSON: "Diambil langsung", Delivery.POST: "Pos",
                  Delivery.EMAIL: "Surat elektronik (e-mail)"}


def requester(body: dict, entry: GuestEntry | None) -> dict[str, Any]:
    """Pasal 22 ayat (2): the requester's name and address, the form and the delivery."""
    name = text(body, "requester_name") or (entry.name if entry else None)
    if not name:
        raise invalid("Field 'requester_name' is required (no guest book name to use)")
    fields = {"requester_name": name,
              "requester_address": text(body, "requester_address", True, 1000),
              "info_format": choice(body, "format", InfoFormat),
              "delivery": choice(body, "delivery", Delivery),
              "requester_email": text(body, "requester_email")}
    email = fields["requester_email"]
    if fields["delivery"] is Delivery.EMAIL and not email:
        raise invalid("Field 'requester_email' is required when delivery is 'email'")
    if email and ("@" not in email or " " in email):
        raise invalid("Field 'requester_email' must be an e-mail address")
    return fields


def document_number(session: Session, kind: str, day: date) -> str:
    """KIND-YYYYMMDD-NNN, gapless per day (the ticket numbers' sequence helper)."""
    sequence = next_number(session, DocumentSequence, kind=kind, day=day)
    return f"{kind}-{day:%Y%m%d}-{sequence:03d}"


class OutputRecorder:
    """Write the records a step produces; called inside the step's transaction."""

    def __init__(self, service):
        self.service = service

    def record(self, session: Session, visit: Visit, step: Step, record: StepRecord,
               actor: Identity, data: dict[str, Any], now: datetime) -> list[Event]:
        handlers = {RecordKind.GUEST_LIST: self._guest, RecordKind.PRIORITY_QUEUE_LIST:
                    self._ticket, RecordKind.REQUEST_LIST: self._request,
                    RecordKind.SERVICE_RESULT: self._result,
                    RecordKind.INFORMATION_RECEIPT: self._receipt,
                    RecordKind.SATISFACTION_SURVEY: self._survey}
        events: list[Event] = []
        for kind in step.records:
            events += handlers[kind](session, visit, record, actor, data, now)
        if step.role == Role.SECURITY.value:
            events += self._escort_done(session, visit, record, actor, data, now)
        return events

    def guest(self, session: Session, visit: Visit) -> GuestEntry | None:
        return session.scalar(select(GuestEntry).where(GuestEntry.visit_id == visit.id))

    def _guest(self, session, visit, record, actor, data, now) -> list[Event]:
        body = data.get("guest")
        if not isinstance(body, dict):
            raise invalid("The guest book entry (guest) is required for this step")
        book = self.service.settings.guest_book
        category = book.categories.get(body.get("category") or "")
        if category is None:
            raise invalid(f"Field 'category' must be one of {sorted(book.categories)}")
        nik, phone = self._nik_and_phone(body, data.get("service") in book.nik_required_for)
        kinds = codes(body, "kinds", {kind.code for kind in category.kinds})
        if category.kinds and not kinds:
            raise invalid(f"Pick at least one kind for {category.name}")
        aids = codes(body, "aids", {aid.code for aid in book.aids})
        communication = codes(body, "communication", {need.code for need in COMMUNICATION_NEEDS})
        guardian = text(body, "guardian_name")
        if category.child and not (guardian and body.get("guardian_consent") is True):
            raise invalid("A child's entry needs the guardian's name and consent")
        notice_mode, consent_by = self._perceivable_notice(
            body, bool(category.kinds or communication), guardian)
        entry = GuestEntry(
            visit_id=visit.id, day=self.service.local_day(now),
            name=text(body, "name", required=True), nik=nik, phone=phone,
            institution=text(body, "institution"), purpose=text(body, "purpose", True, 1000),
            category=category.code, kinds=kinds, aids=aids, companion=text(body, "companion"),
            guardian_name=guardian if category.child or consent_by == "guardian" else None,
            guardian_relation=text(body, "guardian_relation", limit=64)
            if category.child or consent_by == "guardian" else None,
            guardian_consent=bool(category.child and guardian) or consent_by == "guardian",
            communication=communication, notice_mode=notice_mode, consent_by=consent_by,
            created_at=now, created_by=actor.user_id)
        session.add(entry)
        visit.aids = list(dict.fromkeys([*visit.aids, *aids]))
        log.info("guest book entry for visit %s (NIK %s)", visit.id, mask_nik(nik))
        return []

    @staticmethod
    def _nik_and_phone(body: dict, nik_required: bool) -> tuple[str | None, str | None]:
        """The NIK (required only for the services that need it) and the phone, checked."""
        given = str(body.get("nik") or "").strip()
        try:
            nik = normalise_nik(given) if given or nik_required else None
            return nik, normalise_phone(body.get("phone"))
        except (InvalidNik, ValueError) as exc:
            raise invalid(str(exc)) from None

    @staticmethod
    def _perceivable_notice(body: dict, disabled: bool,
                            guardian: str | None) -> tuple[str | None, str | None]:
        """UU 27/2022 Pasal 26: how a visitor with a disability got the notice, who consented."""
        if not disabled:
            return None, None
        mode, consent_by = body.get("notice_mode"), body.get("consent_by")
        if mode not in NOTICE_MODES:
            raise invalid(f"Field 'notice_mode' must be one of {list(NOTICE_MODES)} for a "
                          f"visitor with a disability (UU 27/2022 Pasal 26)")
        if consent_by not in CONSENT_BY:
            raise invalid(f"Field 'consent_by' must be one of {list(CONSENT_BY)} for a "
                          f"visitor with a disability (UU 27/2022 Pasal 26)")
        if consent_by == "guardian" and not guardian:
            raise invalid("A guardian's consent needs the guardian's name")
        return mode, consent_by

    def _ticket(self, session, visit, record, actor, data, now) -> list[Event]:
        entry = self.guest(session, visit)
        if entry is None:
            raise conflict("The guest book entry must come before the priority ticket")
        category = self.service.settings.guest_book.categories[entry.category]
        service = text(data, "service", required=True, limit=32)
        # Held out of the waiting line while staff walk the visitor to the counter.
        held = self.service.tickets.escorted_after(self.service.step_named(record.step_key))
        try:
            outcome = self.service.queue.issuing.issue(
                session, actor.user_id, service, category.queue_category,
                text(data, "station", limit=64), held=held)
        except DomainError as exc:
            raise invalid(exc.message) from None
        visit.ticket_id = outcome.ticket.id
        record.details = {**(record.details or {}), "ticket": outcome.ticket.number}
        return outcome.events

    def _request(self, session, visit, record, actor, data, now) -> list[Event]:
        body = data.get("request")
        if not isinstance(body, dict):
            raise invalid("The request (request) is required for this step")
        config = self.service.config
        code = text(body, "service", limit=32)
        if code is None and visit.ticket_id is not None:
            from queue_server.tickets.models import Ticket
            code = session.get(Ticket, visit.ticket_id).service
        if code not in config.services:
            raise invalid(f"Field 'service' must be one of {sorted(config.services)}")
        checklist = body.get("requirements") or {}
        service = config.services[code]
        if not isinstance(checklist, dict) or any(k not in service.requirements
                                                  for k in checklist):
            raise invalid(f"requirements must map items of {list(service.requirements)} "
                          f"to true or false")
        ticks = {item: checklist.get(item) is True for item in service.requirements}
        who = requester(body, self.guest(session, visit))
        same_day = body.get("same_day") is True
        day = self.service.local_day(now)
        step = self.service.procedure.step_with(RecordKind.SERVICE_RESULT)
        target = step.working_days[1] if step and step.working_days else 0
        ppid = self.service.settings.ppid
        request = InfoRequest(
            number=document_number(session, "PMH", day), visit_id=visit.id, day=day, service=code,
            subject=text(body, "subject", True, 2000), requirements=ticks,
            requirements_complete=all(ticks.values()), same_day=same_day,
            status=RequestStatus.IN_PROCESS, received_at=now, received_by=actor.user_id,
            due_internal=day if same_day else self.service.working_day_after(day, target),
            due_statutory=self.service.deadline(day, ppid.statutory_working_days), **who)
        session.add(request)
        session.flush()
        record.details = {**(record.details or {}), "request": request.number, "fee": 0}
        try:
            return self.print_proof(session, visit, request, actor,
                                    text(data, "counter", limit=32))
        except DomainError as exc:
            # The request stands without paper; the counter page offers a reprint.
            log.warning("request %s: no proof printed: %s", request.number, exc.message)
            return []

    def print_proof(self, session, visit, request, actor, counter=None) -> list[Event]:
        """The Bukti Permohonan Informasi (Pasal 22 ayat (4)) on the counter's printer.

        Number, date, subject, the statutory due date and the office: never the NIK, name
        or address.
        """
        ticket_id = visit.pickup_ticket_id or visit.ticket_id
        if ticket_id is None:
            raise conflict(f"Request {request.number} has no ticket to print the proof for")
        from queue_server.printing.requests import receipt_for_ticket
        config = self.service.config
        ppid = self.service.settings.ppid
        due = request.due_statutory
        details = [("Unit", config.office_unit or config.office_name),
                   ("Informasi yang dimohon", request.subject),
                   ("Bentuk informasi", FORMAT_NAMES.get(request.info_format, "-")),
                   ("Cara penyampaian", DELIVERY_NAMES.get(request.delivery, "-")),
                   ("Batas waktu jawaban", f"{due.day} {MONTHS[due.month - 1]} {due.year} "
                                           f"({ppid.statutory_working_days} hari kerja, "
                                           f"UU 14/2008 Pasal 22 ayat (7))"),
                   ("Hari ke-1", DAY_ONE_TEXT[ppid.day_one])]
        outcome = receipt_for_ticket(
            session, self.service.queue, ticket_id=ticket_id, request_number=request.number,
            officer_name=actor.display_name, counter=counter, service=request.service,
            title="BUKTI PERMOHONAN INFORMASI", details=details)
        request.proof_print_job_id = (outcome.view or {}).get("id")
        return outcome.events

    def _result(self, session, visit, record, actor, data, now) -> list[Event]:
        request = self.service.request_of(session, visit)
        if request is None:
            raise conflict("There is no request to give a result for")
        request.result = text(data, "result", True, 4000)
        request.result_at, request.result_by = now, actor.user_id
        request.status = RequestStatus.RESULT_READY
        return [Event(REQUEST_RETURNED, {"request_id": request.id, "number": request.number,
                                         "visit_id": visit.id})]

    def _receipt(self, session, visit, record, actor, data, now) -> list[Event]:
        request = self.service.request_of(session, visit)
        if request is None:
            raise conflict("There is no request to hand over")
        if request.result is None:
            request.result = text(data, "result", limit=4000)
            if request.result is None:
                raise conflict(f"Request {request.number} has no result to hand over yet")
            request.result_at, request.result_by = now, actor.user_id
        items = data.get("items") or [request.subject]
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip()
                                                  for i in items):
            raise invalid("items must be a list of text lines")
        entry = self.guest(session, visit)
        receipt = InformationReceipt(
            number=document_number(session, "TTI", self.service.local_day(now)),
            request_id=request.id, visit_id=visit.id, day=self.service.local_day(now),
            items=[checked_text(i, 'items', 300, True) for i in items], officer_id=actor.user_id,
            recipient_name=entry.name if entry else None, handed_over_at=now)
        session.add(receipt)
        request.status, request.handed_over_at = RequestStatus.HANDED_OVER, now
        record.details = {**(record.details or {}), "receipt": receipt.number}
        return self._print_receipt(session, visit, request, receipt, actor, data, record)

    def _print_receipt(self, session, visit, request, receipt, actor, data, record):
        ticket_id = visit.pickup_ticket_id or visit.ticket_id
        if ticket_id is None:
            record.details = {**record.details, "print": "no ticket to label the receipt with"}
            return []
        from queue_server.printing.requests import receipt_for_ticket
        try:
            outcome = receipt_for_ticket(
                session, self.service.queue, ticket_id=ticket_id, request_number=request.number,
                officer_name=actor.display_name, counter=text(data, "counter", limit=32),
                service=request.service, items=receipt.items)
        except DomainError as exc:
            # The hand-over stands without paper; the page offers a reprint later.
            record.details = {**record.details, "print": exc.message}
            return []
        receipt.print_job_id = (outcome.view or {}).get("id")
        return outcome.events

    def _survey(self, session, visit, record, actor, data, now) -> list[Event]:
        # Only whether a survey was filled: answers stay anonymous, never linked here.
        record.details = {**(record.details or {}),
                          "survey_filled": data.get("survey_filled", True) is not False}
        return []

    def _escort_done(self, session, visit, record, actor, data, now) -> list[Event]:
        place = data.get("place")
        try:
            place = EscortPlace(place) if place else None
        except ValueError:
            raise invalid(f"place must be one of {[p.value for p in EscortPlace]}") from None
        call = session.scalar(select(EscortCall).where(EscortCall.step_record_id == record.id))
        if call is None:
            return []
        call.done_at, call.done_by, call.place = now, actor.user_id, place
        if call.acknowledged_at is None:
            call.acknowledged_at, call.acknowledged_by = now, actor.user_id
        record.details = {**(record.details or {}), "place": place.value if place else None}
        return [Event(ESCORT_UPDATED, {"call_id": call.id, "visit_id": visit.id})]
