"""A database error in the middle of a guest-book write leaves no personal data in the log."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text

from .conftest import GUEST, NIK_DIGITS, step

REFUSE = {
    "postgresql": ("ALTER TABLE guest_entries ADD CONSTRAINT test_refuse CHECK (length(name) < 3)",
                   "ALTER TABLE guest_entries DROP CONSTRAINT test_refuse"),
    # SQLite cannot add a CHECK constraint: a trigger refuses the row instead.
    "sqlite": ("CREATE TRIGGER test_refuse BEFORE INSERT ON guest_entries "
               "BEGIN SELECT RAISE(ABORT, 'refused'); END", "DROP TRIGGER test_refuse"),
}


@pytest.fixture
def failing_guest_book(database_url, db_connection):
    """A constraint the guest book's insert breaks: a real error from the database.

    Both databases change their schema inside a transaction, so in the test's rolled-back
    transaction the constraint goes away with everything else.
    """
    if db_connection is not None:
        db_connection.execute(text(REFUSE[db_connection.dialect.name][0]))
        yield
        return
    engine = create_engine(database_url)
    add, drop = REFUSE[engine.dialect.name]
    with engine.begin() as connection:
        connection.execute(text(add))
    yield
    with engine.begin() as connection:
        connection.execute(text(drop))
    engine.dispose()


def test_a_failed_guest_book_insert_logs_no_nik_phone_or_name(call, visit_at,
                                                             failing_guest_book, caplog):
    visit = visit_at("guest_book")
    with caplog.at_level(logging.DEBUG):
        answer = step(call, "receptionist", visit["visit"]["id"], "guest_book",
                      guest=GUEST, service="INFO")
    assert answer.status_code == 500
    logged = caplog.text + "".join(
        logging.Formatter().formatException(record.exc_info)
        for record in caplog.records if record.exc_info)
    assert "unexpected database error" in logged  # the failure itself is in the log...
    for personal in (NIK_DIGITS, "0812-3456-7890", GUEST["name"], GUEST["institution"]):
        assert personal not in logged  # ...but none of the visitor's data
    assert "Budi (anak)" not in logged
