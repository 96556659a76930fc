"""Exact ESC/POS bytes of tickets, receipts and the test page."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from escpos.printer import Dummy

from printer.layout import (
    paper_columns,
    render_receipt,
    render_test_page,
    render_ticket,
)

ESC, GS = b"\x1b", b"\x1d"
CUT = GS + b"V\x00"
NATIVE_QR = GS + b"(k"
RASTER_IMAGE = GS + b"v0"


def native_qr(url: str, size: int) -> bytes:
    """Build the GS ( k sequence python-escpos sends for a model 2, level L code."""
    printer = Dummy(profile="TM-T88III")
    printer.qr(url, native=True, size=size)
    return printer.output


def test_80mm_ticket_bytes_are_exact(ticket):
    expected = b"".join([
        ESC + b"@" + ESC + b"E\x01" + ESC + b"a\x01" + ESC + b"t\x00",
        b"BPMP Provinsi DKI Jakarta\n",
        ESC + b"!\x00" + ESC + b"!\x00" + ESC + b"!\x10" + b"ANTREAN PRIORITAS\n",
        ESC + b"!\x00" + ESC + b"!\x00" + ESC + b"!\x00" + ESC + b"E\x00" + b"\n",
        b"Nomor Antrean\n",
        GS + b"!\x77" + ESC + b"E\x01" + b"P-012\n",  # 8x wide, 8x high, bold
        GS + b"!\x00" + b"Lansia\n",
        ESC + b"E\x00" + b"Layanan Informasi Publik\n",
        b"Senin, 25 November 2024\n",
        b"14.05 WIB\n",  # EYD V: a full stop between hours and minutes
        b"\n",
        b"Di depan Anda: 3 orang\n",
        b"Silakan menuju Loket Prioritas\n",
        b"\n",
        ESC + b"E\x01" + b"Layanan ini tidak dipungut biaya\n",
        ESC + b"E\x00" + b"\n",
        native_qr("https://antrean.example/t/8f3a", size=6) + b"\n",
        b"Pindai untuk melihat status antrean\n",
        ESC + b"d\x06" + CUT,
    ])
    assert render_ticket(ticket, "TM-T88III") == expected


def test_58mm_ticket_with_cutter_fits_the_number_and_cuts(ticket):
    data = render_ticket(ticket, "RP-F10-58mm")
    assert paper_columns("RP-F10-58mm") == 36
    # 36 columns / 5 characters: 7x wide (0x60), still 8x high (0x07).
    assert GS + b"!\x67" + ESC + b"E\x01" + b"P-012\n" in data
    assert b"ANTREAN PRIORITAS\n" in data
    assert b"Layanan ini tidak dipungut biaya\n" in data
    assert native_qr("https://antrean.example/t/8f3a", size=5) in data
    assert data.endswith(ESC + b"d\x06" + CUT)


def test_58mm_ticket_without_cutter_only_feeds(ticket):
    data = render_ticket(ticket, "POS-5890")
    assert GS + b"!\x57" + ESC + b"E\x01" + b"P-012\n" in data  # 32 columns: 6x wide
    assert b"ANTREAN PRIORITAS\n" in data
    assert b"tidak dipungut biaya" in data
    assert GS + b"V" not in data
    assert data.endswith(ESC + b"d\x06")
    # No native QR on this profile: the code goes as a raster image, full paper width.
    assert NATIVE_QR not in data
    assert RASTER_IMAGE + b"\x00" + (384 // 8).to_bytes(2, "little") in data
    # The caption wraps at 32 columns instead of running off the paper.
    assert b"Pindai untuk melihat status\nantrean\n" in data


def test_width_override_changes_wrapping_and_number_size(ticket):
    data = render_ticket(ticket, "TM-T88III", width_chars=32)
    assert GS + b"!\x57" + ESC + b"E\x01" + b"P-012\n" in data


def test_regular_ticket_in_english(ticket):
    english = replace(ticket, priority=False, language="en", waiting_ahead=1,
                      counter_names=["Counter 1", "Counter 2"])
    data = render_ticket(english, "TM-T88III")
    assert b"REGULAR QUEUE\n" in data
    assert b"ANTREAN" not in data
    assert b"Monday, 25 November 2024\n" in data
    assert b"14:05 WIB\n" in data  # English keeps the colon
    assert b"People ahead of you: 1\n" in data
    assert b"Please proceed to Counter 1, Counter 2\n" in data
    assert b"This service is free of charge\n" in data


def test_ticket_without_url_has_no_qr_and_says_nobody_waits(ticket):
    data = render_ticket(replace(ticket, status_url=None, waiting_ahead=0), "TM-T88III")
    assert NATIVE_QR not in data
    assert b"Pindai" not in data
    assert b"Tidak ada yang menunggu di depan Anda\n" in data


def test_local_time_crosses_midnight_into_the_next_day(ticket):
    late = replace(ticket, issued_at=datetime(2024, 12, 31, 17, 30, tzinfo=UTC))
    data = render_ticket(late, "TM-T88III")
    assert b"Rabu, 1 Januari 2025\n" in data
    assert b"00.30 WIB\n" in data


def test_layout_rejects_naive_time_and_unknown_language(ticket):
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(ticket, issued_at=datetime(2024, 11, 25, 7, 5))
    with pytest.raises(ValueError, match="language"):
        replace(ticket, language="fr")


def test_receipt_contents_and_signature_lines(make_receipt):
    data = render_receipt(make_receipt(), "TM-T88III")
    assert ESC + b"!\x10" + b"TANDA TERIMA INFORMASI\n" in data
    assert b"No. Permohonan : REQ-2024-0042" in data
    assert b"Layanan        : Permohonan Informasi\n                 Publik\n" in data
    assert b"Tanggal        : Rabu, 27 November 2024\n                 09.00 WIB\n" in data
    assert b"Pengunjung     : P-012\n" in data
    assert b"Petugas        : Budi Santoso\n" in data
    assert b" 1. Salinan SK penetapan\n" in data
    assert b" 2. Data satuan pendidikan tahun 2024 per\n    kecamatan\n" in data
    assert b"       Petugas              Penerima\n" in data
    assert b"  (_______________)    (_______________)\n" in data
    assert b"     Budi Santoso\n" in data
    assert b"Layanan ini tidak dipungut biaya" in data
    assert data.endswith(ESC + b"d\x06" + CUT)


def test_receipt_details_follow_the_standard_lines(make_receipt):
    """The proof of request adds [label, value] lines: the subject, the due date."""
    data = render_receipt(make_receipt(
        title="BUKTI PERMOHONAN INFORMASI", items=[],
        details=[["Informasi yang dimohon", "Rapor mutu 2025"],
                 ["Batas waktu jawaban", "16 Desember 2026 (10 hari kerja, UU 14/2008 Pasal "
                                         "22 ayat (7))"]]), "TM-T88III")
    assert ESC + b"!\x10" + b"BUKTI PERMOHONAN INFORMASI\n" in data
    assert b"Petugas        : Budi Santoso\nInformasi yang dimohon:\n  Rapor mutu 2025\n" in data
    assert b"Batas waktu jawaban:\n  16 Desember 2026 (10 hari kerja, UU\n  14/2008 Pasal 22" \
        in data
    assert render_receipt(make_receipt(), "TM-T88III") == render_receipt(
        make_receipt(details=[]), "TM-T88III")  # a receipt without details is unchanged


def test_receipt_in_english_on_58mm(make_receipt):
    data = render_receipt(make_receipt(language="en", items=[]), "RP-F10-58mm")
    assert b"INFORMATION RECEIPT\n" in data
    assert b"Request No. : REQ-2024-0042\n" in data
    assert b"Information handed over" not in data
    assert b"     Officer          Recipient\n" in data


def test_test_page_shows_profile_facts():
    data = render_test_page("desk", "POS-5890")
    assert b"Printer: desk\n" in data
    assert b"Profil: POS-5890\n" in data
    assert b"Kertas: 57.5 mm, 32 karakter\n" in data
    assert b"Pemotong: tidak\n" in data
    assert b"QR bawaan: tidak\n" in data
    assert b"12345678901234567890123456789012\n" in data
    assert GS + b"V" not in data
    assert CUT in render_test_page("desk", "TM-T88III")


def test_the_estimated_wait_is_printed_only_when_there_is_one(ticket):
    """Plain ASCII (no "±": the paper's code page need not have it), under the people ahead."""
    with_estimate = render_ticket(replace(ticket, wait_minutes=[10, 15]), "TM-T88III")
    assert b"Di depan Anda: 3 orang\nPerkiraan waktu tunggu: 10-15 menit\n" in with_estimate
    assert b"Perkiraan" not in render_ticket(ticket, "TM-T88III")
    english = render_ticket(replace(ticket, wait_minutes=[0, 5], language="en"), "TM-T88III")
    assert b"Estimated wait: 0-5 minutes\n" in english
