"""`queue-server printers test NAME` and `queue-server printers status`."""
from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT, free_port, write_config

from .conftest import network_printer


def run_cli(config, *args):
    return subprocess.run([sys.executable, "-m", "queue_server.cli", "--config", str(config),
                           *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def make_config(tmp_path, fake_printer, **printers):
    return write_config(tmp_path, f"sqlite:///{tmp_path / 'cli.db'}", printers={
        "desk": network_printer(fake_printer), **printers})


def test_printers_test_prints_a_test_page_now(tmp_path, fake_printer):
    config = make_config(tmp_path, fake_printer)
    result = run_cli(config, "printers", "test", "desk")
    assert result.returncode == 0, result.stderr
    assert f"Test page sent to 'desk': 127.0.0.1:{fake_printer.port}" in result.stdout
    page = fake_printer.wait_for_jobs(1)[0]
    assert b"HALAMAN UJI PRINTER" in page and b"TM-T88III" in page
    preview = run_cli(config, "printers", "test", "preview")
    assert preview.returncode == 0 and "kept as" in preview.stdout
    assert list((tmp_path / "instance" / "prints").glob("*.bin"))


def test_printers_test_says_clearly_what_is_wrong(tmp_path, fake_printer):
    port = free_port()
    config = make_config(tmp_path, fake_printer, gone={"type": "network", "host": "127.0.0.1",
                                                       "port": port, "timeout": 1})
    result = run_cli(config, "printers", "test", "gone")
    assert result.returncode == 1
    assert f"error: Printer 'gone' at 127.0.0.1:{port} is unreachable" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = run_cli(config, "printers", "test", "kasir")
    assert unknown.returncode == 1
    assert "no printer named 'kasir' (configured: desk, gone, preview)" in unknown.stderr


def test_printers_test_queues_for_an_agent_printer(tmp_path, fake_printer):
    config = make_config(tmp_path, fake_printer, meja={"type": "preview", "agent": True})
    assert run_cli(config, "db", "upgrade").returncode == 0
    result = run_cli(config, "printers", "test", "meja")
    assert result.returncode == 0, result.stderr
    assert "Test page queued as job 1 for the print agent of 'meja'" in result.stdout


def test_printers_status_asks_every_printer(tmp_path, fake_printer):
    config = make_config(tmp_path, fake_printer)
    assert run_cli(config, "db", "upgrade").returncode == 0
    fake_printer.online = False
    result = run_cli(config, "printers", "status")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert lines["desk"][:3] == ["desk", "network", "offline"]
    assert lines["preview"][:3] == ["preview", "preview", "unknown"]
