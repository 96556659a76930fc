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
    lines = list(csv.reader(io.StringIO(exported.get_data(as_text=True).removeprefix("\ufeff"))))
    assert lines[1] == ["Nama POS", "Pelayanan Bagi Kelompok Rentan"]
    assert lines[2] == ["Nomor POS", "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024"]
    assert lines[3:6] == [["Tanggal pembuatan", "2024-05-07"], ["Tanggal revisi", "2024-05-28"],
                          ["Tanggal efektif", "(tidak tercantum)"]]
    assert ["Daftar", "Daftar permohonan"] in lines
    header = lines.index([]) + 1
    assert lines[header][0] == "Nomor" and lines[header + 1][0] == "PMH-20261202-001"


def test_visits_export_has_every_step_and_deviation_counts(call, clock, visit_at):
    visit = visit_at("to_counter")
    clock.advance(minutes=3)
    ok(step(call, "receptionist", visit["visit"]["id"], "to_counter"))
    day = visit["visit"]["day"]
    text = call("admin", "GET", f"/visits/export?from={day}&to={day}").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = lines[lines.index([]) + 1]
    row = dict(zip(header, lines[lines.index([]) + 2], strict=True))
    assert row["Nomor antrean"] == "P-001" and row["Jumlah penyimpangan"] == "1"
    assert row["4. Mendampingi menuju loket/meja layanan prioritas: terlambat (detik)"] == "60"
    assert row["3. Membantu mengisi buku tamu, kartu identitas, dan nomor antrean prioritas: "
               "petugas"] == "Petugas receptionist"
    assert row["5. Menanyakan layanan yang dibutuhkan dan memeriksa kelengkapan persyaratan: "
               "mulai"].startswith(day)
    assert "10. Mengantar pengguna layanan menuju pintu keluar/kendaraan: selesai" in header
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


def read_csv(response) -> tuple[list[list[str]], list[dict[str, str]]]:
    """The heading lines and the table rows of an export, read back as a spreadsheet would."""
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM, for Excel"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    blank = lines.index([])
    return lines[:blank], [dict(zip(lines[blank + 1], line, strict=True))
                           for line in lines[blank + 2:]]


def test_exports_read_back_with_labels_and_yes_no_in_each_language(call, visit_at):
    visit = visit_at("processing", guest=GUEST | {"companion": "=HYPERLINK(\"x\")"})
    day = visit["visit"]["day"]

    heading, [request] = read_csv(call("ppid", "GET", f"/records/request_list?date={day}"
                                                      "&format=csv"))
    assert ["Daftar", "Daftar permohonan"] in heading
    assert ["Tanggal pembuatan", "2024-05-07"] in heading
    assert request["Layanan"] == "Layanan Informasi Publik"
    assert request["Persyaratan lengkap"] == "Ya" and request["Selesai hari yang sama"] == "Tidak"
    assert request["Persyaratan"] == ("Kartu identitas: Ya; Formulir permohonan informasi: Ya; "
                                      "Surat kuasa (bila diwakilkan): Ya")
    assert request["Status"] == "Diproses PPID"
    assert request["Target internal"] == "2026-12-07"  # one date format: YYYY-MM-DD
    assert "True" not in request.values() and "in_process" not in request.values()

    _, [guest] = read_csv(call("admin", "GET", f"/records/guest_list?date={day}&format=csv"))
    assert guest["Kategori"] == "Penyandang disabilitas" and guest["Ragam disabilitas"] == "Fisik"
    assert guest["Alat bantu"] == "Kursi roda"
    assert guest["Pendamping"] == "'=HYPERLINK(\"x\")"  # still formula-safe
    assert guest["Waktu"] == "08:01:00"  # HH:MM:SS, office time

    heading, [english] = read_csv(call("admin", "GET", f"/records/request_list?date={day}"
                                                       "&format=csv&lang=en"))
    assert ["List", "Request list"] in heading and ["Made", "2024-05-07"] in heading
    assert english["Service"] == "Public Information Service"
    assert english["Requirements complete"] == "Yes" and english["Same day"] == "No"
    assert english["Requirements"].startswith("ID card: Yes; Information request form: Yes")
    assert english["Status"] == "Being processed by PPID"

    _, [row] = read_csv(call("admin", "GET", f"/visits/export?from={day}&to={day}&lang=en"))
    assert row["Status"] == "In progress" and row["Category"] == "Person with disability"
    assert row["Aids"] == "Wheelchair" and row["Service"] == "Public Information Service"
    assert row["3. Guest book, ID card and priority queue number: officer"] == (
        "Petugas receptionist")
