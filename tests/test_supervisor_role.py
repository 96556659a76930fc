"""The supervisor (head of office) reads the live board and the reports and writes nothing:
every write route of the app refuses it, and so does every desk page and desk API."""
from __future__ import annotations

import re

import pytest

from .support import PASSWORD

OWN_LOGIN = {"/login", "/logout", "/api/v1/auth/token"}
"""The only writes a supervisor makes: logging itself in and out."""
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def concrete(rule: str) -> str:
    """A URL for a rule: 1 for every id, "1" for every other part."""
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?\w+>", "1", rule)


def write_routes(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule in OWN_LOGIN or rule.rule.startswith("/socket.io"):
            continue
        found.extend((method, concrete(rule.rule)) for method in sorted(rule.methods & WRITES))
    return found


def test_every_write_route_refuses_the_supervisor(app, client, auth):
    routes = write_routes(app)
    assert len(routes) > 20  # the whole API, not an empty list
    supervisor = auth("supervisor")
    for method, path in routes:
        answer = client.open(path, method=method, headers=supervisor, json={})
        assert answer.status_code == 403, f"{method} {path}: {answer.status_code}"


def test_the_supervisors_session_cannot_write_either(app, client, users):
    client.post("/login", data={"username": "supervisor", "password": PASSWORD})
    assert client.get("/api/v1/me").json["role"] == "supervisor"
    for method, path in write_routes(app):
        if not path.startswith("/api/"):
            continue  # form posts of pages: the page itself refuses the role (below)
        answer = client.open(path, method=method, json={})
        assert answer.status_code == 403, f"{method} {path}: {answer.status_code}"


@pytest.mark.parametrize("path", ["/admin", "/ppid", "/keamanan", "/buku-tamu", "/layanan",
                                  "/prosedur", "/kunjungan/1"])
def test_desk_pages_refuse_the_supervisor(client, users, path):
    client.post("/login", data={"username": "supervisor", "password": PASSWORD})
    assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("path", ["/api/v1/queue", "/api/v1/visits", "/api/v1/visits/export",
                                  "/api/v1/printers", "/api/v1/requests", "/api/v1/escorts",
                                  "/api/v1/deviations", "/api/v1/records/guest_list",
                                  "/api/v1/auth/csrf"])
def test_desk_reads_refuse_the_supervisor(client, auth, path):
    """Lists that name visitors are the desks' business, not the head of office's."""
    answer = client.get(path, headers=auth("supervisor"))
    assert answer.status_code == 403, path


def test_the_users_command_takes_the_supervisor_role(app, services):
    from sqlalchemy import select

    from queue_server.auth.models import Role, User
    from queue_server.auth.service import add_user
    from queue_server.platform.clock import utc_now
    with services.session_factory() as db, db.begin():
        add_user(db, "kepala", "a long password 123", Role.SUPERVISOR, utc_now(), "Kepala ULT")
    with services.session_factory() as db:
        user = db.scalar(select(User).where(User.username == "kepala"))
    assert user.role is Role.SUPERVISOR
