"""The staff login cookie, signed as Flask signs it, with its signer built once."""
from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, but the signing serializer is built once per key.

    Flask builds it anew on every request, a bearer-token request included (about 4 % of
    issuing a ticket); the key does not change while the app runs, and a serializer holds
    no per-request state, so one is reused until the key or its fallbacks change.
    """

    def __init__(self) -> None:
        self._cached: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._cached
        if cached is not None and cached[0] == keys:
            return cached[1]
        serializer = super().get_signing_serializer(app)
        self._cached = (keys, serializer)
        return serializer
