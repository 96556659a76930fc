"""Visits as CSV for the archive: one row per visit, four columns per step."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.procedure.models import (
    Deviation,
    GuestEntry,
    InfoRequest,
    InformationReceipt,
    StepRecord,
    Visit,
)
from queue_server.procedure.names import Names
from queue_server.procedure.privacy import mask_nik
from queue_server.procedure.records import to_csv
from queue_server.procedure.views import user_names
from queue_server.tickets.models import Ticket
from queue_server.web.i18n import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from queue_server.procedure.visits import ProcedureService


def visit_rows(session: Session, service: ProcedureService, start: date,
               end: date) -> list[dict[str, Any]]:
    """Visits that began in [start, end], in order, with every step's times and deviation."""
    names = user_names(session)
    tz = service.config.tz
    visits = session.scalars(select(Visit).where(Visit.day >= start, Visit.day <= end)
                             .order_by(Visit.id)).all()
    ids = [visit.id for visit in visits]

    def by_visit(model):
        return {row.visit_id: row for row in session.scalars(
            select(model).where(model.visit_id.in_(ids)))}

    guests, requests, receipts = by_visit(GuestEntry), by_visit(InfoRequest), \
        by_visit(InformationReceipt)
    records: dict[int, dict[int, StepRecord]] = {}
    for record in session.scalars(select(StepRecord).where(StepRecord.visit_id.in_(ids))):
        records.setdefault(record.visit_id, {})[record.position] = record
    deviations = {d.step_record_id: d for d in session.scalars(
        select(Deviation).where(Deviation.visit_id.in_(ids)))}
    numbers = {t.id: t.number for t in session.scalars(select(Ticket).where(
        Ticket.id.in_([i for v in visits for i in (v.ticket_id, v.pickup_ticket_id) if i])))}

    def local(moment):
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if moment else ""

    rows = []
    for visit in visits:
        guest, request = guests.get(visit.id), requests.get(visit.id)
        receipt = receipts.get(visit.id)
        row: dict[str, Any] = {
            "kunjungan": visit.id, "tanggal": visit.day.isoformat(),
            "status": visit.status.value, "nomor_antrean": numbers.get(visit.ticket_id, ""),
            "nomor_antrean_ambil": numbers.get(visit.pickup_ticket_id, ""),
            "nama": guest.name if guest else "", "nik": mask_nik(guest.nik) if guest else "",
            "kategori": guest.category if guest else "",
            "alat_bantu": ", ".join(visit.aids),
            "permohonan": request.number if request else "",
            "layanan": request.service if request else "",
            "tanda_terima": receipt.number if receipt else "", "deviasi": 0}
        for step in service.procedure.steps:
            record = records.get(visit.id, {}).get(step.position)
            deviation = deviations.get(record.id) if record else None
            prefix = f"{step.position}_{step.key}"
            row[f"{prefix}_mulai"] = local(record.started_at) if record else ""
            row[f"{prefix}_selesai"] = local(record.ended_at) if record else ""
            row[f"{prefix}_petugas"] = names.get(record.completed_by, "") if record else ""
            row[f"{prefix}_lewat_detik"] = deviation.over_seconds if deviation else ""
            row["deviasi"] += 1 if deviation else 0
        rows.append(row)
    return rows


def visits_csv(session: Session, service: ProcedureService, start: date, end: date,
               names: Names | None = None) -> str:
    names = names or Names(service, DEFAULT_LANGUAGE)
    joiner = "s.d." if names.language == "id" else "to"
    return to_csv(service, names.label("visits"), f"{start.isoformat()} {joiner} {end.isoformat()}",
                  visit_rows(session, service, start, end), names, "visit")
