"""Notify tests: the tests' office with messages on, posting to a local fake gateway."""
from __future__ import annotations

import pytest

from .gateway import FakeGateway

PHONE = "0812-3456-7890"
E164 = "+6281234567890"


def notify_section(url: str = "http://127.0.0.1:9/send", **changes) -> dict:
    section = {"enabled": True, "ahead_threshold": 2,
               "gateway": {"url": url, "timeout_seconds": 0.5},
               "retry_first_seconds": 0.1, "retry_max_seconds": 0.4}
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(section.get(key), dict):
            section[key] = {**section[key], **value}
        else:
            section[key] = value
    return section


@pytest.fixture
def config_overrides(request) -> dict:
    """Messages on; a test parametrizes indirectly to change them."""
    return getattr(request, "param", None) or {"notify": notify_section()}


@pytest.fixture
def issue(client, auth):
    """Issue a ticket at reception, with a phone and consent unless told otherwise."""

    def issue_ticket(service="INFO", category="umum", **fields):
        response = client.post("/api/v1/tickets", json={"service": service,
                                                        "category": category, **fields},
                               headers=auth("receptionist"))
        assert response.status_code == 201, response.json
        return response.json

    return issue_ticket


@pytest.fixture
def gateway():
    server = FakeGateway().start()
    yield server
    server.stop()
