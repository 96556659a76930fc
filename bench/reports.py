"""Print how fast every report answers over a year of a busy office, on SQLite and PostgreSQL.

Generates one year (2025) with a seeded generator: 1,000 tickets per working day (about
250,000, each with its history and its calls), 100 visits a day through the ten steps
(25,000, with their step records, deviations and reassignments, and PPID requests) and 40
survey responses a day (10,000, with nine answers each). Then, in-process through the
Flask test client as the supervisor, asks each report over the whole year (and its CSV and
XLSX) N times and prints p50 and p95 per endpoint, and the live board's snapshot on the
last day. Floor: p95 < 500 ms per report, the board < 50 ms.

    .venv/bin/python bench/reports.py [--repeat 15] [--postgres URL] [--only sqlite]

PostgreSQL: --postgres or BENCH_POSTGRES_URL (default TEST_POSTGRES_URL); its tables are
emptied and refilled.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from queue_server import create_app  # noqa: E402
from queue_server.auth.models import User  # noqa: E402
from queue_server.platform.database import make_engine  # noqa: E402
from queue_server.platform.migrate import upgrade  # noqa: E402
from queue_server.procedure.models import (  # noqa: E402
    Deviation,
    InfoRequest,
    Reassignment,
    StepRecord,
    SurveyAnswer,
    SurveyResponse,
    Visit,
)
from queue_server.procedure.skm import Element  # noqa: E402
from queue_server.reports.catalog import DOCUMENTS  # noqa: E402
from queue_server.tickets.models import Call, Ticket, TicketEvent  # noqa: E402
from tests.support import PASSWORD, create_users, reset_database, write_config  # noqa: E402

YEAR = 2025
TICKETS_PER_DAY = 1000
VISITS_PER_DAY = 100
REQUESTS_PER_DAY = 20
SURVEYS_PER_DAY = 40
CHUNK = 20_000
TZ = ZoneInfo("Asia/Jakarta")
OFFICERS = 8


def working_days() -> list[date]:
    day, days = date(YEAR, 1, 1), []
    while day.year == YEAR:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def moment(day: date, seconds: float) -> datetime:
    """A UTC datetime `seconds` after 08:00 local on day."""
    return (datetime.combine(day, clock_time(8), TZ) + timedelta(seconds=seconds)).astimezone(UTC)


class Filler:
    """Collects rows per table and writes them in chunks."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.rows: dict = {}
        self.counts: dict = {}

    def add(self, model, row: dict) -> None:
        rows = self.rows.setdefault(model, [])
        rows.append(row)
        if len(rows) >= CHUNK:
            self.flush()  # every table, parents first (the order rows first came in)

    def flush(self, model=None) -> None:
        for kind in ([model] if model else list(self.rows)):
            rows = self.rows.get(kind)
            if rows:
                self.connection.execute(insert(kind.__table__), rows)
                self.counts[kind.__tablename__] = self.counts.get(kind.__tablename__, 0) + len(rows)
                self.rows[kind] = []


def fate_of(created: datetime, rng: random.Random):
    """(called, status, finished): 97 % called after about 15 minutes; of those 10 % no-show,
    the rest served in about 10 minutes; 2 % cancelled, 1 % still waiting."""
    fate = rng.random()
    if fate >= 0.97:
        return None, "cancelled" if fate < 0.99 else "waiting", None
    called = created + timedelta(seconds=rng.expovariate(1 / 900))
    if 0.87 <= fate < 0.95:
        return called, "no_show", called + timedelta(seconds=120)
    return called, "served", called + timedelta(seconds=rng.expovariate(1 / 600))


def tickets(fill: Filler, config, days: list[date], officers: list[int], rng: random.Random):
    services = list(config.services)
    categories = list(config.categories.values())
    regular = [c for c in categories if c.priority == 0]
    priority = [c for c in categories if c.priority > 0]
    counters = list(config.counters.values())
    ticket_id = event_id = call_id = 0
    for day in days:
        sequences: dict[str, int] = {}
        for _ in range(TICKETS_PER_DAY):
            ticket_id += 1
            category = rng.choice(priority) if rng.random() < 0.2 else rng.choice(regular)
            service = rng.choice(services)
            sequence = sequences[category.prefix] = sequences.get(category.prefix, 0) + 1
            created = moment(day, rng.uniform(0, 8 * 3600))
            counter = rng.choice([c for c in counters if (category.priority > 0
                                                            or not c.priority_only)])
            officer = rng.choice(officers)
            called, status, finished = fate_of(created, rng)
            fill.add(Ticket, {
                "id": ticket_id, "number": f"{category.prefix}-{sequence:03d}",
                "public_id": f"b{ticket_id}", "prefix": category.prefix, "day": day,
                "sequence": sequence, "service": service, "category": category.code,
                "priority": category.priority, "status": status,
                "counter": counter.code if called else None, "created_at": created,
                "called_at": called, "first_called_at": called,
                "officer_id": officer if called else None, "finished_at": finished})
            history = [("issued", created, None)]
            if called:
                history.append(("called", called, officer))
                fill.add(Call, {"id": (call_id := call_id + 1), "ticket_id": ticket_id,
                                "number": f"{category.prefix}-{sequence:03d}",
                                "counter": counter.code, "priority": category.priority > 0,
                                "recall": False, "text": "", "audio_file": "x.mp3",
                                "called_at": called})
                if rng.random() < 0.03:
                    history.append(("transferred", called + timedelta(seconds=60), officer))
            if finished:
                history.append((status, finished, officer))
            elif status == "cancelled":
                history.append(("cancelled", created + timedelta(seconds=1800), None))
            for action, at, user in history:
                fill.add(TicketEvent, {"id": (event_id := event_id + 1), "ticket_id": ticket_id,
                                       "action": action, "at": at, "user_id": user,
                                       "counter": counter.code if user else None})
    fill.flush()


def visits(fill: Filler, config, days: list[date], officers: list[int], rng: random.Random):
    steps = config.procedure.procedure.steps
    visit_id = step_id = request_id = 0
    for day in days:
        for n in range(VISITS_PER_DAY):
            visit_id += 1
            start = moment(day, rng.uniform(0, 6 * 3600))
            fill.add(Visit, {"id": visit_id, "day": day, "status": "completed",
                             "position": len(steps) + 1, "present": False, "aids": [],
                             "created_at": start, "completed_at": start + timedelta(hours=2)})
            at = start
            for step in steps:
                step_id += 1
                took = rng.expovariate(1 / ((step.minutes or 10) * 60 * 0.8))
                standard = (step.minutes or 10) * 60
                officer = rng.choice(officers)
                fill.add(StepRecord, {
                    "id": step_id, "visit_id": visit_id, "position": step.position,
                    "step_key": step.key, "role": step.role, "started_at": at,
                    "ended_at": at + timedelta(seconds=took),
                    "due_at": at + timedelta(seconds=standard), "completed_by": officer})
                if took > standard:
                    fill.add(Deviation, {
                        "visit_id": visit_id, "step_record_id": step_id, "step_key": step.key,
                        "role": step.role, "responsible_user_id": officer, "day": day,
                        "standard_seconds": standard, "actual_seconds": int(took),
                        "over_seconds": int(took - standard), "recorded_at": at})
                if rng.random() < 0.005:
                    fill.add(Reassignment, {
                        "visit_id": visit_id, "step_record_id": step_id,
                        "from_user_id": officer, "to_user_id": rng.choice(officers),
                        "letter_reference": "ST/1", "by_user_id": officers[0], "at": at})
                at += timedelta(seconds=took)
            if n < REQUESTS_PER_DAY:
                request_id += 1
                handed = rng.random() < 0.9
                fill.add(InfoRequest, {
                    "id": request_id, "number": f"REQ/{request_id}", "visit_id": visit_id,
                    "day": day, "service": "INFO", "subject": "Data", "requirements": {},
                    "requirements_complete": True, "same_day": False,
                    "status": "handed_over" if handed else "in_process",
                    "received_at": start, "received_by": officers[0],
                    "due_internal": day + timedelta(days=rng.choice([3, 5, 7])),
                    "due_statutory": day + timedelta(days=14),
                    "extension_days": 7 if rng.random() < 0.05 else None,
                    "handed_over_at": start + timedelta(days=rng.uniform(1, 12)) if handed
                    else None})
    fill.flush()


def surveys(fill: Filler, days: list[date], rng: random.Random):
    response_id = 0
    genders, educations = ["laki_laki", "perempuan"], ["sma", "d3", "s1", "s2"]
    for day in days:
        for _ in range(SURVEYS_PER_DAY):
            response_id += 1
            fill.add(SurveyResponse, {
                "id": response_id, "day": day, "gender": rng.choice(genders),
                "education": rng.choice(educations), "occupation": "pns",
                "age": rng.randint(18, 70),
                "suggestion": "Pelayanan cepat" if rng.random() < 0.1 else None})
            for element in Element:
                fill.add(SurveyAnswer, {"response_id": response_id, "element": element.value,
                                        "value": rng.choice([2, 3, 3, 4, 4])})
    fill.flush()


def seed(url: str, config) -> dict:
    upgrade(url)
    reset_database(url)
    create_users(url)
    engine = make_engine(url)
    rng = random.Random(2025)
    days = working_days()
    started = time.monotonic()
    with engine.begin() as connection:
        officers = [row[0] for row in connection.execute(select(User.id))]
        fill = Filler(connection)
        tickets(fill, config, days, officers[:OFFICERS], rng)
        visits(fill, config, days, officers[:OFFICERS], rng)
        surveys(fill, days, rng)
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    fill.counts["seconds"] = round(time.monotonic() - started)
    return fill.counts


def timed(client, path: str, headers: dict, repeat: int) -> tuple[float, float]:
    times = []
    for index in range(repeat + 1):
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.get_data(as_text=True)[:200]}")
        if index:  # the first request warms the caches
            times.append(elapsed)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def bench(name: str, url: str, repeat: int, folder: Path, reuse: bool = False,
          keys: list[str] | None = None, exports: bool = True) -> None:
    path = write_config(folder / name, url)
    app = create_app(path)
    config = app.extensions["queue"].config
    if reuse:
        upgrade(url)  # a database seeded before a migration gets it (and its backfill)
        print(f"\n{name}: reusing the seeded database")
    else:
        print(f"\n{name}: seeded {seed(url, config)}")
    app.extensions["queue"].clock = lambda: moment(date(YEAR, 12, 31), 3 * 3600)
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "supervisor",
                                                    "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    year = f"from={YEAR}-01-01&to={YEAR}-12-31"
    print(f"{'endpoint':<44} {'p50 ms':>8} {'p95 ms':>8}")
    for key in keys or app.extensions["reports"].sections:
        for suffix in ("", ".csv", ".xlsx") if exports else ("",):
            p50, p95 = timed(client, f"/api/v1/reports/{key}{suffix}?{year}", headers, repeat)
            print(f"{key + suffix + ' (year)':<44} {p50:8.1f} {p95:8.1f}")
    if exports:  # the print-ready documents, over the whole year (the worst case)
        for name in DOCUMENTS:
            p50, p95 = timed(client, f"/api/v1/reports/{name}.pdf?{year}", headers, repeat)
            print(f"{name + '.pdf (year)':<44} {p50:8.1f} {p95:8.1f}")
    p50, p95 = timed(client, f"/api/v1/reports/waits?{year}&service=INFO", headers, repeat)
    print(f"{'waits?service=INFO (year)':<44} {p50:8.1f} {p95:8.1f}")
    p50, p95 = timed(client, "/api/v1/board", headers, repeat)
    print(f"{'board (snapshot, 31 Dec)':<44} {p50:8.1f} {p95:8.1f}")
    app.extensions["queue"].engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", os.environ.get("TEST_POSTGRES_URL")))
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--sqlite-file", help="keep the SQLite database here; reused if present")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: do not seed again")
    parser.add_argument("--reports", help="only these reports, by commas (default: all)")
    parser.add_argument("--no-exports", action="store_true", help="time the JSON only")
    args = parser.parse_args()
    keys = args.reports.split(",") if args.reports else None
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "sqlite"):
            file = Path(args.sqlite_file or f"{folder}/bench.db").resolve()
            bench("sqlite", f"sqlite:///{file}", args.repeat, Path(folder),
                  bool(args.sqlite_file) and file.exists(), keys, not args.no_exports)
        if args.only in (None, "postgresql"):
            if not args.postgres:
                raise SystemExit("PostgreSQL: pass --postgres or set BENCH_POSTGRES_URL")
            bench("postgresql", args.postgres, args.repeat, Path(folder), args.reuse, keys,
                  not args.no_exports)


if __name__ == "__main__":
    main()
