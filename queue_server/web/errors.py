"""The one error renderer: JSON {"error": {code, message}} for the API, a page for people."""
from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from queue_server.platform.errors import DomainError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, headers=None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register(app) -> None:
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
        return error_response(exc.code or 400, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal", "Something went wrong; it has been logged")
