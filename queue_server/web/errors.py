"""The one error renderer: JSON {"error": {code, message}} for the API, a page for people."""
from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from sqlalchemy import exc as sql
from werkzeug.exceptions import HTTPException

from queue_server.platform.errors import DomainError
from queue_server.platform.logs import RateLimitedLog, describe_database_error, traceback_text
from queue_server.web.i18n import DEFAULT_LANGUAGE, STRINGS
from queue_server.web.metrics import DATABASE_ERRORS
from queue_server.web.pages import page_language

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (sql.OperationalError, sql.InterfaceError, sql.TimeoutError)
"""The database is down, stalled (a statement or pool timeout) or locked: try again."""


def database_unavailable(exc: Exception) -> bool:
    return isinstance(exc, UNAVAILABLE) or getattr(exc, "connection_invalidated", False)


def error_response(status: int, code: str, message: str, headers=None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error_page(status: int, code: str, message: str = "", headers=None):
    """An error as a page in the page's language, in the staff pages' style.

    The title names the status; the text is the label of the error's code (error_<code>)
    or of the status; the message, when it is not already a label of the page's language,
    follows as a detail in English (the API's language, useful to whoever supports the office).
    """
    try:
        language = page_language()
        table = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
        text_key = next((key for key in (f"error_{code}", f"error_text_{status}")
                         if key in table), "error_unknown")
        if message in table.values():
            text, detail = message, ""
        else:
            text, detail = table[text_key], message
        title_key = f"error_title_{status}" if f"error_title_{status}" in table else "error_title"
        body = render_template("error.html", status=status, code=code, title=table[title_key],
                               text=text, detail=detail)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("could not render the error page for %s", status)
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return body, status, headers or {}


def wants_json() -> bool:
    """The API and the health check answer JSON; every other path is a page for people."""
    return request.path.startswith("/api/") or request.path in ("/healthz", "/readyz",
                                                                 "/metrics")


def answer(status: int, code: str, message: str, headers=None, page_message: str = "",
           page_code: str | None = None):
    """The error as JSON for the API, as a page in the page's language otherwise."""
    if wants_json():
        return error_response(status, code, message, headers)
    return error_page(status, page_code or code, page_message, headers)


def register(app) -> None:
    app.extensions["outage_log"] = RateLimitedLog(log)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        return answer(exc.status, exc.code, exc.message, exc.headers, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is not None and exc.code < 400:  # a routing redirect, not an error
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        # Keep the exception's own headers: a 405 must say which methods it allows.
        headers = {key: value for key, value in exc.get_headers()
                   if key.lower() != "content-type"}
        return answer(exc.code or 400, code, exc.description or exc.name, headers,
                      page_code="http")

    @app.errorhandler(sql.SQLAlchemyError)
    def database_error(exc: sql.SQLAlchemyError):
        if not database_unavailable(exc):
            return unexpected(exc)
        kind = type(getattr(exc, "orig", None) or exc).__name__
        DATABASE_ERRORS.labels(kind).inc()
        current_app.extensions["outage_log"].exception(kind, "database unavailable", exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        message = "The database does not answer; try again in a few seconds"
        return answer(503, "database_unavailable", message, headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, sql.DBAPIError):  # its message may quote a visitor's data
            log.error("unexpected database error on %s %s: %s\n%s", request.method,
                      request.path, describe_database_error(exc), traceback_text(exc))
        else:
            log.exception("unexpected error on %s %s", request.method, request.path)
        return answer(500, "internal", "Something went wrong; it has been logged",
                      page_code="http")
