"""Standard times: deviations to the second, on working days, live on the pages' API."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from queue_server.procedure.calendar import add_working_days, working_days_between

from .conftest import REQUESTER, ok, step

HOLIDAYS = {date(2026, 12, 7)}  # a Monday


@pytest.fixture
def config_overrides() -> dict:
    return {"holidays": [{"date": "2026-12-07", "name": "Libur contoh"}]}


def test_working_days_skip_weekends_and_listed_holidays():
    thursday = date(2026, 12, 3)
    assert add_working_days(thursday, 1, HOLIDAYS) == date(2026, 12, 4)
    assert add_working_days(thursday, 2, HOLIDAYS) == date(2026, 12, 8)  # over Sat, Sun, Mon
    assert add_working_days(thursday, 10, HOLIDAYS) == date(2026, 12, 18)
    assert add_working_days(thursday, 0, HOLIDAYS) == thursday
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 9), HOLIDAYS) == 2


def test_due_dates_cross_a_weekend_and_a_listed_holiday(call, clock, visit_at):
    clock.advance(days=1)  # Thursday 3 December
    visit = visit_at("processing")
    request = visit["visit"]["request"]
    assert request["received_at"].startswith("2026-12-03")
    # Fri 4 is day 1; Sat, Sun and the Monday holiday do not count; Tue 8, Wed 9.
    assert request["due_internal"] == "2026-12-09"
    assert request["due_statutory"] == "2026-12-18"
    assert visit["steps"][5]["due_at"] == "2026-12-09T17:00:00+00:00"  # midnight in Jakarta
    extended = ok(call("ppid", "POST", f"/requests/{request['id']}/extend",
                       json={"days": 7, "reason": "Data harus dihimpun dari 3 bidang"}))
    assert extended["statutory_limit"] == "2026-12-29"


def test_minute_standards_are_exact_to_the_second(call, clock, visit_at):
    visit = visit_at("to_counter")
    visit_id = visit["visit"]["id"]
    clock.advance(minutes=2)  # exactly the standard: no deviation
    ok(step(call, "receptionist", visit_id, "to_counter"))
    clock.advance(minutes=10, seconds=1)
    ok(step(call, "officer", visit_id, "request", request={**REQUESTER, "subject": "Data",
                                                            "requirements": {}}))
    timeline = ok(call("admin", "GET", f"/visits/{visit_id}"))
    assert timeline["steps"][3]["deviation"] is None
    deviation = timeline["steps"][4]["deviation"]
    assert (deviation["standard_seconds"], deviation["actual_seconds"],
            deviation["over_seconds"]) == (600, 601, 1)


def test_a_running_step_shows_late_live_and_deviations_list_by_role(call, clock, visit_at):
    visit = visit_at("escort_in")
    visit_id = visit["visit"]["id"]
    clock.advance(minutes=5, seconds=1)
    [escort] = ok(call("security", "GET", "/escorts"))["escorts"]
    assert escort["visit"]["step"]["running_late"] is True
    assert escort["visit"]["step"]["due_at"]
    ok(call("security", "POST", f"/escorts/{escort['id']}/done", json={"place": "ult"}))
    clock.advance(minutes=6)
    ok(step(call, "receptionist", visit_id, "guest_book", guest=visit_guest(), service="INFO"))

    security = ok(call("security", "GET", "/deviations"))
    assert [(d["step"], d["over_seconds"]) for d in security["deviations"]] == [
        ("escort_in", 1)]
    reception = ok(call("receptionist", "GET", "/deviations"))
    assert [(d["step"], d["over_seconds"]) for d in reception["deviations"]] == [
        ("guest_book", 60)]
    everyone = ok(call("admin", "GET", "/deviations"))
    assert everyone["count"] == 2
    only = ok(call("admin", "GET", "/deviations?role=security"))
    assert only["count"] == 1 and only["deviations"][0]["responsible"] == "Petugas security"


def visit_guest() -> dict:
    from .conftest import GUEST
    return GUEST


def test_a_late_ppid_result_counts_working_days(call, clock, visit_at):
    clock.advance(days=1)  # Thursday; due Wednesday 9 December
    visit = visit_at("processing")
    visit_id = visit["visit"]["id"]
    # Friday 11 December, 10:00 in Jakarta: two working days after the due date.
    clock.now = datetime(2026, 12, 11, 3, 0, 5, tzinfo=UTC)
    ok(step(call, "ppid", visit_id, "processing", result="Hasil"))
    deviation = ok(call("admin", "GET", f"/visits/{visit_id}"))["steps"][5]["deviation"]
    assert deviation["over_working_days"] == 2
    # From midnight after Wednesday 9 December (17:00 UTC) to Friday 03:00:05 UTC.
    assert deviation["over_seconds"] == 34 * 3600 + 5


def test_a_same_day_request_is_due_today(call, clock, visit_at):
    visit = visit_at("processing", same_day=True)
    request = visit["visit"]["request"]
    assert request["same_day"] is True and request["due_internal"] == "2026-12-02"
    clock.advance(days=1)
    ok(step(call, "ppid", visit["visit"]["id"], "processing", result="Hasil"))
    deviation = ok(call("admin", "GET", f"/visits/{visit['visit']['id']}"))["steps"][5][
        "deviation"]
    assert deviation["over_working_days"] == 1
