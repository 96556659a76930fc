"""Sending jobs and asking for status, against the fake network printer and files."""

import socket

import pytest

from printer.config import validate_printers
from printer.devices import PrinterState, query_status, send
from printer.errors import PrinterError
from printer.fake import FakePaper
from printer.layout import render_ticket


def free_port() -> int:
    """Return a port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_for(entry: dict, **kwargs):
    return validate_printers({"desk": entry}, **kwargs)["desk"]


def test_send_delivers_the_exact_bytes(fake_printer, network_settings, ticket):
    data = render_ticket(ticket, network_settings.profile)
    send(network_settings, data)
    assert fake_printer.wait_for_jobs(1) == [data]


def test_each_send_is_one_job(fake_printer, network_settings):
    for number in range(3):
        send(network_settings, b"job %d" % number)
    assert fake_printer.wait_for_jobs(3) == [b"job 0", b"job 1", b"job 2"]


def test_send_to_a_closed_port_raises_printer_error():
    closed = settings_for({"type": "network", "host": "127.0.0.1", "port": free_port()})
    with pytest.raises(PrinterError, match=r"^Printer 'desk' at 127\.0\.0\.1:\d+ is unreachable: "):
        send(closed, b"\x1b@")


def test_send_after_the_printer_restarts_on_the_same_port(fake_printer, network_settings):
    fake_printer.stop()
    with pytest.raises(PrinterError):
        send(network_settings, b"lost")
    fake_printer.start()
    send(network_settings, b"printed")
    assert fake_printer.wait_for_jobs(1) == [b"printed"]


def test_file_printer_errors_are_translated(tmp_path):
    missing = settings_for({"type": "file", "device": str(tmp_path / "no" / "lp0")})
    with pytest.raises(PrinterError, match="Printer 'desk' at .*lp0 is unreachable") as caught:
        send(missing, b"x")
    assert caught.value.__cause__ is not None


def test_file_printer_writes_the_bytes(tmp_path):
    device = tmp_path / "lp0"
    send(settings_for({"type": "file", "device": str(device)}), b"\x1b@hello\n")
    assert device.read_bytes() == b"\x1b@hello\n"


def test_cups_without_pycups_is_a_printer_error():
    with pytest.raises(PrinterError, match="Printer 'desk' at CUPS queue thermal"):
        send(settings_for({"type": "cups", "queue": "thermal"}), b"x")


def test_preview_keeps_each_job_in_its_own_file(tmp_path, ticket):
    preview = settings_for({"type": "preview"}, preview_dir=tmp_path / "preview")
    data = render_ticket(ticket, preview.profile)
    send(preview, data, job_name="ticket-17")
    send(preview, b"second")
    send(preview, b"third")
    files = sorted((tmp_path / "preview").iterdir())
    assert len(files) == 3
    named = [path for path in files if path.name.endswith("-ticket-17.bin")]
    assert len(named) == 1 and named[0].read_bytes() == data
    assert sorted(path.read_bytes() for path in files) == sorted([data, b"second", b"third"])
    assert all(path.suffix == ".bin" for path in files)


def test_preview_job_name_cannot_escape_the_directory(tmp_path):
    preview = settings_for({"type": "preview", "directory": str(tmp_path)})
    send(preview, b"x", job_name="../../etc/passwd")
    [written] = list(tmp_path.iterdir())
    assert written.parent == tmp_path and "/" not in written.name


@pytest.mark.parametrize(
    ("online", "paper", "state"),
    [
        (True, FakePaper.OK, PrinterState.ONLINE),
        (True, FakePaper.LOW, PrinterState.PAPER_LOW),
        (True, FakePaper.OUT, PrinterState.PAPER_OUT),
        (False, FakePaper.OK, PrinterState.OFFLINE),
    ],
)
def test_query_status_reads_the_printer(fake_printer, network_settings, online, paper, state):
    fake_printer.online, fake_printer.paper = online, paper
    assert query_status(network_settings) is state
    assert fake_printer.jobs == []  # status queries are not print jobs


def test_query_status_of_a_switched_off_printer_is_offline(fake_printer, network_settings):
    fake_printer.stop()
    assert query_status(network_settings) is PrinterState.OFFLINE


def test_printer_that_ignores_status_queries_is_unknown(fake_printer):
    silent = settings_for({"type": "network", "host": "127.0.0.1", "port": fake_printer.port,
                           "timeout": 0.2})
    fake_printer.answers_status = False
    assert query_status(silent) is PrinterState.UNKNOWN


def test_status_query_switched_off_is_unknown_without_asking(fake_printer):
    quiet = settings_for({"type": "network", "host": "127.0.0.1", "port": fake_printer.port,
                          "status_query": False})
    assert query_status(quiet) is PrinterState.UNKNOWN
    assert fake_printer.status_queries == 0


@pytest.mark.parametrize(
    "entry",
    [{"type": "file", "device": "/dev/usb/lp0"}, {"type": "cups", "queue": "q"},
     {"type": "preview", "directory": "/tmp"}],
)
def test_printers_that_cannot_tell_are_unknown(entry):
    assert query_status(settings_for(entry)) is PrinterState.UNKNOWN


def test_connection_reset_mid_job_raises_printer_error(fake_printer, network_settings):
    fake_printer.reset_after = 1024
    with pytest.raises(PrinterError, match="Printer 'desk' at 127.0.0.1:.* failed: "):
        send(network_settings, b"\x00" * 8_000_000)


@pytest.mark.parametrize(
    ("entry", "location"),
    [
        ({"type": "usb", "vendor_id": "0xfffe", "product_id": "0xfffe"}, "USB fffe:fffe"),
        ({"type": "serial", "device": "/dev/ttyNOPE"}, "/dev/ttyNOPE"),
    ],
)
def test_missing_usb_and_serial_printers(entry, location):
    settings = settings_for(entry)
    with pytest.raises(PrinterError, match=f"^Printer 'desk' at {location} is (unreachable|not)"):
        send(settings, b"x")
    assert query_status(settings) is PrinterState.OFFLINE
