"""API v1 for machine clients and staff scripts: tokens, the CSRF token, who am I."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from queue_server.auth.models import Role
from queue_server.platform.errors import bad_request
from queue_server.web.requests import (
    csrf_token,
    current_identity,
    field,
    json_body,
    require,
    services,
)

blueprint = Blueprint("auth_api", __name__, url_prefix="/api/v1")


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
