"""Every error as JSON for the API: 4xx for bad input, never a traceback."""
from __future__ import annotations

import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from queue_server.auth.service import AuthError
from queue_server.web.requests import ApiError
from queue_server.tickets.issuing import QueueError

log = logging.getLogger(__name__)

QUEUE_STATUS = {"unknown_service": 422, "unknown_category": 422, "invalid": 422,
                "unknown_counter": 404, "unknown_ticket": 404, "no_current_ticket": 409,
                "conflict": 409}


def error_response(status: int, code: str, message: str, headers=None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.errorhandler(QueueError)
    def queue_error(exc: QueueError):
        return error_response(QUEUE_STATUS.get(exc.code, 409), exc.code, exc.message)

    @app.errorhandler(AuthError)
    def auth_error(exc: AuthError):
        if exc.code == "rate_limited":
            return error_response(429, exc.code, exc.message,
                                  {"Retry-After": str(exc.retry_after)})
        return error_response(401, exc.code, exc.message)

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
