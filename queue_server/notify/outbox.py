"""The message outbox: queued with its event, claimed by one sender, sent once.

A message is `queued` until a sender claims it (`sending`), then `sent`, or back to
`queued` with `last_error` and a retry time when the gateway did not take it. After
`notify.max_attempts` tries, or `notify.expiry_minutes` after it was queued (a "go to
Loket 2" an hour late helps nobody), it is `failed`. A message whose claim is older than
its lease (the sender died mid-send) is sent again with the same idempotency key, so a
gateway that honours the key delivers it once. The phone leaves the row as soon as the
message is sent, given up or withdrawn.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from queue_server.notify.gateway import Outgoing
from queue_server.notify.models import UNSENT, Notification, NotificationStatus
from queue_server.notify.settings import NotifySettings
from queue_server.platform import outbox as shared
from queue_server.platform.events import Event
from queue_server.tickets.contacts import mask_phone

NOTIFICATION_QUEUED = "notification_queued"
"""Published after the commit to wake the sender; carries the message's id only."""


def enqueue(session: Session, ticket_id: int, kind: str, dedupe: str, phone: str,
            language: str, text: str, now: datetime) -> Event:
    """Add a message in the caller's transaction (a unique `dedupe` makes it once only)."""
    message = Notification(
        ticket_id=ticket_id, kind=kind, dedupe=dedupe, key=secrets.token_hex(16),
        phone=phone, phone_masked=mask_phone(phone), language=language, text=text,
        status=NotificationStatus.QUEUED, attempts=0, created_at=now)
    session.add(message)
    session.flush()
    return Event(NOTIFICATION_QUEUED, {"id": message.id})


def _end(message: Notification, status: NotificationStatus, now: datetime,
         error: str | None = None) -> None:
    message.status = status
    message.phone = None  # personal data: not kept past the message's life
    message.claimed_at = None
    message.next_attempt_at = None
    if status is NotificationStatus.SENT:
        message.sent_at = now
    if error is not None:
        message.last_error = error[:2000]


def withdraw(session: Session, ticket_id: int, now: datetime, kind: str | None = None) -> int:
    """Withdraw the ticket's unsent messages (of one kind): they are no longer true.

    A message being sent right now is left to its sender.
    """
    query = select(Notification).where(Notification.ticket_id == ticket_id,
                                       Notification.status == NotificationStatus.QUEUED)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    messages = list(session.scalars(query))
    for message in messages:
        _end(message, NotificationStatus.WITHDRAWN, now, "withdrawn: no longer true")
    return len(messages)


def _due(settings: NotifySettings, now: datetime):
    stale = now - timedelta(seconds=settings.lease_seconds)
    return or_(
        and_(Notification.status == NotificationStatus.QUEUED,
             or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now)),
        and_(Notification.status == NotificationStatus.SENDING,
             Notification.claimed_at <= stale))


def _give_up_reason(settings: NotifySettings, message: Notification, now: datetime) -> str | None:
    if now - message.created_at > timedelta(minutes=settings.expiry_minutes):
        return f"not sent within {settings.expiry_minutes} minutes"
    if message.attempts >= settings.max_attempts:
        return f"not taken after {message.attempts} tries"
    return None


def claim_next(session: Session, settings: NotifySettings, now: datetime) -> Outgoing | None:
    """Claim the oldest due message (locked: two senders never take the same one)."""
    query = shared.skip_locked(select(Notification).where(_due(settings, now))
                               .order_by(Notification.id).limit(1), session)
    while (message := session.scalar(query)) is not None:
        reason = _give_up_reason(settings, message, now)
        if reason is None:
            message.status = NotificationStatus.SENDING
            shared.claim(message, now)
            return Outgoing(message.id, message.key, message.phone, message.text)
        _end(message, NotificationStatus.FAILED, now,
             f"{reason}; last error: {message.last_error or 'none'}")
    return None


def finish(session: Session, settings: NotifySettings, message_id: int, now: datetime,
           error: str | None = None) -> Notification | None:
    """Record a send: sent, or back in the queue with the error, or given up."""
    message = session.get(Notification, message_id, with_for_update=True)
    if message is None or message.status is not NotificationStatus.SENDING:
        return message  # sent by another sender after our lease, or withdrawn meanwhile
    if error is None:
        _end(message, NotificationStatus.SENT, now)
    elif message.attempts >= settings.max_attempts:
        _end(message, NotificationStatus.FAILED, now,
             f"not taken after {message.attempts} tries; last error: {error}")
    else:
        message.status = NotificationStatus.QUEUED
        shared.release_for_retry(message, now, error, settings.retry_first_seconds,
                                 settings.retry_max_seconds)
    return message


def forget_phones(session: Session, before: datetime, now: datetime) -> int:
    """Give up the unsent messages queued before `before`, emptying their phones.

    A finished message has no phone already: every way out (_end) empties it.
    """
    stale = list(session.scalars(select(Notification).where(
        Notification.status.in_(UNSENT), Notification.created_at < before)))
    for message in stale:
        _end(message, NotificationStatus.FAILED, now, "purged with the day's personal data")
    return len(stale)


def message_view(message: Notification) -> dict[str, Any]:
    """The outbox's view of a message: the phone masked, never whole."""
    return {
        "id": message.id, "ticket_id": message.ticket_id, "kind": message.kind,
        "phone": message.phone_masked, "language": message.language, "text": message.text,
        "status": message.status.value, "attempts": message.attempts,
        "last_error": message.last_error, "created_at": message.created_at.isoformat(),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
    }
