"""The one error type domain functions raise; the web layer renders it as JSON or a page."""
from __future__ import annotations


class DomainError(Exception):
    """A refused request: an HTTP status (4xx or 503), a stable code and a message."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def forbidden(message: str, code: str = "forbidden") -> DomainError:
    return DomainError(403, code, message)


def not_found(message: str, code: str = "not_found") -> DomainError:
    return DomainError(404, code, message)


def conflict(message: str, code: str = "conflict") -> DomainError:
    return DomainError(409, code, message)


def invalid(message: str, code: str = "invalid") -> DomainError:
    return DomainError(422, code, message)


def bad_request(message: str) -> DomainError:
    return DomainError(400, "bad_request", message)
