"""The fairness rule, without HTTP: the pure `choose`, then a CounterDesk on a real database.

Priority first; first come, first served within a class; after max_priority_streak priority
calls in a row (3 by default) a counter takes one regular ticket; a regular ticket that has
waited max_regular_wait_minutes goes first; a priority-only counter takes priority only.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from queue_server.platform.config import Counter, QueueRules
from queue_server.platform.office import Category
from queue_server.tickets.desk import CounterDesk, choose
from queue_server.tickets.issuing import TicketIssuing
from queue_server.tickets.models import Ticket
from queue_server.tickets.reading import QueueReading

from .support import Clock

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta, a Wednesday
RULES = QueueRules()  # the defaults: streak 3, the waiting rule off
MIXED = Counter("2", "Loket 2", "Counter 2", ("INFO", "KONSUL", "SURAT"))
PRIORITY_ONLY = Counter("1", "Loket Prioritas", "Priority Counter", ("INFO", "KONSUL", "SURAT"),
                        priority_only=True)


def ticket(number: str, waited_minutes: float = 0, priority: int = 0) -> Ticket:
    return Ticket(number=number, priority=priority,
                  created_at=NOW - timedelta(minutes=waited_minutes))


PRIORITY, REGULAR = ticket("P-001", priority=1), ticket("A-001", waited_minutes=5)


# --- choose(): the rule alone -------------------------------------------------------------

def test_defaults_are_a_streak_of_three_and_no_waiting_limit():
    assert (RULES.max_priority_streak, RULES.max_regular_wait_minutes) == (3, 0)


def test_priority_goes_before_an_older_regular():
    assert choose(PRIORITY, REGULAR, MIXED, 0, RULES, NOW) is PRIORITY


def test_one_class_waiting_is_taken_and_nothing_waiting_is_none():
    assert choose(None, REGULAR, MIXED, 0, RULES, NOW) is REGULAR
    assert choose(PRIORITY, None, MIXED, 5, RULES, NOW) is PRIORITY  # no regular to let in
    assert choose(None, None, MIXED, 0, RULES, NOW) is None
    assert choose(None, None, PRIORITY_ONLY, 0, RULES, NOW) is None


@pytest.mark.parametrize(("streak", "expected"), [
    (0, PRIORITY), (1, PRIORITY), (2, PRIORITY), (3, REGULAR), (7, REGULAR)])
def test_three_priority_calls_in_a_row_then_one_regular(streak, expected):
    assert choose(PRIORITY, REGULAR, MIXED, streak, RULES, NOW) is expected


def test_the_streak_limit_is_the_office_s_choice():
    one = replace(RULES, max_priority_streak=1)
    assert choose(PRIORITY, REGULAR, MIXED, 0, one, NOW) is PRIORITY
    assert choose(PRIORITY, REGULAR, MIXED, 1, one, NOW) is REGULAR


def test_a_regular_waiting_the_limit_goes_first():
    rules = replace(RULES, max_regular_wait_minutes=45)
    almost = ticket("A-001", waited_minutes=45 - 1 / 60)
    assert choose(PRIORITY, almost, MIXED, 0, rules, NOW) is PRIORITY
    due = ticket("A-001", waited_minutes=45)
    assert choose(PRIORITY, due, MIXED, 0, rules, NOW) is due
    # With the rule off (0) a regular never overtakes on waiting time alone.
    assert choose(PRIORITY, ticket("A-001", waited_minutes=600), MIXED, 0, RULES,
                  NOW) is PRIORITY


def test_a_priority_only_counter_never_takes_a_regular():
    rules = replace(RULES, max_regular_wait_minutes=45)
    starved = ticket("A-001", waited_minutes=600)
    assert choose(PRIORITY, starved, PRIORITY_ONLY, 9, rules, NOW) is PRIORITY
    assert choose(None, starved, PRIORITY_ONLY, 0, rules, NOW) is None


# --- CounterDesk.call_next on SQLite and PostgreSQL -----------------------------------------

class Silent:
    """The desk's announcer: a caption and a file name, no audio."""

    def announce(self, number: str, counter: Counter) -> tuple[str, str]:
        return f"{number} ke loket {counter.code}", f"{number}.wav"


class Desk:
    """A CounterDesk and TicketIssuing built directly on one real session."""

    def __init__(self, session, config, clock: Clock):
        reading = QueueReading(config, clock)
        self.session = session
        self.clock = clock
        self.issuing = TicketIssuing(config, clock, reading)
        self.desk = CounterDesk(config, clock, Silent(), reading)

    def issue(self, *categories: str, service: str = "INFO") -> list[str]:
        return [self.issuing.issue(self.session, None, service, category).ticket.number
                for category in categories]

    def call(self, counter: str = "2") -> str | None:
        ticket = self.desk.call_next(self.session, None, counter).ticket
        return ticket.number if ticket else None

    def calls(self, count: int, counter: str = "2") -> list[str | None]:
        return [self.call(counter) for _ in range(count)]


@pytest.fixture
def make_desk(config, session_factory):
    """make_desk(max_priority_streak=..., ...): a desk with those queue rules (and extra
    categories), on a session of the test's rolled-back connection."""
    sessions = []

    def make(categories: dict | None = None, **rules) -> Desk:
        session = session_factory()
        sessions.append(session)
        changed = replace(config, queue=replace(config.queue, **rules),
                          categories={**config.categories, **(categories or {})})
        return Desk(session, changed, Clock(NOW))

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def desk(make_desk) -> Desk:
    """The office's rules (streak 3), with the waiting rule off."""
    return make_desk(max_regular_wait_minutes=0)


def test_desk_calls_priority_first_and_each_class_in_arrival_order(desk):
    assert desk.issue("umum", "umum", "lansia", "anak") == ["A-001", "A-002", "P-001", "P-002"]
    assert desk.calls(5) == ["P-001", "P-002", "A-001", "A-002", None]


def test_desk_lets_one_regular_in_after_three_priority_calls(desk):
    desk.issue("umum", "umum")
    desk.issue(*["lansia"] * 7)
    assert desk.calls(10) == ["P-001", "P-002", "P-003", "A-001", "P-004", "P-005", "P-006",
                              "A-002", "P-007", None]


def test_desk_counts_the_streak_per_counter(desk):
    desk.issue("umum", "umum")
    desk.issue(*["lansia"] * 4)
    assert desk.calls(3, counter="2") == ["P-001", "P-002", "P-003"]
    # Counter 3 has called nothing yet: its own streak is 0, so priority goes first there.
    assert desk.call(counter="3") == "P-004"
    assert desk.call(counter="2") == "A-001"


def test_desk_streak_of_one(make_desk):
    desk = make_desk(max_priority_streak=1, max_regular_wait_minutes=0)
    desk.issue("umum", "umum", "lansia", "lansia", "lansia")
    assert desk.calls(6) == ["P-001", "A-001", "P-002", "A-002", "P-003", None]


def test_desk_calls_a_regular_that_waited_the_limit_first(make_desk):
    desk = make_desk(max_regular_wait_minutes=45, priority_counter_open_minutes=120)
    assert desk.call(counter="1") is None  # the priority counter is staffed (it called)
    desk.issue("umum")
    desk.clock.advance(minutes=44)
    desk.issue("lansia")
    assert desk.call() == "P-001"  # A-001 has waited 44 minutes: not yet
    desk.issue("umum", "lansia")
    desk.clock.advance(minutes=1)
    assert desk.call() == "A-001"  # 45 minutes
    assert desk.calls(3) == ["P-002", "A-002", None]


def test_the_waiting_rule_is_off_while_no_priority_counter_is_open():
    rules = replace(RULES, max_regular_wait_minutes=45)
    starved = ticket("A-001", waited_minutes=600)
    assert rules.priority_first_when_priority_counter_closed is True  # the default
    assert choose(PRIORITY, starved, MIXED, 0, rules, NOW, priority_counter_open=False) \
        is PRIORITY
    assert choose(PRIORITY, starved, MIXED, 0, rules, NOW, priority_counter_open=True) \
        is starved
    # The streak rule still lets one regular in, so regulars are never starved.
    assert choose(PRIORITY, starved, MIXED, 3, rules, NOW, priority_counter_open=False) \
        is starved
    # The office may turn it off: then the waiting rule holds at every counter.
    off = replace(rules, priority_first_when_priority_counter_closed=False)
    assert choose(PRIORITY, starved, MIXED, 0, off, NOW, priority_counter_open=False) \
        is starved


def test_desk_puts_priority_first_while_the_priority_counter_is_closed(make_desk):
    desk = make_desk(max_regular_wait_minutes=45, priority_counter_open_minutes=30)
    desk.issue("umum")
    desk.clock.advance(minutes=50)
    desk.issue("lansia")
    # Counter 1 (priority only) has called nobody: it is closed, priority goes first.
    assert desk.call() == "P-001"
    desk.issue("lansia")
    assert desk.call(counter="1") == "P-002"  # now the priority counter is staffed
    desk.issue("lansia")
    assert desk.call() == "A-001"  # the regular has waited 50 minutes: it goes first
    desk.desk.done(desk.session, None, "1")
    desk.clock.advance(minutes=31)  # the priority counter idles past the open window
    desk.issue("umum")
    desk.clock.advance(minutes=46)
    desk.issue("lansia")
    assert desk.call() == "P-003"


def test_desk_priority_only_counter_takes_priority_only(desk):
    desk.issue("umum")
    assert desk.call(counter="1") is None
    desk.issue("disabilitas", "umum", "ibu_hamil")
    assert desk.calls(3, counter="1") == ["P-001", "P-002", None]
    assert desk.calls(3, counter="2") == ["A-001", "A-002", None]


def test_desk_with_nothing_waiting_calls_nothing(desk):
    outcome = desk.desk.call_next(desk.session, None, "2")
    assert outcome.ticket is None and outcome.events == []


def test_desk_takes_only_tickets_of_its_services(desk):
    desk.issue("lansia", service="KONSUL")
    desk.issue("umum", service="SURAT")
    assert desk.call(counter="3") == "A-001"  # counter 3 serves INFO and SURAT only
    assert desk.call(counter="3") is None
    assert desk.call(counter="2") == "P-001"


def test_desk_calls_a_higher_priority_level_first(make_desk):
    urgent = Category("darurat", "Darurat", "Emergency", 2, "D", "Prioritas")
    desk = make_desk(categories={"darurat": urgent}, max_regular_wait_minutes=0)
    desk.issue("lansia", "darurat", "umum")
    assert desk.calls(4) == ["D-001", "P-001", "A-001", None]


def test_desk_records_the_fairness_guard_and_the_first_call(make_desk):
    """The streak limit makes the 4th call take the regular ticket while a priority one
    waits: that ticket is marked; a regular taken with no priority waiting is not."""
    desk = make_desk(max_priority_streak=3, max_regular_wait_minutes=0)
    desk.issue("lansia", "lansia", "lansia", "lansia", "umum")
    assert desk.calls(5) == ["P-001", "P-002", "P-003", "A-001", "P-004"]
    desk.issue("umum")
    assert desk.call() == "A-002"
    desk.session.flush()
    tickets = {t.number: t for t in desk.session.scalars(select(Ticket))}
    assert {n for n, t in tickets.items() if t.fairness_guard} == {"A-001"}
    # called, a no-show, called back: the first call stays, the last call moves
    first = tickets["A-002"].called_at
    desk.clock.advance(minutes=2)
    desk.desk.no_show(desk.session, None, "2")
    desk.clock.advance(minutes=1)
    desk.desk.call_back(desk.session, None, "2", tickets["A-002"].id)
    assert tickets["A-002"].first_called_at == first
    assert tickets["A-002"].called_at == first + timedelta(minutes=3)
