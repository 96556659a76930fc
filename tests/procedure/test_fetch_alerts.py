"""Fetch alerts: a visitor who cannot hear or see the TV's call is fetched by staff; the
alert names the ticket and counter only and reaches only the roles that fetch."""
from __future__ import annotations

import pytest

from queue_server.auth.access import FETCH_ALERT_READERS
from queue_server.auth.models import Role
from queue_server.procedure.events import EVENT_AUDIENCES, FETCH_REQUESTED

from .conftest import GUEST, ok


@pytest.fixture
def heard(services):
    events = []
    services.publisher.subscribe(lambda event: events.append(event))
    return events


@pytest.fixture
def config_overrides() -> dict:
    # The visit's ticket is called on the TV even though staff bring the visitor: the case
    # where a visitor who cannot hear or see the call must be fetched.
    return {"procedure": {"announce_call": "always"}}


def called_at_counter_2(call, visit_at, guest: dict) -> str:
    """A visit with this guest, taken by Loket 2: its ticket is called there, announced."""
    visit = visit_at("request", guest=guest)["visit"]
    ok(call("officer", "POST", f"/visits/{visit['id']}/steps/request/acknowledge",
            json={"counter": "2"}))
    return ok(call("admin", "GET", f"/visits/{visit['id']}"))["visit"]["ticket"]


@pytest.mark.parametrize("guest", [
    {**GUEST, "category": "lansia", "kinds": [], "communication": ["sensorik_rungu"]},
    {**GUEST, "category": "lansia", "kinds": [], "communication": ["sensorik_netra"]},
    {**GUEST, "kinds": ["sensorik_rungu"]},  # the disability kind says it too
])
def test_calling_a_visitor_who_cannot_hear_or_see_raises_a_fetch_alert(call, visit_at, heard,
                                                                        guest):
    number = called_at_counter_2(call, visit_at, guest)
    fetches = [e.payload for e in heard if e.name == FETCH_REQUESTED]
    assert len(fetches) == 1
    assert {key: fetches[0][key] for key in ("ticket", "counter", "counter_name")} == {
        "ticket": number, "counter": "2", "counter_name": "Loket 2"}
    # No health data in the alert: the ticket, the counter and the visit id only.
    assert set(fetches[0]) == {"ticket", "counter", "counter_name", "visit_id"}
    ok(call("officer", "POST", "/counters/2/recall"))
    assert len([e for e in heard if e.name == FETCH_REQUESTED]) == 2  # a recall fetches too


@pytest.mark.parametrize("guest", [
    {**GUEST, "category": "lansia", "kinds": [], "communication": []},
    {**GUEST, "category": "lansia", "kinds": [], "communication": ["sensorik_wicara"]},
    {**GUEST, "kinds": ["fisik"]},
])
def test_a_visitor_who_hears_and_sees_the_call_is_not_fetched(call, visit_at, heard, guest):
    called_at_counter_2(call, visit_at, guest)
    assert [e for e in heard if e.name == FETCH_REQUESTED] == []


def test_the_fetch_alert_goes_to_reception_and_security_only():
    assert EVENT_AUDIENCES[FETCH_REQUESTED] == FETCH_ALERT_READERS
    assert {Role.ADMIN, Role.RECEPTIONIST, Role.SECURITY} == FETCH_ALERT_READERS
