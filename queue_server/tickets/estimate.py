"""The estimated waiting time: per service and class, from recent service times.

A new ticket with `ahead` tickets before it waits about (ahead + 1/2) service times shared
by the open counters: the half is the counter now busy finishing its visitor. A regular
ticket also waits for the priority tickets that arrive meanwhile and go first, as many as
the fairness guard lets through (queue.max_priority_streak in a row per regular one).

Service times come from the tickets served in the last queue.estimate.window_minutes, else
from the whole local day, else from queue.estimate.default_service_minutes; with none of
them, or no counter open for the service, there is no estimate (None), never a made-up one.
The reads are cached per service for queue.estimate.cache_seconds, so issuing a ticket or
refreshing a status page does not read the day's history each time; nothing here scans the
waiting tickets (their counts come from the caller).
"""
from __future__ import annotations

import math
import statistics
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.platform.config import Config
from queue_server.platform.office import WaitEstimateSettings
from queue_server.tickets.models import CounterState, Ticket, TicketStatus
from queue_server.web.i18n import translate

STEP_MINUTES = 5
"""The range's bounds are whole multiples of this: a wait is not known to the minute."""
OUTLIER_FACTOR = 4
"""A service time longer than this many medians is counted as that: a counter left with a
ticket at the desk while nobody came makes one very long 'visit'."""


@dataclass(frozen=True)
class WaitEstimate:
    """A wait as a range of minutes, e.g. 10-15."""

    low_minutes: int
    high_minutes: int
    minutes: float
    """The point the range is built around (for the bench and the tests)."""

    def view(self, language: str) -> dict[str, Any]:
        """The API shape: {"low_minutes", "high_minutes", "text"}."""
        return {"low_minutes": self.low_minutes, "high_minutes": self.high_minutes,
                "text": translate(language, "estimate_range", low=self.low_minutes,
                                  high=self.high_minutes)}


@dataclass(frozen=True)
class ServiceTimes:
    """Minutes one visitor takes at a counter, and where the figure comes from."""

    minutes: float | None
    source: str | None
    """"window", "day", "default" or None (no figure)."""
    samples: int = 0


@dataclass(frozen=True)
class ServiceLoad:
    """What the estimate of one service needs besides the queue: read once, cached."""

    times: ServiceTimes
    counters_priority: int
    """Open counters that take this service's priority tickets (priority-only ones too)."""
    counters_regular: int
    """Open counters that take its regular tickets."""
    priority_per_minute: float
    """Priority tickets issued for the service per minute, over the window."""


# -- pure arithmetic ---------------------------------------------------------------------

def typical_minutes(durations: Iterable[float]) -> float:
    """The mean service time, each time capped at OUTLIER_FACTOR medians."""
    values = list(durations)
    cap = statistics.median(values) * OUTLIER_FACTOR
    return statistics.fmean(min(value, cap) for value in values)


def choose_service_times(window: list[float], day: list[float],
                         settings: WaitEstimateSettings) -> ServiceTimes:
    """The window's times when it has enough, else the day's, else the default, else none."""
    if len(window) >= settings.min_samples:
        return ServiceTimes(typical_minutes(window), "window", len(window))
    if len(day) >= settings.min_samples:
        return ServiceTimes(typical_minutes(day), "day", len(day))
    if settings.default_service_minutes:
        return ServiceTimes(settings.default_service_minutes, "default", 0)
    return ServiceTimes(None, None, len(day))


def wait_minutes(ahead: int, service_minutes: float, counters: int,
                 priority_per_minute: float = 0.0, max_priority_streak: int = 3,
                 priority_ahead: int = 0, priority_only_counters: int = 0) -> float:
    """Minutes until a ticket with `ahead` tickets of its class before it is called.

    For a priority ticket the other arguments are 0. For a regular one, `priority_ahead`
    priority tickets wait before it too, shared with the `priority_only_counters`; and
    priority tickets arriving meanwhile (`priority_per_minute`) go first, taking what the
    priority-only counters cannot of the general counters' time (at most streak/(streak+1)
    of it: the fairness guard lets a regular ticket in after that many in a row).
    """
    base = (max(0, ahead) + 0.5) * service_minutes / counters \
        + max(0, priority_ahead) * service_minutes / (counters + priority_only_counters)
    spill = priority_per_minute * service_minutes - priority_only_counters
    if spill <= 0:
        return base
    share = min(spill / counters, max_priority_streak / (max_priority_streak + 1))
    return base / (1 - share)


def wait_range(minutes: float, spread: float) -> tuple[int, int]:
    """The range shown for a point estimate: less and more `spread`, in 5-minute steps."""
    low = STEP_MINUTES * math.floor(minutes * (1 - spread) / STEP_MINUTES)
    high = STEP_MINUTES * math.ceil(minutes * (1 + spread) / STEP_MINUTES)
    return max(0, low), max(high, low + STEP_MINUTES)


def estimate(load: ServiceLoad, ahead: int, priority: bool, settings: WaitEstimateSettings,
             max_priority_streak: int = 3, priority_ahead: int = 0) -> WaitEstimate | None:
    """The wait of a ticket of this class with `ahead` tickets of its class before it (and,
    for a regular ticket, `priority_ahead` priority ones); None without data."""
    counters = load.counters_priority if priority else load.counters_regular
    if load.times.minutes is None or counters <= 0 or not settings.enabled:
        return None
    if priority:
        minutes = wait_minutes(ahead, load.times.minutes, counters)
    else:
        minutes = wait_minutes(ahead, load.times.minutes, counters, load.priority_per_minute,
                               max_priority_streak, priority_ahead,
                               load.counters_priority - load.counters_regular)
    low, high = wait_range(minutes, settings.spread)
    return WaitEstimate(low, high, minutes)


# -- reading the database ----------------------------------------------------------------

def pool(config: Config, service: str, priority: bool) -> tuple[str, ...]:
    """The services whose waiting tickets share counters with this service's class.

    A ticket waits for every ticket ahead of it at the counters that may take it, whatever
    their service: the services those counters serve form its pool, and the pool's open
    counters share its work."""
    takes = [counter for counter in config.counters.values()
             if service in counter.services and (priority or not counter.priority_only)]
    return tuple(sorted({code for counter in takes for code in counter.services}))


def pool_counters(config: Config, services: tuple[str, ...], priority: bool) -> list[str]:
    return [code for code, counter in config.counters.items()
            if set(counter.services) & set(services) and (priority or not counter.priority_only)]


def service_times(session: Session, config: Config, services: tuple[str, ...],
                  now: datetime) -> ServiceTimes:
    """The pool's recent service times (called to finished, served tickets of today)."""
    settings = config.queue.estimate
    day = now.astimezone(config.tz).date()
    since = now - timedelta(minutes=settings.window_minutes)
    rows = session.execute(select(Ticket.called_at, Ticket.finished_at).where(
        Ticket.day == day, Ticket.status == TicketStatus.SERVED, Ticket.service.in_(services),
        Ticket.called_at.is_not(None), Ticket.finished_at.is_not(None))).all()
    day_minutes, window_minutes = [], []
    for called_at, finished_at in rows:
        minutes = (finished_at - called_at).total_seconds() / 60
        if minutes < 0:
            continue
        day_minutes.append(minutes)
        if finished_at >= since:
            window_minutes.append(minutes)
    return choose_service_times(window_minutes, day_minutes, settings)


def open_counters(session: Session, config: Config, services: tuple[str, ...],
                  now: datetime) -> tuple[int, int]:
    """(for priority tickets, for regular ones): the pool's counters that have a ticket at
    the desk or called within queue.estimate.counter_open_minutes."""
    since = now - timedelta(minutes=config.queue.estimate.counter_open_minutes)
    serving = pool_counters(config, services, True)
    if not serving:
        return 0, 0
    states = session.scalars(select(CounterState).where(CounterState.code.in_(serving)))
    open_codes = [state.code for state in states
                  if state.current_ticket_id is not None
                  or (state.updated_at is not None and state.updated_at >= since)]
    regular = sum(1 for code in open_codes if not config.counters[code].priority_only)
    return len(open_codes), regular


def priority_arrivals(session: Session, config: Config, services: tuple[str, ...],
                      now: datetime) -> float:
    """Priority tickets issued for the pool per minute over the window (today only)."""
    minutes = config.queue.estimate.window_minutes
    count = session.scalar(select(func.count(Ticket.id)).where(
        Ticket.day == now.astimezone(config.tz).date(), Ticket.service.in_(services),
        Ticket.priority > 0, Ticket.created_at >= now - timedelta(minutes=minutes)))
    return (count or 0) / minutes


def service_load(session: Session, config: Config, services: tuple[str, ...],
                 now: datetime) -> ServiceLoad:
    priority, regular = open_counters(session, config, services, now)
    return ServiceLoad(service_times(session, config, services, now), priority, regular,
                       priority_arrivals(session, config, services, now))


def ahead_in_groups(groups: Iterable[tuple[int, str, int]], services: tuple[str, ...],
                    priority: int) -> tuple[int, int]:
    """(of its class, priority ones of a higher class): the pool's waiting tickets called
    before a new ticket of this priority."""
    same = higher = 0
    for level, service, count in groups:
        if service in services and level == priority:
            same += count
        elif service in services and level > priority:
            higher += count
    return same, higher


class WaitEstimator:
    """Estimates for tickets and services, with each pool's load cached a short while."""

    def __init__(self, config: Config, clock: Callable[[], datetime]):
        self.config = config
        self.clock = clock
        self._loads: dict[tuple[str, ...], tuple[datetime, ServiceLoad]] = {}
        self._lock = threading.Lock()

    def load(self, session: Session, services: tuple[str, ...] | str) -> ServiceLoad:
        services = (services,) if isinstance(services, str) else services
        now = self.clock()
        keep = timedelta(seconds=self.config.queue.estimate.cache_seconds)
        with self._lock:
            cached = self._loads.get(services)
        if cached is not None and timedelta(0) <= now - cached[0] < keep:
            return cached[1]
        load = service_load(session, self.config, services, now)
        with self._lock:
            self._loads[services] = (now, load)
        return load

    def _estimate(self, session: Session, services: tuple[str, ...], ahead: tuple[int, int],
                  priority: bool) -> WaitEstimate | None:
        same, higher = ahead
        if priority:  # a higher priority class ahead is called first like its own
            same, higher = same + higher, 0
        return estimate(self.load(session, services), max(0, same), priority,
                        self.config.queue.estimate, self.config.queue.max_priority_streak,
                        higher)

    def for_new(self, session: Session, service: str, priority: int,
                groups: Iterable[tuple[int, str, int]]) -> WaitEstimate | None:
        """The wait of a ticket just issued (it is among `groups`, the waiting counts)."""
        if not self.config.queue.estimate.enabled:
            return None
        services = pool(self.config, service, priority > 0)
        same, higher = ahead_in_groups(groups, services, priority)
        return self._estimate(session, services, (same - 1, higher), priority > 0)

    def for_ticket(self, session: Session, ticket: Ticket) -> WaitEstimate | None:
        """The wait of a waiting ticket now: the pool's tickets before it in call order."""
        if ticket.status is not TicketStatus.WAITING or not self.config.queue.estimate.enabled:
            return None
        services = pool(self.config, ticket.service, ticket.priority > 0)
        same, higher = session.execute(select(
            func.count(Ticket.id).filter(Ticket.priority == ticket.priority),
            func.count(Ticket.id).filter(Ticket.priority > ticket.priority)).where(
            Ticket.status == TicketStatus.WAITING, Ticket.service.in_(services),
            (Ticket.priority > ticket.priority)
            | ((Ticket.priority == ticket.priority) & (Ticket.id < ticket.id)))).one()
        return self._estimate(session, services, (same or 0, higher or 0),
                              ticket.priority > 0)

    def for_services(self, session: Session, groups: Iterable[tuple[int, str, int]],
                     language: str) -> list[dict[str, Any]]:
        """Per service, the wait of a ticket taken now in each class (the TV's figures).

        `groups` are the waiting (priority, service, count) rows the caller already has.
        """
        if not self.config.queue.estimate.enabled:
            return []
        groups = list(groups)
        result = []
        for code, service in self.config.services.items():
            views = {}
            for name, priority in (("priority", 1), ("regular", 0)):
                services = pool(self.config, code, priority > 0)
                found = self._estimate(session, services,
                                       ahead_in_groups(groups, services, priority), priority > 0)
                views[name] = found.view(language) if found else None
            result.append({"service": code, "name": service.name_en if language == "en"
                           else service.name, **views})
        return result
