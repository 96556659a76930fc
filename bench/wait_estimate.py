"""Print how far the estimated wait given at issue time is from the wait that followed.

Replays simulated office days through the real code (in-process, SQLite, a hand-moved
clock): seeded Poisson arrivals (busier mornings), a priority mix, three services with
lognormal service times, three counters (Loket Prioritas takes priority tickets only; Loket
2 every service; Loket 3 INFO and SURAT) that call the next ticket as soon as they are
free. Every ticket is issued through TicketIssuing.issue, so its estimate is the one POST
/api/v1/tickets answers and the ticket prints; every call goes through CounterDesk.call_next,
so the fairness guard orders the queue. At the end of each day the real wait of every
called ticket (issued until first called) is compared with the range it was given.

Prints, over all days and per class: tickets, how many had an estimate, the median and
90th-percentile absolute error of the range's midpoint, and how often the real wait fell
inside the range, the real waits' median and 90th percentile and the median signed error
(bias: positive when the estimate is too long).

    .venv/bin/python bench/wait_estimate.py [--days 10] [--seed 14] [--per-hour 20]

20 visitors an hour keeps the three counters about 80 % busy; much more and the queue
grows all day, which no estimate from the recent past can follow.
"""
from __future__ import annotations

import argparse
import heapq
import math
import os
import platform
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="escpos-"))

from sqlalchemy import select  # noqa: E402

from queue_server import create_app  # noqa: E402
from queue_server.platform.migrate import upgrade  # noqa: E402
from queue_server.tickets.models import Ticket  # noqa: E402
from tests.support import Clock, reset_database, write_config  # noqa: E402

TZ = ZoneInfo("Asia/Jakarta")
OPEN_HOURS = 7  # 08.00-15.00
SERVICES = {"INFO": (0.5, 7.0), "KONSUL": (0.25, 11.0), "SURAT": (0.25, 4.0)}
"""Share of visitors and mean minutes at the counter."""
SIGMA = 0.5
"""Spread of the lognormal service times (log scale)."""
PRIORITY_SHARE = 0.2
COUNTERS = ("1", "2", "3")


@dataclass
class Issued:
    priority: bool
    low: int | None = None
    high: int | None = None
    waited: float | None = None


@dataclass(order=True)
class Happening:
    at: float
    kind: str = field(compare=False)
    data: object = field(compare=False, default=None)


def arrivals(rng: random.Random, per_hour: float) -> list[float]:
    """Minutes after opening: a Poisson process, 1.5x as busy in the first two hours."""
    times, now = [], 0.0
    peak = 1.5 * per_hour / 60
    while True:
        now += rng.expovariate(peak)
        if now >= OPEN_HOURS * 60:
            return times
        rate = per_hour / 60 * (1.5 if now < 120 else 0.8)
        if rng.random() < rate / peak:  # thinning
            times.append(now)


def service_minutes(rng: random.Random, service: str) -> float:
    mean = SERVICES[service][1]
    return rng.lognormvariate(math.log(mean) - SIGMA ** 2 / 2, SIGMA)


def simulate_day(app, clock: Clock, day: date, rng: random.Random,
                 per_hour: float) -> list[Issued]:
    opening = datetime.combine(day, clock_time(8), TZ).astimezone(UTC)
    work, queue = app.extensions["queue"].work, app.extensions["queue"].queue
    happenings = [Happening(at, "arrival") for at in arrivals(rng, per_hour)]
    happenings += [Happening(0.0, "free", code) for code in COUNTERS]
    heapq.heapify(happenings)
    idle: set[str] = set()
    issued: dict[int, Issued] = {}
    while happenings:
        event = heapq.heappop(happenings)
        clock.now = opening + timedelta(minutes=event.at)
        if event.kind == "arrival":
            service = rng.choices(list(SERVICES), [share for share, _ in SERVICES.values()])[0]
            category = "lansia" if rng.random() < PRIORITY_SHARE else "umum"
            outcome = work.run(queue.issuing.issue, None, service, category)
            estimate = outcome.view["estimate"]
            issued[outcome.view["id"]] = Issued(
                category != "umum", *(estimate["low_minutes"], estimate["high_minutes"])
                if estimate else (None, None))
            woken, idle = idle, set()
            for code in sorted(woken):
                heapq.heappush(happenings, Happening(event.at, "free", code))
            continue
        outcome = work.run(queue.desk.call_next, None, event.data)
        if outcome.ticket is None:
            idle.add(event.data)
            continue
        minutes = service_minutes(rng, outcome.ticket.service)
        heapq.heappush(happenings, Happening(event.at + minutes, "free", event.data))
    with app.extensions["queue"].session_factory() as db:
        for ticket in db.scalars(select(Ticket).where(Ticket.day == day)):
            if ticket.id in issued and ticket.called_at is not None:
                issued[ticket.id].waited = (ticket.called_at - ticket.created_at
                                            ).total_seconds() / 60
    return list(issued.values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def report(name: str, tickets: list[Issued]) -> None:
    called = [t for t in tickets if t.waited is not None]
    given = [t for t in called if t.low is not None]
    if not given:
        print(f"{name:<10} {len(called):>7}  no estimates")
        return
    errors = [abs((t.low + t.high) / 2 - t.waited) for t in given]
    inside = sum(1 for t in given if t.low <= t.waited <= t.high)
    waits = [t.waited for t in given]
    signed = statistics.median((t.low + t.high) / 2 - t.waited for t in given)
    print(f"{name:<10} {len(called):>7} {len(given):>9} {statistics.median(errors):>9.1f} "
          f"{percentile(errors, 0.9):>9.1f} {100 * inside / len(given):>9.0f} %"
          f" {statistics.median(waits):>9.1f} {percentile(waits, 0.9):>9.1f}"
          f" {signed:>+9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--per-hour", type=float, default=20,
                        help="visitors an hour on average (1.5x that in the first two hours)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wait-estimate-") as folder:
        url = f"sqlite:///{Path(folder) / 'queue.db'}"
        upgrade(url)
        reset_database(url)
        config_path = write_config(Path(folder), url, ticket_printer=None, printers={})
        clock = Clock(datetime(2026, 11, 2, 1, tzinfo=UTC))
        app = create_app(config_path, clock=clock)
        rng = random.Random(args.seed)
        tickets: list[Issued] = []
        day = date(2026, 11, 2)
        for _ in range(args.days):
            while day.weekday() >= 5:
                day += timedelta(days=1)
            tickets += simulate_day(app, clock, day, rng, args.per_hour)
            day += timedelta(days=1)
    print(f"wait estimate at issue time vs the real wait: {args.days} simulated days, seed "
          f"{args.seed}, {args.per_hour:g} visitors/h (x1.5 until 10.00), "
          f"{PRIORITY_SHARE:.0%} priority, counters {', '.join(COUNTERS)}; "
          f"{platform.machine()}, Python {platform.python_version()}")
    print(f"{'class':<10} {'called':>7} {'estimated':>9} {'p50 err':>9} {'p90 err':>9} "
          f"{'in range':>11} {'p50 wait':>9} {'p90 wait':>9} {'bias':>9}   (minutes)")
    report("all", tickets)
    report("priority", [t for t in tickets if t.priority])
    report("regular", [t for t in tickets if not t.priority])


if __name__ == "__main__":
    main()
