"""Issue 12: `queue-server run` stays lean. Its gunicorn master is a fresh process that
imports gunicorn alone (the worker imports and builds the app), and the worker loads the
report, spreadsheet and printer libraries only when one is used. Memory is measured by
bench/audio_rss.py, never asserted here."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from .support import ROOT

APP_LIBRARIES = ("sqlalchemy", "markupsafe", "PIL", "yaml", "gevent", "greenlet")
"""Packages with compiled parts: each one a process imported shows in its memory map."""
ON_USE = ("fpdf", "openpyxl", "escpos.printer", "PIL", "qrcode")
"""Loaded by the first PDF, spreadsheet or printed ticket, not by every worker."""


def loaded_packages(pid: int) -> set[str]:
    """The site-packages a process has mapped a compiled module of."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        path = line.split()[-1]
        if "site-packages/" in path:
            found.add(path.split("site-packages/")[1].split("/")[0])
    return found


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("gunicorn started no worker")


def test_the_gunicorn_master_does_not_import_the_app(live_server):
    master = live_server.process.pid
    command = Path(f"/proc/{master}/cmdline").read_bytes().split(b"\0")
    assert b"queue_server.web.serving" in command  # `queue-server run` exec'd the launcher

    in_master = loaded_packages(master)
    in_worker = loaded_packages(worker_pid(master))

    assert not in_master & set(APP_LIBRARIES), in_master
    assert {"sqlalchemy", "markupsafe", "gevent", "greenlet"} <= in_worker  # the app is there
    assert live_server.api("get", "/display/state").status_code == 200


def test_the_app_loads_reports_spreadsheets_and_printer_drivers_only_when_used(tmp_path):
    # The worker's path: build the app from the shipped config.yaml (a preview printer).
    probe = f"""
import sys
from queue_server.app import create_app, load_config
create_app(load_config("config.yaml", environ={{"DATABASE_URL": "sqlite:///{tmp_path}/x.db"}}))
print(" ".join(name for name in {ON_USE!r} if name in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == []
