"""display/kiosk.sh: wait for the server, then start Chromium and start it again when it exits."""
from __future__ import annotations

import http.server
import os
import signal
import subprocess
import threading
import time

import pytest

from ..support import ROOT, free_port

KIOSK = ROOT / "display" / "kiosk.sh"
EXPECTED_FLAGS = [
    "--kiosk", "--autoplay-policy=no-user-gesture-required", "--noerrdialogs",
    "--disable-session-crashed-bubble", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
WAIT_S = 20


class StateHandler(http.server.BaseHTTPRequestHandler):
    """Answers like the queue server's snapshot route, and 404 elsewhere."""

    def do_GET(self):  # noqa: N802 - the name http.server dispatches to
        found = self.path.startswith("/api/v1/display/state")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if found:
            self.wfile.write(b'{"seq": 0}')

    def log_message(self, *args):
        pass


def wait_until(predicate, what: str):
    deadline = time.monotonic() + WAIT_S
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"kiosk.sh never {what}")
        time.sleep(0.05)


@pytest.fixture
def kiosk(tmp_path):
    """Run kiosk.sh with a fake browser that records its arguments and exits at once."""
    port = free_port()
    record = tmp_path / "browser-runs.txt"
    browser = tmp_path / "fake-chromium"
    browser.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\n')
    browser.chmod(0o755)
    log = tmp_path / "kiosk.log"
    env = {**os.environ, "QUEUE_URL": f"http://127.0.0.1:{port}/", "CHROMIUM": str(browser),
           "WAIT_SECONDS": "0.2", "KIOSK_PROFILE": str(tmp_path / "profile"),
           "DISPLAY_QUERY": "display=lobi"}
    with open(log, "wb") as output:
        process = subprocess.Popen(["bash", str(KIOSK)], env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
    yield port, record, log, process
    if process.poll() is None:
        process.kill()
        process.wait(5)


def test_kiosk_waits_for_the_server_then_keeps_chromium_running(kiosk):
    port, record, log, process = kiosk
    wait_until(lambda: "waiting for" in log.read_text(), "said it was waiting")
    assert not record.exists()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), StateHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        wait_until(lambda: record.exists() and len(record.read_text().splitlines()) >= 2,
                   "restarted the browser")
    finally:
        server.shutdown()
        server.server_close()

    page = f"http://127.0.0.1:{port}/display?display=lobi"
    for line in record.read_text().splitlines()[:2]:
        arguments = line.split()
        assert arguments[-1] == page
        assert set(EXPECTED_FLAGS) <= set(arguments)
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
