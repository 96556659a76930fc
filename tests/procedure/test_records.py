"""Each step's output listed per day and exported; PPID's list, extension and pick-up."""
from __future__ import annotations

import csv
import io

from .conftest import GUEST, ok, step


def test_every_output_is_listed_per_day(call, clock, visit_at):
    visit = visit_at("escort_out")
    day = visit["visit"]["day"]
    ok(call("display", "POST", "/survey/responses", json={
        "answers": {q["key"]: 4 for q in ok(call("display", "GET", "/survey"))["questions"]},
        "gender": "L", "education": "sma", "occupation": "swasta"}), 201)

    def rows(kind: str, role: str = "admin") -> list[dict]:
        return ok(call(role, "GET", f"/records/{kind}?date={day}"))["rows"]

    assert [r["nama"] for r in rows("guest_list")] == ["Siti Aminah"]
    assert [r["nomor"] for r in rows("priority_queue_list", "officer")] == ["P-001"]
    assert rows("priority_queue_list", "receptionist")[0]["kategori"] == "disabilitas"
    [request] = rows("request_list", "ppid")
    assert (request["nomor"], request["biaya"], request["persyaratan_lengkap"]) == (
        "PMH-20261202-001", 0, True)
    assert [r["hasil"] for r in rows("service_result", "officer")] == [
        "Salinan rapor mutu dikirim"]
    [receipt] = rows("information_receipt", "officer")
    assert receipt["permohonan"] == "PMH-20261202-001" and receipt["penerima"] == "Siti Aminah"
    [survey] = rows("satisfaction_survey")
    assert survey["biaya_tarif"] == 4 and survey["pendidikan"] == "sma"
    assert call("officer", "GET", f"/records/satisfaction_survey?date={day}").status_code == 403
    assert call("admin", "GET", f"/records/daftar_hadir?date={day}").status_code == 404
    other_day = ok(call("admin", "GET", "/records/guest_list?date=2026-12-01"))
    assert other_day["rows"] == []

    exported = call("admin", "GET", f"/records/request_list?date={day}&format=csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert lines[1] == ["Nama POS", "Pelayanan Bagi Kelompok Rentan"]
    assert lines[2] == ["Nomor POS", "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024"]
    assert lines[3:6] == [["Tanggal pembuatan", "2024-05-07"], ["Tanggal revisi", "2024-05-28"],
                          ["Tanggal efektif", "(tidak tercantum)"]]
    assert ["Daftar", "Daftar permohonan"] in lines
    header = lines.index([]) + 1
    assert lines[header][0] == "nomor" and lines[header + 1][0] == "PMH-20261202-001"


def test_visits_export_has_every_step_and_deviation_counts(call, clock, visit_at):
    visit = visit_at("to_counter")
    clock.advance(minutes=3)
    ok(step(call, "receptionist", visit["visit"]["id"], "to_counter"))
    day = visit["visit"]["day"]
    text = call("admin", "GET", f"/visits/export?from={day}&to={day}").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text)))
    header = lines[lines.index([]) + 1]
    row = dict(zip(header, lines[lines.index([]) + 2], strict=True))
    assert row["nomor_antrean"] == "P-001" and row["deviasi"] == "1"
    assert row["4_to_counter_lewat_detik"] == "60"
    assert row["3_guest_book_petugas"] == "Petugas receptionist"
    assert row["5_request_mulai"].startswith(day)
    assert "10_escort_out_selesai" in header
    assert call("officer", "GET", f"/visits/export?from={day}&to={day}").status_code == 403


def test_ppid_list_puts_overdue_first_and_extends_once(call, clock, visit_at):
    first = visit_at("processing")["visit"]["request"]  # Wednesday: due Monday 7th
    clock.advance(days=1)
    second = visit_at("processing", same_day=True)["visit"]["request"]  # due Thursday 3rd
    clock.advance(days=1)  # Friday: the same-day request is overdue
    listed = ok(call("ppid", "GET", "/requests"))["requests"]
    assert [(r["number"], r["overdue"]) for r in listed] == [
        (second["number"], True), (first["number"], False)]

    path = f"/requests/{first['id']}/extend"
    assert call("officer", "POST", path, json={"days": 3, "reason": "x"}).status_code == 403
    assert call("ppid", "POST", path, json={"days": 8, "reason": "x"}).status_code == 422
    assert call("ppid", "POST", path, json={"days": 3}).status_code == 422
    extended = ok(call("ppid", "POST", path, json={"days": 3, "reason": "Menunggu data"}))
    assert (extended["extension_days"], extended["statutory_limit"]) == (3, "2026-12-21")
    again = call("ppid", "POST", path, json={"days": 1, "reason": "Lagi"})
    assert again.status_code == 409 and "already extended" in again.json["error"]["message"]


def test_pickup_needs_a_visitor_who_went_home(call, visit_at):
    visit = visit_at("processing", guest={**GUEST, "category": "lansia", "kinds": []})
    request_id = visit["visit"]["request"]["id"]
    refused = call("receptionist", "POST", f"/requests/{request_id}/pickup")
    assert refused.status_code == 409 and "has not gone home" in refused.json["error"]["message"]
    ok(call("officer", "POST", f"/visits/{visit['visit']['id']}/leave"))
    again = call("officer", "POST", f"/visits/{visit['visit']['id']}/leave")
    assert again.status_code == 409
    pickup = ok(call("receptionist", "POST", f"/requests/{request_id}/pickup"), 201)
    assert pickup["ticket"]["number"] == "P-002" and pickup["ticket"]["category"] == "lansia"
    timeline = ok(call("officer", "GET", f"/visits/{visit['visit']['id']}"))
    assert timeline["visit"]["pickup_ticket"] == "P-002"


def test_exported_text_never_runs_as_a_spreadsheet_formula(call, visit_at):
    visit = visit_at("to_counter", guest={**GUEST, "name": "=HYPERLINK(\"x\")"})
    day = visit["visit"]["day"]
    text = call("admin", "GET", f"/records/guest_list?date={day}&format=csv").get_data(
        as_text=True)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
