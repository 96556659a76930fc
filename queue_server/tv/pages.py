"""Public pages: the TV page and its files, the call audio (a ticket's status page: ticket_status)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from queue_server.web.requests import services
from sounds import mp3


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
    if not name.endswith(mp3.SUFFIX) or "/" in name or name.startswith("."):
        abort(404)
    path = services().announcer.audio_path(name)
    if path is None:
        abort(404)
    return send_from_directory(path.parent, path.name, mimetype=mp3.MIME_TYPE, max_age=86400)

