"""Print what visitors' messages cost a call, and how soon a call's message reaches the gateway.

In one process (Flask's test client, a scratch SQLite database or DATABASE_URL), with the
tests' office: issue TICKETS tickets, then call CALLS of them at counters 2 and 3, timing
each call-next, three ways:
- messages off;
- messages on, nobody left a phone (the "N ahead" check stops at its first small query);
- messages on, one visitor in SHARE left a phone, the sender running against a local fake
  gateway (tests/notify/gateway.py): also the time from sending call-next until the
  gateway has that call's message.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="escpos-"))

from measure import percentile  # noqa: E402 - bench/, beside this script
from sqlalchemy import select  # noqa: E402

from queue_server.app import create_app, load_config, stop_background  # noqa: E402
from queue_server.auth.models import User  # noqa: E402
from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.notify.conftest import notify_section  # noqa: E402
from tests.notify.gateway import FakeGateway  # noqa: E402
from tests.support import create_users, reset_database, write_config  # noqa: E402


def run(folder: Path, url: str, notify: dict | None, tickets: int, calls: int, share: int,
        gateway: FakeGateway | None) -> tuple[list[float], list[float]]:
    reset_database(url)
    create_users(url)
    overrides = {"notify": notify} if notify else {}
    overrides["ticket_printer"] = None  # printing is measured elsewhere
    app = create_app(load_config(write_config(folder, url, **overrides)))
    services = app.extensions["queue"]
    with services.session_factory() as db, db.begin():
        tokens = {u.username: services.auth.issue_token(db, u)[0]
                  for u in db.scalars(select(User))}
    reception = {"Authorization": f"Bearer {tokens['receptionist']}"}
    officer = {"Authorization": f"Bearer {tokens['officer']}"}
    client = app.test_client()
    numbers_with_phone = set()
    for index in range(tickets):
        body = {"service": "INFO", "category": "umum"}
        if notify and share and index % share == 0:
            body |= {"phone": f"0812{index:08d}", "notify_consent": True}
        number = client.post("/api/v1/tickets", json=body, headers=reception).json["number"]
        if "phone" in body:
            numbers_with_phone.add(number)
    if gateway is not None:
        app.extensions["notify"].start()
    call_times, delivery = [], []
    for index in range(calls):
        counter = "2" if index % 2 == 0 else "3"
        start = time.perf_counter()
        response = client.post(f"/api/v1/counters/{counter}/call-next", headers=officer)
        call_times.append((time.perf_counter() - start) * 1000)
        number = response.json["number"]
        if gateway is not None and number in numbers_with_phone:
            wanted = f"Nomor antrean {number}: silakan"
            while not any(text.startswith(wanted) for text in gateway.texts()):
                if time.perf_counter() - start > 10:
                    raise SystemExit(f"no message for {number} within 10 s")
                time.sleep(0.0005)
            delivery.append((time.perf_counter() - start) * 1000)
    stop_background(app)
    services.engine.dispose()
    return call_times, delivery


def describe(name: str, values: list[float]) -> str:
    return (f"{name}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f}"
            f" ms, max {max(values):.1f} ms ({len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--share", type=int, default=5, help="one visitor in SHARE leaves a phone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'queue.db'}"
    upgrade(url)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{url.split(':')[0]}, {args.tickets} tickets waiting, {args.calls} calls")
    gateway = FakeGateway().start()
    try:
        off, _ = run(folder / "off", url, None, args.tickets, args.calls, 0, None)
        print(describe("call-next, messages off", off))
        on, _ = run(folder / "none", url, notify_section(gateway.url), args.tickets,
                    args.calls, 0, None)
        print(describe("call-next, messages on, no phones", on))
        phones, delivery = run(folder / "phones", url, notify_section(gateway.url),
                               args.tickets, args.calls, args.share, gateway)
        print(describe(f"call-next, messages on, 1 in {args.share} with a phone", phones))
        print(describe("call-next sent until the gateway has the call's message", delivery))
    finally:
        gateway.stop()


if __name__ == "__main__":
    main()
