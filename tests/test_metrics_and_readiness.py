"""/healthz, /readyz and /metrics: what a load balancer and Prometheus ask of a process."""
from __future__ import annotations

import re

import pytest

TOKEN = "metrik-rahasia-0123456789"


@pytest.fixture
def config_overrides() -> dict:
    return {"cluster": {"metrics_token": TOKEN, "lease_seconds": 5}}


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in the exposition text (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def scrape(client) -> str:
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    return answer.get_data(as_text=True)


def test_healthz_and_readyz_answer_when_the_database_does(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ok", "database": "ok"}


def test_readyz_says_503_when_redis_is_configured_but_down(tmp_path, sqlite_url):
    from queue_server.app import create_app

    from .support import write_config
    app = create_app(write_config(tmp_path, sqlite_url, redis_url="redis://127.0.0.1:1/0"))
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.headers["Retry-After"] == "5"
    assert ready.get_json()["database"] == "ok"
    assert ready.get_json()["redis"].startswith("unreachable")
    assert ready.get_json()["status"] == "unavailable"


def test_readyz_says_503_once_the_process_is_stopping(app, client):
    from queue_server.web.serving import shutdown
    shutdown(app)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["status"] == "stopping"


def test_metrics_need_the_token(client):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 25})
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("config_overrides", [{}])
def test_metrics_are_off_without_a_token(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_count_tickets_time_routes_and_read_the_queue(client, auth):
    before = scrape(client)
    issued = [client.post("/api/v1/tickets", json={"service": "INFO", "category": category},
                          headers=auth("receptionist")).get_json()
              for category in ("umum", "umum", "lansia")]
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))
    client.get(f"/api/v1/tickets/{issued[0]['id']}", headers=auth("receptionist"))
    after = scrape(client)

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("queue_tickets_issued_total", service="INFO", **{"class": "regular"}) == 2
    assert grew("queue_tickets_issued_total", service="INFO", **{"class": "priority"}) == 1
    assert grew("queue_tickets_called_total", service="INFO", **{"class": "priority"}) == 1
    # Latency by route rule: the ticket's id never becomes a label.
    assert grew("queue_http_request_duration_seconds_count", method="POST",
                route="/api/v1/tickets", status="201") == 3
    assert grew("queue_http_request_duration_seconds_count", method="GET",
                route="/api/v1/tickets/<int:ticket_id>", status="200") == 1
    assert f"/api/v1/tickets/{issued[0]['id']}\"" not in after
    assert issued[0]["number"] not in after
    # Read from the database at the scrape: the priority ticket was called, two wait.
    assert sample(after, "queue_waiting_tickets", service="INFO", **{"class": "regular"}) == 2
    assert sample(after, "queue_waiting_tickets", service="INFO", **{"class": "priority"}) == 0
    # The preview printer's jobs wait for workers this test did not start.
    assert sample(after, "queue_print_jobs", printer="preview", status="queued") == 3
    for name in ("queue_socket_connections", "queue_database_errors_total",
                 "queue_redis_errors_total"):
        assert f"# TYPE {name}" in after


def test_database_errors_are_counted(tmp_path):
    from queue_server.app import create_app

    from .support import write_config
    config = write_config(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/test",
                          cluster={"metrics_token": TOKEN})
    client = create_app(config).test_client()
    from queue_server.web.metrics import DATABASE_ERRORS

    def errors() -> float:
        return sum(s.value for s in DATABASE_ERRORS.collect()[0].samples
                   if s.name.endswith("_total"))

    before = errors()
    assert client.get("/api/v1/display/state").status_code == 503
    assert errors() == before + 1


def test_the_cluster_keys_are_checked():
    from queue_server.app import parse_config
    from queue_server.platform.config import ConfigError

    from .support import OFFICE, office_data
    data = office_data()
    data["cluster"] = {"lease_seconds": 1}
    with pytest.raises(ConfigError, match="cluster.lease_seconds"):
        parse_config(data, OFFICE, environ={})
    data["cluster"] = {"metrics_token": "short"}
    with pytest.raises(ConfigError, match="at least 16"):
        parse_config(data, OFFICE, environ={})
    data["cluster"] = {"lease_secs": 5}
    with pytest.raises(ConfigError, match="did you mean cluster.lease_seconds"):
        parse_config(data, OFFICE, environ={})
    data["cluster"] = {"lease_seconds": 4, "metrics_token": TOKEN}
    settings = parse_config(data, OFFICE, environ={}).cluster
    assert settings.lease_seconds == 4 and settings.metrics_token == TOKEN
