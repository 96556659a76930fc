"""/healthz (the process answers) and /readyz (it can reach its database and Redis).

The load balancer sends traffic to a process whose /readyz answers 200; /healthz tells a
supervisor whether to restart it. A process that is stopping answers /readyz 503 at once.
"""
from __future__ import annotations

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from queue_server.web.metrics import REDIS_ERRORS
from queue_server.web.requests import services

blueprint = Blueprint("health", __name__)
REDIS_TIMEOUT_SECONDS = 1.0
STOPPING = "stopping"
"""app.extensions[STOPPING] is True once the process's shutdown began."""


@blueprint.get("/healthz")
def health():
    return jsonify({"status": "ok"})


def _database() -> str:
    try:
        with services().work.read() as db:
            db.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"unreachable: {type(getattr(exc, 'orig', None) or exc).__name__}"
    return "ok"


def _redis(url: str | None) -> str | None:
    if not url:
        return None
    client = current_app.extensions.get("readyz_redis")
    if client is None:
        client = current_app.extensions["readyz_redis"] = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS)
    try:
        client.ping()
    except redis.RedisError as exc:
        REDIS_ERRORS.labels("readyz").inc()
        return f"unreachable: {type(exc).__name__}"
    return "ok"


@blueprint.get("/readyz")
def ready():
    checks = {"database": _database()}
    redis_state = _redis(services().config.redis_url)
    if redis_state is not None:
        checks["redis"] = redis_state
    stopping = bool(current_app.extensions.get(STOPPING))
    ok = not stopping and all(state == "ok" for state in checks.values())
    body = {"status": "ok" if ok else ("stopping" if stopping else "unavailable"), **checks}
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    if not ok:
        response.headers["Retry-After"] = "5"
    return response
