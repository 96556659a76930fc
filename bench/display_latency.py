"""Print how fast a call reaches the TV page in headless Chromium, and when its audio is ready.

Starts `queue-server run` on a scratch SQLite database (or DATABASE_URL) with the shipped
config, opens /display in Debian Chromium (autoplay allowed, as the kiosk runs it), then
for each of N calls (alternating counters 2 and 3) measures from sending call-next:
- until the call-next response;
- until the page shows the number (the page stamps the first animation frame after it
  wrote the number in window.displayLog, shown with ?test-log=1; the page and this script
  read the same machine clock);
- until GET audio_url answers 200 (polled every 5 ms).

Then the burst (issue 10): BURST calls (10), one a second, each at a counter of its own
(the office gets BURST extra counters), with the TV speaking for real (both languages, the
shipped clips). For each call it prints the time from sending call-next until the TV
starts to speak the call's sentence (the chime before it not counted), p50 and max, and
checks that every part the TV spoke named the counter the screen showed for that number.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import percentile  # noqa: E402 - bench/, beside this script

from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.support import LiveServer, create_users, office_data, write_config  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required",
]
SHOWN = "seq => window.displayLog.shown.find(item => item.seq === seq) || null"
AUDIO_POLL_S = 0.005
AUDIO_WAIT_S = 10
BURST_SPACING_S = 1.0
SPEECH = ("full", "short", "whole")
ALL_SPOKEN = """seqs => seqs.every(seq => window.displayLog.spoken.some(
    item => item.seq === seq && ["full", "short", "whole"].includes(item.kind)))"""


def summary(name: str, values: list[float]) -> str:
    return (f"{name}: p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 0.99):.1f} "
            f"ms, max {max(values):.1f} ms")


def wait_for_audio(session: requests.Session, url: str, sent: float) -> float:
    """Return the milliseconds from sent until url answers 200."""
    deadline = time.monotonic() + AUDIO_WAIT_S
    while time.monotonic() < deadline:
        if session.get(url, timeout=5).status_code == 200:
            return (time.time() - sent) * 1000
        time.sleep(AUDIO_POLL_S)
    raise SystemExit(f"{url} never answered 200")


def measure(server: LiveServer, calls: int, width: int, height: int) -> dict[str, list[float]]:
    receptionist = requests.Session()
    receptionist.headers["Authorization"] = f"Bearer {server.token('receptionist')}"
    officer = requests.Session()
    officer.headers["Authorization"] = f"Bearer {server.token('officer')}"
    for _ in range(calls):
        receptionist.post(server.url + "/api/v1/tickets", json={"service": "INFO",
                          "category": "umum"}, timeout=10).raise_for_status()
    audio = requests.Session()
    results: dict[str, list[float]] = {"response": [], "shown": [], "audio": []}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        with page.expect_console_message(lambda m: m.text == "display: connection connected"):
            page.goto(server.url + "/display?test-log=1")
        for index in range(calls):
            counter = "2" if index % 2 == 0 else "3"
            sent = time.time()
            response = officer.post(f"{server.url}/api/v1/counters/{counter}/call-next",
                                    timeout=10)
            results["response"].append((time.time() - sent) * 1000)
            response.raise_for_status()
            call = response.json()["call"]
            results["audio"].append(wait_for_audio(audio, server.url + call["audio_url"], sent))
            shown = page.wait_for_function(SHOWN, arg=call["seq"], timeout=10000).json_value()
            results["shown"].append(shown["at"] - sent * 1000)
        browser.close()
    return results


def burst_overrides(calls: int) -> dict:
    """The tests' office with one extra counter per burst call, speaking both languages."""
    data = office_data()
    counters = data["counters"] + [
        {"code": str(10 + index), "name": f"Loket {10 + index}",
         "name_en": f"Counter {10 + index}", "services": ["*"]} for index in range(calls)]
    display = data["display"]
    display["audio"]["languages"] = ["id", "en"]
    display["named"] = {}
    return {"counters": counters, "display": display}


def measure_burst(server: LiveServer, calls: int, width: int, height: int) -> dict:
    receptionist = requests.Session()
    receptionist.headers["Authorization"] = f"Bearer {server.token('receptionist')}"
    officer = requests.Session()
    officer.headers["Authorization"] = f"Bearer {server.token('officer')}"
    for _ in range(calls):
        receptionist.post(server.url + "/api/v1/tickets", json={"service": "INFO",
                          "category": "umum"}, timeout=10).raise_for_status()
    sent: dict[int, float] = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        with page.expect_console_message(lambda m: m.text == "display: connection connected"):
            page.goto(server.url + "/display?test-log=1")
        start = time.monotonic()
        for index in range(calls):
            time.sleep(max(0.0, start + index * BURST_SPACING_S - time.monotonic()))
            at = time.time()
            response = officer.post(f"{server.url}/api/v1/counters/{10 + index}/call-next",
                                    timeout=10)
            response.raise_for_status()
            sent[response.json()["call"]["seq"]] = at
        page.wait_for_function(ALL_SPOKEN, arg=list(sent), timeout=180000, polling=100)
        spoken = page.evaluate("window.displayLog.spoken")
        browser.close()
    starts = {}
    for item in spoken:
        if item["kind"] in SPEECH and item["seq"] in sent and item["seq"] not in starts:
            starts[item["seq"]] = (item["at"] - sent[item["seq"]] * 1000) / 1000
    return {
        "latency": [starts[seq] for seq in sent],
        "contradictions": [item for item in spoken if item["number"]
                           and item["shown"] != item["counter"]],
        "english": sum(1 for item in spoken if item["lang"] == "en"),
        "chimes": sum(1 for item in spoken if item["kind"] == "chime"),
        "short": sum(1 for item in spoken if item["kind"] == "short"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="display-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    upgrade(url)
    create_users(url)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, database {url.split(':')[0]}, "
          f"headless Chromium {args.width}x{args.height}, {args.calls} calls")
    if args.calls:
        server = LiveServer(write_config(workdir / "calls", url), env={"DATABASE_URL": url})
        server.start(timeout=90)
        try:
            results = measure(server, args.calls, args.width, args.height)
        finally:
            server.stop()
        print(summary("call-next response", results["response"]))
        print(summary("call-next sent -> number shown on the page", results["shown"]))
        print(summary("call-next sent -> audio_url answers 200", results["audio"]))
    if args.burst:
        burst_url = (os.environ.get("DATABASE_URL")
                     or f"sqlite:///{workdir / 'burst.db'}")
        if burst_url != url:
            upgrade(burst_url)
            create_users(burst_url)
        server = LiveServer(write_config(workdir / "burst", burst_url,
                                         **burst_overrides(args.burst)),
                            env={"DATABASE_URL": burst_url}).start(timeout=90)
        try:
            burst = measure_burst(server, args.burst, args.width, args.height)
        finally:
            server.stop()
        latency = burst["latency"]
        print(f"burst of {args.burst} calls, one every {BURST_SPACING_S:g} s, each at its own "
              f"counter, both languages: call-next sent -> its sentence starts to sound "
              f"p50 {statistics.median(latency):.1f} s, max {max(latency):.1f} s "
              f"(each: {', '.join(f'{value:.1f}' for value in latency)})")
        print(f"burst: {burst['chimes']} chime(s), {burst['short']} short form(s), "
              f"{burst['english']} English part(s); parts naming a counter the screen did "
              f"not show: {len(burst['contradictions'])}")


if __name__ == "__main__":
    main()
