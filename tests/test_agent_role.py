"""Print agents have their own role: only they poll and ack jobs (admin neither), they read
nothing else; the display role reads no printer, print job or preview."""
from __future__ import annotations

import pytest

from .printing.conftest import issue, network_printer


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    return {"printers": {"desk": network_printer(fake_printer, agent=True)},
            "ticket_printer": "desk"}


@pytest.fixture
def fake_printer():
    from printer.fake import FakeNetworkPrinter
    with FakeNetworkPrinter() as fake:
        yield fake


@pytest.fixture
def job(client, auth) -> dict:
    """The ticket printer's job for a new ticket, as the agent is offered it."""
    issue(client, auth("receptionist"))
    offered = client.get("/api/v1/printers/desk/jobs/next?wait=0", headers=auth("agent"))
    assert offered.status_code == 200
    return offered.get_json()


@pytest.mark.parametrize("role", ["admin", "receptionist", "officer", "ppid", "security",
                                  "display", "kiosk"])
def test_only_the_agent_polls_and_acks(client, auth, job, role):
    poll = client.get("/api/v1/printers/desk/jobs/next?wait=0", headers=auth(role))
    assert poll.status_code == 403 and poll.get_json()["error"]["code"] == "forbidden"
    ack = client.post(f"/api/v1/print-jobs/{job['id']}/ack", headers=auth(role),
                      json={"status": "printed"})
    assert ack.status_code == 403
    # Nobody swallowed the job: the agent is offered it again and prints it.
    again = client.get("/api/v1/printers/desk/jobs/next?wait=0", headers=auth("agent"))
    assert again.get_json() == job
    printed = client.post(f"/api/v1/print-jobs/{job['id']}/ack", headers=auth("agent"),
                          json={"status": "printed"})
    assert printed.status_code == 200 and printed.get_json()["status"] == "printed"


def test_the_display_role_reads_no_printer_job_or_preview(client, auth, job):
    display = auth("display")
    for path in ("/api/v1/printers", "/api/v1/printers/desk",
                 f"/api/v1/print-jobs/{job['id']}", f"/api/v1/print-jobs/{job['id']}/preview"):
        answer = client.get(path, headers=display)
        assert answer.status_code == 403, path
        assert "127.0.0.1" not in answer.get_data(as_text=True)


def test_the_agent_reads_its_printers_settings_and_nothing_else(client, auth, job):
    agent = auth("agent")
    device = client.get("/api/v1/printers/desk", headers=agent).get_json()["device"]
    assert device["type"] == "network" and device["host"] == "127.0.0.1"
    assert client.get("/api/v1/printers/preview", headers=agent).status_code == 409
    for path in ("/api/v1/printers", f"/api/v1/print-jobs/{job['id']}",
                 f"/api/v1/print-jobs/{job['id']}/preview", "/api/v1/queue",
                 f"/api/v1/tickets/{job['id']}", "/api/v1/visits", "/api/v1/auth/csrf"):
        assert client.get(path, headers=agent).status_code == 403, path
    assert client.post("/api/v1/tickets", headers=agent,
                       json={"service": "INFO", "category": "umum"}).status_code == 403
    assert client.get("/api/v1/me", headers=agent).get_json()["role"] == "agent"


@pytest.mark.parametrize("role, sees_device", [("admin", True), ("receptionist", False),
                                               ("officer", False)])
def test_only_admin_and_the_agent_see_a_printers_address(client, auth, role, sees_device):
    view = client.get("/api/v1/printers/desk", headers=auth(role))
    assert view.status_code == 200
    assert ("device" in view.get_json()) is sees_device


@pytest.mark.parametrize("role", ["admin", "receptionist", "officer"])
def test_the_printing_desks_still_read_jobs_and_previews(client, auth, job, role):
    assert client.get("/api/v1/printers", headers=auth(role)).status_code == 200
    assert client.get(f"/api/v1/print-jobs/{job['id']}", headers=auth(role)).status_code == 200
    preview = client.get(f"/api/v1/print-jobs/{job['id']}/preview", headers=auth(role))
    assert preview.status_code == 200
    # Drawn with inline styles, shown in a frame of the reception page: its own policy.
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_staff_sockets_refuse_the_agent_and_keep_print_events_from_the_display(
        app, client, auth, tokens, job):
    socketio = app.extensions["queue_socketio"]
    agent = socketio.test_client(app, namespace="/staff", auth={"token": tokens["agent"]})
    assert not agent.is_connected("/staff")
    sockets = {role: socketio.test_client(app, namespace="/staff",
                                          auth={"token": tokens[role]})
               for role in ("receptionist", "display")}
    for socket in sockets.values():
        socket.get_received("/staff")
    client.post(f"/api/v1/print-jobs/{job['id']}/ack", headers=auth("agent"),
                json={"status": "printed"})
    issue(client, auth("receptionist"))
    heard = {role: [message["name"] for message in socket.get_received("/staff")]
             for role, socket in sockets.items()}
    assert "print_job_updated" in heard["receptionist"]
    assert "ticket_issued" in heard["display"]
    assert not [name for name in heard["display"] if name.startswith("print")]
    for socket in sockets.values():
        socket.disconnect(namespace="/staff")
