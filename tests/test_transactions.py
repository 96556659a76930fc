"""The one transaction runner: what it retries is decided by the database's error code."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from queue_server.auth.models import Role, User
from queue_server.platform.events import Event, Publisher
from queue_server.platform.transactions import ATTEMPTS, Outcome, UnitOfWork, is_retryable


@pytest.fixture
def work(services):
    return UnitOfWork(services.session_factory, Publisher())


def _user(name: str, **overrides) -> User:
    values = dict(username=name, display_name=name, password_hash="x", role=Role.OFFICER,
                  active=True, created_at=datetime.now(UTC))
    return User(**{**values, **overrides})


def test_a_unique_key_won_by_a_twin_is_retried_then_reported(work, users):
    attempts = []

    def insert_existing(session):
        attempts.append(1)
        session.add(_user("officer"))  # made by the users fixture: a unique violation
        session.flush()
        return Outcome()

    with pytest.raises(IntegrityError) as failure:
        work.run(insert_existing)
    assert is_retryable(failure.value)
    assert len(attempts) == ATTEMPTS


def test_bad_data_is_not_retried(work, users):
    attempts = []

    def insert_without_a_name(session):
        attempts.append(1)
        session.add(_user("tanpa-nama", display_name=None))  # NOT NULL: retrying cannot help
        session.flush()
        return Outcome()

    with pytest.raises(IntegrityError) as failure:
        work.run(insert_without_a_name)
    assert not is_retryable(failure.value)
    assert attempts == [1]


def test_a_retry_that_succeeds_publishes_once_after_the_commit(services, users):
    publisher = Publisher()
    heard = []
    publisher.subscribe(heard.append)
    work = UnitOfWork(services.session_factory, publisher)
    attempts = []

    def flaky(session):
        attempts.append(1)
        name = "officer" if len(attempts) == 1 else "officer-baru"
        session.add(_user(name))
        session.flush()
        return Outcome(events=[Event("user_added", {"name": name})])

    work.run(flaky)
    assert len(attempts) == 2
    assert heard == [Event("user_added", {"name": "officer-baru"})]


def test_hooks_add_rows_and_events_inside_the_same_transaction(services, users):
    publisher = Publisher()
    heard = []
    publisher.subscribe(heard.append)

    def hook(session, event):
        session.add(_user(f"{event.payload['name']}-pendamping"))
        return [Event("companion_added", {})]

    publisher.hook("user_added", hook)
    work = UnitOfWork(services.session_factory, publisher)

    def add(session):
        session.add(_user("tamu"))
        return Outcome(events=[Event("user_added", {"name": "tamu"})])

    work.run(add)
    assert [event.name for event in heard] == ["user_added", "companion_added"]
    with services.session_factory() as db:
        assert db.query(User).filter(User.username.in_(["tamu", "tamu-pendamping"])).count() == 2

    def add_and_fail_in_the_hook(session):
        session.add(_user("tamu-2"))
        return Outcome(events=[Event("user_added", {"name": "tamu"})])  # hook: duplicate

    with pytest.raises(IntegrityError):
        work.run(add_and_fail_in_the_hook)
    with services.session_factory() as db:  # the hook's failure rolled the whole thing back
        assert db.query(User).filter_by(username="tamu-2").count() == 0
