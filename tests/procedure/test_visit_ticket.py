"""A visit and its queue ticket move together, in the step's own transaction."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from queue_server.platform.config import ConfigError
from queue_server.procedure.settings import parse_procedure
from queue_server.tickets.models import Call, CounterState, Ticket, TicketEvent

from ..support import office_data
from .conftest import REQUESTER, ok, step


def ticket_state(services, number: str, day_index: int = -1) -> dict:
    """The ticket's status, counter and how often the TV announced it."""
    with services.session_factory() as db:
        ticket = db.scalars(select(Ticket).where(Ticket.number == number)
                            .order_by(Ticket.id)).all()[day_index]
        calls = db.scalar(select(func.count(Call.id)).where(Call.ticket_id == ticket.id))
        current = {state.code for state in db.scalars(select(CounterState)).all()
                   if state.current_ticket_id == ticket.id}
        last = db.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                          .order_by(TicketEvent.id.desc())).first()
        return {"status": ticket.status.value, "counter": ticket.counter, "calls": calls,
                "current_at": current, "last_details": last.details}


def no_counter_calls_it(call) -> None:
    for counter in ("1", "2", "3"):
        response = call("officer", "POST", f"/counters/{counter}/call-next")
        assert response.status_code == 204, (counter, response.get_data(as_text=True))


def waiting(call) -> dict:
    return ok(call("officer", "GET", "/queue"))["waiting"]


def test_the_guest_book_ticket_is_held_until_the_counter_takes_the_visit(
        call, services, visit_at):
    visit = visit_at("to_counter")["visit"]
    assert visit["ticket"] == "P-001"
    # Reception walks the visitor to the counter: not waiting, nobody else calls it.
    assert ticket_state(services, "P-001")["status"] == "held"
    assert waiting(call) == {"priority": 0, "regular": 0}
    no_counter_calls_it(call)
    ok(step(call, "receptionist", visit["id"], "to_counter"))
    no_counter_calls_it(call)

    # The counter takes the visit at step 5: called there, quietly (the visitor is there).
    ok(call("officer", "POST", f"/visits/{visit['id']}/steps/request/acknowledge",
            json={"counter": "1"}))
    state = ticket_state(services, "P-001")
    assert state == {"status": "called", "counter": "1", "calls": 0, "current_at": {"1"},
                     "last_details": {"announced": False}}
    no_counter_calls_it(call)  # counter 1 closes it as served: the visitor is at its desk


def test_completing_the_counter_step_takes_the_ticket_at_the_given_counter(
        call, services, visit_at):
    visit = visit_at("request")["visit"]
    ok(step(call, "officer", visit["id"], "request", counter="2", request={
        **REQUESTER, "subject": "Rapor mutu", "requirements": {"Kartu identitas": True}}))
    state = ticket_state(services, "P-001")
    assert (state["status"], state["counter"], state["calls"]) == ("called", "2", 0)
    # An unknown counter is refused before anything changes.
    other = visit_at("request")["visit"]
    response = step(call, "officer", other["id"], "request", counter="9", request={
        **REQUESTER, "subject": "x", "requirements": {}})
    assert response.status_code == 422 and "9" in response.json["error"]["message"]
    assert ticket_state(services, other["ticket"])["status"] == "held"


def test_a_visit_that_ends_closes_its_ticket_as_served(call, services, visit_at):
    visit_at("escort_out")
    assert ticket_state(services, "P-001")["status"] == "called"
    [escort] = ok(call("security", "GET", "/escorts"))["escorts"]
    ok(call("security", "POST", f"/escorts/{escort['id']}/done", json={"place": "exit"}))
    state = ticket_state(services, "P-001")
    assert state["status"] == "served" and state["current_at"] == set()
    assert state["last_details"] == {"reason": "visit_finished"}
    no_counter_calls_it(call)
    assert ok(call("officer", "GET", "/counters/1"))["current"] is None


def test_a_visitor_who_goes_home_closes_the_ticket_as_served(call, services, visit_at):
    visit = visit_at("processing")["visit"]
    ok(call("officer", "POST", f"/visits/{visit['id']}/leave", json={"escort": False}))
    state = ticket_state(services, "P-001")
    assert (state["status"], state["last_details"]) == ("served", {"reason": "visitor_left"})
    no_counter_calls_it(call)


@pytest.mark.parametrize("at", ["to_counter", "processing"])
def test_a_cancelled_visit_cancels_its_ticket(call, services, visit_at, at):
    visit = visit_at(at)["visit"]
    ok(call("receptionist", "POST", f"/visits/{visit['id']}/cancel",
            json={"reason": "Pengunjung pulang"}))
    state = ticket_state(services, "P-001")
    assert state["status"] == "cancelled" and state["current_at"] == set()
    assert state["last_details"] == {"reason": "visit_cancelled"}
    assert waiting(call) == {"priority": 0, "regular": 0}
    no_counter_calls_it(call)


def walk_to_pickup(call, clock, visit_at, escort: bool) -> dict:
    visit = visit_at("processing")["visit"]
    ok(call("officer", "POST", f"/visits/{visit['id']}/leave", json={"escort": False}))
    clock.advance(days=1)
    ok(step(call, "ppid", visit["id"], "processing", result="Salinan rapor"))
    return ok(call("receptionist", "POST", f"/requests/{visit['request']['id']}/pickup",
                   json={"escort": escort}), 201)


def test_an_unescorted_pickup_waits_in_line_and_its_call_is_announced(
        call, clock, services, visit_at):
    pickup = walk_to_pickup(call, clock, visit_at, escort=False)
    number = pickup["ticket"]["number"]
    assert waiting(call)["priority"] == 1
    ok(call("officer", "POST", f"/visits/{pickup['id']}/steps/hand_over/acknowledge",
            json={"counter": "1"}))
    state = ticket_state(services, number)
    assert (state["status"], state["counter"], state["calls"]) == ("called", "1", 1)
    assert waiting(call)["priority"] == 0
    for key in ("hand_over", "survey", "call_security"):
        ok(step(call, "officer", pickup["id"], key, counter="1"))
    assert ticket_state(services, number)["calls"] == 1  # taken once, not again
    [escort] = ok(call("security", "GET", "/escorts"))["escorts"]
    ok(call("security", "POST", f"/escorts/{escort['id']}/done", json={"place": "exit"}))
    assert ticket_state(services, number)["status"] == "served"


def test_an_escorted_pickup_is_held_and_called_quietly(call, clock, services, visit_at):
    pickup = walk_to_pickup(call, clock, visit_at, escort=True)
    number = pickup["ticket"]["number"]
    assert pickup["ticket"]["status"] == "held" and waiting(call)["priority"] == 0
    no_counter_calls_it(call)
    ok(step(call, "officer", pickup["id"], "hand_over"))
    state = ticket_state(services, number)
    # No counter named: the priority counter of the service.
    assert (state["status"], state["counter"], state["calls"]) == ("called", "1", 0)


@pytest.mark.parametrize("config_overrides", [{"procedure": {"announce_call": "always"}}],
                         indirect=True)
def test_announce_call_always_announces_even_an_escorted_visitor(call, services, visit_at):
    visit = visit_at("request")["visit"]
    ok(call("officer", "POST", f"/visits/{visit['id']}/steps/request/acknowledge",
            json={"counter": "1"}))
    assert ticket_state(services, "P-001")["calls"] == 1


@pytest.mark.parametrize("config_overrides", [{"procedure": {"announce_call": "never"}}],
                         indirect=True)
def test_announce_call_never_keeps_the_tv_quiet(call, clock, services, visit_at):
    pickup = walk_to_pickup(call, clock, visit_at, escort=False)
    ok(call("officer", "POST", f"/visits/{pickup['id']}/steps/hand_over/acknowledge"))
    assert ticket_state(services, pickup["ticket"]["number"])["calls"] == 0


def test_announce_call_is_checked_and_named():
    section = office_data()["procedure"]
    assert parse_procedure(section).announce_call == "unescorted"
    with pytest.raises(ConfigError, match=r"^procedure\.announce_call: must be one of"):
        parse_procedure({**section, "announce_call": "sometimes"})
