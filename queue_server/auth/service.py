"""Users, passwords, bearer tokens and the login rate limit."""
from __future__ import annotations

import functools
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from queue_server.auth.models import ApiToken, LoginAttempt, Role, User
from queue_server.platform.errors import DomainError

MAX_USERNAME = 64
TOKEN_CACHE_SECONDS = 2.0
"""How long a checked token is trusted without reading the database again."""


@functools.cache
def dummy_hash() -> str:
    """Checked for unknown users too, so response time does not tell which usernames exist."""
    return generate_password_hash("not-a-password")


def login_refused() -> DomainError:
    return DomainError(401, "unauthorized", "Wrong username or password")


def rate_limited(retry_after: int) -> DomainError:
    return DomainError(429, "rate_limited", "Too many failed logins; try again later",
                       {"Retry-After": str(retry_after)})


@dataclass(frozen=True)
class Identity:
    """Who is making a request."""

    user_id: int
    username: str
    display_name: str
    role: Role


def identity_of(user: User) -> Identity:
    return Identity(user.id, user.username, user.display_name, user.role)


def hash_token(token: str) -> str:
    """Tokens are long and random: a fast hash is enough and keeps every request cheap."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, username: str, password: str, role: Role, now: datetime,
             display_name: str | None = None) -> User:
    """Create a user with a hashed password."""
    username = username.strip()
    if not username or len(username) > MAX_USERNAME:
        raise ValueError(f"username must be 1-{MAX_USERNAME} characters")
    if len(password) < 8:
        raise ValueError("password must be at least 8 characters")
    if session.scalar(select(User).where(User.username == username)):
        raise ValueError(f"user {username!r} exists already")
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), role=role, active=True,
                created_at=now)
    session.add(user)
    session.flush()
    return user


class Authenticator:
    """Check passwords with a rate limit per user and address; issue and check tokens."""

    def __init__(self, clock: Callable[[], datetime], attempts_per_minute: int,
                 token_lifetime: timedelta):
        # hash -> (checked at, identity, expires_at): a burst of requests with one
        # token costs one database read; a revocation elsewhere counts within seconds.
        self._token_cache: dict[str, tuple[float, Identity, datetime]] = {}
        self.clock = clock
        self.attempts_per_minute = attempts_per_minute
        self.token_lifetime = token_lifetime

    def login(self, session: Session, username: str, password: str, address: str) -> User:
        """Return the user, or raise 401 or 429; failures count toward the limit."""
        now = self.clock()
        # Bounded like the column: a 200-character "username" is just a wrong one.
        key = f"{username.strip().lower()[:MAX_USERNAME]}|{address[:64]}"
        since = now - timedelta(minutes=1)
        failures = session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.key == key, LoginAttempt.at > since))
        if failures >= self.attempts_per_minute:
            oldest = session.scalar(select(func.min(LoginAttempt.at)).where(
                LoginAttempt.key == key, LoginAttempt.at > since))
            wait = max(1, int((oldest + timedelta(minutes=1) - now).total_seconds()) + 1)
            raise rate_limited(wait)
        user = session.scalar(select(User).where(User.username == username.strip()))
        valid = check_password_hash(user.password_hash if user else dummy_hash(), password)
        if not (user and valid and user.active):
            session.add(LoginAttempt(key=key, at=now))
            session.execute(delete(LoginAttempt).where(
                LoginAttempt.at < now - timedelta(hours=1)))
            raise login_refused()
        return user

    def issue_token(self, session: Session, user: User) -> tuple[str, ApiToken]:
        now = self.clock()
        token = secrets.token_urlsafe(32)
        row = ApiToken(user_id=user.id, token_hash=hash_token(token), created_at=now,
                       expires_at=now + self.token_lifetime, user=user)
        session.add(row)
        session.flush()
        return token, row

    def cached_identity(self, token: str) -> Identity | None:
        """A token checked in the last TOKEN_CACHE_SECONDS, still unexpired, or None."""
        entry = self._token_cache.get(hash_token(token))
        if entry is None or time.monotonic() - entry[0] > TOKEN_CACHE_SECONDS \
                or entry[2] <= self.clock():
            return None
        return entry[1]

    def check_token(self, session: Session, token: str) -> Identity | None:
        digest = hash_token(token)
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        if row is None or row.revoked_at is not None or row.expires_at <= self.clock():
            return None
        if not row.user.active:
            return None
        identity = identity_of(row.user)
        if len(self._token_cache) > 10_000:
            self._token_cache.clear()
        self._token_cache[digest] = (time.monotonic(), identity, row.expires_at)
        return identity

    def revoke_token(self, session: Session, token: str) -> bool:
        digest = hash_token(token)
        self._token_cache.pop(digest, None)
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = self.clock()
        return True

    def login_for_token(self, session: Session, username: str, password: str,
                        address: str) -> tuple[str | None, ApiToken | None,
                                               DomainError | None]:
        """Log in and issue a token; a failure is returned so its record still commits."""
        try:
            user = self.login(session, username, password, address)
        except DomainError as exc:
            return None, None, exc
        token, row = self.issue_token(session, user)
        return token, row, None
