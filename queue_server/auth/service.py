"""Users, passwords, bearer tokens, browser sessions and the login rate limit."""
from __future__ import annotations

import functools
import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from queue_server.auth.models import ApiToken, LoginLimit, Role, StaffSession, User
from queue_server.platform.database import UTCDateTime
from queue_server.platform.errors import DomainError
from queue_server.platform.sequences import dialect_insert
from queue_server.platform.transactions import run_retrying

MAX_USERNAME = 64
MIN_PASSWORD = 8
CACHE_SECONDS = 2.0
"""How long a checked token or session is trusted without reading the database again:
a revocation, a deactivation or a changed role counts everywhere within this time."""
LOGIN_WINDOW = timedelta(minutes=1)
SESSION_TOUCH = timedelta(minutes=1)
"""A session's last use is written at most once a minute (the idle limit is 6 minutes or
more)."""
STALE_LIMITS = timedelta(hours=1)


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
    """Tokens and session ids are long and random: a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def limit_key(username: str, address: str) -> str:
    """The login limit counts per username and client address (bounded like the column:
    a 200-character "username" is just a wrong one)."""
    return f"{username.strip().lower()[:MAX_USERNAME]}|{address[:64]}"


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")


def add_user(session: Session, username: str, password: str, role: Role, now: datetime,
             display_name: str | None = None) -> User:
    """Create a user with a hashed password."""
    username = username.strip()
    if not username or len(username) > MAX_USERNAME:
        raise ValueError(f"username must be 1-{MAX_USERNAME} characters")
    check_new_password(password)
    if session.scalar(select(User).where(User.username == username)):
        raise ValueError(f"user {username!r} exists already")
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), role=role, active=True,
                created_at=now)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise ValueError(f"no user named {username.strip()!r}")
    return user


def end_access(session: Session, user: User, now: datetime) -> None:
    """End the user's browser sessions and revoke their tokens (other processes stop
    trusting them within CACHE_SECONDS)."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                           ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))


def set_active(session: Session, username: str, active: bool, now: datetime) -> User:
    """Deactivate (ending every session and token) or reactivate a user."""
    user = find_user(session, username)
    user.active = active
    if not active:
        end_access(session, user, now)
    return user


def set_password(session: Session, username: str, password: str, now: datetime) -> User:
    """A new password ends the user's sessions and tokens: log in again with it."""
    check_new_password(password)
    user = find_user(session, username)
    user.password_hash = generate_password_hash(password)
    end_access(session, user, now)
    return user


def delete_user(session: Session, username: str) -> None:
    """Delete a user with their sessions and tokens (the database cascades). A user whose
    name is on records (tickets, visits, requests) stays: deactivate them instead."""
    user = find_user(session, username)
    session.delete(user)
    session.flush()


def count_attempt(session: Session, key: str, now: datetime) -> tuple[int, datetime]:
    """Count one login attempt for key; return the attempts in this window and its start.

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING: the row lock it takes makes
    concurrent attempts count one after another on PostgreSQL and SQLite alike, so no
    more than the limit ever reach the password check.
    """
    expired = LoginLimit.window_start <= now - LOGIN_WINDOW
    statement = dialect_insert(session, LoginLimit).values(key=key, window_start=now,
                                                           attempts=1)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginLimit.key],
        set_={"attempts": case((expired, 1), else_=LoginLimit.attempts + 1),
              "window_start": case((expired, literal(now, UTCDateTime())),
                                   else_=LoginLimit.window_start)},
    ).returning(LoginLimit.attempts, LoginLimit.window_start)
    attempts, window_start = session.execute(statement).one()
    return attempts, window_start


class Authenticator:
    """Check passwords under a limit per user and address; issue and check tokens and
    browser sessions."""

    def __init__(self, clock: Callable[[], datetime], attempts_per_minute: int,
                 token_lifetime: timedelta, session_idle: timedelta = timedelta(hours=12)):
        # hash -> (checked at, identity, expires or last used at): a burst of requests
        # costs one database read; a revocation elsewhere counts within CACHE_SECONDS.
        self._token_cache: dict[str, tuple[float, Identity, datetime]] = {}
        self._session_cache: dict[str, tuple[float, Identity, datetime]] = {}
        self.clock = clock
        self.attempts_per_minute = attempts_per_minute
        self.token_lifetime = token_lifetime
        self.session_idle = session_idle

    # Passwords and the login limit

    def login(self, work, username: str, password: str, address: str) -> User:
        """Return the user, or raise 401 or 429.

        The attempt is counted and committed before the password is checked, so of many
        concurrent guesses only attempts_per_minute reach the check.
        """
        now = self.clock()

        def count() -> tuple[int, datetime]:
            with work.session_factory() as db, db.begin():
                return count_attempt(db, limit_key(username, address), now)

        attempts, window_start = run_retrying(count)
        if attempts > self.attempts_per_minute:
            wait = (window_start + LOGIN_WINDOW - now).total_seconds()
            raise rate_limited(max(1, int(wait) + 1))
        with work.read() as db:
            user = db.scalar(select(User).where(User.username == username.strip()))
        valid = check_password_hash(user.password_hash if user else dummy_hash(), password)
        if not (user and valid and user.active):
            raise login_refused()
        return user

    def _succeeded(self, session: Session, username: str, address: str) -> None:
        """A good login clears its key's count, and drops counts nobody used for an hour."""
        session.execute(delete(LoginLimit).where(LoginLimit.key == limit_key(username,
                                                                                address)))
        session.execute(delete(LoginLimit).where(
            LoginLimit.window_start < self.clock() - STALE_LIMITS))

    def login_for_token(self, work, username: str, password: str,
                        address: str) -> tuple[str, ApiToken]:
        """Log in and issue a bearer token (`work`: the app's UnitOfWork)."""
        user = self.login(work, username, password, address)
        with work.session_factory() as db, db.begin():
            self._succeeded(db, username, address)
            return self.issue_token(db, db.merge(user, load=False))

    def login_session(self, work, username: str, password: str,
                      address: str) -> tuple[str, User]:
        """Log in and start a browser session: (the id for the cookie, the user)."""
        user = self.login(work, username, password, address)
        with work.session_factory() as db, db.begin():
            self._succeeded(db, username, address)
            sid = self.start_session(db, user)
        return sid, user

    # Bearer tokens

    def issue_token(self, session: Session, user: User) -> tuple[str, ApiToken]:
        now = self.clock()
        token = secrets.token_urlsafe(32)
        row = ApiToken(user_id=user.id, token_hash=hash_token(token), created_at=now,
                       expires_at=now + self.token_lifetime, user=user)
        session.add(row)
        session.flush()
        return token, row

    def cached_identity(self, token: str) -> Identity | None:
        """A token checked in the last CACHE_SECONDS, still unexpired, or None."""
        entry = self._token_cache.get(hash_token(token))
        if entry is None or time.monotonic() - entry[0] > CACHE_SECONDS \
                or entry[2] <= self.clock():
            return None
        return entry[1]

    def check_token(self, session: Session, token: str) -> Identity | None:
        digest = hash_token(token)
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        if row is None or row.revoked_at is not None or row.expires_at <= self.clock():
            self._token_cache.pop(digest, None)
            return None
        if not row.user.active:
            self._token_cache.pop(digest, None)
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

    # Browser sessions

    def start_session(self, session: Session, user: User) -> str:
        """A new session for user: the random id goes into the cookie, its hash here.
        Sessions idle past the limit are dropped on the way."""
        now = self.clock()
        session.execute(delete(StaffSession).where(
            StaffSession.last_seen_at <= now - self.session_idle))
        sid = secrets.token_urlsafe(32)
        session.add(StaffSession(id=hash_token(sid), user_id=user.id, created_at=now,
                                 last_seen_at=now))
        session.flush()
        return sid

    def session_identity(self, work, sid: str) -> Identity | None:
        """The user of a live session (its role and active flag as the database has them
        now, or at most CACHE_SECONDS ago), or None when it ended, idled out or the user
        is inactive. `work` is the UnitOfWork: one primary-key read, and a write of the
        last use at most once a minute."""
        digest, now = hash_token(sid), self.clock()
        entry = self._session_cache.get(digest)
        if entry is not None and time.monotonic() - entry[0] <= CACHE_SECONDS \
                and now - entry[2] < SESSION_TOUCH:
            return entry[1]
        self._session_cache.pop(digest, None)
        with work.read() as db:
            row = db.get(StaffSession, digest)
            if row is None or not row.user.active or now - row.last_seen_at >= self.session_idle:
                return None
            identity, last_seen = identity_of(row.user), row.last_seen_at
        if now - last_seen >= SESSION_TOUCH:
            with work.session_factory() as db, db.begin():
                db.execute(update(StaffSession).where(StaffSession.id == digest)
                           .values(last_seen_at=now))
            last_seen = now
        if len(self._session_cache) > 10_000:
            self._session_cache.clear()
        self._session_cache[digest] = (time.monotonic(), identity, last_seen)
        return identity

    def end_session(self, session: Session, sid: str) -> None:
        """Logout: the session's row goes, so its cookie is worth nothing from now on."""
        digest = hash_token(sid)
        self._session_cache.pop(digest, None)
        session.execute(delete(StaffSession).where(StaffSession.id == digest))

    # For the open staff sockets

    def still_valid(self, session: Session, tokens: Iterable[str],
                    sessions: Iterable[str]) -> dict[tuple[str, str], Identity]:
        """Which of these token and session hashes are still good, read fresh from the
        database (no cache): {("token" or "session", hash): identity}. Two queries."""
        now, valid = self.clock(), {}
        tokens, sessions = list(set(tokens)), list(set(sessions))
        if tokens:
            for row in session.scalars(select(ApiToken).where(
                    ApiToken.token_hash.in_(tokens), ApiToken.revoked_at.is_(None),
                    ApiToken.expires_at > now)):
                if row.user.active:
                    valid["token", row.token_hash] = identity_of(row.user)
        if sessions:
            for row in session.scalars(select(StaffSession).where(
                    StaffSession.id.in_(sessions),
                    StaffSession.last_seen_at > now - self.session_idle)):
                if row.user.active:
                    valid["session", row.id] = identity_of(row.user)
        return valid
