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


def next_number(session: Session, model, **key: Any) -> int:
    """Increment and return `model.last_number` for `key`, starting at 1.

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING inside the caller's transaction:
    the row lock it takes makes numbers gapless and unique across processes.
    """
    statement = dialect_insert(session, model).values(**key, last_number=1)
    statement = statement.on_conflict_do_update(
        index_elements=[getattr(model, name) for name in key],
        set_={"last_number": model.last_number + 1},
    ).returning(model.last_number)
    return session.execute(statement).scalar_one()
