"""Leases: one holder at a time, renewal, take-over after expiry, release; on both databases."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from queue_server.platform import leases
from queue_server.platform.database import Base, make_engine
from queue_server.platform.migrate import upgrade

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

pytestmark = pytest.mark.commits


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_one_holder_at_a_time_until_the_lease_ends(engine):
    assert leases.acquire(engine, "printer:a", "p1", 10, T0)
    assert not leases.acquire(engine, "printer:a", "p2", 10, T0 + timedelta(seconds=9))
    assert leases.acquire(engine, "printer:a", "p1", 10, T0 + timedelta(seconds=9))  # renewed
    # p1 renewed at 9 s, so its lease runs to 19 s; p2 takes it only after that.
    assert not leases.acquire(engine, "printer:a", "p2", 10, T0 + timedelta(seconds=18))
    assert leases.acquire(engine, "printer:a", "p2", 10, T0 + timedelta(seconds=19))
    assert not leases.acquire(engine, "printer:a", "p1", 10, T0 + timedelta(seconds=20))
    assert leases.acquire(engine, "printer:b", "p1", 10, T0 + timedelta(seconds=20))


def test_a_released_lease_is_free_at_once_and_only_its_holder_releases_it(engine):
    assert leases.acquire(engine, "purge", "p1", 60, T0)
    leases.release(engine, "purge", "p2")  # not p2's: nothing happens
    assert not leases.acquire(engine, "purge", "p2", 60, T0)
    leases.release(engine, "purge", "p1")
    assert leases.acquire(engine, "purge", "p2", 60, T0)


def test_twenty_processes_racing_for_a_free_lease_give_it_to_exactly_one(engine):
    barrier, winners = threading.Barrier(20), []

    def race(index: int) -> None:
        barrier.wait()
        if leases.acquire(engine, "printer:race", f"p{index}", 10, T0):
            winners.append(index)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_the_lease_object_renews_before_it_ends_and_releases(engine):
    now = [T0]
    first = leases.Lease(engine, "monitor", 9, lambda: now[0], holder="p1")
    second = leases.Lease(engine, "monitor", 9, lambda: now[0], holder="p2")
    assert first.held() and not second.held()
    for _ in range(10):  # a live holder checking every 2 s keeps it for good
        now[0] += timedelta(seconds=2)
        assert first.held() and not second.held()
    first.release()
    assert second.held()


def test_a_scheduled_job_runs_once_per_cluster(engine):
    runs = [name for name in ("p1", "p2", "p3")
            if leases.once(engine, "daily-purge", 12 * 3600, T0, holder=name)]
    assert runs == ["p1"]
    later = T0 + timedelta(days=1)  # the next night is anyone's again
    assert leases.once(engine, "daily-purge", 12 * 3600, later, holder="p3")


def test_migration_0010_makes_the_leases_table_as_the_model_says(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert "leases" in inspect(connection).get_table_names()
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if "leases" in repr(d)] == []


def test_migration_0010_downgrades_and_upgrades(database_url):
    from alembic import command

    from queue_server.platform.migrate import alembic_config
    command.downgrade(alembic_config(database_url), "0010_notifier")
    engine = create_engine(database_url)
    try:
        assert "leases" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        upgrade(database_url)
    engine = create_engine(database_url)
    assert "leases" in inspect(engine).get_table_names()
    engine.dispose()


def test_the_nightly_purge_runs_in_one_process_of_three(tmp_path, database_url, monkeypatch):
    from queue_server.app import create_app
    from queue_server.procedure import wiring

    from .support import write_config
    ran = []
    monkeypatch.setattr(wiring, "run_purge", lambda services: ran.append(services) or 0)
    apps = [create_app(write_config(tmp_path / str(index), database_url))
            for index in range(3)]
    try:
        for app in apps:  # each process's timer fires at 02:00
            wiring.purge_once(app.extensions["queue"])
    finally:
        for app in apps:
            app.extensions["queue"].engine.dispose()
    assert ran == [apps[0].extensions["queue"]]
