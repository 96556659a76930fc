"""One domain error: the same bad input answers the same status and code on every route."""
from __future__ import annotations

import pytest
import requests

from queue_server.platform.errors import DomainError


def _error(response) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]


def test_an_unknown_counter_is_404_unknown_counter_everywhere(client, auth, users):
    officer, receptionist = auth("officer"), auth("receptionist")
    ticket = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                         headers=receptionist).get_json()
    answers = {
        "counter": client.get("/api/v1/counters/NOPE", headers=officer),
        "call-next": client.post("/api/v1/counters/NOPE/call-next", headers=officer),
        "recall": client.post("/api/v1/counters/NOPE/recall", headers=officer),
        "no-show": client.post("/api/v1/counters/NOPE/no-show", headers=officer),
        "done": client.post("/api/v1/counters/NOPE/done", headers=officer),
        "call-back": client.post("/api/v1/counters/NOPE/call-back", headers=officer,
                                 json={"ticket_id": ticket["id"]}),
        "display": client.get("/api/v1/display/state?counters=1,NOPE"),
        "receipt": client.post("/api/v1/receipts", headers=officer, json={
            "ticket_id": ticket["id"], "request_number": "R-1", "counter": "NOPE",
            "items": ["Salinan"]}),
    }
    client.post("/api/v1/counters/1/call-next", headers=officer)
    answers["transfer to"] = client.post("/api/v1/counters/1/transfer", headers=officer,
                                         json={"counter": "NOPE"})
    assert {route: _error(answer) for route, answer in answers.items()} == {
        route: (404, "unknown_counter") for route in answers}


def test_an_unknown_ticket_is_404_unknown_ticket_everywhere(client, auth, users):
    officer, receptionist = auth("officer"), auth("receptionist")
    answers = {
        "read": client.get("/api/v1/tickets/999999", headers=receptionist),
        "reprint": client.post("/api/v1/tickets/999999/reprint", headers=receptionist),
        "call-back": client.post("/api/v1/counters/1/call-back", headers=officer,
                                 json={"ticket_id": 999999}),
        "receipt": client.post("/api/v1/receipts", headers=officer, json={
            "ticket_id": 999999, "request_number": "R-1", "counter": "1", "items": ["x"]}),
    }
    assert {route: _error(answer) for route, answer in answers.items()} == {
        route: (404, "unknown_ticket") for route in answers}


@pytest.mark.parametrize("auth_data, expected", [
    ({"display": "nope"}, ("unknown_display", "Unknown display 'nope'")),
    ({"counters": "1,NOPE"}, ("unknown_counter", "Unknown counter 'NOPE'")),
])
def test_a_display_socket_with_a_bad_filter_is_refused_with_the_same_error(
        live_server, auth_data, expected):
    import socketio

    refusals = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", refusals.append, namespace="/display")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, namespaces=["/display"], auth=auth_data,
                       transports=["websocket"], wait_timeout=5)
    client.disconnect()
    code, message = expected
    assert refusals == [{"message": message,
                         "data": {"error": {"code": code, "message": message}}}]
    query = "display=nope" if "display" in auth_data else "counters=1,NOPE"
    answer = requests.get(f"{live_server.url}/api/v1/display/state?{query}", timeout=5)
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": code, "message": message}}


def test_a_good_filter_still_connects_and_shows_only_its_counters(app):
    display = app.extensions["queue_socketio"].test_client(app, namespace="/display",
                                                         auth={"counters": "2"})
    state = next(message["args"][0] for message in display.get_received("/display")
                 if message["name"] == "state")
    assert [counter["code"] for counter in state["counters"]] == ["2"]


def test_a_domain_error_on_a_page_is_a_page_not_json(app):
    @app.get("/boom-for-test")
    def boom():
        raise DomainError(409, "conflict", "Sudah dipanggil")

    answer = app.test_client().get("/boom-for-test")
    assert answer.status_code == 409
    assert answer.mimetype == "text/html"
    assert "Sudah dipanggil" in answer.get_data(as_text=True)
