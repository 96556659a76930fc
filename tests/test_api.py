"""API contract: auth, roles, errors, idempotency, OpenAPI coverage, public display state."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from queue_server.auth.models import Role, User
from queue_server.auth.service import add_user

from .support import PASSWORD


def test_token_login_gives_a_working_token(client, users):
    response = client.post("/api/v1/auth/token",
                           json={"username": "officer", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["role"] == "officer"


def test_a_user_added_through_add_user_logs_in_with_the_real_hash(client, services, users):
    """The other tests' users carry a one-round PBKDF2 hash to keep logins fast; this one
    is hashed the way add_user (and `queue-server users add`) does it."""
    with services.session_factory() as db, db.begin():
        user = add_user(db, "siti", "kata-sandi-panjang", Role.OFFICER, datetime.now(UTC),
                        "Siti Aminah")
        stored, cheap = user.password_hash, db.scalar(
            select(User.password_hash).where(User.username == "officer"))
    assert stored.startswith("scrypt:") and "kata-sandi-panjang" not in stored
    assert cheap.startswith("pbkdf2:sha256:1$")
    wrong = client.post("/api/v1/auth/token", json={"username": "siti", "password": "salah-123"})
    assert wrong.status_code == 401
    response = client.post("/api/v1/auth/token",
                           json={"username": "siti", "password": "kata-sandi-panjang"})
    assert response.status_code == 201
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert (me.json["username"], me.json["role"]) == ("siti", "officer")


def test_wrong_password_is_401_and_never_names_the_reason(client, users):
    response = client.post("/api/v1/auth/token", json={"username": "officer", "password": "x"})
    assert response.status_code == 401
    unknown = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert unknown.json == response.json


def test_login_is_rate_limited_per_user_and_address(client, users):
    bad = {"username": "officer", "password": "wrong-one"}
    statuses = [client.post("/api/v1/auth/token", json=bad).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    limited = client.post("/api/v1/auth/token", json={"username": "officer", "password": PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    # Another user from the same address is not locked out by this one.
    other = client.post("/api/v1/auth/token",
                        json={"username": "receptionist", "password": PASSWORD})
    assert other.status_code == 201


def test_rate_limit_lifts_after_a_minute(client, users, clock):
    bad = {"username": "officer", "password": "wrong-one"}
    for _ in range(10):
        client.post("/api/v1/auth/token", json=bad)
    clock.advance(seconds=61)
    good = client.post("/api/v1/auth/token", json={"username": "officer", "password": PASSWORD})
    assert good.status_code == 201


def test_expired_and_revoked_tokens_are_refused(client, auth, tokens, clock):
    assert client.get("/api/v1/queue", headers=auth("officer")).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=auth("officer")).status_code == 204
    assert client.get("/api/v1/queue", headers=auth("officer")).status_code == 401
    clock.advance(days=31)
    assert client.get("/api/v1/queue", headers=auth("receptionist")).status_code == 401


def test_tokens_are_stored_as_sha256_not_in_clear(services, tokens):
    from queue_server.auth.models import ApiToken
    from queue_server.auth.service import hash_token
    with services.session_factory() as db:
        stored = {row.token_hash for row in db.query(ApiToken)}
    assert hash_token(tokens["officer"]) in stored
    assert tokens["officer"] not in stored


@pytest.mark.parametrize("method,path", [
    ("post", "/api/v1/tickets"), ("get", "/api/v1/queue"), ("get", "/api/v1/tickets/1"),
    ("post", "/api/v1/counters/2/call-next"), ("post", "/api/v1/counters/2/recall"),
])
def test_no_login_is_401(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_roles_are_enforced_with_403(client, auth):
    ticket = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                         headers=auth("officer"))
    assert ticket.status_code == 403
    assert client.post("/api/v1/counters/2/call-next",
                       headers=auth("receptionist")).status_code == 403
    assert client.post("/api/v1/counters/2/call-next", headers=auth("admin")).status_code == 204


def test_bad_input_gets_clear_4xx_json(client, auth):
    headers = auth("receptionist")
    cases = [
        (client.post("/api/v1/tickets", data="{not json", headers=headers,
                     content_type="application/json"), 400, "bad_request"),
        (client.post("/api/v1/tickets", json=[1, 2], headers=headers), 400, "bad_request"),
        (client.post("/api/v1/tickets", headers=headers), 400, "bad_request"),
        (client.post("/api/v1/tickets", json={"service": "NOPE", "category": "umum"},
                     headers=headers), 422, "unknown_service"),
        (client.post("/api/v1/tickets", json={"service": "INFO", "category": "vip"},
                     headers=headers), 422, "unknown_category"),
        (client.post("/api/v1/tickets", json={"service": 5, "category": "umum"},
                     headers=headers), 422, "invalid"),
        (client.post("/api/v1/counters/99/call-next", headers=auth("officer")), 404,
         "unknown_counter"),
        (client.get("/api/v1/tickets/999999", headers=auth("officer")), 404, "unknown_ticket"),
        (client.post("/api/v1/counters/2/call-back", json={"ticket_id": "x"},
                     headers=auth("officer")), 422, "invalid"),
        (client.get("/api/v1/nothing-here"), 404, "not_found"),
        (client.put("/api/v1/tickets", json={}, headers=headers), 405, "method_not_allowed"),
        (client.get("/api/v1/display/state?display=kantin"), 404, "unknown_display"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (response.request.path, response.json)
        assert response.json["error"]["code"] == code
        assert "Traceback" not in response.get_data(as_text=True)


def test_empty_queue_call_next_is_204(client, auth):
    response = client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    assert response.status_code == 204 and response.data == b""


def test_idempotency_key_gives_one_ticket_and_the_same_response(client, auth):
    headers = {**auth("receptionist"), "Idempotency-Key": "press-42"}
    body = {"service": "INFO", "category": "lansia"}
    first = client.post("/api/v1/tickets", json=body, headers=headers)
    second = client.post("/api/v1/tickets", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert second.headers["Idempotent-Replayed"] == "true"
    queue = client.get("/api/v1/queue", headers=auth("receptionist")).json
    assert [t["number"] for t in queue["tickets"]] == ["P-001"]
    reused = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                         headers=headers)
    assert reused.status_code == 409


def test_ticket_response_has_the_contract_fields(client, auth):
    body = client.post("/api/v1/tickets", json={"service": "INFO", "category": "lansia"},
                       headers=auth("receptionist")).json
    for key in ("id", "number", "service", "category", "priority", "status", "created_at",
                "position"):
        assert key in body
    assert re.fullmatch(r"P-\d{3}", body["number"]) and body["position"] == 1


def test_lists_of_services_categories_counters(client):
    categories = client.get("/api/v1/categories").json
    assert {"code", "name", "priority"} <= set(categories[0])
    assert any(c["code"] == "umum" and c["priority"] == 0 for c in categories)
    counters = client.get("/api/v1/counters").json
    assert counters[0] == {"code": "1", "name": "Loket Prioritas", "name_en": "Priority Counter",
                           "services": ["INFO", "KONSUL", "SURAT"], "priority_only": True}
    assert {s["code"] for s in client.get("/api/v1/services").json} == {"INFO", "KONSUL", "SURAT"}


def test_openapi_documents_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} is undocumented"


def test_display_state_is_public_and_carries_nothing_personal(client, auth):
    client.post("/api/v1/tickets", json={"service": "INFO", "category": "disabilitas"},
                headers=auth("receptionist"))
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    state = client.get("/api/v1/display/state").json
    assert state["current"]["number"] == "P-001"
    state.pop("running_text")  # the office's own welcome text names the groups it serves
    assert "disabilitas" not in str(state).lower()
    assert state["waiting"] == {"priority": 0, "regular": 0}
    only_priority = client.get("/api/v1/display/state?display=prioritas").json
    assert only_priority["current"] is None
    assert [c["code"] for c in only_priority["counters"]] == ["1"]


def test_session_writes_need_the_csrf_header(client, users):
    client.post("/login", data={"username": "receptionist", "password": PASSWORD})
    body = {"service": "INFO", "category": "umum"}
    assert client.post("/api/v1/tickets", json=body).status_code == 403
    assert client.post("/api/v1/tickets", json=body,
                       headers={"X-CSRF-Token": ""}).status_code == 403
    csrf = client.get("/api/v1/auth/csrf").json["csrf"]
    assert client.post("/api/v1/tickets", json=body,
                       headers={"X-CSRF-Token": csrf}).status_code == 201
