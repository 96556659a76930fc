"""The `cluster:` keys of config.yaml: leases between server processes, the metrics token."""
from __future__ import annotations

import os
from dataclasses import dataclass

from queue_server.platform.config import ConfigError
from queue_server.platform.config_values import get_value
from queue_server.platform.leases import DEFAULT_SECONDS


@dataclass(frozen=True)
class ClusterSettings:
    """How the processes sharing one database divide the work, and who reads /metrics."""

    lease_seconds: float = DEFAULT_SECONDS
    """A printer's sender or a scheduled job's runner that dies is replaced this long after
    its last renewal at most (the holder renews every third of it)."""
    metrics_token: str | None = None
    """`Authorization: Bearer <token>` opens /metrics; without a token /metrics is off (404)."""


def parse_cluster(data: dict, environ: dict | None = None) -> ClusterSettings:
    environ = os.environ if environ is None else environ
    section = get_value(data, "cluster", "", dict, {})
    seconds = get_value(section, "lease_seconds", "cluster", float, DEFAULT_SECONDS)
    if not 2 <= seconds <= 600:
        raise ConfigError("cluster.lease_seconds", "must be a number of seconds from 2 to 600")
    # The file's value is read (and so known) even when the environment overrides it.
    token = get_value(section, "metrics_token", "cluster", str, None)
    token = environ.get("METRICS_TOKEN") or token
    if token is not None and len(token) < 16:
        raise ConfigError("cluster.metrics_token", "must be at least 16 characters")
    return ClusterSettings(lease_seconds=float(seconds), metrics_token=token or None)


def config_section(data: dict, core: dict) -> dict:
    """The cluster field of Config (a ConfigSection for app.py)."""
    return {"cluster": parse_cluster(data)}
