"""Personal data: NIK checked and masked everywhere, phone and health data by role, reveal."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from queue_server.printing.models import PrintJob
from queue_server.procedure.privacy import mask_nik, normalise_nik

from .conftest import GUEST, NIK_DIGITS, NIK_MASKED, REQUESTER, ok, step


def test_mask_and_validation():
    assert mask_nik(NIK_DIGITS) == NIK_MASKED
    assert normalise_nik("3171 0152 0865 0001") == NIK_DIGITS
    for bad in ("317101520865000", "31710152086500011", "3171O15208650001", ""):
        with pytest.raises(ValueError) as error:
            normalise_nik(bad)
        assert str(error.value) == "NIK must be exactly 16 digits"  # never the value


@pytest.mark.parametrize("nik", ["317101520865000", "3171-0152-0865-00A1"])
def test_guest_book_refuses_a_nik_that_is_not_16_digits(call, visit_at, nik):
    visit = visit_at("guest_book")
    response = step(call, "receptionist", visit["visit"]["id"], "guest_book",
                    guest={**GUEST, "nik": nik}, service="INFO")
    assert response.status_code == 422
    assert "16 digits" in response.json["error"]["message"]
    assert nik not in response.get_data(as_text=True)


def test_a_child_needs_a_guardians_consent(call, visit_at):
    visit_id = visit_at("guest_book")["visit"]["id"]
    child = {**GUEST, "category": "anak", "kinds": [], "name": "Adi"}
    refused = step(call, "receptionist", visit_id, "guest_book", guest=child, service="INFO")
    assert refused.status_code == 422 and "guardian" in refused.json["error"]["message"]
    consented = {**child, "guardian_name": "Siti Aminah", "guardian_relation": "Ibu",
                 "guardian_consent": True}
    visit = ok(step(call, "receptionist", visit_id, "guest_book", guest=consented,
                    service="INFO"))
    assert visit["guest"]["guardian_consent"] is True
    assert visit["ticket"] == "P-001"


def test_each_role_reads_only_what_it_needs(call, visit_at):
    visit_id = visit_at("processing")["visit"]["id"]
    seen = {role: ok(call(role, "GET", f"/visits/{visit_id}"))["visit"]["guest"]
            for role in ("admin", "receptionist", "officer", "ppid", "security")}
    for role, guest in seen.items():
        assert "nik" not in guest, role
    for role in ("admin", "receptionist", "officer", "ppid"):
        assert seen[role]["nik_masked"] == NIK_MASKED
        assert seen[role]["phone"] == "0812-3456-7890"
    for role in ("admin", "receptionist", "officer"):
        assert (seen[role]["category"], seen[role]["kinds"]) == ("disabilitas", ["fisik"])
        assert (seen[role]["communication"], seen[role]["notice_mode"],
                seen[role]["consent_by"]) == ([], "read_aloud", "visitor")
    assert "category" not in seen["ppid"] and "kinds" not in seen["ppid"]
    for role in ("ppid", "security"):
        assert not {"communication", "notice_mode", "consent_by"} & set(seen[role]), role
    assert set(seen["security"]) == {"id", "day", "aids", "purged"}
    assert seen["security"]["aids"] == ["kursi_roda"]
    assert call("display", "GET", f"/visits/{visit_id}").status_code == 403
    # The requester's name and address (Pasal 22 ayat (2)): the roles working the request.
    requests = {role: ok(call(role, "GET", f"/visits/{visit_id}"))["visit"]["request"]
                for role in ("admin", "receptionist", "officer", "ppid", "security")}
    for role in ("admin", "officer", "ppid"):
        assert requests[role]["requester_address"] == REQUESTER["requester_address"], role
        assert requests[role]["requester_name"] == GUEST["name"], role
    assert "requester_address" not in requests["receptionist"]
    assert "requester_name" not in requests["receptionist"]
    assert requests["security"] is None


def test_masked_in_exports_and_logs_full_only_in_a_logged_reveal(call, visit_at, services,
                                                                  caplog):
    caplog.set_level(logging.DEBUG)
    visit = visit_at("processing")
    entry_id = visit["visit"]["guest"]["id"]
    day = visit["visit"]["day"]

    for path in (f"/records/guest_list?date={day}&format=csv",
                 f"/visits/export?from={day}&to={day}"):
        text = call("admin", "GET", path).get_data(as_text=True)
        assert NIK_MASKED in text and NIK_DIGITS not in text, path
        assert text.startswith("\ufeffInstansi,BPMP Provinsi DKI Jakarta")
        assert "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024" in text
    listed = ok(call("receptionist", "GET", f"/records/guest_list?date={day}"))
    assert listed["rows"][0]["nik"] == NIK_MASKED
    assert call("ppid", "GET", f"/records/guest_list?date={day}").status_code == 403

    with services.session_factory() as db:
        payloads = [job.payload for job in db.scalars(select(PrintJob))]
    assert payloads and all(NIK_DIGITS not in str(p) and "Siti" not in str(p)
                            and "disabilitas" not in str(p).lower() and "Cikini" not in str(p)
                            for p in payloads)

    assert call("receptionist", "POST", f"/guests/{entry_id}/reveal",
                json={"field": "nik", "reason": "cek"}).status_code == 403
    assert call("admin", "POST", f"/guests/{entry_id}/reveal",
                json={"field": "nik"}).status_code == 422
    revealed = ok(call("admin", "POST", f"/guests/{entry_id}/reveal",
                       json={"field": "nik", "reason": "Verifikasi surat kuasa"}))
    assert revealed["value"] == NIK_DIGITS

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "revealed the nik of guest book entry" in logged
    assert NIK_MASKED in logged and "Verifikasi surat kuasa" in logged
    assert NIK_DIGITS not in logged
    assert "0812-3456-7890" not in logged
    assert "Cikini" not in logged  # the requester's address
