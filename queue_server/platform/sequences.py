"""Gapless numbers per key (ticket numbers, request numbers) and upserts on either database."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def dialect_insert(session: Session, model) -> Any:
    """An INSERT that knows ON CONFLICT on the session's database (PostgreSQL or SQLite)."""
    insert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    return insert(model)


_NEXT_NUMBER: dict[tuple, Any] = {}
"""The upsert of next_number per (dialect, table, key columns): built once, so issuing a
ticket does not rebuild and re-key the statement every time."""


def next_number(session: Session, model, **key: Any) -> int:
    """Increment and return `model.last_number` for `key`, starting at 1.

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING inside the caller's transaction:
    the row lock it takes makes numbers gapless and unique across processes.
    """
    connection = session.connection()
    cache_key = (connection.dialect.name, model, tuple(key))
    statement = _NEXT_NUMBER.get(cache_key)
    if statement is None:
        table = model.__table__
        insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        statement = _NEXT_NUMBER[cache_key] = insert(table).on_conflict_do_update(
            index_elements=[table.c[name] for name in key],
            set_={"last_number": table.c.last_number + 1},
        ).returning(table.c.last_number)
    return connection.execute(statement, {**key, "last_number": 1}).scalar_one()
