"""A database that is down, stalled or busy: fast 503s, one log record, readers not blocked."""
from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import create_engine, text

from queue_server.app import create_app
from queue_server.platform.logs import RateLimitedLog, SafeFormatter

from .support import PG_URL, write_config


def test_a_database_that_is_down_answers_503_with_retry_after_and_logs_once(tmp_path, caplog):
    # Nothing listens on port 1: every connection is refused.
    config = write_config(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/test")
    client = create_app(config).test_client()
    with caplog.at_level(logging.ERROR):
        answers = [client.get("/api/v1/display/state") for _ in range(20)]
        ready = client.get("/readyz")
    assert {answer.status_code for answer in answers} == {503}
    assert answers[0].get_json()["error"]["code"] == "database_unavailable"
    assert answers[0].headers["Retry-After"] == "5"
    # The process lives (/healthz) but cannot serve (/readyz): the load balancer skips it.
    assert ready.status_code == 503 and ready.get_json()["database"].startswith("unreachable")
    assert client.get("/healthz").status_code == 200
    outage_records = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(outage_records) == 1  # 21 failures, one traceback
    page = client.get("/login")  # a page without the database still renders
    assert page.status_code == 200


def test_a_stalled_database_fails_the_request_at_the_statement_timeout(tmp_path,
                                                                        postgresql_url):
    config = write_config(tmp_path, postgresql_url, database={
        "url": postgresql_url, "statement_timeout_seconds": 0.5})
    client = create_app(config).test_client()
    blocker = create_engine(PG_URL)
    with blocker.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("LOCK TABLE calls IN ACCESS EXCLUSIVE MODE"))
        answer = client.get("/api/v1/display/state")
        transaction.rollback()
    blocker.dispose()
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "database_unavailable"
    assert client.get("/api/v1/display/state").status_code == 200  # the stall is over


def test_a_read_does_not_wait_for_a_writer_on_sqlite(tmp_path, sqlite_url):
    config = write_config(tmp_path, sqlite_url, database={
        "url": sqlite_url, "busy_timeout_seconds": 1})
    client = create_app(config).test_client()
    writer = create_engine(sqlite_url, connect_args={"isolation_level": None})
    holding, done = threading.Event(), threading.Event()

    def hold_the_write_lock():
        with writer.connect() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.exec_driver_sql("DELETE FROM calls WHERE id < 0")
            holding.set()
            done.wait(10)
            connection.exec_driver_sql("ROLLBACK")

    thread = threading.Thread(target=hold_the_write_lock)
    thread.start()
    try:
        assert holding.wait(5)
        # A read that took the write lock (BEGIN IMMEDIATE) would fail here after the
        # busy timeout; a deferred read runs beside the writer.
        answer = client.get("/api/v1/display/state")
        writer_still_holding = not done.is_set()
    finally:
        done.set()
        thread.join()
        writer.dispose()
    assert answer.status_code == 200
    assert writer_still_holding


def test_a_timeout_above_the_limit_names_the_key(tmp_path, sqlite_url):
    from queue_server.platform.config import ConfigError

    config = write_config(tmp_path, sqlite_url, database={
        "url": sqlite_url, "statement_timeout_seconds": 6000})
    with pytest.raises(ConfigError, match="database.statement_timeout_seconds"):
        create_app(config)


def test_log_lines_cannot_be_forged_with_newlines():
    record = logging.LogRecord("queue_server", logging.INFO, __file__, 1,
                               "NIK revealed, reason: %s", ("ok\n2026-11-30 INFO admin: forged",),
                               None)
    line = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert "\n" not in line
    assert line == "INFO NIK revealed, reason: ok\\n2026-11-30 INFO admin: forged"


def test_rate_limited_log_reports_the_repeats_with_the_next_record(caplog):
    now = [0.0]
    outage = RateLimitedLog(logging.getLogger("test.outage"), interval=60, clock=lambda: now[0])
    error = ConnectionRefusedError("refused")
    with caplog.at_level(logging.ERROR):
        assert outage.exception("OperationalError", "database unavailable", error)
        assert not outage.exception("OperationalError", "database unavailable", error)
        assert not outage.exception("OperationalError", "database unavailable", error)
        assert outage.exception("TimeoutError", "database unavailable", error)  # another kind
        now[0] = 61
        assert outage.exception("OperationalError", "database unavailable", error)
    messages = [record.getMessage().split(": ConnectionRefusedError")[0]
                for record in caplog.records]
    assert messages == ["database unavailable: OperationalError",
                        "database unavailable: TimeoutError",
                        "database unavailable: OperationalError (2 more since the last report)"]
