"""Procedure tables: visits and their steps, the guest book, requests, receipts, surveys."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from queue_server.platform.database import Base, UTCDateTime, enum_column
from queue_server.procedure.settings import EscortKind


class VisitStatus(enum.Enum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class EscortPlace(enum.Enum):
    """Where an escort ended."""

    ULT = "ult"
    EXIT = "exit"
    VEHICLE = "vehicle"


class RequestStatus(enum.Enum):
    IN_PROCESS = "in_process"
    RESULT_READY = "result_ready"
    HANDED_OVER = "handed_over"


class InfoFormat(enum.Enum):
    """The form the requester wants the information in (UU 14/2008 Pasal 22 ayat (2))."""

    SOFTCOPY = "softcopy"
    HARDCOPY = "hardcopy"
    VIEWING = "viewing"


class Delivery(enum.Enum):
    """How the information is to reach the requester (Pasal 22 ayat (2))."""

    IN_PERSON = "in_person"
    POST = "post"
    EMAIL = "email"


class Visit(Base):
    """A kunjungan: one visitor's way through the procedure, possibly over several days."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_status_position", "status", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus))
    position: Mapped[int] = mapped_column(Integer)
    """The current step's position (1-based); past the last step once completed."""
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    aids: Mapped[list[str]] = mapped_column(JSON, default=list)
    arrival_note: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    pickup_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    steps: Mapped[list[StepRecord]] = relationship(order_by="StepRecord.position",
                                                   back_populates="visit")


class StepRecord(Base):
    """One step of one visit: who did it, when it started and ended."""

    __tablename__ = "visit_steps"
    __table_args__ = (UniqueConstraint("visit_id", "position", name="uq_visit_steps_visit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    step_key: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """None while the step waits for the visitor to come back."""
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the standard time runs out (start + minutes, or the end of the due working day)."""
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    visit: Mapped[Visit] = relationship(back_populates="steps")


class Deviation(Base):
    """A step that ran past its standard: which, who is accountable, by how much."""

    __tablename__ = "step_deviations"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    step_record_id: Mapped[int] = mapped_column(
        ForeignKey("visit_steps.id", ondelete="CASCADE"), unique=True)
    step_key: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    responsible_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    standard_seconds: Mapped[int | None] = mapped_column(Integer)
    actual_seconds: Mapped[int] = mapped_column(Integer)
    over_seconds: Mapped[int] = mapped_column(Integer)
    over_working_days: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reassignment(Base):
    """A step handed to another officer by a supervisor, with the assignment letter."""

    __tablename__ = "step_reassignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    step_record_id: Mapped[int] = mapped_column(
        ForeignKey("visit_steps.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    letter_reference: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class EquipmentTick(Base):
    """An item of a step's equipment (kelengkapan) ticked as provided or not."""

    __tablename__ = "step_equipment"
    __table_args__ = (UniqueConstraint("step_record_id", "item",
                                       name="uq_step_equipment_step_record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step_record_id: Mapped[int] = mapped_column(ForeignKey("visit_steps.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(200))
    provided: Mapped[bool] = mapped_column(Boolean)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class EscortCall(Base):
    """A call to security: escort a visitor in or out, acknowledged with one tap, then done."""

    __tablename__ = "escort_calls"
    __table_args__ = (Index("ix_escort_calls_open", "done_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    step_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit_steps.id", ondelete="CASCADE"))
    """The security step it belongs to; None for a trip outside the steps (going home)."""
    kind: Mapped[EscortKind] = mapped_column(enum_column(EscortKind))
    aids: Mapped[list[str]] = mapped_column(JSON, default=list)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    place: Mapped[EscortPlace | None] = mapped_column(enum_column(EscortPlace))


class GuestEntry(Base):
    """A guest book line (daftar tamu); personal fields are emptied after the retention."""

    __tablename__ = "guest_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"),
                                          unique=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    nik: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32))
    institution: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    aids: Mapped[list[str]] = mapped_column(JSON, default=list)
    companion: Mapped[str | None] = mapped_column(String(200))
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_relation: Mapped[str | None] = mapped_column(String(64))
    guardian_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    communication: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    """Communication needs (sensorik_rungu, sensorik_wicara, sensorik_netra): health data."""
    notice_mode: Mapped[str | None] = mapped_column(String(16))
    """How the notice reached a visitor with a disability (UU 27/2022 Pasal 26)."""
    consent_by: Mapped[str | None] = mapped_column(String(16))
    """Who consented for a visitor with a disability: visitor or guardian."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InfoRequest(Base):
    """A request in the daftar permohonan, with its due dates and result."""

    __tablename__ = "info_requests"
    __table_args__ = (Index("ix_info_requests_status_due", "status", "due_internal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"),
                                          unique=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    service: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    requirements: Mapped[dict[str, bool]] = mapped_column(JSON)
    requirements_complete: Mapped[bool] = mapped_column(Boolean)
    same_day: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_internal: Mapped[date] = mapped_column(Date)
    due_statutory: Mapped[date] = mapped_column(Date)
    extension_days: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[str | None] = mapped_column(Text)
    result_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Pasal 22 ayat (2): who asks, where they live, in what form and how it is delivered.
    # Name, address and e-mail are personal data: emptied by the retention purge.
    requester_name: Mapped[str | None] = mapped_column(String(200))
    requester_address: Mapped[str | None] = mapped_column(Text)
    requester_email: Mapped[str | None] = mapped_column(String(200))
    info_format: Mapped[InfoFormat | None] = mapped_column(enum_column(InfoFormat))
    delivery: Mapped[Delivery | None] = mapped_column(enum_column(Delivery))
    proof_print_job_id: Mapped[int | None] = mapped_column(Integer)
    """The print job of the Bukti Permohonan Informasi (Pasal 22 ayat (4))."""
    # A refusal: information exempted under Pasal 17 (the letter) with the reason.
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refused_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refusal_article: Mapped[str | None] = mapped_column(String(16))
    refusal_reason: Mapped[str | None] = mapped_column(Text)


class Objection(Base):
    """A keberatan (UU 14/2008 Pasal 35-36): its own number and a 30-working-day due date."""

    __tablename__ = "info_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("info_requests.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    ground: Mapped[str] = mapped_column(String(1))
    """Pasal 35 ayat (1) huruf a to g."""
    note: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date] = mapped_column(Date)


class InformationReceipt(Base):
    """A tanda terima informasi: the result handed over, signed on paper."""

    __tablename__ = "information_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id", ondelete="CASCADE"),
                                            unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handed_over_at: Mapped[datetime] = mapped_column(UTCDateTime())
    print_job_id: Mapped[int | None] = mapped_column(Integer)


class SurveyResponse(Base):
    """An anonymous SKM response: no link to a visit, a user, or a time finer than the day."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    gender: Mapped[str | None] = mapped_column(String(32))
    education: Mapped[str | None] = mapped_column(String(32))
    occupation: Mapped[str | None] = mapped_column(String(32))
    age: Mapped[int | None] = mapped_column(Integer)
    suggestion: Mapped[str | None] = mapped_column(Text)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(Base):
    """One element's answer (1 to 4), stored by element key."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "element",
                                       name="uq_survey_answers_response_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"))
    element: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)


class DataReveal(Base):
    """An admin's full view of a guest's NIK or phone: who, when, why."""

    __tablename__ = "data_reveals"

    id: Mapped[int] = mapped_column(primary_key=True)
    guest_entry_id: Mapped[int] = mapped_column(
        ForeignKey("guest_entries.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class GuestTally(Base):
    """Counts per month that outlive the purge: categories, kinds, aids, needs, no rows."""

    __tablename__ = "guest_tallies"
    __table_args__ = (UniqueConstraint("month", "field", "code",
                                       name="uq_guest_tallies_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    """YYYY-MM of the entries counted."""
    field: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)


class DataSubjectAction(Base):
    """An admin's action on one visitor's data at their request (UU 27/2022 Pasal 5-8)."""

    __tablename__ = "data_subject_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    """find, export, correct or erase."""
    entry_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The fields corrected or erased (names, never values)."""
    reason: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class DocumentSequence(Base):
    """The last request or receipt number per kind per local day (row-locked, gapless)."""

    __tablename__ = "document_sequences"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
