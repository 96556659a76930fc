"""Test helpers: configs on a chosen database, a controllable clock, a live server process."""
from __future__ import annotations

import copy
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker
from werkzeug.security import generate_password_hash

from queue_server.app import load_config
from queue_server.auth.models import Role, User
from queue_server.platform.database import Base, make_engine, make_session_factory

ROOT = Path(__file__).resolve().parent.parent
OFFICE = Path(__file__).resolve().with_name("office.yaml")
"""The tests' own office: write_config starts from it, never from ROOT/config.yaml."""
BASE_PG_URL = os.environ.get("TEST_POSTGRES_URL",
                             "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Under pytest-xdist each worker gets a database of its own: test_gw0, test_gw1, ...
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
PG_URL = f"{BASE_PG_URL}_{WORKER}" if WORKER else BASE_PG_URL


def ensure_worker_database() -> None:
    """Create this worker's PostgreSQL database if it is not there yet."""
    if not WORKER:
        return
    name = PG_URL.rsplit("/", 1)[1]
    engine = create_engine(BASE_PG_URL, isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": 3})
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": name}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
PASSWORD = "rahasia-123"
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium run as root refuses to start without --no-sandbox ("Running as root
# without --no-sandbox is not supported"); the other flags keep it off the GPU, off the
# network (updates, sync, background requests) and off a small /dev/shm.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
ROLES = ("admin", "receptionist", "officer", "ppid", "security", "display", "agent",
         "supervisor", "kiosk")


class Clock:
    """A clock the tests move by hand; starts at real now unless told otherwise."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


def postgres_available() -> bool:
    try:
        ensure_worker_database()
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


@functools.cache
def _office() -> dict:
    return yaml.safe_load(OFFICE.read_text(encoding="utf-8"))


def office_data() -> dict:
    """A fresh copy of the tests' office (tests/office.yaml), free to change."""
    return copy.deepcopy(_office())


def config_data(database_url: str, instance_dir: Path, **overrides) -> dict:
    """The tests' office on a test database and instance dir; a dict override is merged
    into its section one level deep, anything else replaces the key."""
    data = office_data()
    data["database"] = {"url": database_url}
    data["instance_dir"] = str(instance_dir)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **copy.deepcopy(value)}
        else:
            data[key] = copy.deepcopy(value)
    return data


def write_config(tmp_path: Path, database_url: str, **overrides) -> Path:
    """Write the tests' office with a test database, instance dir and overrides."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    data = config_data(database_url, tmp_path / "instance", **overrides)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def reset_database(url: str) -> None:
    """Empty every table and restart ids, keeping the migrated schema."""
    engine = make_engine(url)
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text("DELETE FROM sqlite_sequence")) if connection.execute(
                text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first() \
                else None
    engine.dispose()


PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
"""PASSWORD hashed with one PBKDF2 round: werkzeug reads the method from the stored hash,
so logins check it in microseconds. Only tests about hashing use the real add_user path."""


def create_users(url: str, session_factory: sessionmaker | None = None) -> dict[str, str]:
    """One user per role, named after the role, all with PASSWORD (cheaply hashed).

    With a session_factory (a test's rolled-back connection) the users live in that
    transaction; without, they are committed through an engine of their own.
    """
    engine = None
    if session_factory is None:
        engine = make_engine(url)
        session_factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with session_factory() as session, session.begin():
        for role in ROLES:
            session.add(User(username=role, display_name=f"Petugas {role}",
                             password_hash=PASSWORD_HASH, role=Role(role), active=True,
                             created_at=now))
    if engine is not None:
        engine.dispose()
    return {role: PASSWORD for role in ROLES}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`queue-server run` in a child process, restartable on the same port and database."""

    def __init__(self, config_path: Path, port: int | None = None, env: dict | None = None,
                 run_args: tuple[str, ...] = ()):
        self.config_path = config_path
        self.run_args = tuple(run_args)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log_path = config_path.parent / f"server-{self.port}.log"

    def start(self, timeout: float = 20) -> LiveServer:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "queue_server.cli", "--config", str(self.config_path),
                 "run", "--port", str(self.port), *self.run_args], stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer: {self.log_path.read_text()[-3000:]}")

    def stop(self, graceful: bool = False) -> None:
        """Stop the server: quickly (SIGQUIT: gunicorn's fast shutdown) unless graceful
        (SIGTERM: stop accepting, finish the requests in flight)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def token(self, role: str) -> str:
        response = requests.post(self.url + "/api/v1/auth/token",
                                 json={"username": role, "password": PASSWORD}, timeout=10)
        response.raise_for_status()
        return response.json()["token"]

    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + "/api/v1" + path, headers=headers,
                                timeout=10, **kwargs)


def load(path: Path):
    return load_config(path)


def mp3_seconds(data: bytes) -> float:
    """How long an MP3 (the call audio's format) sounds, decoded by libsndfile."""
    import tempfile

    from sounds.synth import decode_file

    with tempfile.NamedTemporaryFile(suffix=".mp3") as file:
        file.write(data)
        file.flush()
        pcm, rate, channels = decode_file(Path(file.name))
    assert (rate, channels) == (22050, 1)
    return len(pcm) / 2 / rate
