"""Fixtures for the procedure: a weekday clock, JSON calls by role, a visit at any step."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from queue_server.auth.models import Role, User
from queue_server.auth.service import add_user

from ..support import Clock

# Wednesday 2 December 2026, 08:00 in Jakarta: a working day with a weekend ahead.
START = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
GUEST = {"name": "Siti Aminah", "nik": "3171015208650001", "phone": "0812-3456-7890",
         "institution": "SDN 01 Menteng", "purpose": "Meminta data rapor mutu sekolah",
         "category": "disabilitas", "kinds": ["fisik"], "aids": ["kursi_roda"],
         "companion": "Budi (anak)", "notice_mode": "read_aloud", "consent_by": "visitor"}
NIK_DIGITS = "3171015208650001"
# What the request register holds besides the subject (UU 14/2008 Pasal 22 ayat (2)).
REQUESTER = {"requester_address": "Jl. Cikini Raya No. 2, Menteng, Jakarta Pusat",
             "format": "softcopy", "delivery": "in_person"}
NIK_MASKED = "3171 **** **** 0001"


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def call(client, auth):
    """call("officer", "POST", "/visits", json=...): a JSON request as that role."""

    def request(role: str, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {}) | (auth(role) if role else {})
        return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    return request


@pytest.fixture
def user_ids(services, users) -> dict[str, int]:
    with services.session_factory() as db:
        return {user.username: user.id for user in db.scalars(select(User))}


@pytest.fixture
def second_user(services, users, tokens):
    """second_user("ppid", "ppid2"): another officer of a role, with a token in `tokens`."""

    def make(role: str, name: str) -> int:
        with services.session_factory() as db, db.begin():
            user = add_user(db, name, "rahasia-123", Role(role), START, f"Petugas {name}")
            tokens[name] = services.auth.issue_token(db, user)[0]
            return user.id

    return make


def step(call, role: str, visit_id: int, key: str, **data):
    return call(role, "POST", f"/visits/{visit_id}/steps/{key}/complete", json=data)


def ok(response, status: int = 200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


@pytest.fixture
def visit_at(call, clock):
    """visit_at("request"): a new visit walked to the start of that step (minimal times)."""

    def walk(target: str, guest: dict | None = None, same_day: bool = False) -> dict:
        visit = ok(call("receptionist", "POST", "/visits", json={"aids": ["kursi_roda"]}), 201)
        visit_id = visit["id"]
        plan = [
            ("escort_in", "security", None),
            ("guest_book", "receptionist", {"guest": guest or GUEST, "service": "INFO"}),
            ("to_counter", "receptionist", {}),
            ("request", "officer", {"request": {
                **REQUESTER, "subject": "Rapor mutu 2025", "same_day": same_day,
                "requirements": {"Kartu identitas": True,
                                 "Formulir permohonan informasi": True,
                                 "Surat kuasa (bila diwakilkan)": True}}}),
            ("processing", "ppid", {"result": "Salinan rapor mutu dikirim"}),
            ("hand_over", "officer", {}),
            ("survey", "officer", {"survey_filled": True}),
            ("call_security", "officer", {}),
        ]
        for key, role, data in plan:
            if key == target:
                break
            clock.advance(seconds=30)  # inside every standard; the target starts now
            if key == "escort_in":
                calls = ok(call("security", "GET", "/escorts"))["escorts"]
                mine = [c for c in calls if c["visit_id"] == visit_id]
                ok(call("security", "POST", f"/escorts/{mine[0]['id']}/done",
                        json={"place": "ult"}))
            else:
                ok(step(call, role, visit_id, key, **data))
        return ok(call("admin", "GET", f"/visits/{visit_id}"))

    return walk
