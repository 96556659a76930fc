"""Public pages: the TV page and its files, the call audio, a ticket's status page."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, send_from_directory

from queue_server.tickets.models import Ticket
from queue_server.tickets.views import counter_names, ticket_view
from queue_server.web.i18n import local_name
from queue_server.web.pages import page_language
from queue_server.web.requests import services


def _display_dir() -> Path:
    """The TV page's folder: display/ beside the package in a checkout, packaged in a wheel."""
    packaged = Path(__file__).resolve().parent.parent / "display"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "display"


DISPLAY_DIR = _display_dir()
blueprint = Blueprint("tv_pages", __name__, template_folder="templates")


@blueprint.get("/display")
def display_page():
    return send_from_directory(DISPLAY_DIR, "index.html", max_age=0)


@blueprint.get("/display/static/<path:name>")
def display_file(name: str):
    return send_from_directory(DISPLAY_DIR, name, max_age=300)


@blueprint.get("/audio/<name>")
def audio(name: str):
    if not name.endswith(".wav") or "/" in name or name.startswith("."):
        abort(404)
    path = services().announcer.audio_path(name)
    if path is None:
        abort(404)
    return send_from_directory(path.parent, path.name, mimetype="audio/wav", max_age=86400)


@blueprint.get("/t/<public_id>")
def ticket_status(public_id: str):
    """What the ticket's QR code opens: its place in the queue, nothing personal."""
    app = services()
    with app.work.read() as db:
        ticket = db.query(Ticket).filter_by(public_id=public_id).one_or_none()
        if ticket is None:
            abort(404)
        view = ticket_view(ticket, app.queue.reading.position(db, ticket))
    counter = app.config.counters.get(view["counter"] or "")
    return render_template("ticket_status.html", ticket=view, office=app.config.office_name,
                           counter_name=local_name(counter, page_language()) if counter else None,
                           watch=_counters_to_watch(app.config, view))


def _counters_to_watch(config, view: dict) -> list[str]:
    """Where a waiting ticket will be called: its target counter, else every counter serving it."""
    language = page_language()
    target = config.counters.get(view["target_counter"] or "")
    if target is not None:
        return [local_name(target, language)]
    return counter_names(config, view["service"], view["priority"] > 0, language)
