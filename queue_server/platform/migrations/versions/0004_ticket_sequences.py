"""rename daily_counters to ticket_sequences: "counter" means a service desk only

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table('daily_counters', 'ticket_sequences')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE ticket_sequences RENAME CONSTRAINT pk_daily_counters '
                   'TO pk_ticket_sequences')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE ticket_sequences RENAME CONSTRAINT pk_ticket_sequences '
                   'TO pk_daily_counters')
    op.rename_table('ticket_sequences', 'daily_counters')
