"""The one error renderer: JSON {"error": {code, message}} for the API, a page for people."""
from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from sqlalchemy import exc as sql
from werkzeug.exceptions import HTTPException

from queue_server.platform.errors import DomainError
from queue_server.platform.logs import RateLimitedLog, describe_database_error, traceback_text

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


def register(app) -> None:
    app.extensions["outage_log"] = RateLimitedLog(log)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if request.path.startswith("/api/"):
            return error_response(exc.status, exc.code, exc.message, exc.headers)
        return render_template("error.html", error=exc), exc.status, exc.headers

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not request.path.startswith("/api/"):
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        # Keep the exception's own headers: a 405 must say which methods it allows.
        headers = {key: value for key, value in exc.get_headers()
                   if key.lower() != "content-type"}
        return error_response(exc.code or 400, code, exc.description or exc.name, headers)

    @app.errorhandler(sql.SQLAlchemyError)
    def database_error(exc: sql.SQLAlchemyError):
        if not database_unavailable(exc):
            return unexpected(exc)
        kind = type(getattr(exc, "orig", None) or exc).__name__
        current_app.extensions["outage_log"].exception(kind, "database unavailable", exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        message = "The database does not answer; try again in a few seconds"
        if request.path.startswith("/api/") or request.path == "/healthz":
            return error_response(503, "database_unavailable", message, headers)
        error = DomainError(503, "database_unavailable", message, headers)
        return render_template("error.html", error=error), 503, headers

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, sql.DBAPIError):  # its message may quote a visitor's data
            log.error("unexpected database error on %s %s: %s\n%s", request.method,
                      request.path, describe_database_error(exc), traceback_text(exc))
        else:
            log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal", "Something went wrong; it has been logged")
