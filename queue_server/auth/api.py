"""API v1 for machine clients and staff scripts: tokens, the CSRF token, who am I."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, g, jsonify, request, url_for

from queue_server.auth.models import Role
from queue_server.auth.pages import end_cookies_session, fresh_session
from queue_server.platform.errors import DomainError, bad_request
from queue_server.web.requests import (
    csrf_token,
    current_identity,
    field,
    json_body,
    require,
    services,
)

blueprint = Blueprint("auth_api", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)


def unlock_refused() -> DomainError:
    return DomainError(403, "unlock_refused", "Only an admin's username and password "
                                              "unlock this screen")


@blueprint.post("/auth/token")
def create_token():
    data = json_body()
    username, password = field(data, "username"), field(data, "password")
    app = services()
    token, row = app.auth.login_for_token(app.work, username, password,
                                          request.remote_addr or "?")
    return jsonify({"token": token, "expires_at": row.expires_at.isoformat(),
                    "role": row.user.role.value}), 201


@blueprint.delete("/auth/token")
@require(*Role)
def revoke_token():
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise bad_request("Send the token to revoke as a bearer token")
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
@require(*Role)
def me():
    identity = current_identity()
    return jsonify({"id": identity.user_id, "username": identity.username,
                    "display_name": identity.display_name, "role": identity.role.value})


@blueprint.post("/auth/unlock")
@require(Role.DISPLAY, Role.KIOSK)
def unlock_kiosk():
    """Leave a kiosk screen (the survey tablet, the visitors' kiosk): an admin's username
    and password, checked
    like a login (and counted against the login limit), end the screen's browser session.
    Anything else is refused and logged; the screen stays as it was."""
    data = json_body()
    username, password = field(data, "username"), field(data, "password")
    identity, address = current_identity(), request.remote_addr or "?"
    if g.token_auth:
        raise DomainError(403, "forbidden", "Only a screen's browser session can be unlocked")
    app = services()
    try:
        admin = app.auth.login(app.work, username, password, address)
    except DomainError as exc:
        if exc.code == "rate_limited":
            raise
        admin = None
    if admin is None or admin.role != Role.ADMIN:
        log.warning("kiosk unlock refused: screen of %s at %s", identity.username, address)
        raise unlock_refused()
    log.warning("kiosk unlocked by admin %s: screen of %s at %s", admin.username,
             identity.username, address)
    end_cookies_session()
    fresh_session(None)
    return jsonify({"next": url_for("auth_pages.login")})
