"""Printing keys in config.yaml: checked at start-up, naming the bad key."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from queue_server.app import parse_config
from queue_server.platform.config import ConfigError
from tests.support import ROOT, office_data


def parse(**changes):
    data = {**office_data(), **changes}
    return parse_config(data, Path("/srv/queue/config.yaml"), environ={})


@pytest.mark.parametrize(("changes", "key"), [
    ({"printers": {"desk": {"type": "network", "host": "10.0.0.9", "port": "x"}}},
     "printers.desk.port"),
    ({"printers": {"desk": {"type": "laser"}}}, "printers.desk.type"),
    ({"printers": {"desk": {"type": "usb", "vendor_id": 1, "product_id": 2, "colour": 1}}},
     "printers.desk.colour"),
    ({"printers": {"desk": {"type": "preview", "agent": "yes"}}}, "printers.desk.agent"),
    ({"printers": ["preview"]}, "printers"),
    ({"ticket_printer": "kasir"}, "ticket_printer"),
    ({"stations": {"meja-1": "kasir"}}, "stations.meja-1"),
    ({"stations": {"loket": {"printer": "preview", "counters": ["9"]}}},
     "stations.loket.counters[0]"),
    ({"printing": {"offline_alert_seconds": 0}}, "printing.offline_alert_seconds"),
    ({"printing": {"job_expiry_minutes": 1.5}}, "printing.job_expiry_minutes"),
    ({"printing": {"retry": 3}}, "printing.retry"),
])
def test_bad_printing_config_names_the_key(changes, key):
    with pytest.raises(ConfigError) as error:
        parse(**changes)
    assert error.value.key == key


def test_bad_printer_config_stops_start_up(tmp_path):
    data = {**office_data(), "printers": {"desk": {"type": "network", "host": "10.0.0.9",
                                                  "port": 70000}}, "ticket_printer": "desk"}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    result = subprocess.run([sys.executable, "-m", "queue_server.cli", "--config", str(path),
                             "run", "--port", "1"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 2
    assert f"error: {path}: printers.desk.port: must be an integer 1-65535" in result.stderr
    assert "Traceback" not in result.stderr


def test_printing_defaults_and_agent_printers():
    config = parse(printers=None, ticket_printer=None)
    assert list(config.printers) == ["preview"]
    assert config.printers["preview"].connection.directory == Path("/srv/queue/instance/prints")
    assert config.printing.offline_alert_seconds == 60
    config = parse(printers={"meja": {"type": "network", "host": "10.0.0.9", "agent": True},
                             "loket": {"type": "preview", "directory": "kertas"}},
                   ticket_printer="meja",
                   stations={"depan": "meja", "loket-2": {"printer": "loket", "counters": [2]}},
                   printing={"offline_alert_seconds": 30, "status_poll_seconds": 5})
    assert config.printing.agent_printers == {"meja"}
    assert config.printing.agent_entries["meja"] == {"type": "network", "host": "10.0.0.9"}
    assert config.printers["loket"].connection.directory == Path("/srv/queue/kertas")
    assert config.stations == {"depan": "meja", "loket-2": "loket"}
    assert config.printing.counter_printers == {"2": "loket"}
    assert config.printing.offline_alert_seconds == 30
