"""API v1: thin routes that parse input, call one domain function and shape the answer."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from .display_state import UnknownDisplay, shown_counters, snapshot
from .http import ApiError, csrf_token, current_identity, field, json_body, require, services
from .models import Role
from .openapi import openapi_document
from .queries import counter_status, queue_listing, ticket_detail

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
STAFF = (Role.RECEPTIONIST, Role.OFFICER, Role.PPID, Role.SECURITY, Role.DISPLAY)


@blueprint.post("/auth/token")
def create_token():
    data = json_body()
    username, password = field(data, "username"), field(data, "password")
    app = services()
    with app.session_factory() as db, db.begin():
        token, row, error = app.auth.login_for_token(db, username, password,
                                                     request.remote_addr or "?")
    if error is not None:
        raise error
    return jsonify({"token": token, "expires_at": row.expires_at.isoformat(),
                    "role": row.user.role.value}), 201


@blueprint.delete("/auth/token")
@require()
def revoke_token():
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiError(400, "bad_request", "Send the token to revoke as a bearer token")
    app = services()
    with app.session_factory() as db, db.begin():
        app.auth.revoke_token(db, header[7:].strip())
    return Response(status=204)


@blueprint.get("/auth/csrf")
@require()
def get_csrf():
    """The session's CSRF token, for scripts that write with the session cookie."""
    return jsonify({"csrf": csrf_token()})


@blueprint.get("/me")
@require()
def me():
    identity = current_identity()
    return jsonify({"id": identity.user_id, "username": identity.username,
                    "display_name": identity.display_name, "role": identity.role.value})


@blueprint.get("/services")
def list_services():
    return jsonify([{"code": s.code, "name": s.name, "name_en": s.name_en,
                     "requirements": list(s.requirements)}
                    for s in services().config.services.values()])


@blueprint.get("/categories")
def list_categories():
    return jsonify([{"code": c.code, "name": c.name, "name_en": c.name_en,
                     "priority": c.priority, "prefix": c.prefix, "icon": c.icon}
                    for c in services().config.categories.values()])


@blueprint.get("/counters")
def list_counters():
    return jsonify([{"code": c.code, "name": c.name, "name_en": c.name_en,
                     "services": list(c.services), "priority_only": c.priority_only}
                    for c in services().config.counters.values()])


@blueprint.post("/tickets")
@require(Role.RECEPTIONIST)
def issue_ticket():
    data = json_body()
    service, category = field(data, "service"), field(data, "category")
    station = field(data, "station", required=False)
    app, identity = services(), current_identity()
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        outcome = app.work.run(app.queue.issue_once, key.strip(), service, category,
                               identity.user_id, station)
    else:
        outcome = app.work.run(app.queue.issue, service, category, identity.user_id, station)
    response = jsonify(outcome.view)
    response.status_code = 201
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@blueprint.get("/tickets/<int:ticket_id>")
@require(*STAFF)
def get_ticket(ticket_id: int):
    app = services()
    with app.session_factory() as db:
        return jsonify(ticket_detail(db, app.queue, ticket_id))


@blueprint.get("/queue")
@require(*STAFF)
def get_queue():
    app = services()
    with app.session_factory() as db:
        return jsonify(queue_listing(db, app.queue))


@blueprint.get("/counters/<code>")
@require(Role.OFFICER)
def get_counter(code: str):
    app = services()
    with app.session_factory() as db:
        return jsonify(counter_status(db, app.queue, code))


def _counter_action(code: str, action: str, *args):
    app, identity = services(), current_identity()
    function = getattr(app.queue, action)
    outcome = app.work.run(function, code, identity.user_id, *args)
    return outcome


@blueprint.post("/counters/<code>/call-next")
@require(Role.OFFICER)
def call_next(code: str):
    outcome = _counter_action(code, "call_next")
    if outcome.ticket is None:
        return Response(status=204)
    return jsonify(outcome.view)


@blueprint.post("/counters/<code>/recall")
@require(Role.OFFICER)
def recall(code: str):
    return jsonify(_counter_action(code, "recall").view)


@blueprint.post("/counters/<code>/no-show")
@require(Role.OFFICER)
def no_show(code: str):
    return jsonify(_counter_action(code, "no_show").view)


@blueprint.post("/counters/<code>/done")
@require(Role.OFFICER)
def done(code: str):
    return jsonify(_counter_action(code, "finish").view)


@blueprint.post("/counters/<code>/transfer")
@require(Role.OFFICER)
def transfer(code: str):
    data = json_body()
    service = field(data, "service", required=False)
    to_counter = field(data, "counter", required=False)
    return jsonify(_counter_action(code, "transfer", service, to_counter).view)


@blueprint.post("/counters/<code>/call-back")
@require(Role.OFFICER)
def call_back(code: str):
    data = json_body()
    ticket_id = field(data, "ticket_id", int)
    app, identity = services(), current_identity()
    outcome = app.work.run(app.queue.call_back, code, ticket_id, identity.user_id)
    return jsonify(outcome.view)


@blueprint.get("/display/state")
def display_state():
    app = services()
    try:
        codes = shown_counters(app.config, request.args.get("counters"),
                               request.args.get("display"))
    except UnknownDisplay as exc:
        raise ApiError(404, "unknown_display", str(exc)) from None
    with app.session_factory() as db:
        return jsonify(snapshot(db, app.config, app.queue, codes, app.clock()))


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
