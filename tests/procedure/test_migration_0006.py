"""Migration 0006 closes the tickets that visits left open before the visit moved them."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text

from queue_server.platform.migrate import upgrade

AT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path) -> str:
    """An empty database migrated up to 0005 only."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        base = request.getfixturevalue("postgresql_url")
        url = base + "_migration"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = url.rsplit("/", 1)[1]
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    upgrade(url, "0005")
    return url


TICKET = text(
    "INSERT INTO tickets (id, number, public_id, prefix, day, sequence, service, category, "
    "priority, status, counter, created_at) VALUES (:id, :number, :public, 'P', :day, :id, "
    "'INFO', 'lansia', 1, :status, :counter, :at)")
VISIT = text(
    "INSERT INTO visits (id, day, status, position, present, aids, ticket_id, "
    "pickup_ticket_id, created_at, completed_at, left_at) VALUES (:id, :day, :status, "
    ":position, :present, '[]', :ticket, :pickup, :at, :completed, :left)")


def test_tickets_of_ended_visits_are_closed_with_the_reason(old_database):
    engine = create_engine(old_database)
    with engine.begin() as db:
        for ident, status, counter in [(1, "waiting", None), (2, "called", "1"),
                                       (3, "waiting", None), (4, "waiting", None),
                                       (5, "waiting", None), (6, "served", "2")]:
            db.execute(TICKET, {"id": ident, "number": f"P-00{ident}", "public": f"p{ident}",
                                "day": date(2026, 11, 30), "status": status,
                                "counter": counter, "at": AT})
        visit = {"day": date(2026, 11, 30), "present": True, "pickup": None, "at": AT,
                 "completed": None, "left": None}
        db.execute(VISIT, {**visit, "id": 1, "status": "completed", "position": 11,
                           "ticket": 1, "pickup": 2, "completed": AT})
        db.execute(VISIT, {**visit, "id": 2, "status": "cancelled", "position": 4,
                           "ticket": 3, "completed": AT})
        db.execute(VISIT, {**visit, "id": 3, "status": "active", "position": 6,
                           "present": False, "ticket": 4, "left": AT})
        db.execute(VISIT, {**visit, "id": 4, "status": "active", "position": 5, "ticket": 5})
        db.execute(VISIT, {**visit, "id": 5, "status": "completed", "position": 11,
                           "ticket": 6, "completed": AT})
        db.execute(text("INSERT INTO counter_states (code, current_ticket_id, priority_streak)"
                        " VALUES ('1', 2, 1)"))

    upgrade(old_database)

    with engine.connect() as db:
        statuses = dict(db.execute(text("SELECT id, status FROM tickets")).all())
        reasons = {ticket: details for ticket, details in db.execute(text(
            "SELECT ticket_id, details FROM ticket_events ORDER BY id")).all()}
        current = db.execute(text("SELECT current_ticket_id FROM counter_states")).scalar()
    engine.dispose()
    assert statuses == {1: "served", 2: "served", 3: "cancelled", 4: "served",
                        5: "waiting", 6: "served"}
    # PostgreSQL hands JSON back parsed, SQLite as text.
    as_dict = {ticket: value if isinstance(value, dict) else json.loads(value)
               for ticket, value in reasons.items()}
    assert as_dict == {1: {"reason": "visit_finished"}, 2: {"reason": "visit_finished"},
                       3: {"reason": "visit_cancelled"}, 4: {"reason": "visitor_left"}}
    assert current is None
