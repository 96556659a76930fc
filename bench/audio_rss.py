"""Print issue 12's audio and memory figures: what a call's audio weighs and how long it
takes to make or fetch from cache, and the RSS of every process `queue-server run` starts.

- audio_figures(calls): a typical call's file (the shipped config's languages, repeats
  and chime) in bytes and seconds, then over `calls` distinct calls the time the server
  spends after a call to have its audio (tv/announcer.py Announcer.on_event: the call's
  file and its parts, composed by joining MP3 frames), and the time to serve a file
  already made (Announcer.audio_path on a cached name), p50 and p99; the CPU time of the
  making too, which a loaded machine does not inflate as much as the wall clock.
- rss_figures(displays): starts `queue-server run` on a scratch SQLite database with the
  shipped config (its per-address socket limit raised, since every client here is
  127.0.0.1), sums the RSS of the master and its worker idle, then with `displays`
  /display websockets open (bench/sockets.py's asyncio clients, in a process of their own).

bench/queue_load.py calls both; `python bench/audio_rss.py` prints them alone.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from measure import percentile, rss_megabytes  # noqa: E402
from sockets import hold_sockets  # noqa: E402

from queue_server.app import load_config  # noqa: E402
from queue_server.platform.events import Event  # noqa: E402
from queue_server.tv.announcer import Announcer  # noqa: E402
from tests.support import LiveServer, mp3_seconds, write_config  # noqa: E402


def _summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):.2f} ms, p99 {percentile(values, 0.99):.2f} ms,"
            f" max {max(values):.2f} ms")


def audio_figures(calls: int = 1000) -> dict:
    """Make `calls` calls' audio as the server does after each call; print and return it."""
    workdir = Path(tempfile.mkdtemp(prefix="queue-bench-audio-"))
    config = load_config(write_config(workdir, f"sqlite:///{workdir / 'unused.db'}"))
    announcer = Announcer(config, workdir / "audio")
    counters = list(config.counters.values())
    made, cpu, cached, sizes = [], [], [], []
    typical = None
    for index in range(calls):
        counter = counters[index % len(counters)]
        number = f"{'ABCD'[index % 4]}-{index % 1000:03d}"
        started, cpu_started = time.perf_counter(), time.thread_time()
        _text, name = announcer.announce(number, counter)
        announcer.on_event(Event("ticket_called", {"call": {
            "audio_url": f"/audio/{name}", "counter": str(counter.code), "number": number}}))
        made.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
        started = time.perf_counter()
        path = announcer.audio_path(name)
        cached.append((time.perf_counter() - started) * 1000)
        sizes.append(path.stat().st_size)
        if typical is None:
            typical = path.read_bytes()
    figures = {"bytes": len(typical), "seconds": mp3_seconds(typical), "made": made,
               "cpu": cpu, "cached": cached, "sizes": sizes}
    print(f"call audio: MP3, the first call's file {len(typical) / 1024:.1f} KB for "
          f"{figures['seconds']:.1f} s of sound ({'+'.join(config.display.audio.languages)}, "
          f"repeats {config.display.audio.repeats}, chime {config.display.audio.chime}); "
          f"over {calls} calls {statistics.mean(sizes) / 1024:.1f} KB on average, "
          f"{max(sizes) / 1024:.1f} KB at most")
    print(f"call audio made after the call (the call's file and its parts), {calls} calls: "
          f"{_summary(made)}; CPU time of that work {_summary(cpu)}")
    print(f"call audio already made, served from cache: {_summary(cached)}")
    return figures


def _socket_process(*args) -> None:
    import asyncio

    asyncio.run(hold_sockets(*args))


def rss_figures(displays: int = 1000, settle: float = 3.0) -> dict:
    """Start `queue-server run`; print and return its RSS idle and with `displays` sockets."""
    workdir = Path(tempfile.mkdtemp(prefix="queue-bench-rss-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    config = write_config(workdir, url, display={"max_sockets_per_address": 100_000})
    server = LiveServer(config).start(timeout=60)
    context = multiprocessing.get_context("spawn")
    ready, results, stop = context.Queue(), context.Queue(), context.Event()
    child = None
    try:
        time.sleep(settle)  # the worker's start-up garbage is collected, its jobs started
        idle = rss_megabytes(server.process.pid)
        processes = 1 + len(Path(f"/proc/{server.process.pid}/task/{server.process.pid}"
                                 "/children").read_text().split())
        child = context.Process(target=_socket_process, args=(
            server.url, displays, 0, "", ready, results, stop))
        child.start()
        held = ready.get(timeout=600)
        time.sleep(settle)
        busy = rss_megabytes(server.process.pid)
    finally:
        stop.set()
        if child is not None:
            child.join(30)
        server.stop()
    print(f"RSS of `queue-server run` ({processes} processes: gunicorn master and worker, "
          f"SQLite): {idle:.0f} MB idle, {busy:.0f} MB with {held} display sockets")
    return {"idle": idle, "busy": busy, "sockets": held, "processes": processes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--displays", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    audio_figures(args.calls)
    rss_figures(args.displays)


if __name__ == "__main__":
    main()
