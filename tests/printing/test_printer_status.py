"""Printer states from the printer's own answers reach the API and the staff socket."""
from __future__ import annotations

import pytest

from printer.fake import FakePaper
from tests.support import free_port

from .conftest import issue, job_for_ticket, wait_until


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    return {"printers": {"desk": {"type": "network", "host": "127.0.0.1",
                                  "port": fake_printer.port, "timeout": 2}},
            "ticket_printer": "desk",
            "printing": {"status_poll_seconds": 0.2, "offline_alert_seconds": 60}}


def desk(client, headers) -> dict:
    return client.get("/api/v1/printers", headers=headers).get_json()["printers"][0]


def staff_socket(app, token):
    socket = app.extensions["queue_socketio"].test_client(app, namespace="/staff",
                                                          auth={"token": token})
    assert socket.is_connected("/staff")
    return socket


def status_events(socket) -> list[dict]:
    return [event["args"][0]["printer"] for event in socket.get_received("/staff")
            if event["name"] == "printer_status"]


def test_states_reach_the_api_and_the_staff_socket(app, client, auth, tokens, fake_printer,
                                                   printing):
    headers = auth("receptionist")
    socket = staff_socket(app, tokens["receptionist"])
    seen: list[dict] = []

    def state_is(state: str) -> bool:
        seen.extend(event for event in status_events(socket) if event["name"] == "desk")
        return desk(client, headers)["state"] == state and any(
            event["state"] == state for event in seen)

    # The first answer may come before the socket connected: only the API must know it.
    wait_until(lambda: desk(client, headers)["state"] == "online")
    fake_printer.paper = FakePaper.LOW
    wait_until(lambda: state_is("paper_low"))
    fake_printer.paper = FakePaper.OUT
    wait_until(lambda: state_is("paper_out"))
    fake_printer.paper = FakePaper.OK
    fake_printer.online = False
    wait_until(lambda: state_is("offline"))
    assert desk(client, headers)["offline_since"] and not desk(client, headers)["alert"]
    fake_printer.online = True
    wait_until(lambda: state_is("online"))
    assert desk(client, headers)["offline_since"] is None


def test_offline_alert_after_the_configured_time(app, client, auth, tokens, clock,
                                                 fake_printer, printing):
    headers = auth("receptionist")
    socket = staff_socket(app, tokens["receptionist"])
    fake_printer.online = False
    wait_until(lambda: desk(client, headers)["state"] == "offline")
    assert not desk(client, headers)["alert"]
    clock.advance(seconds=30)
    assert not desk(client, headers)["alert"]
    clock.advance(seconds=31)
    wait_until(lambda: any(event["alert"] for event in status_events(socket)))
    assert desk(client, headers)["alert"]
    fake_printer.online = True
    wait_until(lambda: not desk(client, headers)["alert"])


class TestUnreachablePrinter:
    @pytest.fixture
    def config_overrides(self) -> dict:
        """Nothing listens on the printer's port."""
        return {"printers": {"desk": {"type": "network", "host": "127.0.0.1",
                                      "port": free_port(), "timeout": 1}},
                "ticket_printer": "desk", "printing": {"status_poll_seconds": 0.2}}

    def test_error_shows_in_the_job_and_the_state_and_issuing_goes_on(
            self, client, auth, services, printing):
        headers = auth("receptionist")
        tickets = [issue(client, headers) for _ in range(2)]
        # Between two tries the job is queued again (during a try it is printing).
        job = wait_until(lambda: (jobs := job_for_ticket(services, tickets[0]["id"]))
                         and jobs[0].attempts >= 2 and jobs[0].status.value == "queued"
                         and jobs[0])
        assert job.next_attempt_at is not None
        assert "Printer 'desk' at 127.0.0.1:" in job.last_error
        assert "is unreachable" in job.last_error
        view = client.get(f"/api/v1/print-jobs/{job.id}", headers=headers).get_json()
        assert view["last_error"] == job.last_error and view["status"] == "queued"
        state = desk(client, headers)
        assert state["state"] == "offline" and "is unreachable" in state["last_error"]
        assert state["pending_jobs"] == 2
        # FIFO: the second ticket waits behind the first, untried.
        assert job_for_ticket(services, tickets[1]["id"])[0].attempts == 0
