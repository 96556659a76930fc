"""The procedure's refusals, as the one domain error; "out of order" has its own code."""
from __future__ import annotations

from queue_server.platform.errors import DomainError, forbidden, invalid, not_found

__all__ = ["conflict", "forbidden", "invalid", "not_found"]


def conflict(message: str) -> DomainError:
    """A step that is not the visit's current one, or a state that does not allow it."""
    return DomainError(409, "out_of_order", message)
