"""The queue's refusals as the one domain error, each code with its HTTP status."""
from __future__ import annotations

from queue_server.platform.errors import DomainError

STATUS = {"unknown_service": 422, "unknown_category": 422, "unknown_station": 422,
          "invalid": 422,
          "unknown_counter": 404, "unknown_ticket": 404, "no_current_ticket": 409,
          "conflict": 409}


def queue_error(code: str, message: str) -> DomainError:
    """A refusal of the queue rules; the same code answers the same status on every route."""
    return DomainError(STATUS.get(code, 409), code, message)
