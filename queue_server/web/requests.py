"""Request helpers: who is asking, role checks, JSON input and errors."""
from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from typing import Any

from flask import current_app, g, request, session

from queue_server.auth.models import Role
from queue_server.auth.service import Identity
from queue_server.platform.errors import DomainError, bad_request, invalid
from queue_server.platform.validation import checked_text, whole_number


def services() -> Any:
    """This app's services (queue_server.app.AppServices)."""
    return current_app.extensions["queue"]


SESSION_ID = "sid"
"""The one key of the session cookie that says who: a random id of a staff_sessions row
(the cookie also keeps the chosen language and, before login, the login form's token)."""
STAFF_ROLES = frozenset(Role) - {Role.AGENT, Role.SUPERVISOR, Role.KIOSK}
"""Who `require()` without roles lets in: the desk roles, not the print agent (it only
polls and acks) nor the supervisor (read-only: only the routes that name it let it in)
nor a visitors' kiosk (only the kiosk's own routes and issuing)."""
SOCKET_ROLES = STAFF_ROLES | {Role.SUPERVISOR}
"""Who may open the staff socket: the desk roles and the supervisor's live board."""


def csrf_token() -> str:
    """The session's CSRF token: derived from the session id once logged in, else a random
    one kept in the cookie for the login form."""
    sid = session.get(SESSION_ID)
    if sid:
        key = current_app.secret_key
        key = key.encode() if isinstance(key, str) else key
        return hmac.new(key, b"csrf " + sid.encode(), hashlib.sha256).hexdigest()
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_matches(sent: str | None) -> bool:
    """Whether a sent CSRF token is the session's (compared in constant time)."""
    if not sent or not (session.get(SESSION_ID) or session.get("csrf")):
        return False
    return hmac.compare_digest(sent.encode(), csrf_token().encode())


def current_identity() -> Identity | None:
    """The bearer token's user, or the logged-in session's user, or None.

    A session is looked up by its id on every request (cached for at most two seconds):
    a logout, an idle timeout, a changed role or a deactivated user counts at once.
    """
    if "identity" in g:
        return g.identity
    identity = None
    header = request.headers.get("Authorization", "")
    auth = services().auth
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        identity = auth.cached_identity(token)
        if identity is None:
            with services().work.read() as db:
                identity = auth.check_token(db, token)
        g.token_auth = True
    elif session.get(SESSION_ID):
        identity = auth.session_identity(services().work, session[SESSION_ID])
        g.token_auth = False
    g.identity = identity
    return identity


def require(*roles: Role, admin: bool = True):
    """Allow only logged-in users with one of these roles, and admin unless admin=False.

    Without roles: any staff role except the print agent, which only polls and acks.
    Session writes must send the X-CSRF-Token header.
    """
    allowed = set(roles or STAFF_ROLES) | ({Role.ADMIN} if admin else set())

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            identity = current_identity()
            if identity is None:
                raise DomainError(401, "unauthorized", "Log in or send a bearer token")
            if identity.role not in allowed:
                raise DomainError(403, "forbidden",
                                  f"Role {identity.role.value!r} may not do this")
            if request.method not in ("GET", "HEAD", "OPTIONS") and not g.token_auth \
                    and not csrf_matches(request.headers.get("X-CSRF-Token")):
                raise DomainError(403, "csrf", "Missing or wrong X-CSRF-Token header")
            return view(*args, **kwargs)

        return wrapper

    return decorator


MAX_ID = 2**31 - 1
"""The largest id or whole number the API takes: PostgreSQL's integer."""
MAX_JSON_DEPTH = 20
"""Deeper JSON than any request needs is refused before it can exhaust the stack."""


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object; 400 when malformed, too deep, not an object, or missing."""
    raw = request.get_data()  # not request.data: that parses a form body first
    if not raw:
        if required:
            raise bad_request("Send a JSON object as the request body")
        return {}
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise bad_request(f"The request body nests deeper than {MAX_JSON_DEPTH} levels")
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise bad_request("The request body is not valid JSON")
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object")
    return data


def json_depth(raw: bytes) -> int:
    """How deep brackets nest in a JSON text, counted without parsing it (strings skipped)."""
    opened = raw.count(b"[") + raw.count(b"{")
    if opened <= MAX_JSON_DEPTH:
        return opened  # it cannot nest deeper than it opens: no need to walk every byte
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def field(data: dict, name: str, kind=str, required: bool = True, max_length: int = 200):
    """A typed field of a JSON object; 422 when missing, of the wrong type or too long."""
    if name not in data or data[name] is None:
        if required:
            raise invalid(f"Field {name!r} is required")
        return None
    value = data[name]
    if kind is int:
        value = whole_number(value)
        if value is None:
            raise invalid(f"Field {name!r} must be a whole number")
    if kind is int and not -MAX_ID <= value <= MAX_ID:
        raise invalid(f"Field {name!r} is out of range")
    if kind is str:
        if not required and isinstance(value, str) and not value.strip():
            return None  # blank optional text is the same as leaving it out
        return checked_text(value, name, max_length, required=True)
    return value


def refuse_nul_in_query_and_form() -> None:
    """A NUL in a query or form value is refused (400) before any route sees it."""
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for values in sources:
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise bad_request(f"Parameter {key!r} contains a NUL character")


def query_choice(name: str, choices, default: str | None = None) -> str | None:
    """A query parameter that must be one of `choices` when given; 422 naming it otherwise."""
    if name not in request.args:
        return default
    value = request.args.get(name)
    allowed = sorted(choices)
    if value not in allowed:
        raise invalid(f"Query parameter {name!r} must be one of {allowed}")
    return value


def query_int(name: str, low: int, high: int, default: int) -> int:
    """A whole-number query parameter from low to high; 422 naming it otherwise."""
    if name not in request.args:
        return default
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise invalid(f"Query parameter {name!r} must be a whole number from {low} to {high}")
    return int(value)
