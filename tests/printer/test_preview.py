"""Decoding rendered ESC/POS back into what the paper shows."""

from dataclasses import replace

from printer.layout import paper_columns, render_receipt, render_test_page, render_ticket
from printer.preview import Alignment, LineKind, PreviewLine, preview_html, preview_text


def texts(lines: list[PreviewLine]) -> list[str]:
    return [line.text for line in lines if line.kind is LineKind.TEXT and line.text]


def test_ticket_decodes_back_to_its_text(ticket):
    lines = preview_text(render_ticket(ticket, "TM-T88III"), paper_columns("TM-T88III"))
    assert texts(lines) == [
        "BPMP Provinsi DKI Jakarta",
        "ANTREAN PRIORITAS",
        "Nomor Antrean",
        "P-012",
        "Lansia",
        "Layanan Informasi Publik",
        "Senin, 25 November 2024",
        "14.05 WIB",
        "Di depan Anda: 3 orang",
        "Silakan menuju Loket Prioritas",
        "Layanan ini tidak dipungut biaya",
        "Pindai untuk melihat status antrean",
    ]
    by_text = {line.text: line for line in lines}
    number = by_text["P-012"]
    assert (number.width, number.height, number.bold, number.large) == (8, 8, True, True)
    assert number.align is Alignment.CENTER
    title = by_text["ANTREAN PRIORITAS"]
    assert (title.width, title.height) == (1, 2)
    assert by_text["BPMP Provinsi DKI Jakarta"].bold
    assert not by_text["Layanan Informasi Publik"].bold
    [qr] = [line for line in lines if line.kind is LineKind.QR]
    assert qr.text == "https://antrean.example/t/8f3a"
    assert lines[-1].kind is LineKind.CUT


def test_ticket_without_cutter_has_no_cut_line_and_an_image_for_the_qr(ticket):
    lines = preview_text(render_ticket(ticket, "POS-5890"), paper_columns("POS-5890"))
    kinds = {line.kind for line in lines}
    assert LineKind.CUT not in kinds and LineKind.QR not in kinds
    [image] = [line for line in lines if line.kind is LineKind.IMAGE]
    assert image.image_size[0] == 384
    assert "P-012" in texts(lines)


def test_printer_wraps_lines_longer_than_the_paper():
    data = b"\x1b@" + b"x" * 50 + b"\n" + b"\x1d!\x11" + b"ABCDEFGHIJ\n"
    lines = preview_text(data, 42)
    assert texts(lines) == ["x" * 42, "x" * 8, "ABCDEFGHIJ"]
    assert texts(preview_text(b"\x1d!\x11" + b"ABCDEFGHIJ\n", 8)) == ["ABCD", "EFGH", "IJ"]


def test_receipt_decodes_with_left_aligned_details(make_receipt):
    lines = preview_text(render_receipt(make_receipt(), "TM-T88III"))
    by_text = {line.text: line for line in lines}
    assert by_text["Pengunjung     : P-012"].align is Alignment.LEFT
    assert by_text["TANDA TERIMA INFORMASI"].align is Alignment.CENTER
    assert "       Petugas              Penerima" in by_text


def test_test_page_decodes():
    lines = preview_text(render_test_page("desk", "TM-T88III"))
    assert "Printer: desk" in texts(lines)
    assert [line.text for line in lines if line.kind is LineKind.QR] == ["printer:desk"]


def test_html_escapes_everything(ticket):
    hostile = replace(ticket, office_name="<script>alert(1)</script>",
                      status_url='https://x.example/"><img src=x onerror=alert(1)>')
    page = preview_html(render_ticket(hostile, "TM-T88III"), 42)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "https://x.example/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_html_marks_size_alignment_qr_and_cut(ticket):
    page = preview_html(render_ticket(ticket, "TM-T88III"), 42)
    assert page.startswith('<div class="escpos-paper" style="--escpos-columns: 42">')
    assert ('<div class="escpos-line escpos-center escpos-bold escpos-large" '
            'style="--w: 8; --h: 8"><span>P-012</span></div>') in page
    assert 'class="escpos-qr-box" role="img" aria-label="QR: https://antrean.example/t/8f3a"' in page
    assert 'class="escpos-cut"' in page


def test_truncated_or_unknown_bytes_never_raise(ticket):
    data = render_ticket(ticket, "POS-5890")
    for cut_at in range(0, len(data), 7):
        preview_html(data[:cut_at], 32)
    assert preview_text(b"\x1dk\xbd") is not None
    assert texts(preview_text(b"\x1b\x99hello\n\x1c\x99world\n")) == ["hello", "orld"]
