"""The PDF reports read back with pdftotext: the office's letterhead, the IKM and its grade,
each element's NRR, the follow-up plan; the monthly report's figures."""
from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime

import pytest
from PIL import Image

from .conftest import DAY
from .test_procedure_reports import respond


@pytest.fixture
def config_overrides(tmp_path_factory):
    logo = tmp_path_factory.mktemp("letterhead") / "logo.png"
    Image.new("RGB", (40, 40), (0, 80, 160)).save(logo)
    return {"reports": {"letterhead": {"address": "Jl. Nusantara Raya No. 1, Jakarta",
                                       "logo": str(logo)}}}


def images_in(data: bytes, tmp_path) -> list[str]:
    """pdfimages' list of the images a PDF holds (one line each)."""
    path = tmp_path / "images.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                          check=True)
    return done.stdout.splitlines()[2:]  # two heading lines


def text_of(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def test_the_skm_report_follows_permenpan_14_2017(client, auth, services, clock, users,
                                                  tmp_path):
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    respond(services, date(2026, 1, 15), 4, "laki_laki", 25, "Antrean lebih cepat")
    respond(services, date(2026, 1, 20), 3, "perempuan", 61)
    answer = client.get("/api/v1/reports/skm.pdf?from=2026-01-01&to=2026-01-31",
                        headers=auth("supervisor"))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = text_of(answer.data, tmp_path)
    assert "BPMP Provinsi DKI Jakarta" in text
    assert "Jl. Nusantara Raya No. 1, Jakarta" in text
    assert "Laporan Hasil Survei Kepuasan Masyarakat" in text
    assert "87,50" in text and "B (Baik)" in text  # IKM 3.5 x 25, grade B
    for element in ("Persyaratan", "Waktu Penyelesaian", "Sarana dan Prasarana"):
        line = next(line for line in text.splitlines() if element in line)
        assert "3,50" in line, line  # each element's NRR
    assert "Profil responden" in text and "Antrean lebih cepat" in text
    assert "Rencana tindak lanjut" in text and "Penanggung jawab" in text


def test_the_monthly_report_has_the_months_figures(client, auth, day_of_tickets, tmp_path):
    answer = client.get(f"/api/v1/reports/monthly.pdf?from={DAY}&to={DAY}",
                        headers=auth("admin"))
    assert answer.status_code == 200
    text = text_of(answer.data, tmp_path)
    assert "Laporan Bulanan Pelayanan" in text and "BPMP Provinsi DKI Jakarta" in text
    assert "Waktu tunggu dan waktu layanan" in text
    issued = next(line for line in text.splitlines() if "Nomor diambil" in line)
    assert issued.split()[-1] == "4"
    median = next(line for line in text.splitlines() if "Median tunggu" in line)
    assert "0:10:00" in median  # 600 s
    # the letterhead's logo (config.yaml reports.letterhead.logo), a 40 x 40 image, on
    # every page's letterhead
    images = images_in(answer.data, tmp_path)
    pages = subprocess.run(["pdfinfo", "-"], input=answer.data, capture_output=True,
                           check=True).stdout.decode()
    count = int(next(line for line in pages.splitlines() if line.startswith("Pages:")).split()[1])
    assert len(images) == count >= 1, images
    assert all(image.split()[3:5] == ["40", "40"] for image in images), images
    assert client.get("/api/v1/reports/monthly.pdf", headers=auth("officer")).status_code == 403


def test_a_bad_letterhead_logo_names_its_key(tmp_path):
    from queue_server.platform.config_values import ConfigError
    from queue_server.reports.settings import parse_reports
    with pytest.raises(ConfigError) as error:
        parse_reports({"reports": {"letterhead": {"logo": "nope.png"}}}, tmp_path)
    assert error.value.key == "reports.letterhead.logo"
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    with pytest.raises(ConfigError) as error:
        parse_reports({"reports": {"letterhead": {"logo": "broken.png"}}}, tmp_path)
    assert error.value.key == "reports.letterhead.logo"
    assert "not a PNG or JPEG image" in str(error.value)
    with pytest.raises(ConfigError) as error:
        parse_reports({"reports": {"letterhed": {}}}, tmp_path)
    assert error.value.key == "reports.letterhed"


def test_a_long_table_repeats_its_header_on_each_page_and_wraps_long_cells(tmp_path):
    """The grid drawn cell by cell: every row on a page, the header row on each page and
    never alone at a page's foot, a cell longer than its column broken into lines."""
    from queue_server.reports.pdf import Letterhead

    pdf = Letterhead("BPMP Provinsi DKI Jakarta", "ULT", None, "id")
    pdf.add_page()
    long = "Penanganan Pengaduan, Saran, dan Masukan yang panjang sekali " * 3
    pdf.grid(["Nomor", "Saran"], [[str(n), long if n == 7 else f"baris {n}"]
                                  for n in range(1, 121)])
    data = bytes(pdf.output())
    pages = text_of(data, tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 3
    for page in pages:
        lines = [line.split() for line in page.splitlines() if line.strip()]
        headers = [n for n, words in enumerate(lines) if words[:2] == ["Nomor", "Saran"]]
        assert len(headers) == 1, page
        assert lines[headers[0] + 1][0].isdigit()  # a row follows its header
    text = " ".join(pages)
    for n in (1, 60, 120):
        assert f"baris {n}" in text
    assert text.count("Penanganan") == 3 and " ".join(text.split()).count(
        "yang panjang sekali") == 3
