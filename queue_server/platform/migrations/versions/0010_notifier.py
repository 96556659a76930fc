"""visitors' messages: the phone given with consent (ticket_contacts) and the message
outbox (notifications)

A ticket's contact is personal data kept for the ticket's day at most; a message row keeps
its phone only until it is sent, given up or withdrawn.

Revision ID: 0010_notifier
Revises: 0009_reports
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import queue_server.platform.database

revision = '0010_notifier'
down_revision = '0009_reports'
branch_labels = None
depends_on = None

STATUSES = ('queued', 'sending', 'sent', 'failed', 'withdrawn')


def upgrade() -> None:
    op.create_table(
        'ticket_contacts',
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('phone', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('consented_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'],
                                name=op.f('fk_ticket_contacts_ticket_id_tickets'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_contacts')),
    )
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('dedupe', sa.String(length=64), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('phone', sa.String(length=16), nullable=True),
        sa.Column('phone_masked', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='notificationstatus', native_enum=False,
                                    length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column('claimed_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=True),
        sa.Column('sent_at', queue_server.platform.database.UTCDateTime(timezone=True),
                  nullable=True),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'],
                                name=op.f('fk_notifications_ticket_id_tickets'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('dedupe', name=op.f('uq_notifications_dedupe')),
        sa.UniqueConstraint('key', name=op.f('uq_notifications_key')),
    )
    op.create_index('ix_notifications_status', 'notifications',
                    ['status', 'next_attempt_at', 'id'], unique=False)
    op.create_index('ix_notifications_ticket', 'notifications', ['ticket_id', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_notifications_ticket', table_name='notifications')
    op.drop_index('ix_notifications_status', table_name='notifications')
    op.drop_table('notifications')
    op.drop_table('ticket_contacts')
