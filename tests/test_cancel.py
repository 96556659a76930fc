"""Cancelling a ticket issued by mistake (issue 14, part 5): reception and the counters
only, with a reason; recorded in the ticket's history; its unprinted job withdrawn; gone
from the TV's waiting counts; its status page says so."""
from __future__ import annotations

import threading
import time

import pytest
import socketio as socketio_client
from sqlalchemy import select

from queue_server.printing.models import PrintJob, PrintJobStatus
from queue_server.tickets.models import Ticket

from .support import LiveServer, create_users, write_config

REGULAR = {"service": "INFO", "category": "umum"}


def issue(client, auth, body=REGULAR) -> dict:
    answer = client.post("/api/v1/tickets", json=body, headers=auth("receptionist"))
    assert answer.status_code == 201
    return answer.json


def cancel(client, headers, ticket_id, reason="Salah pilih layanan"):
    body = {} if reason is None else {"reason": reason}
    return client.post(f"/api/v1/tickets/{ticket_id}/cancel", json=body, headers=headers)


@pytest.mark.parametrize("role", ["admin", "receptionist", "officer"])
def test_reception_and_the_counters_cancel_with_a_reason(client, auth, services, role):
    ticket = issue(client, auth)
    answer = cancel(client, auth(role), ticket["id"], "  Salah pilih layanan  ")
    assert answer.status_code == 200
    assert answer.json["status"] == "cancelled" and answer.json["number"] == "A-001"
    line = answer.json["history"][-1]
    assert line["action"] == "cancelled"
    assert line["details"]["reason"] == "Salah pilih layanan"
    with services.session_factory() as db:
        user_id = db.scalar(select(Ticket.created_by))  # the receptionist
    assert (line["user_id"] is not None) and (role != "receptionist" or line["user_id"] == user_id)
    detail = client.get(f"/api/v1/tickets/{ticket['id']}", headers=auth("receptionist")).json
    assert detail["status"] == "cancelled" and detail["history"][-1] == line
    assert client.get("/api/v1/queue", headers=auth("receptionist")).json["tickets"] == []


@pytest.mark.parametrize("role", ["ppid", "security", "display", "agent", "supervisor",
                                  "kiosk"])
def test_other_roles_may_not_cancel(client, auth, role):
    ticket = issue(client, auth)
    answer = cancel(client, auth(role), ticket["id"])
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
    assert client.get(f"/api/v1/tickets/{ticket['id']}",
                      headers=auth("receptionist")).json["status"] == "waiting"


def test_each_refusal_is_json_with_its_status(client, auth):
    ticket = issue(client, auth)
    receptionist = auth("receptionist")
    assert cancel(client, receptionist, 99999).status_code == 404
    assert cancel(client, receptionist, 99999).json["error"]["code"] == "unknown_ticket"
    for reason in (None, "", "   ", "x" * 201, 12):
        answer = cancel(client, receptionist, ticket["id"], reason)
        assert answer.status_code == 422, reason
        assert answer.json["error"]["code"] == "invalid"
    assert cancel(client, receptionist, ticket["id"], "x" * 200).status_code == 200
    again = cancel(client, receptionist, ticket["id"])
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    assert "cancelled" in again.json["error"]["message"]
    # A served ticket and a no-show are finished too.
    served = issue(client, auth)
    officer = auth("officer")
    client.post("/api/v1/counters/2/call-next", headers=officer)
    client.post("/api/v1/counters/2/done", headers=officer)
    assert cancel(client, receptionist, served["id"]).status_code == 409
    no_show = issue(client, auth)
    client.post("/api/v1/counters/2/call-next", headers=officer)
    client.post("/api/v1/counters/2/no-show", headers=officer)
    assert cancel(client, receptionist, no_show["id"]).status_code == 409
    assert client.post("/api/v1/tickets/1/cancel", data="{", headers={
        **receptionist, "Content-Type": "application/json"}).status_code == 400


def test_a_counter_cancels_its_current_ticket_and_calls_the_next(client, auth):
    first, second = issue(client, auth), issue(client, auth)
    officer = auth("officer")
    assert client.post("/api/v1/counters/2/call-next", headers=officer).json["id"] == first["id"]
    assert cancel(client, officer, first["id"], "Pengunjung salah antre").status_code == 200
    assert client.get("/api/v1/counters/2", headers=officer).json["current"] is None
    # The cancelled ticket is not closed as served by the next call.
    assert client.post("/api/v1/counters/2/call-next", headers=officer).json["id"] == second["id"]
    detail = client.get(f"/api/v1/tickets/{first['id']}", headers=officer).json
    assert [line["action"] for line in detail["history"]] == ["issued", "called", "cancelled"]
    assert detail["history"][-1]["counter"] == "2"


def test_the_unprinted_job_is_withdrawn_and_a_printing_one_is_left(client, auth, services):
    # The tests' office prints tickets on the preview printer; no worker runs here, so
    # each job stays queued until the test moves it.
    queued, claimed = issue(client, auth), issue(client, auth)
    with services.session_factory() as db, db.begin():
        job = db.scalar(select(PrintJob).where(PrintJob.ticket_id == claimed["id"]))
        job.status = PrintJobStatus.PRINTING
    withdrawn = cancel(client, auth("receptionist"), queued["id"]).json
    left = cancel(client, auth("receptionist"), claimed["id"]).json
    with services.session_factory() as db:
        jobs = {job.ticket_id: job for job in db.scalars(select(PrintJob))}
    assert jobs[queued["id"]].status is PrintJobStatus.CANCELLED
    assert jobs[claimed["id"]].status is PrintJobStatus.PRINTING
    assert withdrawn["history"][-1]["details"]["print_jobs"] == {
        "withdrawn": [jobs[queued["id"]].id], "left": []}
    assert left["history"][-1]["details"]["print_jobs"] == {
        "withdrawn": [], "left": [{"id": jobs[claimed["id"]].id, "status": "printing"}]}
    view = client.get(f"/api/v1/print-jobs/{jobs[queued['id']].id}",
                      headers=auth("receptionist")).json
    assert view["status"] == "cancelled"


def test_a_withdrawn_job_is_never_claimed(app, client, auth, services):
    from queue_server.printing.outbox import claim_next
    ticket = issue(client, auth)
    cancel(client, auth("receptionist"), ticket["id"])
    with services.session_factory() as db, db.begin():
        from queue_server.printing.states import ensure_rows
        ensure_rows(db, ["preview"])
        job, _retry, _events = claim_next(db, services.config, "preview", services.clock())
    assert job is None


def test_the_tv_hears_the_count_drop_and_the_ticket_end(app, client, auth):
    display = app.extensions["queue_socketio"].test_client(app, namespace="/display")
    display.get_received("/display")
    ticket = issue(client, auth)
    issue(client, auth, {"service": "INFO", "category": "lansia"})
    display.get_received("/display")
    cancel(client, auth("receptionist"), ticket["id"])
    received = display.get_received("/display")
    counts = [event["args"][0] for event in received if event["name"] == "queue_changed"]
    assert counts[-1]["waiting"] == {"priority": 1, "regular": 0}
    ended = [event["args"][0] for event in received if event["name"] == "ticket"]
    assert ended == [{"number": "A-001", "status": "cancelled", "counter": None}]
    display.disconnect(namespace="/display")


def test_the_status_page_says_cancelled(client, auth, services):
    ticket = issue(client, auth)
    cancel(client, auth("receptionist"), ticket["id"])
    with services.session_factory() as db:
        code = db.scalar(select(Ticket.public_id).where(Ticket.id == ticket["id"]))
    assert client.get(f"/api/v1/t/{code}").json["status"] == "cancelled"
    assert "Nomor ini dibatalkan." in client.get(f"/t/{code}").get_data(as_text=True)
    assert "This number was cancelled." in str(client.get(f"/api/v1/t/{code}?lang=en").json)


@pytest.fixture
def running_server(tmp_path, database_url):
    """`queue-server run` on this test's database (SQLite or PostgreSQL), one user a role."""
    create_users(database_url)  # the database is emptied for a `commits` test
    server = LiveServer(write_config(tmp_path, database_url)).start()
    yield server
    server.stop()


@pytest.mark.commits
def test_a_real_tv_socket_sees_the_waiting_count_drop(running_server):
    server = running_server
    heard: list[dict] = []
    changed = threading.Condition()
    tv = socketio_client.Client(reconnection=False)

    def on_count(data):
        with changed:
            heard.append(data["waiting"])
            changed.notify_all()

    def on_state(data):
        on_count({"waiting": data["waiting"]})

    tv.on("queue_changed", on_count, namespace="/display")
    tv.on("state", on_state, namespace="/display")
    tv.connect(server.url, namespaces=["/display"], transports=["websocket"])

    def wait_for(waiting):
        deadline = time.monotonic() + 10
        with changed:
            while not heard or heard[-1] != waiting:
                assert time.monotonic() < deadline, heard
                changed.wait(0.2)

    try:
        receptionist = server.token("receptionist")
        ids = [server.api("post", "/tickets", receptionist, json=REGULAR).json()["id"]
               for _ in range(2)]
        wait_for({"priority": 0, "regular": 2})
        answer = server.api("post", f"/tickets/{ids[0]}/cancel", receptionist,
                            json={"reason": "Tiket ganda"})
        assert answer.status_code == 200
        wait_for({"priority": 0, "regular": 1})
        assert server.api("get", "/display/state").json()["waiting"] == {"priority": 0,
                                                                          "regular": 1}
    finally:
        tv.disconnect()
