"""Prometheus metrics at /metrics: request latency per route, tickets, sockets, errors.

Counters and histograms live in this process (prometheus_client). With several processes
on one machine, set PROMETHEUS_MULTIPROC_DIR to one empty directory for all of them
(emptied when the machine starts, before the first process): every process then writes
its figures there and /metrics, asked of any process, reports the machine's sums. The
queue's figures (waiting tickets, print jobs) are read from the database at scrape time,
so they are the cluster's whatever process answers.

/metrics is off (404) until `cluster.metrics_token` (or METRICS_TOKEN) is set; then it
answers `Authorization: Bearer <token>` only (401 otherwise): the figures say how busy the
office is, which is nobody's business but its operators'.
"""
from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from queue_server.platform.events import Event
from queue_server.web.requests import services

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUEST_SECONDS = Histogram(
    "queue_http_request_duration_seconds", "HTTP request latency by route rule",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
TICKETS_ISSUED = Counter("queue_tickets_issued_total", "Tickets issued",
                         ["service", "class"])
TICKETS_CALLED = Counter("queue_tickets_called_total", "Tickets called (recalls included)",
                         ["service", "class"])
SOCKETS = Gauge("queue_socket_connections", "Open Socket.IO connections by namespace",
                ["namespace"], multiprocess_mode="livesum")
DATABASE_ERRORS = Counter("queue_database_errors_total",
                          "Requests failed because the database was unreachable", ["kind"])
REDIS_ERRORS = Counter("queue_redis_errors_total", "Failed Redis operations", ["where"])

blueprint = Blueprint("metrics", __name__)


@dataclass(frozen=True)
class ScrapeGauge:
    """A gauge read from the database when /metrics is asked: rows of (labels, value)."""

    name: str
    documentation: str
    labels: tuple[str, ...]
    read: Callable[[Any], Iterable[tuple[tuple[str, ...], float]]]


def ticket_class(priority: Any) -> str:
    return "priority" if priority and int(priority) > 0 else "regular"


def count_tickets(issued: str, called: str) -> Callable[[Event], None]:
    """A subscriber counting the events named `issued` and `called` by service and class."""

    def on_event(event: Event) -> None:
        counter = {issued: TICKETS_ISSUED, called: TICKETS_CALLED}.get(event.name)
        ticket = event.payload.get("ticket") if counter is not None else None
        if ticket:
            counter.labels(ticket.get("service") or "", ticket_class(ticket.get("priority"))).inc()

    return on_event


def count_sockets(socketio, namespaces: Iterable[str]) -> None:
    """Set the socket gauge from this process's Socket.IO manager (run every few seconds)."""
    rooms = getattr(socketio.server.manager, "rooms", {})
    for namespace in namespaces:
        SOCKETS.labels(namespace).set(len(rooms.get(namespace, {}).get(None, {})))


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        rule = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        REQUEST_SECONDS.labels(request.method, rule, str(response.status_code)).observe(
            time.perf_counter() - started)
    return response


def _process_figures() -> bytes:
    if not MULTIPROCESS:
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


class _DatabaseFigures:
    def __init__(self, gauges: list[ScrapeGauge], session) -> None:
        self.gauges = gauges
        self.session = session

    def collect(self):
        for gauge in self.gauges:
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
            for labels, value in gauge.read(self.session):
                family.add_metric(list(labels), value)
            yield family


def _refused(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


@blueprint.get("/metrics")
def metrics():
    token = current_app.extensions.get("metrics_token")
    if not token:
        return _refused(404, "not_found", "Metrics are off: set cluster.metrics_token")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _refused(401, "unauthorized", "Metrics need the metrics token")
    registry = CollectorRegistry(auto_describe=False)
    with services().work.read() as db:
        registry.register(_DatabaseFigures(current_app.extensions["metrics_gauges"], db))
        figures = generate_latest(registry)
    return Response(_process_figures() + figures, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask, token: str | None, gauges: list[ScrapeGauge]) -> None:
    """Time every request by its route rule and serve /metrics."""
    app.extensions["metrics_token"] = token
    app.extensions["metrics_gauges"] = gauges
    app.before_request(_started)
    app.after_request(_observe)
    app.register_blueprint(blueprint)


def mark_process_dead(pid: int) -> None:
    """Forget a stopped process's live gauges (gunicorn's child_exit, in multiprocess mode)."""
    if MULTIPROCESS:
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(pid)
