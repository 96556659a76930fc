"""Fixtures for the printer library tests."""

import os
import tempfile
from datetime import UTC, datetime

import pytest

# python-escpos pickles its capability database into a fresh temp dir on every import
# unless told where to keep it (escpos/capabilities.py: ESCPOS_CAPABILITIES_PICKLE_DIR, else
# mkdtemp()): set it before any test module imports escpos.
os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="escpos-capabilities-")
)


@pytest.fixture
def fake_printer():
    """Start a fake network printer on a free port and stop it afterwards."""
    from printer.fake import FakeNetworkPrinter

    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def network_settings(fake_printer):
    """Return settings for a network printer pointing at the fake."""
    from printer.config import validate_printers

    section = {"desk": {"type": "network", "host": "127.0.0.1", "port": fake_printer.port,
                        "timeout": 2}}
    return validate_printers(section)["desk"]


@pytest.fixture
def ticket():
    """Return a priority ticket issued at 14:05 WIB on Monday 25 November 2024."""
    from printer.layout import TicketLayout

    return TicketLayout(
        office_name="BPMP Provinsi DKI Jakarta",
        number="P-012",
        priority=True,
        category_name="Lansia",
        service_name="Layanan Informasi Publik",
        issued_at=datetime(2024, 11, 25, 7, 5, tzinfo=UTC),
        timezone="Asia/Jakarta",
        waiting_ahead=3,
        counter_names=["Loket Prioritas"],
        status_url="https://antrean.example/t/8f3a",
    )


@pytest.fixture
def make_receipt():
    """Return a factory for an information receipt, with fields to override."""
    from printer.layout import ReceiptLayout

    def make(**changes):
        fields = {
            "office_name": "BPMP Provinsi DKI Jakarta",
            "request_number": "REQ-2024-0042",
            "service_name": "Permohonan Informasi Publik",
            "date": datetime(2024, 11, 27, 2, 0, tzinfo=UTC),
            "officer_name": "Budi Santoso",
            "visitor_label": "P-012",
            "items": ["Salinan SK penetapan", "Data satuan pendidikan tahun 2024 per kecamatan"],
        }
        fields.update(changes)
        return ReceiptLayout(**fields)

    return make
