"""The PPID register (UU 14/2008 Pasal 22, 35-36): requester, proof, limits, refusal, objection."""
from __future__ import annotations

import csv
import io
import logging
from datetime import date

import pytest
from sqlalchemy import select

from queue_server.app import create_app
from queue_server.printing.models import PrintJob
from queue_server.procedure.calendar import count_from, years_without_holidays

from ..support import PASSWORD
from .conftest import GUEST, NIK_DIGITS, REQUESTER, ok, step

# The tests' office: 24 and 25 December 2026 and 1 January 2027 are holidays.
HOLIDAYS = {date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)}
ONLY_2026 = {"holidays": [{"date": "2026-12-24", "name": "Cuti bersama Natal"},
                          {"date": "2026-12-25", "name": "Kelahiran Yesus Kristus"}]}
REQUEST = {**REQUESTER, "subject": "Rapor mutu 2025",
           "requirements": {"Kartu identitas": True}}


def refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert words in response.json["error"]["message"]


def request_of(call, visit_id: int, role: str = "admin") -> dict:
    return ok(call(role, "GET", f"/visits/{visit_id}"))["visit"]["request"]


# -- working days -------------------------------------------------------------------------

def test_day_one_is_the_next_working_day_or_the_receipt_day():
    wednesday = date(2026, 12, 2)
    assert count_from(wednesday, 10, HOLIDAYS) == date(2026, 12, 16)
    assert count_from(wednesday, 10, HOLIDAYS, receipt_is_day_one=True) == date(2026, 12, 15)
    saturday = date(2026, 12, 5)  # not a working day: day 1 is Monday either way
    assert count_from(saturday, 1, HOLIDAYS) == count_from(saturday, 1, HOLIDAYS, True) \
        == date(2026, 12, 7)


def test_counts_skip_holidays_across_the_year_end():
    monday = date(2026, 12, 21)
    # 22, 23, 28, 29, 30, 31 December, 4, 5, 6, 7 January: 24/25 December and 1 January skipped.
    assert count_from(monday, 10, HOLIDAYS) == date(2027, 1, 7)
    # Without 2027's list, 1 January would silently count as a working day.
    assert count_from(monday, 10, HOLIDAYS - {date(2027, 1, 1)}) == date(2027, 1, 6)
    assert count_from(date(2026, 12, 2), 30, HOLIDAYS) == date(2027, 1, 18)
    assert years_without_holidays(monday, date(2027, 1, 7), HOLIDAYS) == []
    assert years_without_holidays(monday, date(2028, 1, 7), HOLIDAYS) == [2028]


# -- the register (Pasal 22 ayat (2)) -----------------------------------------------------

@pytest.mark.parametrize(("change", "words"), [
    ({"requester_address": None}, "requester_address"),
    ({"requester_address": "   "}, "requester_address"),
    ({"format": "pdf"}, "'format' must be one of ['softcopy', 'hardcopy', 'viewing']"),
    ({"format": None}, "'format'"),
    ({"delivery": "kurir"}, "'delivery' must be one of ['in_person', 'post', 'email']"),
    ({"delivery": "email"}, "'requester_email' is required when delivery is 'email'"),
    ({"delivery": "email", "requester_email": "siti at contoh"}, "e-mail address"),
])
def test_the_register_refuses_a_request_without_what_pasal_22_names(call, visit_at, change,
                                                                      words):
    visit_id = visit_at("request")["visit"]["id"]
    body = {key: value for key, value in {**REQUEST, **change}.items() if value is not None}
    refused(step(call, "officer", visit_id, "request", request=body), 422, words)
    assert request_of(call, visit_id) is None  # nothing recorded


def test_the_register_holds_the_requester_only_for_the_roles_working_it(call, visit_at):
    visit_id = visit_at("request")["visit"]["id"]
    visit = ok(step(call, "officer", visit_id, "request", request={
        **REQUEST, "delivery": "email", "requester_email": "siti@contoh.id",
        "format": "hardcopy"}))
    request = visit["request"]
    # The name defaults to the guest book's; address, form and delivery as given.
    assert (request["requester_name"], request["requester_address"]) == (
        GUEST["name"], REQUESTER["requester_address"])
    assert (request["format"], request["delivery"], request["requester_email"]) == (
        "hardcopy", "email", "siti@contoh.id")
    for role in ("admin", "officer", "ppid"):
        assert request_of(call, visit_id, role)["requester_address"].startswith("Jl. Cikini")
    reception = request_of(call, visit_id, "receptionist")
    assert reception["number"] == request["number"]
    assert not {"requester_name", "requester_address", "requester_email"} & set(reception)
    assert request_of(call, visit_id, "security") is None
    listed = ok(call("receptionist", "GET", "/requests"))["requests"]
    assert listed and "requester_address" not in listed[0]
    assert "Cikini" not in call("receptionist", "GET", "/requests").get_data(as_text=True)


def test_the_register_export_lists_requester_form_and_delivery(call, visit_at):
    visit_at("processing")
    text = call("ppid", "GET", "/records/request_list?date=2026-12-02&format=csv").get_data(
        as_text=True)
    [row] = list(csv.DictReader(io.StringIO(text.split("\r\n\r\n", 1)[1])))
    assert (row["Nama pemohon"], row["Alamat pemohon"]) == (
        GUEST["name"], REQUESTER["requester_address"])
    assert (row["Bentuk informasi"], row["Cara penyampaian"]) == (
        "Salinan elektronik (softcopy)", "Diambil langsung")


# -- the proof of request (Pasal 22 ayat (4)) ---------------------------------------------

def test_the_proof_of_request_prints_at_the_counter_without_personal_data(call, visit_at,
                                                                          services):
    visit = visit_at("processing")
    request = visit["visit"]["request"]
    assert request["proof_print_job_id"] is not None
    with services.session_factory() as db:
        job = db.get(PrintJob, request["proof_print_job_id"])
        assert job.kind == "receipt" and job.payload["request_number"] == request["number"]
    paper = call("officer", "GET", f"/print-jobs/{job.id}/preview").get_data(as_text=True)
    for words in ("BUKTI PERMOHONAN INFORMASI", "BPMP Provinsi DKI Jakarta",
                  "Unit Layanan Terpadu", request["number"], "Rapor mutu 2025",
                  "16 Desember 2026", "10 hari kerja", "Salinan elektronik",
                  "Diambil langsung"):
        assert words in paper, words
    for personal in (NIK_DIGITS, "3171", GUEST["name"], "Cikini", GUEST["phone"]):
        assert personal not in paper, personal

    again = ok(call("officer", "POST", f"/requests/{request['id']}/proof", json={}), 201)
    assert again["proof_print_job_id"] > job.id
    refused(call("receptionist", "POST", f"/requests/{request['id']}/proof", json={}), 403,
            "reprints")
    refused(call("officer", "POST", "/requests/999/proof", json={}), 404, "No request")


# -- the extension only before the limit (Pasal 22 ayat (8)) ------------------------------

def test_an_extension_is_granted_only_before_the_limit_has_passed(call, clock, visit_at):
    first = request_of(call, visit_at("processing")["visit"]["id"])
    second = request_of(call, visit_at("processing")["visit"]["id"])
    assert first["due_statutory"] == second["due_statutory"] == "2026-12-16"
    path = f"/requests/{first['id']}/extend"
    refused(call("ppid", "POST", path, json={"days": 8, "reason": "Data di arsip pusat"}), 422,
            "1 to 7")
    refused(call("ppid", "POST", path, json={"days": 3, "reason": " "}), 422, "reason")

    clock.advance(days=14)  # Wednesday 16 December: the last day, still in time
    extended = ok(call("ppid", "POST", path, json={"days": 7, "reason": "Data di arsip pusat"}))
    assert extended["statutory_limit"] == "2026-12-29"  # 24 and 25 December skipped

    clock.advance(days=1)  # Thursday 17 December: the limit has passed
    late = call("ppid", "POST", f"/requests/{second['id']}/extend",
                json={"days": 7, "reason": "Data di arsip pusat"})
    refused(late, 409, "limit of request")
    assert "passed on 2026-12-16" in late.json["error"]["message"]
    assert request_of(call, second["visit_id"])["extension_days"] is None

    # The statutory limit, not the internal target, is flagged on the list and the export.
    listed = {r["number"]: r for r in ok(call("ppid", "GET", "/requests"))["requests"]}
    assert listed[second["number"]]["past_statutory_limit"] is True
    assert listed[first["number"]]["past_statutory_limit"] is False
    assert listed[first["number"]]["overdue"] is True  # past the 3-day internal target
    text = call("admin", "GET", "/records/request_list?date=2026-12-02&format=csv").get_data(
        as_text=True)
    rows = {row["Nomor"]: row for row in csv.DictReader(io.StringIO(text.split("\r\n\r\n", 1)[1]))}
    assert rows[second["number"]]["Lewat batas UU KIP"] == "Ya"
    assert rows[first["number"]]["Lewat batas UU KIP"] == "Tidak"
    assert rows[first["number"]]["Batas akhir (setelah perpanjangan)"] == "2026-12-29"
    assert rows[first["number"]]["Bentuk informasi"] == "Salinan elektronik (softcopy)"


# -- refusal (Pasal 17) and objection (Pasal 35-36) ---------------------------------------

def test_a_refusal_records_the_article_and_the_reason_and_gives_a_notice(call, visit_at):
    visit_id = visit_at("processing")["visit"]["id"]
    request = request_of(call, visit_id)
    path = f"/requests/{request['id']}/refuse"
    reason = "Membuka rapor mutu sekolah lain dapat mengungkap data pribadi peserta didik."
    refused(call("officer", "POST", path, json={"article": "h", "reason": reason}), 403, "PPID")
    refused(call("ppid", "POST", path, json={"article": "k", "reason": reason}), 422,
            "Pasal 17")
    refused(call("ppid", "POST", path, json={"article": "h"}), 422, "reason")

    done = ok(call("ppid", "POST", path, json={"article": "h", "reason": reason}))
    assert (done["refused"], done["refusal_article"], done["status"]) == (
        True, "h", "result_ready")
    assert "Pasal 17 huruf h" in done["result"]
    visit = ok(call("officer", "GET", f"/visits/{visit_id}"))["visit"]
    assert visit["step"]["key"] == "hand_over"  # the counter hands the notice over
    refused(call("ppid", "POST", path, json={"article": "h", "reason": reason}), 409,
            "already has its result")
    refused(call("ppid", "POST", f"/requests/{request['id']}/extend",
                 json={"days": 2, "reason": "x"}), 409, "already has its result")

    notice = call("ppid", "GET", f"/requests/{request['id']}/refusal-notice")
    assert notice.status_code == 200 and notice.mimetype == "text/plain"
    text = notice.get_data(as_text=True)
    for words in ("PEMBERITAHUAN TERTULIS PENOLAKAN", request["number"], "Pasal 17 huruf h",
                  reason, GUEST["name"], "Jl. Cikini", "Pasal 35-36"):
        assert words in text, words
    assert NIK_DIGITS not in text
    assert call("receptionist", "GET",
                f"/requests/{request['id']}/refusal-notice").status_code == 403
    listed = ok(call("ppid", "GET", "/requests/refused"))["requests"]
    assert [r["number"] for r in listed] == [request["number"]]
    assert call("receptionist", "GET", "/requests/refused").status_code == 403


def test_an_objection_gets_its_own_number_and_thirty_working_days(call, visit_at):
    request = request_of(call, visit_at("processing")["visit"]["id"])
    path = f"/requests/{request['id']}/objections"
    refused(call("ppid", "POST", path, json={"ground": "z"}), 422, "Pasal 35")
    refused(call("ppid", "POST", path, json={}), 422, "ground")
    refused(call("receptionist", "POST", path, json={"ground": "c"}), 403, "objection")
    refused(call("ppid", "POST", "/requests/999/objections", json={"ground": "c"}), 404,
            "No request")
    lodged = ok(call("officer", "POST", path, json={"ground": "c",
                                                    "note": "Belum ada tanggapan"}), 201)
    assert lodged["number"] == "KBR-20261202-001"
    assert lodged["request_number"] == request["number"]
    # 30 working days from Wednesday 2 December, over 24/25 December and 1 January.
    assert lodged["due_date"] == "2027-01-18"
    assert lodged["ground_text"] == "Tidak ditanggapinya permintaan informasi"
    [listed] = ok(call("ppid", "GET", "/objections"))["objections"]
    assert listed["number"] == "KBR-20261202-001" and listed["past_due_date"] is False
    assert call("receptionist", "GET", "/objections").status_code == 403


# -- day one as an option -----------------------------------------------------------------

@pytest.mark.parametrize("config_overrides", [{"ppid": {"statutory_working_days": 10,
                                                        "extension_working_days": 7,
                                                        "day_one": "receipt_day"}}])
def test_day_one_can_be_the_day_of_receipt(call, visit_at, app, users):
    request = request_of(call, visit_at("processing")["visit"]["id"])
    assert request["due_statutory"] == "2026-12-15"
    client = app.test_client()
    client.post("/login", data={"username": "ppid", "password": PASSWORD})
    page = client.get("/ppid").get_data(as_text=True)
    assert "Hari ke-1 adalah hari permohonan diterima" in page


def test_the_ppid_page_says_which_day_is_day_one(app, users):
    client = app.test_client()
    client.post("/login", data={"username": "ppid", "password": PASSWORD})
    page = client.get("/ppid").get_data(as_text=True)
    assert "Hari ke-1 adalah hari kerja berikutnya setelah permohonan diterima" in page
    assert "holiday-gap" not in page  # the tests' office lists 2026 and 2027


# -- a year with no holidays listed -------------------------------------------------------

@pytest.mark.parametrize("config_overrides", [ONLY_2026])
def test_a_year_without_holidays_is_warned_of_loudly(config, clock, session_factory, users,
                                                     caplog, call, visit_at):
    with caplog.at_level(logging.WARNING):
        fresh = create_app(config, clock=clock, session_factory=session_factory)
    fresh.extensions["queue"].engine.dispose()
    assert "Daftar hari libur 2027 belum diisi" in caplog.text

    for role, path in (("ppid", "/ppid"), ("admin", "/prosedur")):
        client = fresh.test_client()
        client.post("/login", data={"username": role, "password": PASSWORD})
        page = client.get(path).get_data(as_text=True)
        assert 'class="alert holiday-gap" role="alert" data-year="2027"' in page, path
        assert "Daftar hari libur 2027 belum diisi</p>" in page, path
    assert ok(call("ppid", "GET", "/requests"))["holiday_gaps"] == [2027]

    # A deadline counted into 2027 is logged when it is computed, too.
    caplog.clear()
    clock.advance(days=19)  # Monday 21 December
    with caplog.at_level(logging.WARNING):
        request = request_of(call, visit_at("processing")["visit"]["id"])
    assert request["due_statutory"] == "2027-01-06"  # 1 January counted as a working day
    assert "Daftar hari libur 2027 belum diisi" in caplog.text


def test_the_objection_and_refusal_lists_are_for_the_ppid_and_counter(call, services):
    assert ok(call("ppid", "GET", "/objections")) == {"objections": []}
    assert ok(call("officer", "GET", "/requests/refused")) == {"requests": []}
    with services.session_factory() as db:
        assert db.scalars(select(PrintJob)).all() == []
