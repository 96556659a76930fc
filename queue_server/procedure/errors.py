"""The one error the procedure's domain functions raise; routes turn it into JSON."""
from __future__ import annotations


class ProcedureError(Exception):
    """A refused request: status 403 (wrong role), 404, 409 (out of order) or 422 (bad input)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def forbidden(message: str) -> ProcedureError:
    return ProcedureError(403, "forbidden", message)


def not_found(message: str) -> ProcedureError:
    return ProcedureError(404, "not_found", message)


def conflict(message: str) -> ProcedureError:
    return ProcedureError(409, "out_of_order", message)


def invalid(message: str) -> ProcedureError:
    return ProcedureError(422, "invalid", message)
