"""Engine and session factory: SQLite (WAL, one writer at a time) or PostgreSQL."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    configure_mappers,
    make_transient_to_detached,
    sessionmaker,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long a request may wait on the database before it fails with 503 (seconds)."""

    busy: float = 5
    """SQLite: how long a writer waits for another writer's lock."""
    connect: float = 3
    """PostgreSQL: how long opening a connection may take (a database that is down)."""
    statement: float = 10
    """PostgreSQL: the longest one statement may run (a stalled database)."""
    pool: float = 5
    """How long a request waits for a free pooled connection."""

READ_ONLY = "queue_read_only"
"""Execution option of the read engine: deferred, read-only transactions."""


def make_engine(url: str, timeouts: DatabaseTimeouts | None = None) -> Engine:
    """Create an engine with timeouts; statement parameters never reach an error message.

    SQLite gets WAL, and BEGIN IMMEDIATE for writes so writers queue instead of failing;
    reads (read_engine) begin deferred, so they run beside a writer.
    """
    timeouts = timeouts or DatabaseTimeouts()
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True, pool_timeout=timeouts.pool,
                               connect_args={"timeout": timeouts.busy,
                                             "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # Let SQLAlchemy, not pysqlite, decide when a transaction starts.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(timeouts.busy * 1000)}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            if connection.get_execution_options().get(READ_ONLY):
                connection.exec_driver_sql("BEGIN DEFERRED")
                return
            # Take the write lock up front: a read that later writes would otherwise
            # fail with "database is locked" instead of waiting its turn.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    connect_args = {"connect_timeout": max(1, round(timeouts.connect)),
                    "options": f"-c statement_timeout={int(timeouts.statement * 1000)}"} \
        if url.startswith("postgresql") else {}
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, pool_size=10,
                         max_overflow=20, pool_timeout=timeouts.pool,
                         connect_args=connect_args)


def read_engine(engine: Engine) -> Engine:
    """The same pool, for reads: SQLite begins deferred, PostgreSQL marks it read-only."""
    options = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return engine.execution_options(**options)


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions that keep loaded objects usable after commit (events are built from them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(kind: type[enum.Enum]) -> Enum:
    """A string column holding an enum's values (not names), checked on write."""
    return Enum(kind, native_enum=False, length=32, values_callable=lambda k: [m.value for m in k],
                validate_strings=True)


def add_loaded(session, model, values: dict):
    """A `model` row just written with a Core INSERT, placed in the session as if loaded.

    Callers and hooks then use it as any other object (session.get finds it without a
    query), without the ORM's unit of work, which costs more CPU on a hot path (issuing)
    than the INSERT itself. `values` must hold every column, the primary key included.
    """
    mapper = model.__mapper__
    if not mapper.configured:
        configure_mappers()
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance
