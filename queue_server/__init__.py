"""Priority queue ticketing for public-service front desks."""
from __future__ import annotations

from typing import Any

__all__ = ["create_app", "load_config"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import queue_server.platform...` does not build the whole app.
    if name in __all__:
        from queue_server import app
        return getattr(app, name)
    raise AttributeError(name)
