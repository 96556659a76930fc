"""Tickets/s and CPU per ticket with 1, 2 and 3 `queue-server run` processes behind nginx.

Each round empties a PostgreSQL database, starts N processes sharing it and one Redis,
puts Debian's nginx in front with the shipped site file (deploy/nginx/queue-server.conf),
and has `--clients` keep-alive HTTP clients (a process each: bench/queue_load.py's) issue
tickets through nginx for `--seconds`
(no ticket printer, so the queue alone is measured). It prints, per N:

- tickets/s through nginx;
- CPU ms per ticket of the server processes (gunicorn masters and workers, from
  /proc/<pid>/stat) and of nginx; PostgreSQL's own CPU is not counted (it is shared with
  whatever else runs on the machine);
- tickets/s per core used: tickets/s divided by the cores the servers and nginx kept busy.
  On a 2-core machine the absolute figure flattens; the per-core figure says whether a
  machine with more cores would scale.

    .venv/bin/python bench/scale.py [--seconds 10] [--clients 8]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import sys
import tempfile
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measure import cpu_seconds, process_and_children  # noqa: E402
from queue_load import issue_load  # noqa: E402 - bench/, beside this file

from queue_server.platform.migrate import upgrade  # noqa: E402
from tests.support import (  # noqa: E402
    PASSWORD,
    LiveServer,
    create_users,
    free_port,
    reset_database,
    write_config,
)
from tests.test_cluster import Nginx  # noqa: E402


def token(host: str, port: int) -> str:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("POST", "/api/v1/auth/token",
                       json.dumps({"username": "receptionist", "password": PASSWORD}),
                       {"Content-Type": "application/json"})
    return json.loads(connection.getresponse().read())["token"]


def round_with(processes: int, args, workdir: Path) -> dict:
    reset_database(args.postgres)
    create_users(args.postgres)
    config = write_config(workdir / f"n{processes}", args.postgres,
                          redis_channel=f"bench-scale-{uuid.uuid4().hex}",
                          ticket_printer=None, security={"trusted_proxies": 1})
    servers = [LiveServer(config, env={"REDIS_URL": args.redis}) for _ in range(processes)]
    threads = [threading.Thread(target=server.start, kwargs={"timeout": 60})
               for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    nginx = Nginx(args.nginx, workdir / f"nginx{processes}", free_port(),
                  [server.port for server in servers])
    try:
        port = int(nginx.url.rsplit(":", 1)[1])
        bearer = token("127.0.0.1", port)
        issue_load(port, bearer, args.clients, 1.0)  # warm-up: pools, caches
        server_pids = [pid for server in servers
                       for pid in process_and_children(server.process.pid)]
        web_pids = process_and_children(nginx.process.pid)
        cpu_servers, cpu_nginx = cpu_seconds(server_pids), cpu_seconds(web_pids)
        tickets, errors, wall = issue_load(port, bearer, args.clients, args.seconds)
        cpu_servers = cpu_seconds(server_pids) - cpu_servers
        cpu_nginx = cpu_seconds(web_pids) - cpu_nginx
    finally:
        nginx.stop()
        for server in servers:
            server.stop()
    per_second = tickets / wall
    cores = (cpu_servers + cpu_nginx) / wall
    return {"processes": processes, "tickets": tickets, "errors": errors,
            "tickets/s": per_second,
            "server CPU ms/ticket": 1000 * cpu_servers / max(tickets, 1),
            "nginx CPU ms/ticket": 1000 * cpu_nginx / max(tickets, 1),
            "cores used": cores, "tickets/s per core": per_second / cores if cores else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--postgres", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL",
                                                          "redis://127.0.0.1:6379/0"))
    parser.add_argument("--nginx", default="/usr/sbin/nginx")
    parser.add_argument("--processes", default="1,2,3")
    args = parser.parse_args()
    upgrade(args.postgres)
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {os.getloadavg()[0]:.1f}; {args.clients} clients, "
          f"{args.seconds:g} s per round, PostgreSQL and Redis, nginx in front")
    print("processes | tickets/s | server CPU ms/ticket | nginx CPU ms/ticket | cores used "
          "| tickets/s per core | errors")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for count in (int(n) for n in args.processes.split(",")):
            row = round_with(count, args, Path(tmp))
            print(f"{row['processes']} | {row['tickets/s']:.0f} | "
                  f"{row['server CPU ms/ticket']:.2f} | {row['nginx CPU ms/ticket']:.2f} | "
                  f"{row['cores used']:.2f} | {row['tickets/s per core']:.0f} | {row['errors']}",
                  flush=True)


if __name__ == "__main__":
    main()
