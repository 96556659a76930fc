"""Careless or hostile input gets a clear 4xx on both databases, never a 500."""
from __future__ import annotations

import pytest

HUGE = 2**63  # past SQLite's integer; 2**31 is past PostgreSQL's


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/tickets/{id}"),
    ("POST", "/api/v1/tickets/{id}/reprint"),
    ("GET", "/api/v1/print-jobs/{id}"),
    ("GET", "/api/v1/print-jobs/{id}/preview"),
    ("POST", "/api/v1/print-jobs/{id}/ack"),
    ("GET", "/api/v1/visits/{id}"),
    ("POST", "/api/v1/visits/{id}/leave"),
    ("POST", "/api/v1/visits/{id}/cancel"),
    ("POST", "/api/v1/escorts/{id}/acknowledge"),
    ("POST", "/api/v1/requests/{id}/extend"),
])
@pytest.mark.parametrize("number", [2**31, HUGE])
def test_ids_past_the_integer_range_are_404(client, auth, method, path, number):
    answer = client.open(path.format(id=number), method=method, headers=auth("admin"),
                         json={})
    assert answer.status_code == 404, answer.get_data(as_text=True)
    assert answer.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("number", [2**31, -(2**31) - 1, HUGE])
def test_whole_numbers_past_the_integer_range_in_a_body_are_422(client, auth, number):
    answer = client.post("/api/v1/counters/1/call-back", headers=auth("officer"),
                         json={"ticket_id": number})
    assert answer.status_code == 422
    assert "ticket_id" in answer.get_json()["error"]["message"]


@pytest.mark.parametrize("number, kind", [(7.0, "whole"), (7.5, "fraction"), (True, "bool"),
                                          ("7", "text")])
def test_a_whole_number_in_a_body_may_be_written_7_or_7_0_as_json_schema_allows(
        client, auth, number, kind):
    """JSON Schema's integer takes 7.0; so does the server. 7.5, true and "7" are refused."""
    answer = client.post("/api/v1/counters/1/call-back", headers=auth("officer"),
                         json={"ticket_id": number})
    if kind == "whole":
        assert answer.status_code == 404, answer.get_data(as_text=True)  # no ticket 7
    else:
        assert answer.status_code == 422
        assert "ticket_id" in answer.get_json()["error"]["message"]


def test_deeply_nested_json_is_400(client, auth):
    body = '{"service": ' + "[" * 100_000 + "]" * 100_000 + "}"
    answer = client.post("/api/v1/tickets", headers=auth("receptionist"), data=body,
                         content_type="application/json")
    assert answer.status_code == 400
    assert "deeper" in answer.get_json()["error"]["message"]


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/auth/token", {"username": "admin\x00", "password": "x"}, "username"),
    ("/api/v1/tickets", {"service": "INFO", "category": "umum", "station": "a\x00"},
     "station"),
    ("/api/v1/visits", {"aids": [], "note": "catatan\x00"}, "note"),
    ("/api/v1/auth/token", {"username": "admin", "password": "rahasia\x00"}, "password"),
])
def test_a_nul_character_in_any_json_text_is_422_naming_the_field(client, auth, path, body,
                                                                   field):
    answer = client.post(path, headers=auth("admin"), json=body)
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert field in answer.get_json()["error"]["message"]


def test_a_nul_character_in_a_query_or_a_form_is_400(client, auth):
    assert client.get("/api/v1/visits?step_role=%00", headers=auth("admin")).status_code == 400
    login = client.post("/login", data={"username": "admin\x00", "password": "x"})
    assert login.status_code == 400


def test_a_station_is_checked(client, auth):
    headers = auth("receptionist")
    too_long = client.post("/api/v1/tickets", headers=headers,
                           json={"service": "INFO", "category": "umum", "station": "m" * 65})
    assert too_long.status_code == 422
    assert "station" in too_long.get_json()["error"]["message"]
    unknown = client.post("/api/v1/tickets", headers=headers,
                          json={"service": "INFO", "category": "umum", "station": "meja-99"})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["code"] == "unknown_station"
    assert client.get("/api/v1/queue", headers=headers).get_json()["tickets"] == []


def test_a_username_near_200_characters_is_a_wrong_login(client):
    answer = client.post("/api/v1/auth/token", json={"username": "u" * 199, "password": "x"})
    assert answer.status_code == 401


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/visits", {"aids": [], "note": "n" * 501}, "note"),
    ("/api/v1/tickets", {"service": "INFO", "category": "u" * 201}, "category"),
    ("/api/v1/auth/token", {"username": "admin", "password": "p" * 201}, "password"),
])
def test_text_longer_than_its_column_is_422_naming_the_field_never_cut(client, auth, path,
                                                                        body, field):
    answer = client.post(path, headers=auth("admin"), json=body)
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert f"'{field}'" in answer.get_json()["error"]["message"]
