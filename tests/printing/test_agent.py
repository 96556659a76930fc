"""The remote print agent against the real server: the protocol, and exactly once across restarts."""
from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys

import pytest

from tests.support import ROOT

from .conftest import issue, network_printer, wait_until


@pytest.fixture
def config_overrides(fake_printer) -> dict:
    """The ticket printer sits at a receptionist PC and is served by its print agent."""
    return {"printers": {"desk": network_printer(fake_printer, agent=True)},
            "ticket_printer": "desk"}


def test_agent_protocol(client, auth, services):
    ticket = issue(client, auth("receptionist"))
    headers = auth("agent")
    device = client.get("/api/v1/printers/desk", headers=headers).get_json()["device"]
    assert device["type"] == "network" and "agent" not in device
    offered = client.get("/api/v1/printers/desk/jobs/next?wait=0", headers=headers)
    assert offered.status_code == 200
    job = offered.get_json()
    assert ticket["number"].encode() in base64.b64decode(job["data"])
    # Not acked yet: any later poll gets the same job again.
    assert client.get("/api/v1/printers/desk/jobs/next?wait=0", headers=headers).get_json() == job
    failed = client.post(f"/api/v1/print-jobs/{job['id']}/ack", headers=headers,
                         json={"status": "failed", "error": "paper jam"})
    assert failed.status_code == 200 and failed.get_json()["status"] == "queued"
    assert failed.get_json()["last_error"] == "paper jam"
    assert client.get("/api/v1/printers/desk/jobs/next?wait=0", headers=headers).get_json() == job
    for _ in range(2):
        printed = client.post(f"/api/v1/print-jobs/{job['id']}/ack", headers=headers,
                              json={"status": "printed"})
        assert printed.status_code == 200 and printed.get_json()["status"] == "printed"
    late = client.post(f"/api/v1/print-jobs/{job['id']}/ack", headers=headers,
                       json={"status": "failed", "error": "late"})
    assert late.get_json()["status"] == "printed"
    assert client.get("/api/v1/printers/desk/jobs/next?wait=0",
                      headers=headers).status_code == 204
    states = client.get("/api/v1/printers", headers=auth("receptionist")).get_json()["printers"]
    assert states[0]["name"] == "desk" and states[0]["agent"] is True
    assert states[0]["state"] == "online" and states[0]["agent_seen_at"]


def test_agent_protocol_refuses_what_it_must(client, auth):
    headers = auth("agent")
    assert client.get("/api/v1/printers/desk/jobs/next").status_code == 401
    assert client.get("/api/v1/printers/nope/jobs/next", headers=headers).status_code == 404
    local = client.get("/api/v1/printers/preview/jobs/next?wait=0", headers=headers)
    assert local.status_code == 409 and local.get_json()["error"]["code"] == "not_an_agent_printer"
    assert client.get("/api/v1/printers/desk/jobs/next?wait=soon",
                      headers=headers).status_code == 422
    assert client.post("/api/v1/print-jobs/99/ack", headers=headers,
                       json={"status": "printed"}).status_code == 404
    issue(client, auth("receptionist"))
    assert client.post("/api/v1/print-jobs/1/ack", headers=headers,
                       json={"status": "lost"}).status_code == 422


def start_agent(server, token: str, journal) -> subprocess.Popen:
    log = open(journal.with_suffix(".log"), "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "queue_server.cli", "print-agent", "--server", server.url,
         "--token", token, "--printer", "desk", "--journal", str(journal), "--wait", "2"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ})


def stop_agent(agent: subprocess.Popen) -> None:
    agent.send_signal(signal.SIGTERM)
    agent.wait(30)


def test_agent_prints_every_job_once_across_server_and_agent_restarts(
        live_server, fake_printer, tmp_path):
    token, agent_token = live_server.token("receptionist"), live_server.token("agent")
    journal = tmp_path / "agent.journal"
    agent = start_agent(live_server, agent_token, journal)
    numbers: list[str] = []

    def issue_some(count: int) -> None:
        for _ in range(count):
            response = live_server.api("POST", "/tickets", token,
                                       json={"service": "INFO", "category": "umum"})
            assert response.status_code == 201
            numbers.append(response.json()["number"])

    try:
        issue_some(5)
        fake_printer.wait_for_jobs(2, timeout=20)
        live_server.stop()  # mid-stream: some jobs printed, some not, acks in flight
        live_server.start()
        issue_some(5)
        fake_printer.wait_for_jobs(7, timeout=30)
        stop_agent(agent)  # mid-stream again, this time the agent
        issue_some(5)
        agent = start_agent(live_server, agent_token, journal)
        fake_printer.wait_for_jobs(15, timeout=40)
        wait_until(lambda: live_server.api("GET", "/printers", token).json()["printers"][0][
            "pending_jobs"] == 0, timeout=20)
    finally:
        stop_agent(agent)
    printed = [number for job in fake_printer.jobs for number in numbers
               if number.encode() in job]
    assert sorted(printed) == sorted(numbers) and len(printed) == len(fake_printer.jobs) == 15
    assert printed == numbers  # one agent, FIFO: in order too
