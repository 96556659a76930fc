"""Shared fixtures: every database test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import tempfile

os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="escpos-"))

import pytest
from sqlalchemy import create_engine, select, text

from queue_server import create_app
from queue_server.auth.models import User
from queue_server.platform.migrate import upgrade

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PG_URL,
    Clock,
    LiveServer,
    create_users,
    postgres_available,
    reset_database,
    write_config,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    url = request.getfixturevalue(f"{request.param}_url")
    reset_database(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def config_overrides() -> dict:
    """Override in a test module to change config.yaml keys for its tests."""
    return {}


@pytest.fixture
def config_path(tmp_path, database_url, config_overrides):
    return write_config(tmp_path, database_url, **config_overrides)


@pytest.fixture
def app(config_path, clock):
    application = create_app(config_path, clock=clock)
    yield application
    application.extensions["queue"].engine.dispose()


@pytest.fixture
def services(app):
    return app.extensions["queue"]


@pytest.fixture
def users(database_url) -> dict[str, str]:
    return create_users(database_url)


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
    create_users(sqlite_url)
    return write_config(tmp_path, sqlite_url, **config_overrides)


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per run: a second sync_playwright() in the same thread fails."""
    from playwright.sync_api import sync_playwright
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
