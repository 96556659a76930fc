"""Step outputs listed per day, and CSV exports headed by the procedure's identity."""
from __future__ import annotations

import re
from collections.abc import Iterable
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
from queue_server.auth.models import Role
from queue_server.procedure.models import GuestEntry, InfoRequest, InformationReceipt, Visit
from queue_server.procedure.names import Names
from queue_server.procedure.ppid import past_statutory_limit, statutory_limit
from queue_server.procedure.privacy import mask_nik
from queue_server.procedure.settings import RecordKind
from queue_server.procedure.skm import Element
from queue_server.procedure.survey import responses_between
from queue_server.procedure.views import user_names
from queue_server.tickets.models import Ticket
from queue_server.web.csv_export import csv_text, plain
from queue_server.web.i18n import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService

TITLES = {
    RecordKind.GUEST_LIST: "Daftar tamu",
    RecordKind.PRIORITY_QUEUE_LIST: "Daftar antrean prioritas",
    RecordKind.REQUEST_LIST: "Daftar permohonan",
    RecordKind.SERVICE_RESULT: "Hasil layanan",
    RecordKind.INFORMATION_RECEIPT: "Tanda terima informasi",
    RecordKind.SATISFACTION_SURVEY: "Survei kepuasan layanan",
}
READERS = {
    RecordKind.GUEST_LIST: {Role.ADMIN, Role.RECEPTIONIST},
    RecordKind.PRIORITY_QUEUE_LIST: {Role.ADMIN, Role.RECEPTIONIST, Role.OFFICER},
    RecordKind.REQUEST_LIST: {Role.ADMIN, Role.OFFICER, Role.PPID},
    RecordKind.SERVICE_RESULT: {Role.ADMIN, Role.OFFICER, Role.PPID},
    RecordKind.INFORMATION_RECEIPT: {Role.ADMIN, Role.OFFICER, Role.PPID},
    RecordKind.SATISFACTION_SURVEY: {Role.ADMIN},
}


def _time(service: ProcedureService, moment: datetime | None) -> str:
    return moment.astimezone(service.config.tz).strftime("%H:%M:%S") if moment else ""


def guest_rows(session: Session, service: ProcedureService, day: date, role: Role):
    for entry in session.scalars(select(GuestEntry).where(GuestEntry.day == day)
                                 .order_by(GuestEntry.id)):
        row: dict[str, Any] = {"waktu": _time(service, entry.created_at),
                               "kunjungan": entry.visit_id}
        if role in IDENTITY_READERS:
            row.update(nama=entry.name, nik=mask_nik(entry.nik), instansi=entry.institution,
                       keperluan=entry.purpose, pendamping=entry.companion,
                       wali=entry.guardian_name, persetujuan_wali=entry.guardian_consent)
        if role in PHONE_READERS:
            row["telepon"] = entry.phone
        if role in HEALTH_READERS:
            row.update(kategori=entry.category, jenis=", ".join(entry.kinds),
                       kebutuhan_komunikasi=", ".join(entry.communication or []),
                       cara_pemberitahuan=entry.notice_mode, persetujuan_oleh=entry.consent_by)
        row["alat_bantu"] = ", ".join(entry.aids)
        yield row


def queue_rows(session: Session, service: ProcedureService, day: date, role: Role):
    visits = {v.ticket_id: v.id for v in session.scalars(select(Visit).where(
        Visit.ticket_id.is_not(None)))}
    visits.update({v.pickup_ticket_id: v.id for v in session.scalars(select(Visit).where(
        Visit.pickup_ticket_id.is_not(None)))})
    tickets = session.scalars(select(Ticket).where(Ticket.day == day, Ticket.priority > 0)
                              .order_by(Ticket.id))
    for ticket in tickets:
        row = {"waktu": _time(service, ticket.created_at), "nomor": ticket.number,
               "layanan": ticket.service, "kunjungan": visits.get(ticket.id),
               "dipanggil": _time(service, ticket.called_at), "loket": ticket.counter,
               "status": ticket.status.value}
        if role in HEALTH_READERS:
            row["kategori"] = ticket.category
        yield row


def request_rows(session: Session, service: ProcedureService, day: date, role: Role):
    names = user_names(session)
    today = service.local_day(service.clock())
    for request in session.scalars(select(InfoRequest).where(InfoRequest.day == day)
                                   .order_by(InfoRequest.id)):
        row: dict[str, Any] = {"nomor": request.number,
                               "waktu": _time(service, request.received_at),
                               "kunjungan": request.visit_id, "layanan": request.service}
        if role in REQUESTER_READERS:  # Pasal 22 ayat (2): who asks and where they live
            row.update(nama_pemohon=request.requester_name,
                       alamat_pemohon=request.requester_address,
                       email_pemohon=request.requester_email)
        yield row | {
               "permohonan": request.subject,
               "bentuk_informasi": request.info_format.value if request.info_format else "",
               "cara_penyampaian": request.delivery.value if request.delivery else "",
               "persyaratan_lengkap": request.requirements_complete,
               "persyaratan": dict(request.requirements),
               "biaya": 0, "hari_yang_sama": request.same_day,
               "target_internal": request.due_internal.isoformat(),
               "batas_undang_undang": request.due_statutory.isoformat(),
               "perpanjangan_hari": request.extension_days or "",
               "alasan_perpanjangan": request.extension_reason or "",
               "batas_akhir": statutory_limit(request, service).isoformat(),
               "lewat_batas_undang_undang": past_statutory_limit(request, service, today),
               "ditolak_pasal_17": request.refusal_article or "",
               "alasan_penolakan": request.refusal_reason or "",
               "status": request.status.value, "petugas": names.get(request.received_by)}


def result_rows(session: Session, service: ProcedureService, day: date, role: Role):
    names = user_names(session)
    for request in session.scalars(select(InfoRequest).where(InfoRequest.result_at.is_not(None))
                                   .order_by(InfoRequest.result_at)):
        if service.local_day(request.result_at) == day:
            yield {"nomor": request.number, "waktu": _time(service, request.result_at),
                   "hasil": request.result, "petugas": names.get(request.result_by)}


def receipt_rows(session: Session, service: ProcedureService, day: date, role: Role):
    names = user_names(session)
    requests = {r.id: r.number for r in session.scalars(select(InfoRequest))}
    for receipt in session.scalars(select(InformationReceipt).where(
            InformationReceipt.day == day).order_by(InformationReceipt.id)):
        row = {"nomor": receipt.number, "waktu": _time(service, receipt.handed_over_at),
               "permohonan": requests.get(receipt.request_id),
               "informasi": "; ".join(receipt.items), "petugas": names.get(receipt.officer_id)}
        if role in IDENTITY_READERS:
            row["penerima"] = receipt.recipient_name
        yield row


def survey_rows(session: Session, service: ProcedureService, day: date, role: Role):
    for response in responses_between(session, day, day):
        answers = {answer.element: answer.value for answer in response.answers}
        row: dict[str, Any] = {"jenis_kelamin": response.gender,
                               "pendidikan": response.education,
                               "pekerjaan": response.occupation, "usia": response.age or ""}
        row.update({element.value: answers.get(element.value) for element in Element})
        row["saran"] = response.suggestion or ""
        yield row


ROWS = {RecordKind.GUEST_LIST: guest_rows, RecordKind.PRIORITY_QUEUE_LIST: queue_rows,
        RecordKind.REQUEST_LIST: request_rows, RecordKind.SERVICE_RESULT: result_rows,
        RecordKind.INFORMATION_RECEIPT: receipt_rows,
        RecordKind.SATISFACTION_SURVEY: survey_rows}


def ikm_rows(view: dict[str, Any]):
    """The IKM report (survey.ikm_view) as table rows: each element, then the index."""
    for element in view["elements"]:
        yield {"unsur": element["name"], "nilai": element["nrr"], "mutu": element["grade"],
               "kinerja": element["grade_label"]}
    yield {"unsur": "IKM", "nilai": view["ikm"], "mutu": view["grade"],
           "kinerja": view["grade_label"], "responden": view["responses"],
           "bobot": view["weight_text"]}


STATUS_KINDS = {RecordKind.PRIORITY_QUEUE_LIST: "queue", RecordKind.REQUEST_LIST: "request"}
"""Whose status the `status` column of a list holds (procedure/names.py STATUS_KINDS)."""
STEP_COLUMN = re.compile(r"^(\d+)_([a-z0-9_]+)_(mulai|selesai|petugas|lewat_detik)$")
"""A visits export column of one step: 3_guest_book_mulai."""


def identity_lines(service: ProcedureService, names: Names | None = None) -> list[list[str]]:
    """The heading every export starts with: office, procedure name, number, dates, approval."""
    names = names or Names(service, DEFAULT_LANGUAGE)
    identity = service.procedure.identity

    def shown(value) -> str:
        return plain(value) if value else f"({names.label('not_stated')})"

    return [[names.label("csv_office"), service.config.office_name],
            [names.label("csv_pos_name"), identity.name],
            [names.label("pos_number"), identity.number],
            [names.label("pos_made"), shown(identity.made)],
            [names.label("pos_revised"), shown(identity.revised)],
            [names.label("pos_effective"), shown(identity.effective)],
            [names.label("pos_approved"), " ".join(part for part in (
                identity.approved_by, identity.approver_name,
                f"NIP {identity.approver_nip}" if identity.approver_nip else "") if part)],
            *([[names.label("csv_note"), identity.note]] if identity.note else [])]


def column_title(names: Names, service: ProcedureService, column: str) -> str:
    """A column's heading in the language: its label, a survey element or a step's column."""
    key = f"csv_{column}"
    if names.label(key) != key:
        return names.label(key)
    step = STEP_COLUMN.match(column)
    if step:
        position, step_key, part = step.groups()
        return f"{position}. {names.step(step_key)}: {names.label('csv_step_' + part)}"
    questions = service.settings.survey.questions
    element = next((e for e in questions if e.value == column), None)
    if element is not None:
        question = questions[element]
        return question.name_en if names.language == "en" else question.name
    return column


def _listed(lookup, value: Any) -> str:
    codes = value if isinstance(value, list | tuple) else [
        code for code in str(value).split(", ") if code]
    return ", ".join(lookup(code) for code in codes)


def shown_value(names: Names, column: str, value: Any, row: dict[str, Any],
                status_kind: str = "") -> Any:
    """A cell as people read it: names for codes, the language's yes/no, one date format."""
    if isinstance(value, bool):
        return names.yes_no(value)
    if value is None or value == "":
        return ""
    lookups = {"kategori": names.category, "layanan": names.service, "loket": names.counter,
               "jenis_kelamin": lambda code: names.option("genders", code),
               "pendidikan": lambda code: names.option("education", code),
               "pekerjaan": lambda code: names.option("occupations", code)}
    if column in lookups:
        return lookups[column](value)
    if column in ("jenis", "alat_bantu"):
        return _listed(names.kind if column == "jenis" else names.aid, value)
    if column in ("bentuk_informasi", "cara_penyampaian"):
        prefix = "format_" if column == "bentuk_informasi" else "delivery_"
        return names.label(prefix + str(value))
    if column == "status" and status_kind:
        return names.status(status_kind, value)
    if column == "persyaratan" and isinstance(value, dict):
        return "; ".join(f"{names.requirement(row.get('layanan', ''), item)}: "
                         f"{names.yes_no(bool(given))}" for item, given in value.items())
    return plain(value, names.config.tz)


def to_csv(service: ProcedureService, title: str, period: str,
           rows: Iterable[dict[str, Any]], names: Names | None = None,
           status_kind: str = "") -> str:
    """CSV text (web/csv_export.py): identity heading, title and period, a blank line, then
    the table with headings and values in the names' language."""
    names = names or Names(service, DEFAULT_LANGUAGE)
    lines: list[list[Any]] = [*identity_lines(service, names),
                              [names.label("csv_list"), title],
                              [names.label("csv_period"), period], []]
    rows = list(rows)
    if rows:
        columns = list(dict.fromkeys(key for row in rows for key in row))
        lines.append([column_title(names, service, column) for column in columns])
        lines.extend([shown_value(names, column, row.get(column), row, status_kind)
                      for column in columns] for row in rows)
    return csv_text(lines)
