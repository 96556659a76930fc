"""Limits for sockets anyone may open: connections per address, events per connection."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class SocketLimits:
    """Count open sockets per address and recent events per socket, for one app."""

    def __init__(self, max_per_address: int, events_per_minute: int,
                 clock: Callable[[], float] = time.monotonic):
        self.max_per_address = max_per_address
        self.events_per_minute = events_per_minute
        self.clock = clock
        self._open: dict[str, int] = defaultdict(int)
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, address: str, sid: str) -> bool:
        """Count a new socket of `address`; False (and not counted) when it has too many."""
        with self._lock:
            if self._open[address] >= self.max_per_address:
                return False
            self._open[address] += 1
            self._events[sid] = deque()
            return True

    def release(self, address: str, sid: str) -> None:
        with self._lock:
            if sid not in self._events:
                return  # never admitted
            del self._events[sid]
            self._open[address] -= 1
            if self._open[address] <= 0:
                del self._open[address]

    def allow_event(self, sid: str) -> bool:
        """True while the socket sent at most events_per_minute events in the last minute."""
        now = self.clock()
        with self._lock:
            recent = self._events.get(sid)
            if recent is None:
                return False
            while recent and now - recent[0] >= 60:
                recent.popleft()
            recent.append(now)
            return len(recent) <= self.events_per_minute

    def open_sockets(self) -> int:
        with self._lock:
            return sum(self._open.values())
