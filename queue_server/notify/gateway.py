"""The notifier's one interface and its adapter: a message POSTed to an HTTP gateway.

Indonesian offices reach visitors through SMS and WhatsApp gateways that take an HTTP
request with the number and the text; the URL, body template and auth header come from
config.yaml, so another gateway needs no code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import requests

from queue_server.notify.settings import GatewaySettings, fill


class DeliveryError(Exception):
    """The gateway did not take the message: it is tried again later."""


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of a message, read out of the outbox before sending."""

    id: int
    key: str
    phone: str
    text: str


class Notifier(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver the message or raise DeliveryError; never log the phone."""


def render_body(settings: GatewaySettings, message: Outgoing) -> str:
    """The body template with the phone, text and key filled in, escaped for its type."""
    return fill(settings.body, settings.content_type, key=message.key, message=message.text,
                phone=message.phone)


class HttpGateway:
    """Send a message as one HTTP request; a timeout or a non-2xx answer is a failure."""

    def __init__(self, settings: GatewaySettings, session: requests.Session | None = None):
        self.settings = settings
        self.session = session or requests.Session()

    def headers(self, message: Outgoing) -> dict[str, str]:
        headers = {"Content-Type": f"{self.settings.content_type}; charset=utf-8"}
        if self.settings.auth_header and self.settings.auth_value:
            headers[self.settings.auth_header] = self.settings.auth_value
        if self.settings.idempotency_header:
            headers[self.settings.idempotency_header] = message.key
        return headers

    def send(self, message: Outgoing) -> None:
        settings = self.settings
        try:
            response = self.session.request(
                settings.method, settings.url, data=render_body(settings, message).encode(),
                headers=self.headers(message), allow_redirects=False,
                timeout=(settings.timeout_seconds, settings.timeout_seconds))
        except requests.Timeout:
            raise DeliveryError(f"gateway did not answer within "
                                f"{settings.timeout_seconds:g} s") from None
        except requests.RequestException as exc:
            # The exception's text names the gateway's address, never the body.
            raise DeliveryError(f"gateway unreachable: {type(exc).__name__}") from None
        # The answer's body is not kept: a gateway may echo the number back.
        response.close()
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"gateway answered HTTP {response.status_code}")
