"""Validation of the `printers:` section."""

from pathlib import Path

import pytest

from printer.config import (
    DEFAULT_PROFILE,
    NetworkConnection,
    PrinterConfigError,
    PrinterType,
    UsbConnection,
    validate_printers,
)


def error_for(section, **kwargs) -> str:
    with pytest.raises(PrinterConfigError) as caught:
        validate_printers(section, **kwargs)
    return str(caught.value)


def test_network_printer_gets_defaults():
    printers = validate_printers({"desk": {"type": "network", "host": "10.0.0.5"}})
    desk = printers["desk"]
    assert desk.type is PrinterType.NETWORK
    assert desk.connection == NetworkConnection(host="10.0.0.5", port=9100, timeout=5.0)
    assert desk.profile == DEFAULT_PROFILE == "TM-T88III"
    assert desk.status_query is True
    assert desk.width_chars is None
    assert desk.location() == "10.0.0.5:9100"


def test_usb_ids_accept_hex_strings_and_integers():
    entry = {"type": "usb", "vendor_id": "0x04b8", "product_id": 514, "out_ep": "0x03",
             "interface": 1, "profile": "POS-5890", "status_query": False}
    usb = validate_printers({"counter": entry})["counter"]
    assert usb.connection == UsbConnection(vendor_id=0x04B8, product_id=0x0202, interface=1,
                                           in_ep=0x82, out_ep=0x03)
    assert usb.profile == "POS-5890"
    assert usb.status_query is False
    assert usb.location() == "USB 04b8:0202"


def test_every_type_validates():
    printers = validate_printers(
        {
            "serial": {"type": "serial", "device": "/dev/ttyS0"},
            "lp": {"type": "file", "device": "/dev/usb/lp0", "width_chars": 32},
            "cups": {"type": "cups", "queue": "thermal"},
            "preview": {"type": "preview"},
        },
        preview_dir="/var/lib/queue/preview",
    )
    assert printers["serial"].connection.baudrate == 9600
    assert printers["serial"].status_query is True
    assert printers["lp"].width_chars == 32
    assert printers["lp"].status_query is False
    assert printers["cups"].connection.queue == "thermal"
    assert printers["preview"].connection.directory == Path("/var/lib/queue/preview")


def test_relative_preview_directory_resolves_against_base_dir(tmp_path):
    printers = validate_printers({"p": {"type": "preview", "directory": "jobs"}},
                                 base_dir=tmp_path)
    assert printers["p"].connection.directory == tmp_path / "jobs"


def test_empty_section_means_no_printers():
    assert validate_printers(None) == {}
    assert validate_printers({}) == {}


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"desk": {"type": "network", "host": "10.0.0.5", "port": 70000}},
         "printers.desk.port: must be an integer 1-65535"),
        ({"desk": {"type": "network", "host": "10.0.0.5", "port": "ninety"}},
         "printers.desk.port: must be an integer 1-65535"),
        ({"desk": {"type": "network", "host": "10.0.0.5", "port": True}},
         "printers.desk.port: must be an integer 1-65535"),
        ({"desk": {"type": "network"}}, "printers.desk.host: is required"),
        ({"desk": {"type": "network", "host": ""}}, "printers.desk.host: must be a non-empty"),
        ({"desk": {"type": "network", "host": "h", "timeout": 0}}, "printers.desk.timeout: "),
        ({"desk": {"type": "laser"}}, "printers.desk.type: must be one of network, usb, serial"),
        ({"desk": {"host": "h"}}, "printers.desk.type: must be one of"),
        ({"desk": {"type": "usb", "vendor_id": "0x04b8"}}, "printers.desk.product_id: is required"),
        ({"desk": {"type": "usb", "vendor_id": "0xZZ", "product_id": 1}},
         "printers.desk.vendor_id: must be an integer 0-65535"),
        ({"desk": {"type": "serial", "device": "/dev/ttyS0", "baudrate": 0}},
         "printers.desk.baudrate: must be an integer"),
        ({"desk": {"type": "cups"}}, "printers.desk.queue: is required"),
        ({"desk": {"type": "file", "device": "/dev/usb/lp0", "status_query": True}},
         "printers.desk.status_query: a file printer cannot report its status"),
        ({"desk": {"type": "network", "host": "h", "status_query": "yes"}},
         "printers.desk.status_query: must be true or false"),
        ({"desk": {"type": "network", "host": "h", "profile": "TM-NOPE"}},
         "printers.desk.profile: unknown python-escpos profile 'TM-NOPE'"),
        ({"desk": {"type": "network", "host": "h", "width_chars": 4}},
         "printers.desk.width_chars: must be an integer 16-96"),
        ({"desk": {"type": "network", "host": "h", "prot": 9100}},
         "printers.desk.prot: unknown setting for a network printer"),
        ({"desk": "10.0.0.5"}, "printers.desk: must be a mapping"),
        ({"front desk": {"type": "preview"}}, "printers.front desk: name must be"),
        (["desk"], "printers: must be a mapping"),
        ({"p": {"type": "preview"}}, "printers.p.directory: is required"),
    ],
)
def test_bad_entry_names_the_full_key(section, message):
    assert error_for(section).startswith(message)


def test_error_keeps_key_and_message_apart():
    with pytest.raises(PrinterConfigError) as caught:
        validate_printers({"desk": {"type": "network", "host": "h", "port": 0}})
    assert caught.value.key == "printers.desk.port"
    assert caught.value.message == "must be an integer 1-65535"
