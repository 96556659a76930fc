"""Exports read back: the XLSX with openpyxl (a sheet per table, headers, numbers as
numbers, days as dates, text never a formula), the CSV with formula-safe cells."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from .conftest import DAY
from .test_procedure_reports import respond


def download(client, auth, path: str, role: str = "supervisor"):
    answer = client.get(path, headers=auth(role))
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert "attachment" in answer.headers["Content-Disposition"]
    return answer


def test_the_xlsx_has_a_sheet_per_table_with_numbers_and_dates(client, auth, day_of_tickets):
    answer = download(client, auth, f"/api/v1/reports/waits.xlsx?from={DAY}&to={DAY}")
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["Per layanan", "Prioritas dan umum", "Per kategori",
                               "Per loket", "Per petugas", "Aturan keadilan antrean"]
    sheet = book["Per layanan"]
    assert sheet["A1"].value == "Instansi" and sheet["B1"].value == "BPMP Provinsi DKI Jakarta"
    assert sheet["A4"].value == "Per layanan"
    header = [cell.value for cell in sheet[5]]
    assert header[:4] == ["Kelompok", "Dipanggil", "Rata-rata tunggu", "Median tunggu"]
    info = [cell.value for cell in sheet[6]]
    assert info[0] == "Layanan Informasi Publik" and info[1] == 2
    # durations are spreadsheet times (read back as timedelta), [h]:mm:ss
    assert info[2] == timedelta(seconds=360) and sheet.cell(6, 3).number_format == "[h]:mm:ss"
    assert info[4] == timedelta(seconds=552)  # the p90 wait, as worked out in test_queries

    volume = load_workbook(io.BytesIO(download(
        client, auth, f"/api/v1/reports/volume.xlsx?from={DAY}&to={DAY}").data))
    by_day = volume["Per hari"]
    assert by_day.cell(6, 1).value == datetime(2026, 3, 10)  # a date cell, not text
    assert [by_day.cell(6, c).value for c in range(2, 6)] == [4, 2, 1, 1]


def test_text_that_looks_like_a_formula_stays_text(client, auth, services, clock, users):
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    respond(services, date(2026, 2, 3), 2, "perempuan", 30, "=HYPERLINK(\"http://x\")")
    respond(services, date(2026, 2, 4), 4, "laki_laki", 40, "+62 811 sangat baik")
    book = load_workbook(io.BytesIO(download(
        client, auth, "/api/v1/reports/skm.xlsx?from=2026-02-01&to=2026-02-28").data))
    sheet = book["Saran dan masukan"]
    texts = [sheet.cell(r, 2).value for r in (6, 7)]
    assert texts == ["+62 811 sangat baik", "=HYPERLINK(\"http://x\")"]
    assert sheet.cell(7, 2).data_type == "s"
    months = book["IKM per bulan"]
    assert months.cell(6, 3).value == 75.0  # (2 + 4) / 2 = 3 -> 75.00

    text = download(client, auth,
                    "/api/v1/reports/skm.csv?from=2026-02-01&to=2026-02-28").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Instansi", "BPMP Provinsi DKI Jakarta"]
    assert ["2026-02-03", "'=HYPERLINK(\"http://x\")"] in rows
    assert ["2026-02-04", "'+62 811 sangat baik"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_csv_holds_every_table_under_its_title(client, auth, day_of_tickets):
    text = download(client, auth,
                    f"/api/v1/reports/volume.csv?from={DAY}&to={DAY}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Per hari"] in rows and ["Kedatangan per jam"] in rows
    start = rows.index(["Per hari"])
    assert rows[start + 1] == ["Tanggal", "Diambil", "Dilayani", "Tidak hadir", "Dialihkan"]
    assert rows[start + 2] == [DAY, "4", "2", "1", "1"]


def test_exports_refuse_desk_roles_and_bad_ranges(client, auth, users):
    for fmt in ("csv", "xlsx"):
        path = f"/api/v1/reports/volume.{fmt}"
        assert client.get(path, headers=auth("officer")).status_code == 403
        bad = client.get(path + "?from=2026-03-02&to=2026-03-01", headers=auth("admin"))
        assert bad.status_code == 422
