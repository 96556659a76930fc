"""Migration 0012_reports_rollup on SQLite and PostgreSQL: a database of 0009 gets the first
call and the last caller from the ticket history, and goes back down cleanly."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from queue_server.platform.migrate import alembic_config, upgrade

from ..support import PG_URL

TICKET = """INSERT INTO tickets (id, number, public_id, prefix, day, sequence, service,
    category, priority, status, counter, created_at, called_at, finished_at)
    VALUES (:id, 'A-001', :public, 'A', '2026-03-10', :id, 'INFO', 'umum', 0, :status,
            '2', '2026-03-10 01:00:00', :called, :finished)"""
EVENT = """INSERT INTO ticket_events (id, ticket_id, action, at, user_id, counter)
    VALUES (:id, :ticket, :action, :at, :user, '2')"""


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path, postgresql_url):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migration.db'}"
        return
    url = PG_URL + "_migration"
    name = url.rsplit("/", 1)[1]
    server = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


def test_0012_backfills_the_first_call_and_the_last_caller(empty_url):
    upgrade(empty_url, "0009_reports")
    engine = create_engine(empty_url)
    with engine.begin() as db:
        for user in (1, 2):
            db.execute(text("""INSERT INTO users (id, username, display_name, password_hash,
                role, active, created_at) VALUES (:id, :name, :name, 'x', 'officer', true,
                '2026-03-01 00:00:00')"""), {"id": user, "name": f"u{user}"})
        # called by user 1 at 01:10, no-show, called back by user 2 at 01:30, served
        db.execute(text(TICKET), {"id": 1, "public": "p1", "status": "served",
                                  "called": "2026-03-10 01:30:00",
                                  "finished": "2026-03-10 01:40:00"})
        db.execute(text(TICKET), {"id": 2, "public": "p2", "status": "waiting",
                                  "called": None, "finished": None})
        for id_, action, at, user in ((1, "issued", "01:00", None), (2, "called", "01:10", 1),
                                      (3, "no_show", "01:15", 1),
                                      (4, "called_back", "01:30", 2),
                                      (5, "served", "01:40", 2)):
            db.execute(text(EVENT), {"id": id_, "ticket": 1, "action": action,
                                     "at": f"2026-03-10 {at}:00", "user": user})
    engine.dispose()
    upgrade(empty_url)
    engine = create_engine(empty_url)
    with engine.connect() as db:
        rows = db.execute(text("SELECT id, first_called_at, officer_id, fairness_guard "
                               "FROM tickets ORDER BY id")).all()
    assert str(rows[0][1]).startswith("2026-03-10 01:10:00")
    assert [(r[0], r[2], bool(r[3])) for r in rows] == [(1, 2, False), (2, None, False)]
    assert rows[1][1] is None
    with engine.connect() as db:  # the history is kept (a table copy would cascade)
        assert db.execute(text("SELECT COUNT(*) FROM ticket_events")).scalar() == 5
    engine.dispose()
    command.downgrade(alembic_config(empty_url), "0009_reports")
    engine = create_engine(empty_url)
    with engine.connect() as db:
        columns = db.execute(text("SELECT * FROM tickets")).keys()
        assert "first_called_at" not in columns
    engine.dispose()
