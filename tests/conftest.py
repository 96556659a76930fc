"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

Most database tests run inside one outer transaction on one connection, rolled back at the
end: the app's sessions join it with SAVEPOINTs (join_transaction_mode="create_savepoint"),
so a commit inside the app releases a savepoint and nothing reaches the database. Tests
that need real commits (other threads, other connections or processes, live servers,
print workers) say so with @pytest.mark.commits or by using live_config, live_server or
printing; they get an emptied database instead, as before.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import threading

os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="escpos-"))

import pytest
import yaml
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from printer import prime_escpos_cache
from queue_server import create_app
from queue_server.app import load_config, parse_config
from queue_server.auth.models import User
from queue_server.platform.config import Config
from queue_server.platform.database import make_engine
from queue_server.platform.migrate import upgrade

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PG_URL,
    Clock,
    LiveServer,
    config_data,
    create_users,
    postgres_available,
    reset_database,
    write_config,
)

# The test workers inherit the escpos folder from the controller and would all write its
# pickle at once on their first import of escpos: it is written here, whole, before they
# start.
prime_escpos_cache()

IN_CI = os.environ.get("CI", "").lower() == "true"

COMMITTING_FIXTURES = frozenset({"live_config", "live_server", "printing"})
"""Fixtures whose tests commit for real: a server process or print workers on other
threads read what the test wrote through connections of their own."""
_DIRTY: set[str] = set()
"""Databases ("sqlite", "postgresql") that may hold committed rows: the next test on one
empties it first."""


RESTART_SEQUENCES = """
DO $$
DECLARE name text;
BEGIN
    FOR name IN SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)
                FROM pg_sequences
                WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP
        EXECUTE 'ALTER SEQUENCE ' || name || ' RESTART';
    END LOOP;
END $$
"""


READING = re.compile(r"\s*(SELECT|WITH|SAVEPOINT|RELEASE|ROLLBACK)\b", re.IGNORECASE)
"""Statements another thread may send on a rolled-back test's connection."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "commits: the test needs real commits (threads, other connections or "
        "processes); it gets an emptied database instead of a rolled-back transaction")


BROWSER_FIXTURES = {"playwright_driver", "browser", "autoplay_browser", "gesture_browser"}


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (--dist loadgroup) every Chromium test runs on one worker, one
    after the other: two browsers and their servers at once on two cores made timing-bound
    page tests miss their deadlines, while the other worker runs everything else."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("chromium"))


def commits_for_real(request) -> bool:
    """True when the test cannot run inside one rolled-back transaction."""
    return (request.node.get_closest_marker("commits") is not None
            or not COMMITTING_FIXTURES.isdisjoint(request.fixturenames))


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'queue.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    if not postgres_available():
        message = f"PostgreSQL does not answer at {PG_URL}"
        if IN_CI:
            pytest.fail(message + " (CI=true: the PostgreSQL runs are required)")
        pytest.skip(message + "; set TEST_POSTGRES_URL or start it to run these")
    engine = create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(PG_URL)
    return PG_URL


@pytest.fixture(autouse=True)
def _note_committed_databases(request):
    """A test that uses sqlite_url or postgresql_url itself may leave rows behind."""
    named = [kind for kind in ("sqlite", "postgresql") if f"{kind}_url" in request.fixturenames]
    yield
    _DIRTY.update(named)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """An empty, migrated database: rolled back after the test, or emptied before it."""
    url = request.getfixturevalue(f"{request.param}_url")
    committing = commits_for_real(request)
    if committing or request.param in _DIRTY:
        reset_database(url)
        _DIRTY.discard(request.param)
    if committing:
        _DIRTY.add(request.param)
    return url


@pytest.fixture(scope="session")
def _engines():
    """One engine per database for the rolled-back connections."""
    engines: dict[str, object] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture
def db_connection(request, database_url, _engines):
    """The test's one connection inside an outer transaction, rolled back at the end;
    None when the test commits for real."""
    if commits_for_real(request):
        yield None
        return
    engine = _engines.get(database_url)
    if engine is None:
        engine = _engines[database_url] = make_engine(database_url)
    connection = engine.connect()
    connection.turn = threading.RLock()  # see TurnTakingSession
    owner = threading.get_ident()

    @event.listens_for(connection, "before_cursor_execute")
    def _reads_only_from_other_threads(_connection, _cursor, statement, *_args):
        if threading.get_ident() != owner and not READING.match(statement):
            raise RuntimeError("another thread wrote on a rolled-back test's connection; "
                               "mark the test @pytest.mark.commits")

    # SQLite: the engine's begin hook sends BEGIN IMMEDIATE; the sessions' SAVEPOINTs
    # nest inside it. PostgreSQL: a plain transaction with savepoints.
    transaction = connection.begin()
    if connection.dialect.name == "postgresql":
        # Ids start at 1 as after a reset. Sequences ignore rollbacks, but ALTER SEQUENCE
        # RESTART is transactional: the rollback undoes it too.
        connection.exec_driver_sql(RESTART_SEQUENCES)
    yield connection
    with connection.turn:
        if transaction.is_active:
            transaction.rollback()
        connection.close()


class TurnTakingSession(Session):
    """A session that holds its connection's turn from creation to close.

    The app may read from a thread of its own (the TV heartbeat starts one when a display
    socket connects). Taking turns keeps that thread's SAVEPOINT from interleaving with the
    test's own sessions on the shared connection; it may read, and sees what the test
    wrote, but a write from another thread is refused: a test that needs real concurrency
    is marked `commits`.
    """

    def __init__(self, *args, turn: threading.RLock, **kwargs):
        turn.acquire()
        self._turn = turn
        try:
            super().__init__(*args, **kwargs)
        except BaseException:
            self._give_turn()
            raise

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_turn()

    def _give_turn(self) -> None:
        turn, self._turn = self._turn, None
        if turn is not None:
            turn.release()


@pytest.fixture
def session_factory(db_connection) -> sessionmaker | None:
    """The app's sessions in a rolled-back test: on the test's connection, committing to
    SAVEPOINTs inside its outer transaction. None when the test commits for real
    (create_app then opens its own engine)."""
    if db_connection is None:
        return None
    return sessionmaker(bind=db_connection, class_=TurnTakingSession, turn=db_connection.turn,
                        expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def config_overrides(request) -> dict:
    """The tests' office (tests/office.yaml) keys a test changes: override in a module, or
    parametrize indirectly (`@pytest.mark.parametrize("config_overrides", [...],
    indirect=True)`)."""
    return getattr(request, "param", {})


@pytest.fixture
def config_path(tmp_path, database_url, config_overrides):
    return write_config(tmp_path, database_url, **config_overrides)


@pytest.fixture(scope="session")
def _configs(tmp_path_factory):
    """Parsed Configs by database and overrides: the YAML is read once per session."""
    cache: dict[str, Config] = {}

    def get(database_url: str, overrides: dict) -> Config:
        key = json.dumps([database_url, overrides], sort_keys=True, default=str)
        if key not in cache:
            folder = tmp_path_factory.mktemp("config")
            data = config_data(database_url, folder / "instance", **overrides)
            # Through YAML as write_config does (it sorts keys, so printers come in name
            # order), once per key rather than once per test.
            cache[key] = parse_config(yaml.safe_load(yaml.safe_dump(data)),
                                      folder / "config.yaml")
        return cache[key]

    return get


@pytest.fixture
def config(request, database_url, config_overrides, _configs) -> Config:
    """The app's Config: shared by the tests with the same database and overrides (with
    one instance folder); a test that asks for config_path gets the one read from it."""
    if "config_path" in request.fixturenames:
        return load_config(request.getfixturevalue("config_path"))
    return _configs(database_url, config_overrides)


@pytest.fixture
def app(config, clock, session_factory):
    application = create_app(config, clock=clock, session_factory=session_factory)
    yield application
    application.extensions["queue"].engine.dispose()


@pytest.fixture
def services(app):
    return app.extensions["queue"]


@pytest.fixture
def users(database_url, session_factory) -> dict[str, str]:
    return create_users(database_url, session_factory)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tokens(services, users) -> dict[str, str]:
    """A bearer token per role, issued directly (login itself is tested on its own)."""
    result = {}
    with services.session_factory() as db, db.begin():
        for user in db.scalars(select(User)):
            result[user.username] = services.auth.issue_token(db, user)[0]
    return result


@pytest.fixture
def auth(tokens):
    """Headers for a role: auth("officer")."""
    return lambda role: {"Authorization": f"Bearer {tokens[role]}"}


@pytest.fixture
def live_config(tmp_path, sqlite_url, config_overrides):
    """A config on the session's SQLite database, emptied, with one user per role."""
    reset_database(sqlite_url)
    _DIRTY.add("sqlite")
    create_users(sqlite_url)
    return write_config(tmp_path, sqlite_url, **config_overrides)


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per run: a second sync_playwright() in the same thread fails."""
    from playwright.sync_api import expect, sync_playwright

    # Two test workers share two cores with live servers and browsers: give a page
    # 10 s (not 5) to show what it must; a page that never shows it still fails.
    expect.set_options(timeout=10_000)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Chromium for the page tests; each test opens its own contexts."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_server(live_config):
    """A real `queue-server run` process on a free port (SQLite)."""
    server = LiveServer(live_config).start()
    yield server
    server.stop()
