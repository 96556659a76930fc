"""The `notify:` section of config.yaml: the HTTP gateway, the messages, the retry rules."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from queue_server.platform.config_values import ConfigError, get_value

PLACEHOLDERS = ("{phone}", "{message}")
"""What the body template must hold; {key} (the message's idempotency key) is optional."""
CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/plain")
DEFAULT_MESSAGES = {
    "called": {"id": "Nomor antrean {number}: silakan menuju {counter}.",
               "en": "Queue number {number}: please go to {counter}."},
    "ahead": {"id": "Nomor antrean {number}: {ahead} orang lagi di depan Anda.",
              "en": "Queue number {number}: {ahead} more people ahead of you."},
}
"""Each message per language; {number}, {counter} (its name) and {ahead} are filled in."""
MESSAGE_FIELDS = {"called": ("number", "counter"), "ahead": ("number", "ahead")}


@dataclass(frozen=True)
class GatewaySettings:
    """Where and how a message is posted."""

    url: str = ""
    method: str = "POST"
    content_type: str = "application/json"
    body: str = '{"to": "{phone}", "message": "{message}"}'
    """The request body with {phone}, {message} and optionally {key}, escaped for the
    content type (JSON string, form value) when filled in."""
    timeout_seconds: float = 5.0
    auth_header: str | None = None
    auth_value: str | None = field(default=None, repr=False)
    """Read at start-up from the environment variable named by `auth_env`; never logged."""
    idempotency_header: str | None = "Idempotency-Key"
    """A header carrying the message's own key, the same on every try: a gateway that
    honours it delivers a message retried after a timeout or a crash only once."""


@dataclass(frozen=True)
class NotifySettings:
    """Whether and how visitors who consent get a message."""

    enabled: bool = False
    gateway: GatewaySettings = GatewaySettings()
    ahead_threshold: int = 3
    """A waiting ticket gets one message when this many people are ahead of it."""
    max_attempts: int = 8
    """A message not taken after this many tries is given up (recorded as failed)."""
    expiry_minutes: int = 30
    """A message not sent this long after it was queued is given up: it is stale."""
    retry_first_seconds: float = 2.0
    retry_max_seconds: float = 60.0
    messages: dict[str, dict[str, str]] = field(default_factory=lambda: DEFAULT_MESSAGES)

    @property
    def lease_seconds(self) -> float:
        """How long a claim protects a message: longer than any send can take."""
        return 2 * self.gateway.timeout_seconds + 5


def _number(section: dict, key: str, default: float, low: float, high: float, kind=float):
    value = get_value(section, key, "notify", kind, default)
    if not low <= value <= high:
        raise ConfigError(f"notify.{key}", f"must be from {low:g} to {high:g}, got {value!r}")
    return value


def escaped(value: str, content_type: str) -> str:
    """A value as it goes into the body: inside a JSON string, a form value, or as is."""
    if content_type == "application/json":
        return json.dumps(value, ensure_ascii=False)[1:-1]
    if content_type == "application/x-www-form-urlencoded":
        return quote_plus(value)
    return value


def fill(body: str, content_type: str, **values: str) -> str:
    """The body template with its placeholders filled in, each escaped for the type."""
    for name, value in values.items():
        body = body.replace("{" + name + "}", escaped(value, content_type))
    return body


def _body(section: dict, content_type: str) -> str:
    body = get_value(section, "body", "notify.gateway", str, GatewaySettings.body)
    for placeholder in PLACEHOLDERS:
        if placeholder not in body:
            raise ConfigError("notify.gateway.body", f"must contain {placeholder}")
    if content_type == "application/json":
        sample = fill(body, content_type, phone="+628", message='a "b"\n', key="k")
        try:
            json.loads(sample)
        except ValueError:
            raise ConfigError("notify.gateway.body", "must be JSON once {phone} and {message} "
                              "are filled in (put them inside quotes)") from None
    return body


def _gateway(section: dict, enabled: bool, environ: dict) -> GatewaySettings:
    url = get_value(section, "url", "notify.gateway", str, "", required=enabled)
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or "{" in url):
        raise ConfigError("notify.gateway.url", "must be an http:// or https:// address "
                          "(no placeholders: the phone number never goes in a URL)")
    method = get_value(section, "method", "notify.gateway", str, "POST").upper()
    if method not in ("POST", "PUT"):
        raise ConfigError("notify.gateway.method", "must be POST or PUT")
    content_type = get_value(section, "content_type", "notify.gateway", str,
                             "application/json")
    if content_type not in CONTENT_TYPES:
        raise ConfigError("notify.gateway.content_type", f"must be one of {list(CONTENT_TYPES)}")
    timeout = get_value(section, "timeout_seconds", "notify.gateway", float, 5.0)
    if not 0.2 <= timeout <= 60:
        raise ConfigError("notify.gateway.timeout_seconds", "must be from 0.2 to 60 seconds")
    header = get_value(section, "auth_header", "notify.gateway", str, None)
    variable = get_value(section, "auth_env", "notify.gateway", str, None)
    if (header is None) != (variable is None):
        raise ConfigError("notify.gateway.auth_env" if header else "notify.gateway.auth_header",
                          "auth_header and auth_env go together (the header's name and the "
                          "environment variable that holds its value)")
    value = None
    if variable is not None:
        value = environ.get(variable)
        if enabled and not value:
            raise ConfigError("notify.gateway.auth_env",
                              f"the environment variable {variable} is not set")
    return GatewaySettings(
        url=url, method=method, content_type=content_type,
        body=_body(section, content_type), timeout_seconds=float(timeout),
        auth_header=header, auth_value=value,
        idempotency_header=get_value(section, "idempotency_header", "notify.gateway", str,
                                     "Idempotency-Key") or None)


def _messages(section: dict) -> dict[str, dict[str, str]]:
    messages = {}
    for kind, defaults in DEFAULT_MESSAGES.items():
        given = get_value(section, kind, "notify.messages", dict, {})
        texts = {}
        for language, default in defaults.items():
            text = get_value(given, language, f"notify.messages.{kind}", str, default)
            try:
                text.format(**{name: "x" for name in MESSAGE_FIELDS[kind]})
            except (KeyError, IndexError, ValueError):
                raise ConfigError(f"notify.messages.{kind}.{language}",
                                  "may use only " + ", ".join(
                                      "{" + name + "}" for name in MESSAGE_FIELDS[kind])) from None
            texts[language] = text
        messages[kind] = texts
    return messages


def parse_notify(data: dict, environ: dict) -> NotifySettings:
    section = get_value(data, "notify", "", dict, {})
    enabled = get_value(section, "enabled", "notify", bool, False)
    return NotifySettings(
        enabled=enabled,
        gateway=_gateway(get_value(section, "gateway", "notify", dict, {}), enabled, environ),
        ahead_threshold=_number(section, "ahead_threshold", 3, 1, 50, int),
        max_attempts=_number(section, "max_attempts", 8, 1, 100, int),
        expiry_minutes=_number(section, "expiry_minutes", 30, 1, 24 * 60, int),
        retry_first_seconds=float(_number(section, "retry_first_seconds", 2.0, 0.1, 600)),
        retry_max_seconds=float(_number(section, "retry_max_seconds", 60.0, 0.1, 3600)),
        messages=_messages(get_value(section, "messages", "notify", dict, {})))


def config_section(data: dict, core: dict) -> dict:
    """The notify field of Config (a ConfigSection for app.py)."""
    return {"notify": parse_notify(data, core["environ"])}
