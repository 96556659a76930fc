"""A ticket's public status: the page its QR code opens (/t/<code>), the same as JSON
(/api/v1/t/<code>) and live on the /ticket socket namespace, one room per ticket code.

Public, so it carries what the TV shows of one ticket and no more: the number, the state,
the counter, the place in the queue and the counters to watch. Never the category, the
service's visitor or anything else personal.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, jsonify, render_template, request, session
from flask_socketio import SocketIO, emit, join_room
from sqlalchemy import select

from queue_server.platform.config import Config
from queue_server.platform.errors import DomainError
from queue_server.platform.events import Event
from queue_server.tickets.estimate import WaitEstimate
from queue_server.tickets.events import QUEUE_CHANGED, TICKET_CALLED, TICKET_UPDATED
from queue_server.tickets.models import Ticket, TicketAction, TicketEvent, TicketStatus
from queue_server.tickets.views import counter_names
from queue_server.web.i18n import STRINGS, format_date, local_name, translate
from queue_server.web.pages import page_language
from queue_server.web.requests import services
from queue_server.web.socket_limits import SocketLimits
from queue_server.web.sockets import refused

log = logging.getLogger(__name__)

TICKET = "/ticket"
"""The public namespace of the status pages: connect with auth {"ticket": code, "lang"}."""
FINAL = frozenset({TicketStatus.SERVED, TicketStatus.CANCELLED})
"""States that never change again. The page follows every other one live (a no-show can
still be called back)."""
MAX_CODE = 64
LINE_CLASSES = {"state": "please-wait", "ahead": "ahead", "estimate": "ticket-estimate",
                "detail": "ticket-detail"}
"""How the page draws each kind of line (the template and ticket-status.js alike)."""

blueprint = Blueprint("ticket_status", __name__, template_folder="templates")


def find_ticket(db, code: Any) -> Ticket | None:
    if not isinstance(code, str) or not code or len(code) > MAX_CODE:
        return None
    return db.scalar(select(Ticket).where(Ticket.public_id == code))


def watch_counters(config: Config, ticket: Ticket, language: str) -> list[str]:
    """Where a waiting ticket will be called: its target counter, else every counter
    serving its service and class."""
    target = config.counters.get(ticket.target_counter or "")
    if target is not None:
        return [local_name(target, language)]
    return counter_names(config, ticket.service, ticket.priority > 0, language)


CALLS = (TicketAction.CALLED, TicketAction.RECALLED, TicketAction.CALLED_BACK)


@dataclass(frozen=True)
class Moment:
    """What the status page needs besides the ticket, read once for every language."""

    position: int | None
    last: TicketEvent | None
    """The ticket's newest history line: the call, recall or transfer it is in now."""
    estimate: WaitEstimate | None
    now: datetime


def read_moment(services, db, ticket: Ticket) -> Moment:
    """The ticket's place, its newest history line (by the ticket's index) and its wait."""
    reading = services.queue.reading
    position = reading.position(db, ticket)
    last = None
    if ticket.status not in FINAL:
        last = db.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                         .order_by(TicketEvent.id.desc()).limit(1))
    found = services.queue.estimates.for_ticket(db, ticket)
    return Moment(position, last, found, services.clock())


def recall_until(config: Config, ticket: Ticket) -> datetime | None:
    """Until when a no-show ticket can still be called back (queue.no_show_recall_minutes)."""
    if ticket.status is not TicketStatus.NO_SHOW or ticket.finished_at is None:
        return None
    return ticket.finished_at + timedelta(minutes=config.queue.no_show_recall_minutes)


def expired(config: Config, ticket: Ticket, now: datetime) -> bool:
    """A ticket of an earlier local day: its link no longer leads anywhere."""
    return ticket.day < now.astimezone(config.tz).date()


def call_of(config: Config, ticket: Ticket, moment: Moment, language: str,
            announcer) -> dict[str, Any] | None:
    """The call the ticket is in, as the page shows and speaks it; None unless called."""
    last = moment.last
    counter = config.counters.get(ticket.counter or "")
    if ticket.status is not TicketStatus.CALLED or counter is None or last is None \
            or last.action not in CALLS:
        return None
    name = local_name(counter, language)
    announced = (last.details or {}).get("announced") is not False
    audio = announcer.parts(ticket.number, counter) if announced and announcer else None
    if audio is not None:  # the visitor hears their page's language only
        audio["languages"] = [part for part in audio["languages"]
                              if part["lang"] == language] or audio["languages"]
    recall = last.action is TicketAction.RECALLED
    return {"seq": last.id, "counter": counter.code, "counter_name": name,
            "called_at": last.at.isoformat(), "recall": recall, "announced": announced,
            "audio": audio, "number": ticket.number,
            "headline": translate(language, "ticket_recalled" if recall else "ticket_turn",
                                  counter=name),
            "spoken": translate(language, "ticket_turn_spoken", number=ticket.number,
                                counter=name)}


def state_lines(config: Config, ticket: Ticket, moment: Moment, language: str,
                counter_name: str | None, watch: list[str]) -> list[dict[str, str]]:
    """The page's lines for the ticket's state, in `language`."""
    def line(kind: str, key: str, **values: Any) -> dict[str, str]:
        return {"kind": kind, "text": translate(language, key, **values)}

    status, position = ticket.status, moment.position
    if status is TicketStatus.WAITING:
        transferred = moment.last is not None \
            and moment.last.action is TicketAction.TRANSFERRED
        lines = [line("state", "ticket_transferred" if transferred else "ticket_waiting")]
        if position:
            lines.append(line("ahead", "ticket_position", position=position))
        if moment.estimate is not None:
            value = moment.estimate.view(language)["text"]
            # The range ends the line; the page keeps it on one line ("± 10-15 menit").
            lines.append(line("estimate", "ticket_estimate", range=value) | {"value": value})
        if watch:
            lines.append(line("detail", "ticket_watch", counters=", ".join(watch)))
        return lines
    if status is TicketStatus.CALLED:
        return [line("state", "ticket_called", counter=counter_name) if counter_name
                else line("state", "ticket_called_any")]
    until = recall_until(config, ticket)
    if until is not None:
        if until <= moment.now:
            return [line("state", "ticket_no_show_over")]
        return [line("state", "ticket_no_show_until",
                     time=format_date(until, language, "time", config.tz))]
    return [line("state", f"ticket_{status.value}")]


def public_status(config: Config, ticket: Ticket, moment: Moment, language: str,
                  announcer=None) -> dict[str, Any]:
    """The ticket as its owner may see it, with the lines the page shows in `language`."""
    counter = config.counters.get(ticket.counter or "")
    counter_name = local_name(counter, language) if counter else None
    watch = watch_counters(config, ticket, language) \
        if ticket.status is TicketStatus.WAITING else []
    until = recall_until(config, ticket)
    live = ticket.status not in FINAL and not (until is not None and until <= moment.now)
    position = moment.position
    return {"number": ticket.number, "status": ticket.status.value, "position": position,
            "ahead": position - 1 if position else None, "counter": ticket.counter,
            "counter_name": counter_name, "watch": watch, "live": live,
            "language": language,
            "lines": state_lines(config, ticket, moment, language, counter_name, watch),
            "estimate": moment.estimate.view(language) if moment.estimate else None,
            "transferred": ticket.status is TicketStatus.WAITING and moment.last is not None
            and moment.last.action is TicketAction.TRANSFERRED,
            "recall_until": until.isoformat() if until is not None and live else None,
            "call": call_of(config, ticket, moment, language, announcer)}


def read_status(app, code: Any, language: str) -> dict[str, Any] | None:
    """The public status of the ticket with this code, or None when there is none (or it
    is of an earlier day)."""
    with app.work.read() as db:
        ticket = find_ticket(db, code)
        if ticket is None or expired(app.config, ticket, app.clock()):
            return None
        return public_status(app.config, ticket, read_moment(app, db, ticket), language,
                             app.announcer)


def chosen_language(asked: Any) -> str:
    """The asked language when the office offers it, else the page's (session or default)."""
    config = services().config
    if isinstance(asked, str) and asked in config.languages and asked in STRINGS:
        return asked
    return page_language()


@blueprint.get("/t/<code>")
def ticket_page(code: str):
    """What the ticket's QR code opens: its place in the queue, nothing personal. It follows
    the ticket live with JavaScript; without, its "Muat ulang" link reloads it."""
    status = read_status(services(), code, page_language())
    # An unknown or expired code: the visitor's own page says so in their language (404).
    return render_template("ticket_status.html", status=status, code=code,
                           line_classes=LINE_CLASSES), 200 if status else 404


@blueprint.get("/api/v1/t/<code>")
def ticket_json(code: str):
    """The status page's data: for a phone whose socket cannot connect (it polls this)."""
    status = read_status(services(), code, chosen_language(request.args.get("lang")))
    if status is None:
        raise DomainError(404, "unknown_ticket", "No ticket with this code")
    return jsonify(status)


def room(code: str, language: str) -> str:
    return f"{language}:{code}"


class TicketNamespace:
    """The status pages' sockets of one app.

    A page joins the room of its ticket code and language and gets `status` on connect and
    whenever its ticket changes; `queue_changed` (no data) tells waiting pages that their
    place may have moved, and they answer with `refresh` (at most display.
    snapshots_per_minute a minute; more are ignored). Addresses are limited like the TV's:
    display.max_sockets_per_address sockets each.
    """

    def __init__(self, socketio: SocketIO, services) -> None:
        self.socketio = socketio
        self.services = services
        settings = services.config.display
        self.limits = SocketLimits(settings.max_sockets_per_address,
                                   settings.snapshots_per_minute)

    def register(self) -> None:
        self.socketio.on("connect", namespace=TICKET)(self.connect)
        self.socketio.on("disconnect", namespace=TICKET)(self.disconnect)
        self.socketio.on("refresh", namespace=TICKET)(self.refresh)
        self.services.publisher.subscribe(self.forward)

    def connect(self, auth=None):
        auth = auth if isinstance(auth, dict) else {}
        code, language = auth.get("ticket"), chosen_language(auth.get("lang"))
        with self.services.work.read() as db:
            ticket = find_ticket(db, code)
            known = ticket is not None and not expired(self.services.config, ticket,
                                                      self.services.clock())
        if not known:
            raise refused(DomainError(404, "unknown_ticket", "No ticket with this code"))
        address = request.remote_addr or "?"
        if not self.limits.admit(address, request.sid):
            raise refused(DomainError(429, "too_many_sockets",
                                      "Too many open pages from this address"))
        session["ticket_page"] = (code, language, address)
        # In the room first, then read: a change in between is pushed, not missed.
        join_room(room(code, language))
        emit("status", read_status(self.services, code, language))

    def disconnect(self, *_args) -> None:
        _code, _language, address = session.get("ticket_page", (None, None, "?"))
        self.limits.release(address, request.sid)

    def refresh(self, *_args) -> None:
        code, language, _address = session.get("ticket_page", (None, None, "?"))
        if code is None or not self.limits.allow_event(request.sid):
            return
        status = read_status(self.services, code, language)
        if status is not None:
            emit("status", status)

    def forward(self, event: Event) -> None:
        """After a commit: the changed ticket's status to its rooms, a nudge to the rest."""
        if event.name == QUEUE_CHANGED:
            self.socketio.emit("queue_changed", {}, namespace=TICKET)
        elif event.name in (TICKET_CALLED, TICKET_UPDATED):
            ticket_id = (event.payload.get("ticket") or {}).get("id")
            if ticket_id is not None:
                self.push(ticket_id)

    def push(self, ticket_id: int) -> None:
        services = self.services
        with services.work.read() as db:
            ticket = db.get(Ticket, ticket_id)
            if ticket is None:
                return
            moment = read_moment(services, db, ticket)
            statuses = {language: public_status(services.config, ticket, moment, language,
                                                services.announcer)
                        for language in services.config.languages if language in STRINGS}
            code = ticket.public_id
        for language, status in statuses.items():
            self.socketio.emit("status", status, to=room(code, language), namespace=TICKET)


def register(socketio: SocketIO, services) -> TicketNamespace:
    """Attach /ticket and forward ticket changes to it."""
    namespace = TicketNamespace(socketio, services)
    namespace.register()
    return namespace

