"""Request helpers: who is asking, role checks, JSON input and errors."""
from __future__ import annotations

import functools
import hmac
import secrets
from typing import Any

from flask import current_app, g, request, session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.errors import DomainError, bad_request, invalid


def services() -> Any:
    """This app's services (queue_server.app.AppServices)."""
    return current_app.extensions["queue"]


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def current_identity() -> Identity | None:
    """The bearer token's user, or the logged-in session's user, or None."""
    if "identity" in g:
        return g.identity
    identity = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token, auth = header[7:].strip(), services().auth
        identity = auth.cached_identity(token)
        if identity is None:
            with services().work.read() as db:
                identity = auth.check_token(db, token)
        g.token_auth = True
    elif session.get("user_id"):
        identity = Identity(session["user_id"], session["username"], session["display_name"],
                            Role(session["role"]))
        g.token_auth = False
    g.identity = identity
    return identity


def require(*roles: Role):
    """Allow only logged-in users with one of these roles (admin always)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            identity = current_identity()
            if identity is None:
                raise DomainError(401, "unauthorized", "Log in or send a bearer token")
            if roles and identity.role not in roles and identity.role != Role.ADMIN:
                raise DomainError(403, "forbidden",
                                  f"Role {identity.role.value!r} may not do this")
            if request.method not in ("GET", "HEAD", "OPTIONS") and not g.token_auth:
                sent, expected = request.headers.get("X-CSRF-Token", ""), session.get("csrf")
                if not expected or not hmac.compare_digest(sent, expected):
                    raise DomainError(403, "csrf", "Missing or wrong X-CSRF-Token header")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object; 400 when malformed, not an object, or missing."""
    if not request.data:
        if required:
            raise bad_request("Send a JSON object as the request body")
        return {}
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise bad_request("The request body is not valid JSON")
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object")
    return data


def field(data: dict, name: str, kind=str, required: bool = True):
    """A typed field of a JSON object; 422 when missing or of the wrong type."""
    if name not in data or data[name] is None:
        if required:
            raise invalid(f"Field {name!r} is required")
        return None
    value = data[name]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise invalid(f"Field {name!r} must be a whole number")
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise invalid(f"Field {name!r} must be non-empty text")
    return value.strip() if kind is str else value
