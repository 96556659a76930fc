"""The migration matches the models, and a step is completed once however many press at once."""
from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from queue_server.platform.database import Base
from queue_server.procedure import models

from .conftest import step

TABLES = {table.name for table in Base.metadata.sorted_tables
          if table.name in {m.__tablename__ for m in vars(models).values()
                            if isinstance(m, type) and hasattr(m, "__tablename__")}}


def test_migration_0003_matches_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    mine = [d for d in differences if any(name in repr(d) for name in TABLES)]
    assert len(TABLES) == 16  # 0007 added info_objections, 0008 two more
    assert mine == []


@pytest.mark.commits  # two threads, each on a connection of its own
def test_two_officers_pressing_at_once_complete_a_step_once(app, auth, visit_at):
    visit_id = visit_at("to_counter")["visit"]["id"]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def press():
        client = app.test_client()
        call = lambda role, method, path, **kw: client.open(  # noqa: E731
            "/api/v1" + path, method=method, headers=auth(role), **kw)
        barrier.wait()
        statuses.append(step(call, "receptionist", visit_id, "to_counter").status_code)

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200, 409]
