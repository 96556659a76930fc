"""API v1 for visits and security calls: thin routes around the procedure's domain functions."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from queue_server.auth.models import Role
from queue_server.platform.errors import forbidden, invalid
from queue_server.procedure import escorts
from queue_server.procedure.export import visits_csv
from queue_server.procedure.models import EscortCall, Visit, VisitStatus
from queue_server.procedure.names import Names
from queue_server.procedure.views import escort_view, timeline, user_names, visit_summary
from queue_server.procedure.visits import ProcedureService
from queue_server.web.csv_export import csv_response
from queue_server.web.pages import request_language
from queue_server.web.requests import (
    current_identity,
    field,
    json_body,
    query_choice,
    require,
    services,
)

blueprint = Blueprint("procedure_api", __name__, url_prefix="/api/v1")
READERS = (Role.RECEPTIONIST, Role.OFFICER, Role.PPID, Role.SECURITY)


def procedure() -> ProcedureService:
    return current_app.extensions["procedure"]


def run(function, *args):
    """Run a domain function in one transaction; its events go out after the commit."""
    return services().work.run(function, *args)


def parse_day(name: str, default: date | None = None) -> date:
    value = request.args.get(name)
    if value is None:
        if default is None:
            raise invalid(f"Query parameter {name!r} (YYYY-MM-DD) is required")
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(f"{name} must be a date like 2024-05-07") from None


def summary(visit_id: int) -> dict:
    app, identity = services(), current_identity()
    with app.work.read() as db:
        visit = procedure().visit(db, visit_id)
        return visit_summary(db, procedure(), visit, identity.role, user_names(db), app.clock())


@blueprint.post("/visits")
@require()
def start_visit():
    data = json_body(required=False)
    aids = data.get("aids") or []
    if not isinstance(aids, list):
        raise invalid("aids must be a list of aid codes")
    outcome = run(procedure().start, current_identity(), aids,
                  field(data, "note", required=False, max_length=500))
    return jsonify(summary(outcome.view["id"])), 201


@blueprint.get("/visits")
@require(*READERS)
def list_visits():
    app, identity = services(), current_identity()
    wanted = VisitStatus(query_choice("status", [s.value for s in VisitStatus],
                                      VisitStatus.ACTIVE.value))
    step_role = query_choice("step_role", [role.value for role in Role])
    query = select(Visit).where(Visit.status == wanted).order_by(Visit.id)
    if "day" in request.args or wanted != VisitStatus.ACTIVE:
        query = query.where(Visit.day == parse_day("day", app.clock().astimezone(
            app.config.tz).date()))
    with app.work.read() as db:
        names = user_names(db)
        views = [visit_summary(db, procedure(), visit, identity.role, names, app.clock())
                 for visit in db.scalars(query)]
    if step_role:
        views = [v for v in views if v["step"] and v["step"]["role"] == step_role]
    return jsonify({"now": app.clock().isoformat(), "visits": views})


@blueprint.get("/visits/<int:visit_id>")
@require(*READERS)
def get_visit(visit_id: int):
    app, identity = services(), current_identity()
    with app.work.read() as db:
        visit = procedure().visit(db, visit_id)
        return jsonify(timeline(db, procedure(), visit, identity.role, app.clock()))


@blueprint.get("/visits/export")
@require()
def export_visits():
    if current_identity().role != Role.ADMIN:
        raise forbidden("Only an admin exports the visit archive")
    app = services()
    today = app.clock().astimezone(app.config.tz).date()
    start, end = parse_day("from", today), parse_day("to", today)
    with app.work.read() as db:
        text = visits_csv(db, procedure(), start, end, Names(procedure(), request_language()))
    return csv_response(text, f"kunjungan-{start}-{end}.csv")


@blueprint.post("/visits/<int:visit_id>/steps/<key>/complete")
@require()
def complete_step(visit_id: int, key: str):
    data = json_body(required=False)
    run(procedure().complete, current_identity(), visit_id, key, data)
    return jsonify(summary(visit_id))


@blueprint.post("/visits/<int:visit_id>/steps/<key>/acknowledge")
@require()
def acknowledge_step(visit_id: int, key: str):
    data = json_body(required=False)
    run(procedure().acknowledge, current_identity(), visit_id, key,
        field(data, "counter", required=False, max_length=32))
    return jsonify(summary(visit_id))


@blueprint.post("/visits/<int:visit_id>/steps/<key>/skip")
@require()
def skip_step(visit_id: int, key: str):
    data = json_body()
    run(procedure().skip, current_identity(), visit_id, key,
        field(data, "reason", max_length=500))
    return jsonify(summary(visit_id))


@blueprint.post("/visits/<int:visit_id>/steps/<key>/equipment")
@require()
def tick_equipment(visit_id: int, key: str):
    data = json_body()
    provided = data.get("provided")
    if not isinstance(provided, bool):
        raise invalid("Field 'provided' must be true or false")
    run(procedure().actions.tick_equipment, current_identity(), visit_id, key, field(data, "item"),
        provided)
    return jsonify(summary(visit_id))


@blueprint.post("/visits/<int:visit_id>/steps/<key>/reassign")
@require()
def reassign_step(visit_id: int, key: str):
    data = json_body()
    run(procedure().actions.reassign, current_identity(), visit_id, key, field(data, "to_user_id", int),
        field(data, "letter_reference"), field(data, "from_user_id", int, required=False),
        field(data, "reason", required=False, max_length=1000))
    return jsonify(summary(visit_id))


@blueprint.post("/visits/<int:visit_id>/leave")
@require()
def leave(visit_id: int):
    data = json_body(required=False)
    run(procedure().actions.leave, current_identity(), visit_id, data.get("escort") is True)
    return jsonify(summary(visit_id))


@blueprint.post("/visits/<int:visit_id>/cancel")
@require()
def cancel(visit_id: int):
    data = json_body()
    run(procedure().actions.cancel, current_identity(), visit_id, field(data, "reason", max_length=500))
    return jsonify(summary(visit_id))


@blueprint.get("/escorts")
@require(Role.SECURITY)
def list_escorts():
    app, identity = services(), current_identity()
    with app.work.read() as db:
        names = user_names(db)
        calls = []
        for call in escorts.open_calls(db):
            view = escort_view(call, names)
            visit = procedure().visit(db, call.visit_id)
            view["visit"] = visit_summary(db, procedure(), visit, identity.role, names,
                                          app.clock())
            calls.append(view)
    return jsonify({"now": app.clock().isoformat(), "escorts": calls})


def _escort_response(call_id: int):
    with services().work.read() as db:
        return jsonify(escort_view(db.get(EscortCall, call_id), user_names(db)))


@blueprint.post("/escorts/<int:call_id>/acknowledge")
@require()
def acknowledge_escort(call_id: int):
    run(escorts.acknowledge, procedure(), current_identity(), call_id)
    return _escort_response(call_id)


@blueprint.post("/escorts/<int:call_id>/done")
@require()
def finish_escort(call_id: int):
    data = json_body()
    equipment = data.get("equipment")
    run(escorts.finish, procedure(), current_identity(), call_id, field(data, "place"),
        equipment if isinstance(equipment, dict) else None)
    return _escort_response(call_id)
