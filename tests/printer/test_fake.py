"""The fake network printer behaves like one on the wire."""

import socket

import pytest

from printer.fake import FakeNetworkPrinter, FakePaper


def exchange(port: int, payload: bytes, answers: int) -> bytes:
    """Send payload, read `answers` status bytes, then wait until the printer hangs up.

    Waiting for its close (as the real driver does) makes the next connection start
    only after this one is recorded, so the order of jobs and bytes is the order sent.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        connection.sendall(payload)
        received = b""
        while len(received) < answers:
            received += connection.recv(16)
        connection.shutdown(socket.SHUT_WR)
        while connection.recv(16):
            pass
        return received


def test_answers_real_time_status_queries(fake_printer):
    assert exchange(fake_printer.port, b"\x10\x04\x01\x10\x04\x04", 2) == b"\x12\x12"
    fake_printer.online, fake_printer.paper = False, FakePaper.OUT
    assert exchange(fake_printer.port, b"\x10\x04\x01\x10\x04\x04", 2) == b"\x1a\x7e"
    fake_printer.paper = FakePaper.LOW
    assert exchange(fake_printer.port, b"\x10\x04\x04", 1) == b"\x1e"


def test_query_split_across_packets_is_answered(fake_printer):
    with socket.create_connection(("127.0.0.1", fake_printer.port), timeout=2) as connection:
        connection.sendall(b"\x10")
        connection.sendall(b"\x04")
        connection.sendall(b"\x01")
        assert connection.recv(1) == b"\x12"


def test_jobs_are_per_connection_and_status_only_connections_are_not_jobs(fake_printer):
    exchange(fake_printer.port, b"\x10\x04\x01", 1)
    exchange(fake_printer.port, b"first", 0)
    exchange(fake_printer.port, b"second\x10\x04\x04", 1)
    assert fake_printer.wait_for_jobs(2) == [b"first", b"second\x10\x04\x04"]
    assert fake_printer.status_queries == 2
    assert bytes(fake_printer.received) == b"\x10\x04\x01first" + b"second\x10\x04\x04"


def test_wait_for_jobs_times_out(fake_printer):
    with pytest.raises(TimeoutError, match="0 of 1 jobs"):
        fake_printer.wait_for_jobs(1, timeout=0.05)


def test_restarts_on_the_same_port():
    fake = FakeNetworkPrinter().start()
    port = fake.port
    exchange(port, b"before", 0)
    fake.wait_for_jobs(1)
    fake.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    fake.start()
    try:
        assert fake.port == port
        exchange(port, b"after", 0)
        assert fake.wait_for_jobs(2) == [b"before", b"after"]
    finally:
        fake.stop()
