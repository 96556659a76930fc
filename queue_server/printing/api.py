"""API v1 printing routes: printer states, jobs and previews, reprint, receipts, the agent protocol."""
from __future__ import annotations

import base64
import html

from flask import Blueprint, Response, current_app, jsonify, request

from printer.layout import paper_columns
from printer.preview import PREVIEW_CSS, preview_html
from queue_server.auth.models import Role
from queue_server.platform.errors import DomainError, invalid
from queue_server.printing import outbox
from queue_server.printing import requests as print_requests
from queue_server.printing.models import PrintJob
from queue_server.printing.states import printer_views
from queue_server.web.requests import current_identity, field, json_body, require, services

blueprint = Blueprint("printing_api", __name__, url_prefix="/api/v1")
pages = Blueprint("printing_pages", __name__, static_folder="static",
                  static_url_path="/static/printing")
"""The receptionist's printer panel script (tickets' reception page loads it)."""
STAFF = (Role.RECEPTIONIST, Role.OFFICER, Role.PPID, Role.SECURITY)
"""Who reads printer states, print jobs and previews (admin too): the desks that print.
Not the display role (the TV and the survey tablet) and not a print agent."""
DEVICE_READERS = frozenset({Role.ADMIN, Role.AGENT})
"""Who reads a printer's device settings (an agent printer's host and port)."""
PREVIEW_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                  "frame-ancestors 'self'")
"""The preview is paper drawn with inline styles, shown in a frame of the reception page."""


def printing():
    return current_app.extensions["printing"]


def _printer(name: str):
    if name not in services().config.printers:
        raise DomainError(404, "unknown_printer", f"No printer named {name!r}")
    return services().config.printers[name]


def _agent_printer(name: str) -> None:
    _printer(name)
    if name not in services().config.printing.agent_printers:
        raise DomainError(409, "not_an_agent_printer",
                       f"Printer {name!r} is served by the server, not by a print agent")


def _job(db, job_id: int) -> PrintJob:
    job = db.get(PrintJob, job_id)
    if job is None:
        raise DomainError(404, "unknown_print_job", f"No print job {job_id}")
    return job


def _created(outcome) -> Response:
    response = jsonify(outcome.view)
    response.status_code = 201
    return response


@blueprint.get("/printers")
@require(*STAFF)
def list_printers():
    app = services()
    with app.work.read() as db:
        last = outbox.last_ticket_job(db)
        return jsonify({
            "printers": printer_views(db, app.config, app.clock()),
            "last_ticket_job": outbox.job_view(last) if last else None,
            "offline_alert_seconds": app.config.printing.offline_alert_seconds,
        })


@blueprint.get("/printers/<name>")
@require(*STAFF, Role.AGENT)
def get_printer(name: str):
    """A printer's state; for an agent printer, to the agent and admin, also the device
    settings the agent uses. A print agent reads agent printers only."""
    _printer(name)
    role = current_identity().role
    if role is Role.AGENT:
        _agent_printer(name)
    app = services()
    with app.work.read() as db:
        view = next(v for v in printer_views(db, app.config, app.clock()) if v["name"] == name)
    if role in DEVICE_READERS:
        view["device"] = app.config.printing.agent_entries.get(name)
    return jsonify(view)


@blueprint.get("/printers/<name>/jobs/next")
@require(Role.AGENT, admin=False)
def next_job(name: str):
    _agent_printer(name)
    try:
        wait = float(request.args.get("wait", "0"))
    except ValueError:
        raise invalid("wait must be a number of seconds") from None
    job = printing().next_for_agent(name, wait)
    if job is None:
        return Response(status=204)
    return jsonify({"id": job.id, "data": base64.b64encode(job.data).decode("ascii")})


@blueprint.post("/print-jobs/<int:job_id>/ack")
@require(Role.AGENT, admin=False)
def ack_job(job_id: int):
    data = json_body()
    status = field(data, "status")
    if status not in ("printed", "failed"):
        raise invalid("status must be 'printed' or 'failed'")
    error = None
    if status == "failed":
        error = str(data.get("error") or "The print agent reported a failure")
    with services().work.read() as db:
        _agent_printer(_job(db, job_id).printer)
    job = printing().ack(job_id, error)
    return jsonify(outbox.job_view(job))


@blueprint.get("/print-jobs/<int:job_id>")
@require(*STAFF)
def get_job(job_id: int):
    with services().work.read() as db:
        return jsonify(outbox.job_view(_job(db, job_id)))


@blueprint.get("/print-jobs/<int:job_id>/preview")
@require(*STAFF)
def preview_job(job_id: int):
    """The job as paper, decoded from the exact bytes kept (preview printer) or sent."""
    app = services()
    with app.work.read() as db:
        job = _job(db, job_id)
    settings = app.config.printers.get(job.printer)
    columns = paper_columns(settings.profile, settings.width_chars) if settings else 42
    data = outbox.job_bytes(app.config, job)
    page = (f'<!doctype html><html lang="id"><head><meta charset="utf-8">'
            f"<title>Pratinjau cetak #{job.id}</title><style>{PREVIEW_CSS}"
            "body{margin:0;padding:8px;background:#f4f4f4}</style></head><body>"
            f'<main aria-label="{html.escape(job.kind)} #{job.id}">'
            f"{preview_html(data, columns)}</main></body></html>")
    return Response(page, mimetype="text/html", headers={
        "Cache-Control": "no-store", "Content-Security-Policy": PREVIEW_POLICY,
        "X-Frame-Options": "SAMEORIGIN"})


@blueprint.post("/tickets/<int:ticket_id>/reprint")
@require(Role.RECEPTIONIST)
def reprint(ticket_id: int):
    data = json_body(required=False)
    station = field(data, "station", required=False)
    app = services()
    return _created(app.work.run(print_requests.reprint_ticket, app.queue, ticket_id, station))


@blueprint.post("/receipts")
@require(Role.OFFICER)
def create_receipt():
    data = json_body()
    items = data.get("items") or []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise invalid("Field 'items' must be a list of texts")
    app, identity = services(), current_identity()
    outcome = app.work.run(
        print_requests.receipt_for_ticket, app.queue, ticket_id=field(data, "ticket_id", int),
        request_number=field(data, "request_number"), officer_name=identity.display_name,
        counter=field(data, "counter", required=False),
        station=field(data, "station", required=False),
        service=field(data, "service", required=False), items=items)
    return _created(outcome)
