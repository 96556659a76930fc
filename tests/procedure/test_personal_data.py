"""UU 27/2022 in the guest book: ASCII NIK, soft NIK warnings, NIK only where needed,
Pasal 26 notice and consent, the communication need by role, safe default groups, and an
admin's data-subject actions (find, export, correct, erase), each with a logged reason."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from queue_server.procedure.models import DataSubjectAction, GuestEntry, InformationReceipt
from queue_server.procedure.privacy import nik_warnings, normalise_nik
from queue_server.procedure.sections import DEFAULT_AIDS, parse_procedure_config

from .conftest import GUEST, NIK_DIGITS, NIK_MASKED, ok, step

FULL_WIDTH = "３１７１０１５２０８６５０００１"
ARABIC_INDIC = "٣١٧١٠١٥٢٠٨٦٥٠٠٠١"


@pytest.mark.parametrize("nik", [FULL_WIDTH, ARABIC_INDIC, "31710152086500０1"])
def test_a_nik_is_sixteen_ascii_digits(nik):
    # Refused, not normalised: what is stored is what the KTP shows, in ASCII.
    with pytest.raises(ValueError, match="exactly 16 digits"):
        normalise_nik(nik)


def test_the_guest_book_refuses_a_nik_in_other_digits(call, visit_at, services):
    visit_id = visit_at("guest_book")["visit"]["id"]
    refused = step(call, "receptionist", visit_id, "guest_book",
                   guest={**GUEST, "nik": FULL_WIDTH}, service="INFO")
    assert refused.status_code == 422 and "16 digits" in refused.json["error"]["message"]
    with services.session_factory() as db:
        assert db.scalars(select(GuestEntry)).all() == []


@pytest.mark.parametrize(("nik", "warnings"), [
    (NIK_DIGITS, []),                       # a woman born 12 August 1965 in Jakarta
    ("3171011208650001", []),               # a man born 12 August 1965
    ("9971013208650001", ["nik_province", "nik_day"]),
    ("3171017213650000", ["nik_day", "nik_month", "nik_serial"]),
    ("3171010000650001", ["nik_day", "nik_month"]),
])
def test_nik_structure_gives_warnings_only(nik, warnings):
    assert nik_warnings(nik) == warnings
    assert normalise_nik(nik) == nik  # never a refusal: a real NIK can break them


def test_the_receptionist_sees_the_warnings_and_the_entry_is_kept(call, visit_at):
    visit_id = visit_at("guest_book")["visit"]["id"]
    odd = "9971013208650001"
    visit = ok(step(call, "receptionist", visit_id, "guest_book",
                    guest={**GUEST, "nik": odd}, service="INFO"))
    guest = ok(call("receptionist", "GET", f"/visits/{visit['id']}"))["visit"]["guest"]
    assert guest["nik_warnings"] == ["nik_province", "nik_day"]
    assert guest["nik_masked"] == "9971 **** **** 0001"
    assert "nik_warnings" not in ok(call("security", "GET",
                                         f"/visits/{visit['id']}"))["visit"]["guest"]


def test_the_nik_is_required_only_for_the_services_that_need_it(call, visit_at):
    without = {key: value for key, value in GUEST.items() if key != "nik"}
    info = visit_at("guest_book")["visit"]["id"]
    refused = step(call, "receptionist", info, "guest_book", guest=without, service="INFO")
    assert refused.status_code == 422 and "16 digits" in refused.json["error"]["message"]
    konsul = visit_at("guest_book")["visit"]["id"]
    ok(step(call, "receptionist", konsul, "guest_book", guest=without, service="KONSUL"))
    guest = ok(call("receptionist", "GET", f"/visits/{konsul}"))["visit"]["guest"]
    assert guest["nik_masked"] is None
    # A NIK given for an optional service is still checked.
    bad = visit_at("guest_book")["visit"]["id"]
    assert step(call, "receptionist", bad, "guest_book", guest={**GUEST, "nik": "123"},
                service="KONSUL").status_code == 422


def test_nik_required_for_names_known_services():
    from queue_server.platform.config import ConfigError

    with pytest.raises(ConfigError) as error:
        parse_procedure_config({"guest_book": {"nik_required_for": ["NOPE"]}},
                               {"lansia": 1, "disabilitas": 1, "ibu_hamil": 1, "anak": 1,
                                "rentan_lain": 1}, {"INFO": 1})
    assert "guest_book.nik_required_for[0]" in str(error.value)


def test_default_groups_record_no_health_data_they_were_not_given():
    queue = {code: object() for code in ("lansia", "disabilitas", "ibu_hamil", "anak",
                                         "rentan_lain")}
    book = parse_procedure_config({}, queue).guest_book
    assert book.categories["ibu_menyusui"].queue_category == "rentan_lain"
    assert book.categories["lainnya"].queue_category == "rentan_lain"
    assert book.nik_required_for == frozenset()
    codes = [aid["code"] for aid in DEFAULT_AIDS]
    assert "juru_bahasa_isyarat" in codes and "pendamping" in codes


def test_pasal_26_a_visitor_with_a_disability_gets_a_perceivable_notice(call, visit_at):
    visit_id = visit_at("guest_book")["visit"]["id"]
    bare = {key: value for key, value in GUEST.items()
            if key not in ("notice_mode", "consent_by")}
    refused = step(call, "receptionist", visit_id, "guest_book", guest=bare, service="INFO")
    assert refused.status_code == 422 and "Pasal 26" in refused.json["error"]["message"]
    by_guardian = {**bare, "notice_mode": "sign_language", "consent_by": "guardian"}
    refused = step(call, "receptionist", visit_id, "guest_book", guest=by_guardian,
                   service="INFO")
    assert refused.status_code == 422 and "guardian" in refused.json["error"]["message"]
    ok(step(call, "receptionist", visit_id, "guest_book", service="INFO",
            guest={**by_guardian, "guardian_name": "Rudi", "guardian_relation": "Kakak",
                   "aids": ["juru_bahasa_isyarat"]}))
    guest = ok(call("receptionist", "GET", f"/visits/{visit_id}"))["visit"]["guest"]
    assert (guest["notice_mode"], guest["consent_by"]) == ("sign_language", "guardian")
    assert (guest["guardian_name"], guest["guardian_consent"]) == ("Rudi", True)
    assert guest["aids"] == ["juru_bahasa_isyarat"]


def test_the_communication_need_is_health_data_read_by_few_roles(call, visit_at):
    elder = {**GUEST, "category": "lansia", "kinds": [], "communication": ["sensorik_rungu"],
             "notice_mode": "written", "consent_by": "visitor"}
    visit_id = visit_at("to_counter", guest=elder)["visit"]["id"]
    seen = {role: ok(call(role, "GET", f"/visits/{visit_id}"))["visit"]["guest"]
            for role in ("admin", "receptionist", "officer", "ppid", "security")}
    for role in ("admin", "receptionist", "officer"):
        assert seen[role]["communication"] == ["sensorik_rungu"], role
    for role in ("ppid", "security"):
        assert "communication" not in seen[role] and "notice_mode" not in seen[role], role
    # A need without a disability group still needs the Pasal 26 notice.
    other = visit_at("guest_book")["visit"]["id"]
    refused = step(call, "receptionist", other, "guest_book", service="INFO", guest={
        **GUEST, "category": "lansia", "kinds": [], "communication": ["sensorik_netra"],
        "notice_mode": None})
    assert refused.status_code == 422
    unknown = step(call, "receptionist", other, "guest_book", service="INFO",
                   guest={**elder, "communication": ["buta_warna"]})
    assert unknown.status_code == 422


# --- data-subject requests ------------------------------------------------------------------

def test_only_an_admin_with_a_reason_finds_a_visitor(call, visit_at):
    visit_at("processing")
    body = {"nik": NIK_DIGITS, "reason": "Permintaan akses subjek data, surat 12/2026"}
    assert call("receptionist", "POST", "/data-subjects/search", json=body).status_code == 403
    assert call("admin", "POST", "/data-subjects/search",
                json={"nik": NIK_DIGITS}).status_code == 422
    assert call("admin", "POST", "/data-subjects/search",
                json={"reason": "x"}).status_code == 422
    found = ok(call("admin", "POST", "/data-subjects/search", json=body))["entries"]
    assert [(e["name"], e["nik_masked"]) for e in found] == [("Siti Aminah", NIK_MASKED)]
    by_name = ok(call("admin", "POST", "/data-subjects/search",
                      json={"name": "siti aminah", "reason": "Akses"}))["entries"]
    assert [e["id"] for e in by_name] == [e["id"] for e in found]


def test_export_correct_and_erase_each_leave_an_audit_row(call, visit_at, services, caplog):
    caplog.set_level(logging.INFO)
    visit_at("survey")  # a request with a result and a receipt
    entry_id = ok(call("admin", "POST", "/data-subjects/search", json={
        "nik": NIK_DIGITS, "reason": "Akses"}))["entries"][0]["id"]

    assert call("admin", "POST", "/data-subjects/export",
                json={"entry_ids": [entry_id]}).status_code == 422
    exported = ok(call("admin", "POST", "/data-subjects/export",
                       json={"entry_ids": [entry_id], "reason": "Salinan untuk subjek"}))
    row = exported["entries"][0]
    assert (row["nik"], row["phone"], row["kinds"]) == (NIK_DIGITS, "0812-3456-7890",
                                                         ["fisik"])
    assert row["request"]["subject"] == "Rapor mutu 2025"

    assert call("admin", "PATCH", f"/guests/{entry_id}", json={
        "changes": {"name": "Siti Aminah Putri"}}).status_code == 422
    assert call("admin", "PATCH", f"/guests/{entry_id}", json={
        "changes": {"category": "umum"}, "reason": "x"}).status_code == 422
    assert call("officer", "PATCH", f"/guests/{entry_id}", json={
        "changes": {"name": "X"}, "reason": "x"}).status_code == 403
    corrected = ok(call("admin", "PATCH", f"/guests/{entry_id}", json={
        "changes": {"name": "Siti Aminah Putri", "phone": "0813-0000-1111"},
        "reason": "Pembetulan atas permintaan subjek"}))
    assert corrected["name"] == "Siti Aminah Putri"
    with services.session_factory() as db:
        assert db.scalars(select(InformationReceipt)).one().recipient_name == \
            "Siti Aminah Putri"

    erased = ok(call("admin", "POST", "/data-subjects/erase",
                     json={"entry_ids": [entry_id], "reason": "Penghapusan, Pasal 8"}))
    assert erased["erased"] == [entry_id]
    with services.session_factory() as db:
        entry = db.get(GuestEntry, entry_id)
        assert (entry.name, entry.nik, entry.phone, entry.institution, entry.kinds) == (
            None, None, None, None, [])
        assert entry.purged_at is not None
        assert db.scalars(select(InformationReceipt)).one().recipient_name is None
        audit = [(a.action, a.entry_ids, a.fields, a.reason)
                 for a in db.scalars(select(DataSubjectAction).order_by(DataSubjectAction.id))]
    assert [a[0] for a in audit] == ["find", "export", "correct", "erase"]
    assert audit[2][1:] == ([entry_id], ["name", "phone"], "Pembetulan atas permintaan subjek")
    listed = ok(call("admin", "GET", "/data-subjects/actions"))["actions"]
    assert [a["action"] for a in listed] == ["erase", "correct", "export", "find"]
    assert call("receptionist", "GET", "/data-subjects/actions").status_code == 403
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "data-subject correct of guest book entries" in logged
    assert "Siti Aminah Putri" not in logged and NIK_DIGITS not in logged
    assert "0813-0000-1111" not in logged
