"""`queue-server users`: list, deactivate, reactivate, password and delete, with errors in
one style, and a stopped user's sessions and tokens ending at once."""
from __future__ import annotations

import io
import os
import pty
import select as io_select
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from queue_server.auth.models import ApiToken, Role, StaffSession, User
from queue_server.auth.service import CACHE_SECONDS
from queue_server.cli import main
from queue_server.tickets.models import Ticket

from .support import PASSWORD, ROOT

NEW_PASSWORD = "kata-sandi-baru-9"

pytestmark = pytest.mark.commits  # the command commits through its own engine


@pytest.fixture
def cli(config_path, users, monkeypatch, capsys):
    """cli("deactivate", "officer", stdin=...) -> (exit status, stdout, stderr)."""

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            status = main(["--config", str(config_path), "users", *args])
        except SystemExit as exc:  # argparse
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def app(config_path, clock):
    """The server, on the same committed database as the command."""
    from queue_server import create_app
    application = create_app(config_path, clock=clock)
    yield application
    application.extensions["queue"].engine.dispose()


def logged_in_client(app, username: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username,
                                       "password": PASSWORD}).status_code == 302
    return client


def token_for(client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username,
                                                   "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_list_is_a_table_with_display_names_and_roles(cli):
    status, out, _ = cli("list")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["USERNAME", "DISPLAY", "NAME", "ROLE", "STATE"]
    officer = next(line for line in lines if line.startswith("officer "))
    assert officer.split() == ["officer", "Petugas", "officer", "officer", "active"]
    columns = {line.index("Petugas") for line in lines[1:]}
    assert len(columns) == 1  # aligned


def test_add_offers_the_agent_role(cli, services):
    status, out, err = cli("add", "agen-loket", "--role", "agent", "--display-name",
                           "Agen cetak loket", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert status == 0, err
    with services.session_factory() as db:
        user = db.scalar(select(User).where(User.username == "agen-loket"))
    assert user.role is Role.AGENT and user.display_name == "Agen cetak loket"


def test_deactivating_ends_sessions_and_tokens_at_once(cli, app):
    browser = logged_in_client(app, "officer")
    token = token_for(app.test_client(), "officer").get_json()["token"]
    assert browser.get("/api/v1/me").status_code == 200
    assert browser.get("/api/v1/me", headers=bearer(token)).status_code == 200
    status, out, err = cli("deactivate", "officer")
    assert status == 0 and "deactivated" in out, err
    time.sleep(CACHE_SECONDS + 0.1)  # a server trusts what it checked this long at most
    assert browser.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert token_for(app.test_client(), "officer").status_code == 401
    _, out, _ = cli("list")
    assert next(line for line in out.splitlines()
                if line.startswith("officer ")).split()[-1] == "deactivated"
    status, out, err = cli("reactivate", "officer")
    assert status == 0, err
    # Back, but with a fresh login: the old session and token stay ended.
    assert browser.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert token_for(app.test_client(), "officer").status_code == 201


def test_a_new_password_works_and_ends_the_old_logins(cli, app, services):
    browser = logged_in_client(app, "receptionist")
    status, out, err = cli("password", "receptionist", "--password-stdin",
                           stdin=NEW_PASSWORD + "\n")
    assert status == 0 and "changed" in out, err
    assert browser.get("/api/v1/me").status_code == 401
    assert token_for(app.test_client(), "receptionist").status_code == 401
    assert token_for(app.test_client(), "receptionist", NEW_PASSWORD).status_code == 201
    status, _, err = cli("password", "receptionist", "--password-stdin", stdin="pendek\n")
    assert status == 2 and err == "error: password must be at least 8 characters\n"


def test_delete_removes_the_user_with_their_sessions_and_tokens(cli, app, services):
    browser = logged_in_client(app, "ppid")
    token = token_for(app.test_client(), "ppid").get_json()["token"]
    status, out, err = cli("delete", "ppid")
    assert status == 0 and "deleted" in out, err
    assert browser.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    with services.session_factory() as db:
        assert db.scalar(select(User).where(User.username == "ppid")) is None
        assert db.scalars(select(StaffSession)).all() == []
        assert db.scalars(select(ApiToken).join(User).where(User.username == "ppid")).all() == []


def test_a_user_on_records_is_not_deleted_but_can_be_deactivated(cli, app, services):
    client = app.test_client()
    token = token_for(client, "receptionist").get_json()["token"]
    issued = client.post("/api/v1/tickets", headers=bearer(token),
                         json={"service": "INFO", "category": "umum"})
    assert issued.status_code == 201
    status, _, err = cli("delete", "receptionist")
    assert status == 2 and err.startswith("error: ") and "deactivate" in err
    with services.session_factory() as db:
        assert db.get(Ticket, issued.get_json()["id"]).created_by is not None
    assert cli("deactivate", "receptionist")[0] == 0


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "delete", "password"])
def test_an_unknown_user_is_one_error_line_and_status_2(cli, action):
    status, out, err = cli(action, "nobody", "--password-stdin", stdin=NEW_PASSWORD + "\n") \
        if action == "password" else cli(action, "nobody")
    assert (status, out, err) == (2, "", "error: no user named 'nobody'\n")


def test_the_command_line_itself_reports_in_the_same_style(config_path, users):
    result = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", "--config", str(config_path), "users",
         "deactivate", "nobody"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "error: no user named 'nobody'"
    assert "Traceback" not in result.stderr


def run_on_a_terminal(config_path, *args: str, answers: list[str],
                      stdin_elsewhere: bool = False) -> tuple[int, str]:
    """Run `queue-server users ...` with a pseudo-terminal as its controlling terminal,
    typing each answer after the next prompt; (exit status, everything it wrote).
    stdin_elsewhere: standard input is /dev/null, the terminal is still there."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the pty is its terminal (stdin, stdout, stderr, /dev/tty)
        if stdin_elsewhere:
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "queue_server.cli", "--config",
                                  str(config_path), "users", *args])
    seen, pending = b"", list(answers)
    try:
        while True:
            ready, _, _ = io_select.select([terminal], [], [], 60)
            assert ready, seen
            try:
                chunk = os.read(terminal, 1024)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            typed = len(answers) - len(pending)
            if pending and seen.lower().count(b"password: ") > typed:  # a new prompt
                os.write(terminal, pending.pop(0).encode() + b"\n")
    except BaseException:  # a failed assert: do not wait for a child stuck at a prompt
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(terminal)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_without_password_stdin_the_password_is_asked_on_the_terminal(config_path, users,
                                                                      app):
    status, output = run_on_a_terminal(config_path, "password", "officer",
                                       answers=[NEW_PASSWORD, NEW_PASSWORD])
    assert status == 0, output
    assert "Password:" in output and "Repeat password:" in output
    assert NEW_PASSWORD not in output  # not echoed
    assert token_for(app.test_client(), "officer", NEW_PASSWORD).status_code == 201
    status, output = run_on_a_terminal(config_path, "add", "dewi", "--role", "officer",
                                       answers=[NEW_PASSWORD, "another-password"])
    assert status == 2 and "error: the passwords differ" in output
    # Standard input redirected (a script, a make target), a person at the terminal:
    # asked there, not an empty password read from standard input.
    status, output = run_on_a_terminal(config_path, "add", "dewi", "--role", "officer",
                                       answers=[NEW_PASSWORD, NEW_PASSWORD],
                                       stdin_elsewhere=True)
    assert status == 0 and "user dewi added" in output, output
    assert token_for(app.test_client(), "dewi", NEW_PASSWORD).status_code == 201


def test_without_password_stdin_or_a_terminal_the_error_says_what_to_do(config_path, users):
    # A new session has no controlling terminal: as under cron, systemd or a CI job.
    result = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", "--config", str(config_path), "users",
         "add", "dewi", "--role", "officer"], input=NEW_PASSWORD + "\n", capture_output=True,
        text=True, cwd=ROOT, timeout=60, start_new_session=True)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("error: no terminal to ask for the password: pipe it in with "
                             "--password-stdin, e.g. echo 'a-long-password' | queue-server "
                             "users add NAME ... --password-stdin\n")


def test_password_stdin_without_a_line_is_refused(cli):
    assert cli("password", "officer", "--password-stdin", stdin="") == (
        2, "", "error: --password-stdin: standard input holds no password line\n")
