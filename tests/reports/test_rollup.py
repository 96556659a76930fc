"""The roll-up gives the figures the tickets give: closed days summarised once (by month),
today live; a change to a rolled-up day is noticed; waits run to the first call.
(Call-next recording the fairness guard: tests/test_fairness.py.)"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from queue_server.reports.models import RollupCount, RollupMonth
from queue_server.reports.periods import Period, Query
from queue_server.reports.queue import volume, waits
from queue_server.tickets.models import Ticket, TicketStatus

from .test_queries import report, table

TODAY = "2026-03-20"
RANGE = {"from": "2026-02-01", "to": TODAY}


def month_of_tickets(desk, clock):
    """Tickets on closed days in February and March, and today (20 March, 10:00 local)."""
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    for day, extra in (("2026-02-02", 0), ("2026-02-27", 3), ("2026-03-09", 7),
                       ("2026-03-10", 11), (TODAY, 2)):
        desk.ticket("INFO", "umum", f"{day} 08:00:00", f"{day} 08:1{extra % 10}:00",
                    f"{day} 08:30:0{extra % 10}", "served", "2", transferred=extra == 3)
        desk.ticket("INFO", "lansia", f"{day} 08:05:00", f"{day} 08:06:30",
                    f"{day} 08:20:00", "served", "1", officer="admin")
        desk.ticket("SURAT", "umum", f"{day} 09:00:00", f"{day} 09:4{extra % 10}:00",
                    f"{day} 09:50:00", "no_show", "3", fairness_guard=extra == 7)
        desk.ticket("KONSUL", "anak", f"{day} 13:{10 + extra}:00")
        desk.ticket("SURAT", "umum", f"{day} 10:00:00", f"{day} 10:25:00",
                    f"{day} 10:40:00", "served", "3", first_called=f"{day} 10:05:00",
                    fairness_guard=extra == 11)
    # a ticket of the evening before: 23:30 local is still that local day
    desk.ticket("INFO", "umum", "2026-03-10 23:30:00")


def live(services, key: str, params: dict) -> dict:
    """The report computed from the tickets alone (nothing rolled up read)."""
    config = services.config
    period = Period(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]),
                    config.tz)
    filters = {k: (int(v) if k == "officer" else v) for k, v in params.items()
               if k not in ("from", "to")}
    build = {"volume": volume, "waits": waits}[key]
    with services.session_factory() as db:
        assert db.scalar(select(func.count()).select_from(RollupMonth)) == 0
        made = build(db, Query(period, filters, "id", date.fromisoformat(TODAY)), config)
    return {"figures": made.figures, "tables": {t.key: t.rows for t in made.tables}}


def as_read(data: dict) -> dict:
    return {"figures": data["figures"], "tables": {t["key"]: t["rows"] for t in data["tables"]}}


def rolled(services) -> dict:
    with services.session_factory() as db:
        return {(s, m.isoformat()): t.isoformat() for s, m, t in db.execute(
            select(RollupMonth.slice, RollupMonth.month, RollupMonth.through))}


def test_the_roll_up_gives_the_live_figures(client, auth, services, desk, clock):
    month_of_tickets(desk, clock)
    officer = str(desk.users["admin"])
    cases = [("volume", RANGE), ("waits", RANGE), ("waits", {**RANGE, "service": "SURAT"}),
             ("volume", {**RANGE, "officer": officer}),
             ("waits", {"from": "2026-02-15", "to": "2026-03-12"})]
    expected = [live(services, key, params) for key, params in cases]
    for (key, params), wanted in zip(cases, expected, strict=True):
        assert as_read(report(client, auth, key, **params)) == wanted, (key, params)
    # February whole, March up to yesterday; today is never rolled up
    assert rolled(services) == {("", "2026-02-01"): "2026-02-28",
                                ("", "2026-03-01"): "2026-03-19",
                                ("service=SURAT", "2026-02-01"): "2026-02-28",
                                ("service=SURAT", "2026-03-01"): "2026-03-19",
                                (f"officer={officer}", "2026-02-01"): "2026-02-28",
                                (f"officer={officer}", "2026-03-01"): "2026-03-19"}
    # asked again, the same figures come from the roll-up
    assert as_read(report(client, auth, "waits", **RANGE)) == expected[1]
    figures = expected[1]["figures"]
    assert figures["called"] == 20 and figures["fairness_guard"] == 2
    # regular tickets called: 3 a day on 5 days, 2 of them taken by the guard
    assert figures["fairness_guard_share"] == round(100 * 2 / 15, 1)
    assert expected[0]["figures"]["transferred"] == 1


def test_a_change_to_a_rolled_up_day_drops_its_month(client, auth, services, desk, clock,
                                                     app):
    month_of_tickets(desk, clock)
    report(client, auth, "volume", **RANGE)
    assert ("", "2026-03-01") in rolled(services)
    # the waiting ticket of 10 March is called today, at counter 2
    queue = services.queue
    with services.session_factory() as db, db.begin():
        old = db.scalar(select(Ticket.id).where(Ticket.day == date(2026, 3, 10),
                                                Ticket.status == TicketStatus.WAITING,
                                                Ticket.service == "INFO"))
    services.work.run(lambda db: queue.call_at(db, desk.users["officer"], old, "2", True))
    data = report(client, auth, "volume", **RANGE)
    assert ("", "2026-02-01") in rolled(services)  # February untouched
    with services.session_factory() as db:
        assert db.scalar(select(func.count()).select_from(RollupCount).where(
            RollupCount.day == date(2026, 3, 10), RollupCount.status == "called")) == 1
    assert table(data, "by_day")["2026-03-10"] == [6, 3, 1, 0]
    with services.session_factory() as db:
        db.execute(RollupMonth.__table__.delete())
        db.execute(RollupCount.__table__.delete())
        db.commit()
    assert as_read(data) == live(services, "volume", RANGE)


def test_waiting_runs_from_issue_to_the_first_call(client, auth, desk, clock):
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    # called first at 08:05, transferred, called again at 08:25, done at 08:40
    desk.ticket("SURAT", "umum", f"{TODAY} 08:00:00", f"{TODAY} 08:25:00",
                f"{TODAY} 08:40:00", "served", "3", first_called=f"{TODAY} 08:05:00",
                transferred=True)
    figures = report(client, auth, "waits", **{"from": TODAY, "to": TODAY})["figures"]
    assert (figures["wait_mean"], figures["service_mean"]) == (300.0, 900.0)


def visits_of_two_months(services, desk):
    """Visits with one step each on closed days (one still active) and today."""
    from queue_server.procedure.models import Deviation, StepRecord, Visit
    officer = desk.users["officer"]
    made = []
    with services.session_factory() as db, db.begin():
        for n, (day, took, status) in enumerate((
                ("2026-02-03", 300, "completed"), ("2026-02-27", 1300, "completed"),
                ("2026-03-09", 900, "cancelled"), ("2026-03-10", 1500, "completed"),
                ("2026-03-11", 200, "active"), (TODAY, 700, "active")), start=1):
            start = desk.at(f"{day} 09:00:00")
            db.add(Visit(id=n, day=date.fromisoformat(day), status=status, position=3,
                         created_at=start))
            db.flush()
            db.add(StepRecord(id=n, visit_id=n, position=2, step_key="escort_in",
                              role="security", started_at=start,
                              ended_at=start + timedelta(seconds=took),
                              due_at=start + timedelta(seconds=600), completed_by=officer))
            db.flush()
            if took > 600:
                db.add(Deviation(visit_id=n, step_record_id=n, step_key="escort_in",
                                 role="security", responsible_user_id=officer,
                                 day=date.fromisoformat(day), standard_seconds=600,
                                 actual_seconds=took, over_seconds=took - 600,
                                 recorded_at=start))
            made.append(n)
    return made


def live_steps(services, params: dict) -> dict:
    from queue_server.procedure.reports import steps
    from queue_server.procedure.steps_rollup import StepMonth
    config = services.config
    period = Period(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]),
                    config.tz)
    with services.session_factory() as db:
        assert db.scalar(select(func.count()).select_from(StepMonth)) == 0
        made = steps(db, Query(period, {}, "id", date.fromisoformat(TODAY)), config)
    return {"figures": made.figures, "tables": {t.key: t.rows for t in made.tables}}


def test_the_procedure_roll_up_gives_the_live_figures(client, auth, services, desk, clock):
    from queue_server.procedure.models import StepRecord, Visit
    from queue_server.procedure.steps_rollup import StepMonth, StepPending
    clock.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    visits_of_two_months(services, desk)
    ranges = [RANGE, {"from": "2026-02-10", "to": "2026-03-15"}]
    expected = [live_steps(services, params) for params in ranges]
    for params, wanted in zip(ranges, expected, strict=True):
        assert as_read(report(client, auth, "procedure", **params)) == wanted, params
    with services.session_factory() as db:
        assert sorted(db.execute(select(StepMonth.month, StepMonth.through)).all()) == [
            (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 3, 1), date(2026, 3, 19))]
        assert db.scalars(select(StepPending.visit_id)).all() == [5]  # active on 11 March
    assert expected[0]["figures"]["steps_done"] == 6
    assert expected[0]["figures"]["deviations"] == 4
    # the visit of 11 March goes on: its step is redone longer; the roll-up still agrees
    with services.session_factory() as db, db.begin():
        db.get(Visit, 5).status = "completed"
        record = db.get(StepRecord, 5)
        record.ended_at = record.started_at + timedelta(seconds=5000)
    again = as_read(report(client, auth, "procedure", **RANGE))
    with services.session_factory() as db, db.begin():
        db.execute(StepMonth.__table__.delete())
    assert again == live_steps(services, RANGE)
    assert again["tables"]["steps"][1][4] == 5000.0  # the worst time is the redone step


def test_the_board_waits_to_the_first_call_and_names_the_last_caller(client, auth, services,
                                                                     desk, clock):
    queue = services.queue
    issued = services.work.run(lambda db: queue.issuing.issue(db, None, "SURAT", "umum"))
    clock.advance(minutes=5)
    services.work.run(lambda db: queue.desk.call_next(db, desk.users["officer"], "3"))
    clock.advance(minutes=2)  # no-show, then called back by another officer
    services.work.run(lambda db: queue.desk.no_show(db, desk.users["officer"], "3"))
    services.work.run(lambda db: queue.desk.call_back(db, desk.users["admin"], "3",
                                                      issued.ticket.id))
    board = client.get("/api/v1/board", headers=auth("supervisor")).get_json()
    assert board["today"]["wait_mean"] == 300 and board["today"]["wait_longest"] == 300
    counter = next(c for c in board["counters"] if c["code"] == "3")
    assert (counter["state"], counter["ticket"], counter["officer"]) == (
        "serving", issued.ticket.number, "Petugas admin")
