"""close the queue tickets of visits that already ended

Until now a visit's priority ticket stayed "waiting" (or "called") after its visit was
finished, cancelled or its visitor had gone home, so a later call-next could still call
a visitor who had left. From now on the procedure closes a visit's tickets in the step's
own transaction; this closes the ones left open before: finished -> served, cancelled ->
cancelled, visitor gone home -> served, each with a ticket_events line saying why, and a
counter whose current ticket it was has none. No schema change (the new ticket status
"held" is a value of the existing string column).

Revision ID: 0006_visit_ticket
Revises: 0005
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0006_visit_ticket'
down_revision = '0005'
branch_labels = None
depends_on = None

WHEN = queue_server.platform.database.UTCDateTime(timezone=True)
visits = sa.table('visits', sa.column('id', sa.Integer), sa.column('status', sa.String),
                  sa.column('present', sa.Boolean), sa.column('ticket_id', sa.Integer),
                  sa.column('pickup_ticket_id', sa.Integer),
                  sa.column('completed_at', WHEN), sa.column('left_at', WHEN))
tickets = sa.table('tickets', sa.column('id', sa.Integer), sa.column('status', sa.String),
                   sa.column('counter', sa.String), sa.column('finished_at', WHEN))
events = sa.table('ticket_events', sa.column('ticket_id', sa.Integer),
                  sa.column('action', sa.String), sa.column('at', WHEN),
                  sa.column('user_id', sa.Integer), sa.column('counter', sa.String),
                  sa.column('details', sa.JSON))
counters = sa.table('counter_states', sa.column('code', sa.String),
                    sa.column('current_ticket_id', sa.Integer))
OPEN = ('waiting', 'called')


def _ended(connection) -> dict[int, tuple[str, str, object]]:
    """Open ticket id -> (new status, reason, when) for the visits that ended."""
    closing: dict[int, tuple[str, str, object]] = {}
    rows = connection.execute(sa.select(
        visits.c.status, visits.c.present, visits.c.ticket_id, visits.c.pickup_ticket_id,
        visits.c.completed_at, visits.c.left_at)).all()
    for status, present, ticket_id, pickup_id, completed_at, left_at in rows:
        if status == 'completed':
            ends = [(ticket_id, 'served', 'visit_finished', completed_at),
                    (pickup_id, 'served', 'visit_finished', completed_at)]
        elif status == 'cancelled':
            ends = [(ticket_id, 'cancelled', 'visit_cancelled', completed_at),
                    (pickup_id, 'cancelled', 'visit_cancelled', completed_at)]
        elif not present and pickup_id is None:
            ends = [(ticket_id, 'served', 'visitor_left', left_at)]
        else:
            continue
        for ident, new_status, reason, when in ends:
            if ident is not None and when is not None:
                closing[ident] = (new_status, reason, when)
    return closing


def upgrade() -> None:
    connection = op.get_bind()
    closing = _ended(connection)
    if not closing:
        return
    still_open = connection.execute(sa.select(tickets.c.id, tickets.c.counter).where(
        tickets.c.id.in_(list(closing)), tickets.c.status.in_(OPEN))).all()
    for ident, counter in still_open:
        status, reason, when = closing[ident]
        connection.execute(tickets.update().where(tickets.c.id == ident)
                           .values(status=status, finished_at=when))
        connection.execute(events.insert().values(
            ticket_id=ident, action=status, at=when, user_id=None, counter=counter,
            details={'reason': reason}))
        connection.execute(counters.update().where(counters.c.current_ticket_id == ident)
                           .values(current_ticket_id=None))


def downgrade() -> None:
    # The tickets stay closed: reopening them would put gone visitors back in the queue.
    pass
