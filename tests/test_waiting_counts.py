"""The waiting count rows stay equal to a real COUNT through every change of a ticket."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text

from queue_server.platform.database import Base
from queue_server.platform.errors import DomainError
from queue_server.platform.migrate import upgrade
from queue_server.tickets import counts
from queue_server.tickets.models import Ticket, TicketStatus, WaitingCount

SERVICES = ("INFO", "KONSUL", "SURAT")
CATEGORIES = ("umum", "lansia", "anak", "disabilitas")
COUNTERS = ("1", "2", "3")


def real_counts(db) -> dict[tuple[str, int], int]:
    return {(service, priority): count for service, priority, count in db.execute(
        select(Ticket.service, Ticket.priority, func.count())
        .where(Ticket.status == TicketStatus.WAITING)
        .group_by(Ticket.service, Ticket.priority))}


def kept_counts(db) -> dict[tuple[str, int], int]:
    return {(service, priority): count for priority, service, count in counts.rows(db)}


def some_ticket(db, rng, *statuses) -> int | None:
    ids = db.scalars(select(Ticket.id).where(Ticket.status.in_(statuses))
                     .order_by(Ticket.id)).all()  # the walk is the same on every run
    return rng.choice(ids) if ids else None


def step(services, rng: random.Random) -> str:
    """One random change of the queue, through the functions the routes and the procedure
    call; a refused change (409, 422) is part of the walk too."""
    queue, work = services.queue, services.work
    action = rng.choice(["issue", "issue", "issue", "held", "call_next", "call_next", "done",
                         "no_show", "call_back", "transfer", "call_at", "close", "recall"])
    counter = rng.choice(COUNTERS)
    with services.session_factory() as db:
        target = some_ticket(db, rng, *{
            "call_back": (TicketStatus.NO_SHOW,),
            "call_at": (TicketStatus.WAITING, TicketStatus.HELD, TicketStatus.NO_SHOW),
            "close": (TicketStatus.WAITING, TicketStatus.HELD, TicketStatus.CALLED),
        }.get(action, (TicketStatus.WAITING,)))
    try:
        if action in ("issue", "held"):
            work.run(queue.issuing.issue, None, rng.choice(SERVICES), rng.choice(CATEGORIES),
                     None, action == "held")
        elif action == "call_next":
            work.run(queue.desk.call_next, None, counter)
        elif action in ("done", "no_show", "recall"):
            work.run(getattr(queue.desk, action), None, counter)
        elif action == "transfer":
            work.run(queue.desk.transfer, None, counter, rng.choice(SERVICES + (None,)),
                     rng.choice(COUNTERS + (None,)))
        elif target is None:
            return action + " (nothing to act on)"
        elif action == "call_back":
            work.run(queue.desk.call_back, None, counter, target)
        elif action == "call_at":
            work.run(queue.call_at, None, target, counter, rng.random() < 0.5)
        elif action == "close":
            work.run(queue.close, None, target,
                     rng.choice([TicketStatus.SERVED, TicketStatus.CANCELLED]), "test")
    except DomainError:
        return action + " (refused)"
    return action


def test_count_rows_equal_a_real_count_after_a_random_walk(services, clock):
    rng = random.Random(12)
    done = []
    for index in range(400):
        done.append(step(services, rng))
        clock.advance(seconds=rng.randint(1, 90))
        if index % 25 == 0 or index == 399:
            with services.session_factory() as db:
                assert kept_counts(db) == {k: v for k, v in real_counts(db).items() if v}, \
                    f"after {done[-5:]}"
    with services.session_factory() as db:
        assert sum(real_counts(db).values()) > 0  # the walk ends with a queue to count
        statuses = set(db.scalars(select(Ticket.status)))
    # The walk went through every state a ticket can be in.
    assert statuses == set(TicketStatus)
    assert {"transfer", "call_back", "call_at", "close", "no_show", "held"} <= set(done)


def test_a_rolled_back_change_leaves_the_counts_as_they_were(services):
    queue, work = services.queue, services.work
    work.run(queue.issuing.issue, None, "INFO", "umum")

    def issue_then_fail(db):
        queue.issuing.issue(db, None, "INFO", "lansia")
        raise DomainError(409, "conflict", "no")

    try:
        work.run(issue_then_fail)
    except DomainError:
        pass
    with services.session_factory() as db:
        assert kept_counts(db) == real_counts(db) == {("INFO", 0): 1}


def test_migration_0012_matches_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if "waiting_counts" in repr(d)
            or "ix_tickets_service_queue" in repr(d) or "ix_tickets_waiting" in repr(d)] == []
    assert WaitingCount.__tablename__ == "waiting_counts"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_at_0009(request, tmp_path) -> str:
    """An empty database migrated up to 0009 only (before the count rows)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        base = request.getfixturevalue("postgresql_url")
        url = base + "_hotpath_migration"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = url.rsplit("/", 1)[1]
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    upgrade(url, "0009_reports")
    return url


def test_migration_0012_fills_the_counts_from_the_tickets_waiting(database_at_0009):
    engine = create_engine(database_at_0009)
    rows = [(1, "INFO", 1, "waiting"), (2, "INFO", 1, "waiting"), (3, "INFO", 0, "waiting"),
            (4, "SURAT", 0, "waiting"), (5, "SURAT", 0, "served"), (6, "INFO", 0, "held"),
            (7, "KONSUL", 1, "called")]
    with engine.begin() as db:
        for ident, service, priority, status in rows:
            db.execute(text(
                "INSERT INTO tickets (id, number, public_id, prefix, day, sequence, service, "
                "category, priority, status, created_at) VALUES (:id, :number, :public, 'P', "
                ":day, :id, :service, 'umum', :priority, :status, :at)"),
                {"id": ident, "number": f"P-{ident:03d}", "public": f"p{ident}",
                 "day": date(2026, 11, 30), "service": service, "priority": priority,
                 "status": status, "at": datetime(2026, 11, 30, 3, tzinfo=UTC)})
    upgrade(database_at_0009)
    with engine.connect() as db:
        counts_now = {(service, priority): waiting for service, priority, waiting in db.execute(
            text("SELECT service, priority, waiting FROM waiting_counts"))}
    engine.dispose()
    assert counts_now == {("INFO", 1): 2, ("INFO", 0): 1, ("SURAT", 0): 1}


def test_a_queue_change_hands_its_count_rows_to_the_tv_which_reads_none(app, services):
    """The TV's estimates after a change use the count rows the change read in its
    transaction: right (equal to the rows after the commit) and not read again."""
    from sqlalchemy import event as sa_event

    from queue_server.tickets.events import QUEUE_CHANGED
    from queue_server.tv.sockets import DisplayNamespace

    services.work.run(services.queue.issuing.issue, None, "INFO", "umum")
    outcome = services.work.run(services.queue.issuing.issue, None, "INFO", "lansia")
    change = next(e for e in outcome.events if e.name == QUEUE_CHANGED)
    with services.session_factory() as db:
        assert sorted(change.context["groups"]) == sorted(counts.rows(db))
    assert "groups" not in change.payload  # the rows are for subscribers, not for sending

    display = DisplayNamespace(app.extensions["socketio"], services)
    statements: list[str] = []
    engine = services.session_factory.kw["bind"]
    engine = getattr(engine, "engine", engine)
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        sent = display.public(change)
        without = display.public(type(change)(QUEUE_CHANGED, change.payload))
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    assert sent["waiting"] == {"priority": 1, "regular": 1}
    assert sent["estimates"] == without["estimates"]
    reads = [s for s in statements if "waiting_counts" in s]
    assert len(reads) == 1  # only the event without rows read them
