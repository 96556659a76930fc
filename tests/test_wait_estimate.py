"""The estimated waiting time on hand-built histories: no data, one counter, two counters,
priority tickets ahead; and the arithmetic it rests on."""
from __future__ import annotations

import pytest

from queue_server.platform.office import WaitEstimateSettings
from queue_server.tickets.estimate import (
    ServiceLoad,
    ServiceTimes,
    choose_service_times,
    estimate,
    wait_minutes,
    wait_range,
)


def issue(client, auth, service: str = "KONSUL", category: str = "umum") -> dict:
    response = client.post("/api/v1/tickets", json={"service": service, "category": category},
                           headers=auth("receptionist"))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def call_next(client, auth, counter: str) -> None:
    response = client.post(f"/api/v1/counters/{counter}/call-next", headers=auth("officer"))
    assert response.status_code in (200, 204), response.get_data(as_text=True)


def serve(client, auth, clock, counters: tuple[str, ...], visits: int, minutes: float,
          service: str = "KONSUL") -> None:
    """Each counter serves `visits` tickets of `minutes` each, side by side."""
    for _ in range(visits * len(counters)):
        issue(client, auth, service)
    for _ in range(visits):
        for counter in counters:
            call_next(client, auth, counter)
        clock.advance(minutes=minutes)
    for counter in counters:
        client.post(f"/api/v1/counters/{counter}/done", headers=auth("officer"))


def test_no_data_gives_no_estimate_never_a_made_up_one(client, auth, clock):
    ticket = issue(client, auth)
    assert ticket["estimate"] is None
    # A counter open but nothing served yet today: still nothing to go on.
    call_next(client, auth, "2")
    clock.advance(minutes=20)
    assert issue(client, auth)["estimate"] is None


def test_one_counter_shares_its_recent_service_time(client, auth, clock):
    serve(client, auth, clock, ("2",), visits=3, minutes=10)
    clock.advance(seconds=30)
    first = issue(client, auth)  # nobody ahead: half a visit, the one at the desk
    assert first["estimate"] == {"low_minutes": 0, "high_minutes": 10, "text": "± 0-10 menit"}
    for _ in range(2):
        issue(client, auth)
    fourth = issue(client, auth)  # three ahead: 3.5 visits of 10 minutes at one counter
    assert (fourth["position"], fourth["estimate"]) == (4, {
        "low_minutes": 25, "high_minutes": 45, "text": "± 25-45 menit"})


def test_two_counters_halve_the_wait(client, auth, clock):
    serve(client, auth, clock, ("2", "3"), visits=2, minutes=10, service="INFO")
    clock.advance(seconds=30)
    for _ in range(3):
        issue(client, auth, "INFO")
    fourth = issue(client, auth, "INFO")  # 3.5 visits of 10 minutes over two counters
    assert fourth["estimate"]["low_minutes"] == 10
    assert fourth["estimate"]["high_minutes"] == 25
    assert fourth["status_url"].startswith("http://127.0.0.1:5000/t/")


def test_priority_tickets_ahead_count_for_a_regular_ticket_only(client, auth, clock):
    serve(client, auth, clock, ("2",), visits=3, minutes=10)
    clock.advance(seconds=30)
    for _ in range(3):
        issue(client, auth, category="lansia")
    regular = issue(client, auth)
    priority = issue(client, auth, category="lansia")
    assert (regular["position"], priority["position"]) == (4, 4)
    # The regular ticket waits for the three priority ones and for the priority tickets
    # still to come (three came in the last hour); the fourth priority ticket does not.
    assert priority["estimate"]["high_minutes"] == 45
    assert regular["estimate"]["low_minutes"] > priority["estimate"]["low_minutes"]


def test_the_day_and_the_default_stand_in_for_an_empty_window(client, auth, clock, services):
    serve(client, auth, clock, ("2",), visits=3, minutes=6)
    clock.advance(minutes=90)  # the window is empty now; the day is not
    call_next(client, auth, "2")
    assert issue(client, auth)["estimate"]["high_minutes"] == 5
    with services.session_factory() as db:
        load = services.queue.estimates.load(db, "KONSUL")
    assert (load.times.source, load.times.samples) == ("day", 3)


def test_get_ticket_carries_the_status_link_of_the_qr_code(client, auth, services):
    ticket = issue(client, auth)
    detail = client.get(f"/api/v1/tickets/{ticket['id']}", headers=auth("officer")).json
    assert detail["status_url"] == ticket["status_url"]
    from queue_server.printing.outbox import ticket_payload
    from queue_server.tickets.models import Ticket
    with services.session_factory() as db:
        printed = ticket_payload(services.config, db.get(Ticket, ticket["id"]), 1)
    assert printed["status_url"] == ticket["status_url"]


SETTINGS = WaitEstimateSettings()


def load(minutes: float | None, priority: int = 1, regular: int = 1,
         per_minute: float = 0.0) -> ServiceLoad:
    return ServiceLoad(ServiceTimes(minutes, "window" if minutes else None), priority,
                       regular, per_minute)


def test_the_arithmetic():
    assert wait_minutes(0, 10, 1) == 5
    assert wait_minutes(3, 10, 2) == 17.5
    # Priority arrivals take a share of the counters' time, at most what the guard allows.
    assert wait_minutes(0, 10, 1, priority_per_minute=0.05) == pytest.approx(10)
    assert wait_minutes(0, 10, 1, priority_per_minute=5) == pytest.approx(20)
    assert wait_range(17.5, 0.25) == (10, 25)
    assert wait_range(0.2, 0.25) == (0, 5)
    assert estimate(load(None), 3, False, SETTINGS) is None
    assert estimate(load(10, regular=0), 3, False, SETTINGS) is None  # no counter open
    assert estimate(load(10), 0, True, SETTINGS).view("en")["text"] == "about 0-10 minutes"
    few = choose_service_times([4.0, 5.0], [4.0, 5.0], SETTINGS)
    assert (few.minutes, few.source) == (None, None)
    fallback = choose_service_times([], [], WaitEstimateSettings(default_service_minutes=8))
    assert (fallback.minutes, fallback.source) == (8, "default")
    # A counter left with a ticket at the desk for an hour does not make the wait an hour.
    assert choose_service_times([5, 5, 5, 60], [], SETTINGS).minutes == pytest.approx(8.75)


def test_the_print_job_carries_the_estimate_only_when_there_is_one(client, auth, clock,
                                                                 services):
    from sqlalchemy import select

    from queue_server.printing.models import PrintJob
    first = issue(client, auth)
    serve(client, auth, clock, ("2",), visits=3, minutes=10)
    clock.advance(seconds=30)
    later = issue(client, auth)
    with services.session_factory() as db:
        jobs = {job.ticket_id: job.payload for job in db.scalars(select(PrintJob))}
    assert jobs[first["id"]]["wait_minutes"] is None
    assert jobs[later["id"]]["wait_minutes"] == [later["estimate"]["low_minutes"],
                                                 later["estimate"]["high_minutes"]]


def test_the_tv_shows_each_services_wait_and_keeps_it_live(app, client, auth, clock):
    assert all(item["regular"] is None and item["priority"] is None
               for item in client.get("/api/v1/display/state").json["estimates"])
    serve(client, auth, clock, ("2",), visits=3, minutes=10)
    clock.advance(seconds=30)
    state = client.get("/api/v1/display/state").json
    by_service = {item["service"]: item for item in state["estimates"]}
    assert set(by_service) == {"INFO", "KONSUL", "SURAT"}
    assert by_service["KONSUL"]["name"] == "Konsultasi Penjaminan Mutu"
    assert by_service["KONSUL"]["regular"]["text"] == "± 0-10 menit"
    # Loket 2 serves every service: INFO's visitors wait in the same pool, for the same time.
    assert by_service["INFO"]["regular"] == by_service["KONSUL"]["regular"]
    display = app.extensions["queue_socketio"].test_client(app, namespace="/display")
    display.get_received("/display")
    for _ in range(3):
        issue(client, auth)
    changes = [event["args"][0] for event in display.get_received("/display")
               if event["name"] == "queue_changed"]
    konsul = next(item for item in changes[-1]["estimates"] if item["service"] == "KONSUL")
    assert konsul["regular"]["low_minutes"] == 25  # three waiting: 3.5 visits of 10 ahead


def test_shared_counters_pool_their_services_and_the_priority_counter_shares_priority_work(
        config):
    from queue_server.tickets.estimate import pool, pool_counters
    # Loket 3 serves INFO and SURAT, Loket 2 everything: a KONSUL visitor waits behind them all.
    assert pool(config, "KONSUL", False) == ("INFO", "KONSUL", "SURAT")
    assert pool_counters(config, pool(config, "KONSUL", False), False) == ["2", "3"]
    assert pool_counters(config, pool(config, "KONSUL", True), True) == ["1", "2", "3"]
    # Two regular tickets and two priority ones ahead; Loket Prioritas takes priority ones too.
    assert wait_minutes(2, 10, 2, priority_ahead=2, priority_only_counters=1) == pytest.approx(
        2.5 * 10 / 2 + 2 * 10 / 3)
    # Priority arrivals the priority counter can take alone cost the regular queue nothing.
    assert wait_minutes(0, 10, 2, 0.05, priority_only_counters=1) == pytest.approx(2.5)


def test_a_bad_estimate_setting_names_its_key():
    from queue_server.platform.config_values import ConfigError
    from queue_server.platform.office import parse_queue
    assert parse_queue({}).estimate == WaitEstimateSettings()
    assert parse_queue({"estimate": {"default_service_minutes": 8}}).estimate \
        .default_service_minutes == 8.0
    for key, value in (("spread", 2), ("window_minutes", 1), ("default_service_minutes", 0)):
        with pytest.raises(ConfigError, match=f"queue.estimate.{key}"):
            parse_queue({"estimate": {key: value}})
