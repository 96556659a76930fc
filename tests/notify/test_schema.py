"""Migration 0010_notifier matches the models and goes down and up again, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from queue_server.platform.database import Base
from queue_server.platform.migrate import upgrade

TABLES = ("ticket_contacts", "notifications")


def differences(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    return [d for d in found if any(name in repr(d) for name in TABLES)]


def test_migration_0010_matches_the_models(database_url):
    assert differences(database_url) == []


def test_migration_0010_goes_down_and_up(sqlite_url, postgresql_url):
    from alembic import command

    from queue_server.platform.migrate import alembic_config

    for url in (sqlite_url, postgresql_url):
        command.downgrade(alembic_config(url), "0009_reports")
        engine = create_engine(url)
        assert not set(TABLES) & set(inspect(engine).get_table_names())
        engine.dispose()
        upgrade(url)
        engine = create_engine(url)
        assert set(TABLES) <= set(inspect(engine).get_table_names())
        engine.dispose()
        assert differences(url) == []
