"""Numbers and calls stay right under concurrency, guaranteed by the database."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from queue_server import create_app
from queue_server.auth.models import User
from queue_server.tickets.models import Call, Ticket

from .support import ROOT, create_users, reset_database, write_config

# Threads and processes on their own connections: these tests commit for real.
pytestmark = pytest.mark.commits


def test_twenty_clients_issuing_at_once_get_gapless_unique_numbers(app, tokens):
    client_pool = [app.test_client() for _ in range(20)]
    headers = {"Authorization": f"Bearer {tokens['receptionist']}"}

    def press(index: int) -> list[str]:
        client = client_pool[index]
        numbers = []
        for round_number in range(5):
            category = "lansia" if (index + round_number) % 2 else "umum"
            response = client.post("/api/v1/tickets",
                                   json={"service": "INFO", "category": category},
                                   headers=headers)
            assert response.status_code == 201, response.json
            numbers.append(response.json["number"])
        return numbers

    with ThreadPoolExecutor(20) as pool:
        numbers = [n for batch in pool.map(press, range(20)) for n in batch]
    assert len(numbers) == len(set(numbers)) == 100
    for prefix in ("A", "P"):
        sequences = sorted(int(n.split("-")[1]) for n in numbers if n.startswith(prefix))
        assert sequences == list(range(1, 51))


def test_counters_calling_at_once_never_share_a_ticket(app, services, auth):
    client = app.test_client()
    for index in range(60):
        client.post("/api/v1/tickets",
                    json={"service": "INFO", "category": "lansia" if index % 3 else "umum"},
                    headers=auth("receptionist"))
    counters = ["1", "2", "3"] * 4  # twelve officers on three counters

    def call_until_empty(counter: str) -> list[str]:
        local = app.test_client()
        taken = []
        while True:
            response = local.post(f"/api/v1/counters/{counter}/call-next",
                                  headers=auth("officer"))
            if response.status_code == 204:
                # The priority-only counter stops when priority runs out; others drain.
                return taken
            assert response.status_code == 200, response.json
            taken.append(response.json["number"])

    with ThreadPoolExecutor(len(counters)) as pool:
        taken = [n for batch in pool.map(call_until_empty, counters) for n in batch]
    assert len(taken) == len(set(taken)) == 60
    with services.session_factory() as db:
        calls = Counter(c.ticket_id for c in db.scalars(select(Call)))
        statuses = Counter(t.status.value for t in db.scalars(select(Ticket)))
    assert set(calls.values()) == {1}
    assert statuses["waiting"] == 0


WORKER = textwrap.dedent("""
    import sys
    from queue_server import create_app
    app = create_app(sys.argv[1])
    client = app.test_client()
    token = sys.argv[2]
    print("ready", flush=True)
    sys.stdin.readline()  # both start issuing at once: their start-up times differ
    for index in range(int(sys.argv[3])):
        r = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                        headers={"Authorization": "Bearer " + token})
        assert r.status_code == 201, r.json
        print(r.json["number"], flush=True)
""")


def test_two_server_processes_on_one_postgresql_share_one_numbering(tmp_path, postgresql_url):
    reset_database(postgresql_url)
    create_users(postgresql_url)
    pg_app = create_app(write_config(tmp_path, postgresql_url))
    pg_services = pg_app.extensions["queue"]
    with pg_services.session_factory() as db, db.begin():
        user = db.scalar(select(User).where(User.username == "receptionist"))
        token = pg_services.auth.issue_token(db, user)[0]
    pg_services.engine.dispose()
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path / "config.yaml"),
                                   token, "40"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, cwd=ROOT)
                 for _ in range(2)]
    # Both built their app before either issues: 40 tickets take less time than a
    # process's start-up, so one could otherwise finish before the other began.
    assert [process.stdout.readline().strip() for process in processes] == ["ready"] * 2
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=120)[0].split() for process in processes]
    assert all(process.returncode == 0 for process in processes)
    numbers = outputs[0] + outputs[1]
    assert sorted(int(n.split("-")[1]) for n in numbers) == list(range(1, 81))
    # The two processes really interleaved rather than one running after the other.
    first = [int(n.split("-")[1]) for n in outputs[0]]
    assert first != list(range(1, 41)) and first != list(range(41, 81))
