"""A database error in the middle of a guest-book write leaves no personal data in the log."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text

from .conftest import GUEST, NIK_DIGITS, step


@pytest.fixture
def failing_guest_book(database_url):
    """A constraint the guest book's insert breaks: a real error from the database."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE guest_entries ADD CONSTRAINT test_refuse "
                                    "CHECK (length(name) < 3)"))
        else:  # SQLite cannot add a CHECK constraint: a trigger refuses the row instead
            connection.execute(text("CREATE TRIGGER test_refuse BEFORE INSERT ON "
                                    "guest_entries BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    yield
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE guest_entries DROP CONSTRAINT test_refuse"))
        else:
            connection.execute(text("DROP TRIGGER test_refuse"))
    engine.dispose()


@pytest.mark.commits  # the constraint is added from a connection of its own
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
