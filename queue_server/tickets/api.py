"""API v1 of the queue: the office's setup, issuing, the queue, the counter desk."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from queue_server.auth.models import Role
from queue_server.platform.errors import invalid
from queue_server.tickets.contacts import Contact, mask_phone, normalise_phone
from queue_server.tickets.desk import CANCEL_REASON_LENGTH
from queue_server.tickets.reading import MAX_PAGE_SIZE, PAGE_SIZE
from queue_server.tickets.views import for_role
from queue_server.web.requests import (
    current_identity,
    field,
    json_body,
    query_choice,
    query_int,
    require,
    services,
)

blueprint = Blueprint("tickets_api", __name__, url_prefix="/api/v1")
STAFF = (Role.RECEPTIONIST, Role.OFFICER, Role.PPID, Role.SECURITY, Role.DISPLAY)


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
@require(Role.RECEPTIONIST, Role.KIOSK)
def issue_ticket():
    data = json_body()
    service, category = field(data, "service"), field(data, "category")
    station = field(data, "station", required=False, max_length=64)
    app, identity = services(), current_identity()
    contact = _contact(data, app.config)
    issuing = app.queue.issuing
    key = request.headers.get("Idempotency-Key")
    kiosk = identity.role is Role.KIOSK  # a visitor's own ticket: see TicketIssuing.issue
    if key is not None:
        outcome = app.work.run(issuing.issue_once, identity.user_id, key.strip(), service,
                               category, station, contact, self_service=kiosk)
    else:
        outcome = app.work.run(issuing.issue, identity.user_id, service, category, station,
                               contact=contact, self_service=kiosk)
    view = dict(outcome.view)
    if contact is not None:  # the receptionist reads back where messages go, masked
        view["notify_phone"] = mask_phone(contact.phone)
    response = jsonify(for_role(identity.role, view))
    response.status_code = 201
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _contact(data: dict, config) -> Contact | None:
    """The visitor's phone for messages: kept only with `notify_consent: true`."""
    consent = data.get("notify_consent")
    if consent is not None and not isinstance(consent, bool):
        raise invalid("Field 'notify_consent' must be true or false")
    language = field(data, "notify_language", required=False, max_length=2)
    if language is not None and language not in config.languages:
        raise invalid(f"Field 'notify_language' must be one of {list(config.languages)}")
    phone = normalise_phone(data.get("phone"))  # checked even without consent: a typo is told
    if not consent or phone is None or not getattr(config.notify, "enabled", False):
        return None  # without consent (or with messages off) the number is not stored
    return Contact(phone, language or config.default_language)


@blueprint.get("/tickets/<int:ticket_id>")
@require(*STAFF)
def get_ticket(ticket_id: int):
    app = services()
    with app.work.read() as db:
        detail = app.queue.reading.ticket_detail(db, ticket_id)
    return jsonify(for_role(current_identity().role, detail))


@blueprint.post("/tickets/<int:ticket_id>/cancel")
@require(Role.RECEPTIONIST, Role.OFFICER)
def cancel_ticket(ticket_id: int):
    """Cancel a ticket issued by mistake; the answer is the ticket with its history, whose
    last line records the reason and what became of its print job."""
    reason = field(json_body(), "reason", max_length=CANCEL_REASON_LENGTH)
    app = services()
    app.work.run(app.queue.cancel, current_identity().user_id, ticket_id, reason)
    with app.work.read() as db:
        detail = app.queue.reading.ticket_detail(db, ticket_id)
    return jsonify(for_role(current_identity().role, detail))


@blueprint.get("/queue")
@require(*STAFF)
def get_queue():
    app = services()
    limit = query_int("limit", 1, MAX_PAGE_SIZE, PAGE_SIZE)
    service = query_choice("service", app.config.services)
    kind = query_choice("class", ("priority", "regular"))
    cursor = request.args.get("cursor")  # present but empty is malformed too (422)
    with app.work.read() as db:
        listing = app.queue.reading.listing(db, limit, cursor, service, kind)
    return jsonify(for_role(current_identity().role, listing))


@blueprint.get("/counters/<code>")
@require(Role.OFFICER)
def get_counter(code: str):
    app = services()
    with app.work.read() as db:
        return jsonify(app.queue.reading.counter_status(db, code))


@blueprint.post("/counters/<code>/call-next")
@require(Role.OFFICER)
def call_next(code: str):
    app = services()
    outcome = app.work.run(app.queue.desk.call_next, current_identity().user_id, code)
    if outcome.ticket is None:
        return Response(status=204)
    return jsonify(outcome.view)


@blueprint.post("/counters/<code>/recall")
@require(Role.OFFICER)
def recall(code: str):
    app = services()
    return jsonify(app.work.run(app.queue.desk.recall, current_identity().user_id, code).view)


@blueprint.post("/counters/<code>/no-show")
@require(Role.OFFICER)
def no_show(code: str):
    app = services()
    return jsonify(app.work.run(app.queue.desk.no_show, current_identity().user_id, code).view)


@blueprint.post("/counters/<code>/done")
@require(Role.OFFICER)
def done(code: str):
    app = services()
    return jsonify(app.work.run(app.queue.desk.done, current_identity().user_id, code).view)


@blueprint.post("/counters/<code>/transfer")
@require(Role.OFFICER)
def transfer(code: str):
    data = json_body()
    service = field(data, "service", required=False)
    to_counter = field(data, "counter", required=False)
    app = services()
    outcome = app.work.run(app.queue.desk.transfer, current_identity().user_id, code, service,
                           to_counter)
    return jsonify(outcome.view)


@blueprint.post("/counters/<code>/call-back")
@require(Role.OFFICER)
def call_back(code: str):
    ticket_id = field(json_body(), "ticket_id", int)
    app = services()
    outcome = app.work.run(app.queue.desk.call_back, current_identity().user_id, code,
                           ticket_id)
    return jsonify(outcome.view)
